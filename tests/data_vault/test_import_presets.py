"""Every preset maps its layout's published columns, from small files the tests write."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from chapters.models import Chapter
from data_vault.importers.jobs import import_people
from data_vault.importers.presets import PRESETS, header_key, mapping_guess
from data_vault.models import ImportJob, Person
from tests.data_vault import import_files as files

pytestmark = pytest.mark.django_db


def _only_person(chapter: Chapter, job: ImportJob) -> Person:
    assert job.status == ImportJob.Status.DONE, job.error
    return Person.objects.select_related("household").get(chapter=chapter)


def test_ncvoter_preset(chapter: Chapter, tmp_path: Path) -> None:
    text = files.ncvoter_text(files.NCVOTER_PEOPLE[:1])
    job = import_people(chapter=chapter, path=str(files.write(tmp_path / "ncvoter32.txt", text)), preset="ncvoter")
    person = _only_person(chapter, job)
    assert (person.state_voter_id, person.county_voter_id, person.precinct, person.county) == (
        "AA1",
        "1",
        "05",
        "DURHAM",
    )


def test_florida_extract_without_header_is_detected(chapter: Chapter, tmp_path: Path) -> None:
    row = files.florida_row(**{
        "County Code": "ALA", "Voter ID": "123456789", "Name Last": "SMITH", "Name First": "MARIA",
        "Residence Address Line 1": "400 NW 5TH AVENUE", "Residence Address Line 2": "APT 2",
        "Residence City (USPS)": "GAINESVILLE", "Residence State": "FL", "Residence Zipcode": "326015555",
        "Gender": "F", "Birth Date": "07/04/1988", "Party Affiliation": "NPA", "Voter Status": "ACT",
        "Daytime Area Code": "352", "Daytime Phone Number": "5550199", "Precinct": "12",
    })  # fmt: skip
    job = import_people(
        chapter=chapter, path=str(files.write(tmp_path / "ALA_20260101.txt", files.delimited([row], delimiter="\t")))
    )
    assert job.preset == "florida"
    person = _only_person(chapter, job)
    assert (person.state_voter_id, person.first_name, person.party, person.registration_status) == (
        "123456789",
        "Maria",
        "NPA",
        "active",
    )
    assert person.birth_date == date(1988, 7, 4)
    assert person.household is not None
    assert (person.household.street_name, person.household.unit, person.household.zip5) == ("NW 5TH AVE", "2", "32601")
    assert list(person.phones.values_list("number", flat=True)) == ["3525550199"]


def test_ohio_preset(chapter: Chapter, tmp_path: Path) -> None:
    header = [
        "SOS_VOTERID",
        "COUNTY_NUMBER",
        "COUNTY_ID",
        "LAST_NAME",
        "FIRST_NAME",
        "MIDDLE_NAME",
        "SUFFIX",
        "DATE_OF_BIRTH",
        "REGISTRATION_DATE",
        "VOTER_STATUS",
        "PARTY_AFFILIATION",
        "RESIDENTIAL_ADDRESS1",
        "RESIDENTIAL_SECONDARY_ADDR",
        "RESIDENTIAL_CITY",
        "RESIDENTIAL_STATE",
        "RESIDENTIAL_ZIP",
        "PRECINCT_CODE",
        "CONGRESSIONAL_DISTRICT",
        "STATE_SENATE_DISTRICT",
        "STATE_REPRESENTATIVE_DISTRICT",
        "WARD",
    ]
    row = ["OH0012345678", "18", "555", "JONES", "TERRY", "", "JR", "1975-02-28", "1999-10-01", "ACTIVE", "D",
           "1200 EUCLID AVE", "UNIT 5", "CLEVELAND", "OH", "44115", "18-A-ABC", "11", "21", "13", "3"]  # fmt: skip
    job = import_people(
        chapter=chapter, path=str(files.write(tmp_path / "SWVF_1_22.txt", files.delimited([header, row])))
    )
    assert job.preset == "ohio"
    person = _only_person(chapter, job)
    assert (person.state_voter_id, person.party, person.name_suffix, person.state_house_district) == (
        "OH0012345678",
        "DEM",
        "JR",
        "13",
    )
    assert person.household is not None
    assert person.household.unit == "5"


def test_new_york_file_without_header_is_detected(chapter: Chapter, tmp_path: Path) -> None:
    row = files.new_york_row(
        LASTNAME="LEE", FIRSTNAME="KIM", RADDNUMBER="55", RHALFCODE="1/2", RAPARTMENT="3F", RPREDIRECTION="W",
        RSTREETNAME="110TH STREET", RCITY="NEW YORK", RZIP5="10025", DOB="19910315", GENDER="F", ENROLLMENT="DEM",
        ED="071", AD="69", SD="30", CD="13", STATUS="A", SBOEID="NY000000000012345678", REGDATE="20100101",
    )  # fmt: skip
    job = import_people(chapter=chapter, path=str(files.write(tmp_path / "AllNYSVoters.txt", files.delimited([row]))))
    assert job.preset == "new_york"
    person = _only_person(chapter, job)
    assert (person.state_voter_id, person.birth_year, person.precinct, person.state_house_district) == (
        "NY000000000012345678",
        1991,
        "071",
        "69",
    )
    household = person.household
    assert household is not None
    assert (
        household.house_number,
        household.house_number_suffix,
        household.street_name,
        household.unit,
        household.state,
    ) == (55, "1/2", "W 110TH ST", "3F", "NY")


def test_ngp_van_preset(chapter: Chapter, tmp_path: Path) -> None:
    header = [
        "VANID",
        "LastName",
        "FirstName",
        "Address",
        "City",
        "State",
        "Zip5",
        "Cell Phone",
        "PreferredEmail",
        "Party",
        "PrecinctName",
    ]
    row = [
        "100200",
        "Nguyen",
        "Bao",
        "9 Pine Rd",
        "Austin",
        "TX",
        "78701",
        "512-555-0100",
        "bao@example.org",
        "D",
        "0101",
    ]
    job = import_people(chapter=chapter, path=str(files.write(tmp_path / "van.csv", files.delimited([header, row]))))
    assert job.preset == "ngp_van"
    person = _only_person(chapter, job)
    assert (person.party, person.precinct) == ("DEM", "0101")
    assert list(person.phones.values_list("number", "kind")) == [("5125550100", "cell")]
    assert list(person.emails.values_list("address", flat=True)) == ["bao@example.org"]


def test_action_network_preset(chapter: Chapter, tmp_path: Path) -> None:
    header = [
        "uuid",
        "first_name",
        "last_name",
        "email",
        "zip_code",
        "can2_phone",
        "can2_user_address",
        "can2_user_city",
    ]
    row = ["abc", "Dee", "Holt", "DEE@EXAMPLE.ORG", "27701", "+1 919 555 0111", "3 Elm St", "Durham"]
    job = import_people(chapter=chapter, path=str(files.write(tmp_path / "an.csv", files.delimited([header, row]))))
    assert job.preset == "action_network"
    person = _only_person(chapter, job)
    assert list(person.emails.values_list("address", flat=True)) == ["dee@example.org"]
    assert list(person.phones.values_list("number", "kind")) == [("9195550111", "cell")]


def test_generic_preset_guesses_common_names(chapter: Chapter, tmp_path: Path) -> None:
    header = [
        "Given Name",
        "Surname",
        "E-mail",
        "Mobile",
        "Street Address",
        "Apartment",
        "ZIP Code",
        "DOB",
        "Tags",
        "Support",
    ]
    row = [
        "Sam",
        "Cole",
        "sam@example.org",
        "9195550122",
        "8 Ash Ct",
        "Apt. 2B",
        "27701",
        "1/2/1970",
        "dsa; tenant",
        "2",
    ]
    job = import_people(chapter=chapter, path=str(files.write(tmp_path / "list.csv", files.delimited([header, row]))))
    assert job.preset == "generic"
    assert job.mapping["first_name"] == "Given Name"
    person = _only_person(chapter, job)
    assert person.support_score == 2
    assert person.birth_date == date(1970, 1, 2)
    assert person.household is not None
    assert person.household.unit == "2B"
    assert sorted(person.tags.values_list("name", flat=True)) == ["dsa", "tenant"]


@pytest.mark.parametrize("name", [name for name in PRESETS if name != "generic"])
def test_every_preset_maps_the_required_fields_from_its_own_columns(name: str) -> None:
    """Each preset's columns alone give first and last names."""
    preset = PRESETS[name]
    header = list(preset.columns) or [
        column for source in preset.mapping.values() for column in (source if isinstance(source, list) else [source])
    ]
    mapping = mapping_guess(header, preset)
    assert {"first_name", "last_name"} <= set(mapping)
    assert all(header_key(str(column)) for column in mapping.values())
