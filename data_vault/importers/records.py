"""
Turn one row of a file into one normalized record, or into the reasons it is rejected.

A record is a tuple in STAGE_COLUMNS order: the shape of the PostgreSQL staging
table and of the portable path's rows alike, so both paths merge the same values.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from data_vault.importers import normalize
from data_vault.importers.normalize import CellError
from data_vault.importers.presets import FIELD_LABELS, Mapping_

# (column, SQL type) of every staged record, in order.
STAGE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("row_number", "bigint"),
    ("state_voter_id", "text"),
    ("county_voter_id", "text"),
    ("first_name", "text"),
    ("middle_name", "text"),
    ("last_name", "text"),
    ("name_suffix", "text"),
    ("name_key", "text"),
    ("birth_date", "date"),
    ("birth_year", "integer"),
    ("gender", "text"),
    ("party", "text"),
    ("registration_status", "text"),
    ("registration_date", "date"),
    ("county", "text"),
    ("precinct", "text"),
    ("congressional_district", "text"),
    ("state_senate_district", "text"),
    ("state_house_district", "text"),
    ("municipality", "text"),
    ("ward", "text"),
    ("support_score", "integer"),
    ("house_number", "integer"),
    ("house_number_suffix", "text"),
    ("street_name", "text"),
    ("unit", "text"),
    ("city", "text"),
    ("state", "text"),
    ("zip5", "text"),
    ("street_side", "text"),
    ("address_key", "text"),
    ("latitude", "double precision"),
    ("longitude", "double precision"),
    ("phone", "text"),
    ("cell_phone", "text"),
    ("landline_phone", "text"),
    ("email", "text"),
    ("tags", "text"),
    ("search_text", "text"),
    ("import_digest", "text"),
)
STAGE_NAMES = tuple(name for name, _ in STAGE_COLUMNS)
INDEX = {name: position for position, name in enumerate(STAGE_NAMES)}
# The person's own fields an import fills; a blank cell never clears a value already there.
PERSON_FIELDS = (
    "state_voter_id",
    "county_voter_id",
    "first_name",
    "middle_name",
    "last_name",
    "name_suffix",
    "birth_date",
    "birth_year",
    "gender",
    "party",
    "registration_status",
    "registration_date",
    "county",
    "precinct",
    "congressional_district",
    "state_senate_district",
    "state_house_district",
    "municipality",
    "ward",
    "support_score",
)
# What an import can fill on a new person; Person.origin_fields holds bit i for ORIGIN_FIELDS[i].
ORIGIN_FIELDS = (*PERSON_FIELDS, "household", "phones", "emails", "tags")


def origin_mask(fields: list[str]) -> int:
    """Return the bits of Person.origin_fields for these field names."""
    return sum(1 << ORIGIN_FIELDS.index(name) for name in fields)


def origin_names(mask: int) -> list[str]:
    """Return the field names the bits of Person.origin_fields stand for."""
    return [name for bit, name in enumerate(ORIGIN_FIELDS) if mask & (1 << bit)]


HOUSEHOLD_FIELDS = (
    "address_key",
    "house_number",
    "house_number_suffix",
    "street_name",
    "unit",
    "city",
    "state",
    "zip5",
    "street_side",
    "precinct",
    "latitude",
    "longitude",
)
TAG_SEPARATOR = "|"
MAX_LENGTHS = {
    "state_voter_id": 40,
    "county_voter_id": 40,
    "first_name": 80,
    "middle_name": 80,
    "last_name": 80,
    "name_suffix": 20,
    "county": 60,
    "precinct": 40,
    "congressional_district": 20,
    "state_senate_district": 20,
    "state_house_district": 20,
    "municipality": 60,
    "ward": 40,
    "house_number_suffix": 10,
    "street_name": 120,
    "unit": 30,
    "city": 80,
}


@dataclass(frozen=True)
class Rejection:
    """Why one row (or one cell of it) stays out of the vault."""

    row_number: int
    column: str
    value: str
    reason: str


def _text(limit: int) -> Callable[[str], str]:
    def read(value: str) -> str:
        text = normalize.upper_norm(value)
        if len(text) > limit:
            raise CellError(f"Longer than {limit} characters")
        return text

    return read


def _name(limit: int) -> Callable[[str], str]:
    def read(value: str) -> str:
        text = normalize.name_norm(value)
        if len(text) > limit:
            raise CellError(f"Longer than {limit} characters")
        return text

    return read


def _state(value: str) -> str:
    text = normalize.upper_norm(value)
    if text and (len(text) != 2 or not text.isalpha()):
        raise CellError("Not a two-letter state")
    return text


def _house_number(value: str) -> int | None:
    text = normalize.clean(value)
    if not text:
        return None
    if not text.isdigit() or len(text) > 9:
        raise CellError("Not a house number")
    return int(text)


CELL_READERS: dict[str, Callable[[str], Any]] = {
    "state_voter_id": _text(40),
    "county_voter_id": _text(40),
    "first_name": _name(80),
    "middle_name": _name(80),
    "last_name": _name(80),
    "name_suffix": _text(20),
    "birth_date": normalize.date_norm,
    "birth_year": normalize.year_norm,
    "gender": normalize.gender_norm,
    "party": normalize.party_norm,
    "registration_status": normalize.registration_status_norm,
    "registration_date": normalize.date_norm,
    "county": _text(60),
    "precinct": _text(40),
    "congressional_district": _text(20),
    "state_senate_district": _text(20),
    "state_house_district": _text(20),
    "municipality": _text(60),
    "ward": _text(40),
    "street_address": normalize.street_address_parse,
    "house_number": _house_number,
    "house_number_suffix": _text(10),
    "street_name": normalize.street_norm,
    "unit": normalize.unit_norm,
    "city": _text(80),
    "state": _state,
    "zip": normalize.zip5_norm,
    "latitude": lambda value: normalize.coordinate_norm(value, limit=90),
    "longitude": lambda value: normalize.coordinate_norm(value, limit=180),
    "phone": normalize.phone_norm,
    "cell_phone": normalize.phone_norm,
    "landline_phone": normalize.phone_norm,
    "email": normalize.email_norm,
    "tags": normalize.tags_norm,
    "support_score": normalize.support_score_norm,
}


# A cell of printable ASCII without lower case or doubled spaces, at most 40 long, is already what
# upper_norm makes it: the column path passes such ids without reading them (columns.py).
ID_FORM = "[!-`{-~]+(?: [!-`{-~]+)*"
ID_LIMIT = 40
# Changes to how cells are read change every row's digest: a row read by older code is read again.
READING_CODE = hashlib.md5(  # noqa: S324 - a fingerprint, not a secret
    Path(__file__).read_bytes() + Path(normalize.__file__).read_bytes()
).hexdigest()
DIGEST_SEPARATOR = "\x1f"


# How many distinct cells of one column a reader remembers; readers return immutable values.
READINGS_KEPT = 50_000
_UNREAD = object()


class AddressTooLongError(CellError):
    """A part of an address longer than the household keeps."""

    def __init__(self, value: str) -> None:
        super().__init__("Address too long")
        self.value = value


def address_parts(values: Mapping[str, Any]) -> tuple[int | None, str, str, str, str, str, str]:
    """
    Return a household's number, suffix, street, unit, city, zip and address key from cells already read.

    The cells are a parsed ``street_address`` or its parts (``house_number``,
    ``house_number_suffix``, ``street_name``), with ``unit``, ``city`` and
    ``zip``. Without a street there is no address key. Raise AddressTooLongError
    when a part does not fit.
    """
    parsed = values.get("street_address")
    if parsed is not None:
        house_number, suffix, street, unit = (
            parsed.house_number,
            parsed.house_number_suffix,
            parsed.street_name,
            parsed.unit,
        )
    else:
        house_number, suffix, street, unit = (
            values.get("house_number"),
            values.get("house_number_suffix", ""),
            values.get("street_name", ""),
            "",
        )
    unit = values.get("unit") or unit
    city, zip5 = values.get("city", ""), values.get("zip", "")
    for name, value in (("street_name", street), ("unit", unit), ("house_number_suffix", suffix)):
        if len(value) > MAX_LENGTHS[name]:
            raise AddressTooLongError(value)
    key = ""
    if street:
        key = normalize.address_key(
            house_number=house_number, house_number_suffix=suffix, street_name=street, unit=unit, city=city, zip5=zip5
        )
    return house_number, suffix, street, unit, city, zip5, key


class RowReader:
    """Read the rows of one file with one mapping."""

    def __init__(self, *, header: Sequence[str], mapping: Mapping_, constants: Mapping[str, str] | None = None):
        position = {column: index for index, column in enumerate(header)}
        # (field, column label, its column's position or None for several, the positions,
        #  the field's value for an empty cell, its reader, its readings so far)
        self.plan: list[tuple[str, str, int | None, list[int], Any, Callable[[str], Any], dict[str, Any]]] = []
        for name, source in mapping.items():
            columns = source if isinstance(source, list) else [source]
            indexes = [position[column] for column in columns]
            single = indexes[0] if len(indexes) == 1 else None
            reader = CELL_READERS[name]
            self.plan.append((name, " + ".join(columns), single, indexes, reader(""), reader, {}))
        self.constants = {name: value for name, value in (constants or {}).items() if name not in mapping}
        # A row's digest: its mapped cells, with this mapping and this reading code (Person.import_digest).
        settings = json.dumps([READING_CODE, mapping, self.constants], sort_keys=True)
        self.signature = hashlib.md5(settings.encode("utf-8")).hexdigest()  # noqa: S324 - a fingerprint
        self.digest_positions = [index for _, _, _, indexes, *_ in self.plan for index in indexes]
        voter_id = mapping.get("state_voter_id")
        voter_id_columns = [] if voter_id is None else voter_id if isinstance(voter_id, list) else [voter_id]
        self.voter_id_positions = [position[column] for column in voter_id_columns]

    def digest(self, cells: Sequence[str]) -> str:
        """Return the digest of a row's mapped cells, as the column path's SQL computes it."""
        text = DIGEST_SEPARATOR.join([self.signature, *(cells[index] for index in self.digest_positions)])
        return hashlib.md5(text.encode("utf-8")).hexdigest()  # noqa: S324 - a fingerprint, not a secret

    def voter_id_cell(self, cells: Sequence[str]) -> str:
        """Return the row's voter id cell as it stands, unread ("" when no column is mapped to it)."""
        return " ".join(cells[index] for index in self.voter_id_positions)

    def read(self, row_number: int, cells: Sequence[str]) -> tuple[tuple[Any, ...] | None, list[Rejection]]:
        """Return the row's record, or None and the reasons it is rejected."""
        values: dict[str, Any] = dict(self.constants)
        rejections: list[Rejection] = []
        for name, label, single, indexes, empty, reader, readings in self.plan:
            raw = cells[single] if single is not None else " ".join(cells[i] for i in indexes)
            # Voter files repeat most cells (blanks, cities, dates, streets, codes): read each distinct one once.
            value = readings.get(raw, _UNREAD)
            if value is _UNREAD:
                try:
                    value = empty if not raw or raw.isspace() else reader(raw)
                except CellError as error:
                    rejections.append(Rejection(row_number, label, normalize.clean(raw)[:200], str(error)))
                    continue
                if len(readings) < READINGS_KEPT:
                    readings[raw] = value
            values[name] = value
        if rejections:
            return None, rejections
        return self._record(row_number, values, cells)

    def _record(
        self, row_number: int, values: dict[str, Any], cells: Sequence[str]
    ) -> tuple[tuple[Any, ...] | None, list[Rejection]]:
        first, last = values.get("first_name", ""), values.get("last_name", "")
        if not first and not last:
            return None, [Rejection(row_number, "", "", "No first or last name")]
        birth_date: date | None = values.get("birth_date")
        birth_year = values.get("birth_year") or (birth_date.year if birth_date else None)
        try:
            house_number, suffix, street, unit, city, zip5, key = address_parts(values)
        except AddressTooLongError as error:
            return None, [Rejection(row_number, FIELD_LABELS["street_address"], error.value[:200], str(error))]
        tags = values.get("tags") or []
        address = ""
        if street:
            address = normalize.address_words(
                house_number=house_number,
                house_number_suffix=suffix,
                street_name=street,
                unit=unit,
                city=city,
                zip5=zip5,
            )
        voter_id, middle = values.get("state_voter_id", ""), values.get("middle_name", "")
        name_suffix = values.get("name_suffix", "")
        record = (
            row_number,
            voter_id,
            values.get("county_voter_id", ""),
            first,
            middle,
            last,
            name_suffix,
            normalize.name_key(last_name=last, first_name=first),
            birth_date,
            birth_year,
            values.get("gender", ""),
            values.get("party", ""),
            values.get("registration_status", ""),
            values.get("registration_date"),
            values.get("county", ""),
            values.get("precinct", ""),
            values.get("congressional_district", ""),
            values.get("state_senate_district", ""),
            values.get("state_house_district", ""),
            values.get("municipality", ""),
            values.get("ward", ""),
            values.get("support_score"),
            house_number if street else None,
            suffix if street else "",
            street,
            unit if street else "",
            city,
            values.get("state", ""),
            zip5,
            normalize.street_side(house_number) if street else "",
            key,
            values.get("latitude"),
            values.get("longitude"),
            values.get("phone", ""),
            values.get("cell_phone", ""),
            values.get("landline_phone", ""),
            values.get("email", ""),
            TAG_SEPARATOR.join(tags),
            # What the search reads for a new person; a matched person's is recomputed from the merged fields.
            normalize.search_text(
                first_name=first,
                middle_name=middle,
                last_name=last,
                name_suffix=name_suffix,
                address=address,
                state_voter_id=voter_id,
            ),
            self.digest(cells),
        )
        return record, []
