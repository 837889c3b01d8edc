"""Small synthetic files in each layout the vault reads, written by the import tests."""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from data_vault.importers.presets import FLORIDA_COLUMNS, NCVOTER_COLUMNS, NEW_YORK_COLUMNS


def delimited(rows: Sequence[Sequence[object]], *, delimiter: str = ",") -> str:
    """Return rows as delimited text."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def ncvoter_row(**values: object) -> list[str]:
    """Return one ncvoter row; unnamed columns are blank."""
    defaults: dict[str, object] = {
        "county_desc": "DURHAM",
        "state_cd": "NC",
        "res_city_desc": "DURHAM",
        "zip_code": "27701",
        "party_cd": "DEM",
        "gender_code": "F",
        "birth_year": "1980",
        "voter_status_desc": "ACTIVE",
        "precinct_abbrv": "05",
        "registr_dt": "03/15/2004",
    }
    merged = {**defaults, **values}
    return [str(merged.get(column, "")) for column in NCVOTER_COLUMNS]


NCVOTER_PEOPLE = [
    {"ncid": "AA1", "voter_reg_num": "1", "first_name": "ANA", "last_name": "GARCIA",
     "res_street_address": "12 MAIN STREET APT 4", "full_phone_number": "919-555-0101"},
    {"ncid": "AA2", "voter_reg_num": "2", "first_name": "LUIS", "last_name": "GARCIA",
     "res_street_address": "12 Main St Apt 4", "gender_code": "M"},
    {"ncid": "AA3", "voter_reg_num": "3", "first_name": "JO", "last_name": "O'NEIL",
     "res_street_address": "7 ELM AVENUE", "zip_code": "27701.0", "birth_year": "1955"},
]  # fmt: skip


def ncvoter_text(people: Sequence[Mapping[str, object]] = NCVOTER_PEOPLE) -> str:
    """Return an ncvoter file: tab-separated with its header."""
    return delimited([NCVOTER_COLUMNS, *(ncvoter_row(**person) for person in people)], delimiter="\t")


def write(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    """Write text to a file in the given encoding."""
    path.write_bytes(text.encode(encoding))
    return path


def gzipped(path: Path, payload: bytes) -> Path:
    """Write bytes gzip-compressed."""
    path.write_bytes(gzip.compress(payload))
    return path


def zipped(path: Path, members: dict[str, bytes]) -> Path:
    """Write a zip holding the given members."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, payload in members.items():
            archive.writestr(name, payload)
    return path


def xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    """Write an XLSX workbook with one sheet of rows."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def florida_row(**values: object) -> list[str]:
    """Return one Florida extract row (the layout has no header)."""
    return [str(values.get(column, "")) for column in FLORIDA_COLUMNS]


def new_york_row(**values: object) -> list[str]:
    """Return one New York voter file row (the layout has no header)."""
    return [str(values.get(column, "")) for column in NEW_YORK_COLUMNS]
