"""
The layouts the vault knows, from each layout's published column names, and the
guess that maps any other file's header onto the vault's fields.

A mapping sends a vault field to one of the file's columns, or to a list of
columns joined with spaces (New York splits the street into parts).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from core.errors import ApplicationError

Mapping_ = dict[str, str | list[str]]


@dataclass(frozen=True)
class VaultField:
    """A field an import can fill, with the header names that usually mean it."""

    name: str
    label: str
    aliases: tuple[str, ...] = ()


FIELDS: tuple[VaultField, ...] = (
    VaultField("state_voter_id", "State voter id", ("state_voter_id", "voter_id", "statefileid", "state_file_id")),
    VaultField("county_voter_id", "County voter id", ("county_voter_id", "county_id")),
    VaultField("first_name", "First name", ("first_name", "firstname", "first", "fname", "given_name")),
    VaultField("middle_name", "Middle name", ("middle_name", "middlename", "middle", "mname")),
    VaultField("last_name", "Last name", ("last_name", "lastname", "last", "lname", "surname", "family_name")),
    VaultField("name_suffix", "Name suffix", ("name_suffix", "suffix")),
    VaultField("birth_date", "Birth date", ("birth_date", "birthdate", "date_of_birth", "dob")),
    VaultField("birth_year", "Birth year", ("birth_year", "year_of_birth", "yob")),
    VaultField("gender", "Gender", ("gender", "sex")),
    VaultField("party", "Party", ("party", "party_code", "party_affiliation")),
    VaultField("registration_status", "Registration status", ("registration_status", "voter_status", "status")),
    VaultField("registration_date", "Registration date", ("registration_date", "reg_date", "registered")),
    VaultField("county", "County", ("county", "county_name")),
    VaultField("precinct", "Precinct", ("precinct", "precinct_name", "precinct_code")),
    VaultField("congressional_district", "Congressional district", ("congressional_district", "cd")),
    VaultField("state_senate_district", "State senate district", ("state_senate_district", "senate_district", "sd")),
    VaultField("state_house_district", "State house district", ("state_house_district", "house_district", "hd")),
    VaultField("municipality", "Municipality", ("municipality", "town")),
    VaultField("ward", "Ward or council district", ("ward", "council_district")),
    VaultField("street_address", "Street address", ("street_address", "address", "address1", "address_line_1")),
    VaultField("house_number", "House number", ("house_number", "street_number")),
    VaultField("house_number_suffix", "House number suffix", ("house_number_suffix",)),
    VaultField("street_name", "Street name", ("street_name", "street")),
    VaultField("unit", "Unit", ("unit", "apartment", "apt", "address2", "address_line_2")),
    VaultField("city", "City", ("city",)),
    VaultField("state", "State", ("state", "state_code")),
    VaultField("zip", "Zip", ("zip", "zip5", "zip_code", "zipcode", "postal_code")),
    VaultField("latitude", "Latitude", ("latitude", "lat")),
    VaultField("longitude", "Longitude", ("longitude", "lng", "lon")),
    VaultField("phone", "Phone", ("phone", "phone_number", "telephone")),
    VaultField("cell_phone", "Cell phone", ("cell_phone", "cell", "mobile", "mobile_phone")),
    VaultField("landline_phone", "Landline", ("landline_phone", "landline", "home_phone")),
    VaultField("email", "Email", ("email", "email_address", "e_mail")),
    VaultField("tags", "Tags", ("tags",)),
    VaultField("support_score", "Support score (1–5)", ("support_score", "support")),
)
FIELD_NAMES = tuple(vault_field.name for vault_field in FIELDS)
FIELD_LABELS = {vault_field.name: vault_field.label for vault_field in FIELDS}
REQUIRED_FIELDS = ("first_name", "last_name")


def header_key(name: str) -> str:
    """Return a header name reduced for comparison: "Last Name" and "LAST_NAME" are "last_name"."""
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lstrip("\ufeff").lower()).strip("_")


@dataclass(frozen=True)
class Preset:
    """A published layout: its columns (when the file has no header) and how they map."""

    name: str
    label: str
    mapping: Mapping_
    # Header-less layouts list their columns in order.
    columns: tuple[str, ...] = ()
    # The columns whose presence (by header_key) identifies the layout.
    signature: tuple[str, ...] = ()
    constants: dict[str, str] = field(default_factory=dict)
    looks_like: Callable[[Sequence[str]], bool] | None = None

    @property
    def headerless(self) -> bool:
        return bool(self.columns)


NCVOTER = Preset(
    name="ncvoter",
    label="North Carolina statewide voter file (ncvoter)",
    signature=("ncid", "voter_reg_num", "res_street_address"),
    mapping={
        "state_voter_id": "ncid",
        "county_voter_id": "voter_reg_num",
        "last_name": "last_name",
        "first_name": "first_name",
        "middle_name": "middle_name",
        "name_suffix": "name_suffix_lbl",
        "registration_status": "voter_status_desc",
        "registration_date": "registr_dt",
        "party": "party_cd",
        "gender": "gender_code",
        "birth_year": "birth_year",
        "street_address": "res_street_address",
        "city": "res_city_desc",
        "state": "state_cd",
        "zip": "zip_code",
        "phone": "full_phone_number",
        "county": "county_desc",
        "precinct": "precinct_abbrv",
        "municipality": "municipality_desc",
        "ward": "ward_abbrv",
        "congressional_district": "cong_dist_abbrv",
        "state_senate_district": "nc_senate_abbrv",
        "state_house_district": "nc_house_abbrv",
    },
)
# The published ncvoter layout, in order: the bench writes files in it.
NCVOTER_COLUMNS = [
    "county_id",
    "county_desc",
    "voter_reg_num",
    "ncid",
    "last_name",
    "first_name",
    "middle_name",
    "name_suffix_lbl",
    "status_cd",
    "voter_status_desc",
    "reason_cd",
    "voter_status_reason_desc",
    "res_street_address",
    "res_city_desc",
    "state_cd",
    "zip_code",
    "mail_addr1",
    "mail_addr2",
    "mail_addr3",
    "mail_addr4",
    "mail_city",
    "mail_state",
    "mail_zipcode",
    "full_phone_number",
    "confidential_ind",
    "registr_dt",
    "race_code",
    "ethnic_code",
    "party_cd",
    "gender_code",
    "birth_year",
    "age_at_year_end",
    "birth_state",
    "drivers_lic",
    "precinct_abbrv",
    "precinct_desc",
    "municipality_abbrv",
    "municipality_desc",
    "ward_abbrv",
    "ward_desc",
    "cong_dist_abbrv",
    "super_court_abbrv",
    "judic_dist_abbrv",
    "nc_senate_abbrv",
    "nc_house_abbrv",
    "county_commiss_abbrv",
    "county_commiss_desc",
    "township_abbrv",
    "township_desc",
    "school_dist_abbrv",
    "school_dist_desc",
    "fire_dist_abbrv",
    "fire_dist_desc",
    "water_dist_abbrv",
    "water_dist_desc",
    "sewer_dist_abbrv",
    "sewer_dist_desc",
    "sanit_dist_abbrv",
    "sanit_dist_desc",
    "rescue_dist_abbrv",
    "rescue_dist_desc",
    "munic_dist_abbrv",
    "munic_dist_desc",
    "dist_1_abbrv",
    "dist_1_desc",
    "vtd_abbrv",
    "vtd_desc",
]

FLORIDA_COLUMNS = [
    "County Code",
    "Voter ID",
    "Name Last",
    "Name Suffix",
    "Name First",
    "Name Middle",
    "Requested Public Records Exemption",
    "Residence Address Line 1",
    "Residence Address Line 2",
    "Residence City (USPS)",
    "Residence State",
    "Residence Zipcode",
    "Mailing Address Line 1",
    "Mailing Address Line 2",
    "Mailing Address Line 3",
    "Mailing City",
    "Mailing State",
    "Mailing Zipcode",
    "Mailing Country",
    "Gender",
    "Race",
    "Birth Date",
    "Registration Date",
    "Party Affiliation",
    "Precinct",
    "Precinct Group",
    "Precinct Split",
    "Precinct Suffix",
    "Voter Status",
    "Congressional District",
    "House District",
    "Senate District",
    "County Commission District",
    "School Board District",
    "Daytime Area Code",
    "Daytime Phone Number",
    "Daytime Phone Extension",
    "Email address",
]
FLORIDA = Preset(
    name="florida",
    label="Florida voter extract",
    columns=tuple(FLORIDA_COLUMNS),
    signature=("voter_id", "name_last", "residence_address_line_1"),
    looks_like=lambda row: bool(re.fullmatch(r"[A-Z]{3}", row[0].strip()) and row[1].strip().isdigit()),
    mapping={
        "county": "County Code",
        "state_voter_id": "Voter ID",
        "last_name": "Name Last",
        "name_suffix": "Name Suffix",
        "first_name": "Name First",
        "middle_name": "Name Middle",
        "street_address": "Residence Address Line 1",
        "unit": "Residence Address Line 2",
        "city": "Residence City (USPS)",
        "state": "Residence State",
        "zip": "Residence Zipcode",
        "gender": "Gender",
        "birth_date": "Birth Date",
        "registration_date": "Registration Date",
        "party": "Party Affiliation",
        "precinct": "Precinct",
        "registration_status": "Voter Status",
        "congressional_district": "Congressional District",
        "state_house_district": "House District",
        "state_senate_district": "Senate District",
        "phone": ["Daytime Area Code", "Daytime Phone Number"],
        "email": "Email address",
    },
)

OHIO = Preset(
    name="ohio",
    label="Ohio SOS voter file",
    signature=("sos_voterid", "residential_address1"),
    mapping={
        "state_voter_id": "SOS_VOTERID",
        "county_voter_id": "COUNTY_ID",
        "county": "COUNTY_NUMBER",
        "last_name": "LAST_NAME",
        "first_name": "FIRST_NAME",
        "middle_name": "MIDDLE_NAME",
        "name_suffix": "SUFFIX",
        "birth_date": "DATE_OF_BIRTH",
        "registration_date": "REGISTRATION_DATE",
        "registration_status": "VOTER_STATUS",
        "party": "PARTY_AFFILIATION",
        "street_address": "RESIDENTIAL_ADDRESS1",
        "unit": "RESIDENTIAL_SECONDARY_ADDR",
        "city": "RESIDENTIAL_CITY",
        "state": "RESIDENTIAL_STATE",
        "zip": "RESIDENTIAL_ZIP",
        "precinct": "PRECINCT_CODE",
        "congressional_district": "CONGRESSIONAL_DISTRICT",
        "state_senate_district": "STATE_SENATE_DISTRICT",
        "state_house_district": "STATE_REPRESENTATIVE_DISTRICT",
        "municipality": "CITY",
        "ward": "WARD",
    },
)

NEW_YORK_COLUMNS = [
    "LASTNAME",
    "FIRSTNAME",
    "MIDDLENAME",
    "NAMESUFFIX",
    "RADDNUMBER",
    "RHALFCODE",
    "RAPARTMENT",
    "RPREDIRECTION",
    "RSTREETNAME",
    "RPOSTDIRECTION",
    "RCITY",
    "RZIP5",
    "RZIP4",
    "MAILADD1",
    "MAILADD2",
    "MAILADD3",
    "MAILADD4",
    "DOB",
    "GENDER",
    "ENROLLMENT",
    "OTHERPARTY",
    "COUNTYCODE",
    "ED",
    "LD",
    "TOWNCITY",
    "WARD",
    "CD",
    "SD",
    "AD",
    "LASTVOTEDDATE",
    "PREVYEARVOTED",
    "PREVCOUNTY",
    "PREVADDRESS",
    "PREVNAME",
    "COUNTYVRNUMBER",
    "REGDATE",
    "VRSOURCE",
    "IDREQUIRED",
    "IDMET",
    "STATUS",
    "REASONCODE",
    "INACT_DATE",
    "PURGE_DATE",
    "SBOEID",
    "VoterHistory",
]
NEW_YORK = Preset(
    name="new_york",
    label="New York voter file",
    columns=tuple(NEW_YORK_COLUMNS),
    signature=("sboeid", "raddnumber", "rstreetname"),
    looks_like=lambda row: bool(re.fullmatch(r"NY\d+", row[43].strip())),
    constants={"state": "NY"},
    mapping={
        "last_name": "LASTNAME",
        "first_name": "FIRSTNAME",
        "middle_name": "MIDDLENAME",
        "name_suffix": "NAMESUFFIX",
        "house_number": "RADDNUMBER",
        "house_number_suffix": "RHALFCODE",
        "unit": "RAPARTMENT",
        "street_name": ["RPREDIRECTION", "RSTREETNAME", "RPOSTDIRECTION"],
        "city": "RCITY",
        "zip": "RZIP5",
        "birth_date": "DOB",
        "gender": "GENDER",
        "party": "ENROLLMENT",
        "county": "COUNTYCODE",
        "precinct": "ED",
        "municipality": "TOWNCITY",
        "ward": "WARD",
        "congressional_district": "CD",
        "state_senate_district": "SD",
        "state_house_district": "AD",
        "county_voter_id": "COUNTYVRNUMBER",
        "registration_date": "REGDATE",
        "registration_status": "STATUS",
        "state_voter_id": "SBOEID",
    },
)

NGP_VAN = Preset(
    name="ngp_van",
    label="NGP VAN export",
    signature=("vanid",),
    mapping={
        "state_voter_id": "StateFileID",
        "last_name": "LastName",
        "first_name": "FirstName",
        "middle_name": "MiddleName",
        "name_suffix": "Suffix",
        "street_address": "Address",
        "city": "City",
        "state": "State",
        "zip": "Zip5",
        "landline_phone": "Home Phone",
        "cell_phone": "Cell Phone",
        "phone": "Phone",
        "email": "PreferredEmail",
        "gender": "Sex",
        "birth_date": "DOB",
        "party": "Party",
        "precinct": "PrecinctName",
        "congressional_district": "CD",
        "state_senate_district": "SD",
        "state_house_district": "HD",
        "county": "CountyName",
    },
)

ACTION_NETWORK = Preset(
    name="action_network",
    label="Action Network export",
    signature=("can2_phone",),
    mapping={
        "first_name": "first_name",
        "last_name": "last_name",
        "email": "email",
        "zip": "zip_code",
        "cell_phone": "can2_phone",
        "street_address": "can2_user_address",
        "city": "can2_user_city",
        "state": "can2_state_abbreviated",
        "county": "can2_county",
    },
)

GENERIC = Preset(name="generic", label="Other layout (match the columns by name)", mapping={})

PRESETS: dict[str, Preset] = {
    preset.name: preset for preset in (NCVOTER, FLORIDA, OHIO, NEW_YORK, NGP_VAN, ACTION_NETWORK, GENERIC)
}
PRESET_CHOICES = [(preset.name, preset.label) for preset in PRESETS.values()]


def preset_get(name: str) -> Preset:
    """Return a preset by its name, or refuse an unknown one."""
    if name not in PRESETS:
        known = ", ".join(PRESETS)
        raise ApplicationError(f"There is no preset called {name!r}. Choose one of: {known}.")
    return PRESETS[name]


def preset_detect(first_row: Sequence[str]) -> tuple[Preset, bool]:
    """Return the layout a file's first row shows, and whether that row is a header."""
    keys = {header_key(cell) for cell in first_row}
    for preset in PRESETS.values():
        if preset.signature and set(preset.signature) <= keys:
            return preset, True
    if any(key.startswith("voter_file_vanid") or key == "vanid" for key in keys):
        return NGP_VAN, True
    for preset in PRESETS.values():
        fits = preset.headerless and len(first_row) == len(preset.columns)
        if fits and preset.looks_like is not None and preset.looks_like(first_row):
            return preset, False
    return GENERIC, True


def mapping_guess(header: Sequence[str], preset: Preset) -> Mapping_:
    """Map the vault's fields onto the header: the preset's columns first, then the usual names."""
    by_key = {header_key(column): column for column in header}
    mapping: Mapping_ = {}
    for name, source in preset.mapping.items():
        columns = source if isinstance(source, list) else [source]
        found = [by_key[header_key(column)] for column in columns if header_key(column) in by_key]
        if found:
            mapping[name] = found if isinstance(source, list) else found[0]
    taken = {column for value in mapping.values() for column in (value if isinstance(value, list) else [value])}
    for vault_field in FIELDS:
        if vault_field.name in mapping:
            continue
        for alias in (vault_field.name, *vault_field.aliases):
            column = by_key.get(header_key(alias))
            if column is not None and column not in taken:
                mapping[vault_field.name] = column
                taken.add(column)
                break
    return mapping


def mapping_check(mapping: Mapping[str, object], header: Sequence[str]) -> Mapping_:
    """Return a clean mapping, or refuse unknown fields, unknown columns and missing required fields."""
    columns = set(header)
    clean: Mapping_ = {}
    for name, source in mapping.items():
        if name not in FIELD_NAMES:
            raise ApplicationError(f"{name!r} is not a field the vault can import.")
        if source in ("", None, []):
            continue
        sources = source if isinstance(source, list) else [source]
        for column in sources:
            if not isinstance(column, str) or column not in columns:
                raise ApplicationError(f"The file has no column {column!r} for {FIELD_LABELS[name].lower()}.")
        clean[name] = [str(column) for column in sources] if isinstance(source, list) else str(source)
    missing = [FIELD_LABELS[name].lower() for name in REQUIRED_FIELDS if name not in clean]
    if missing:
        raise ApplicationError(
            f"The file has no column for {' and '.join(missing)}; choose which column holds it, "
            "or check that the file has a header row."
        )
    return clean
