"""Every file shape the vault reads, and every bad file refused with a clear message that changes nothing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from django.test import override_settings

from chapters.models import Chapter
from core.errors import ApplicationError
from data_vault.importers.jobs import import_people
from data_vault.importers.readers import SNIFF_BYTES
from data_vault.models import ImportJob, ImportRejection, Person
from tests.data_vault import import_files as files

pytestmark = pytest.mark.django_db
HEADER = ["First Name", "Last Name", "Voter ID", "Address", "City", "Zip", "Phone"]
ROWS = [
    ["José", "Peña", "V1", "1 Main St", "Durham", "27701", "(919) 555-0101"],
    ["Zoë", "Brontë", "V2", "2 Main St", "Durham", "27701", ""],
]


def _text(delimiter: str = ",") -> str:
    return files.delimited([HEADER, *ROWS], delimiter=delimiter)


def _assert_imported(chapter: Chapter, job: ImportJob) -> None:
    assert job.status == ImportJob.Status.DONE, job.error
    assert job.created_count == 2
    names = sorted(Person.objects.filter(chapter=chapter).values_list("first_name", "last_name"))
    assert names == [("José", "Peña"), ("Zoë", "Brontë")]


@pytest.mark.parametrize(
    ("name", "delimiter"), [("people.csv", ","), ("people.tsv", "\t"), ("people.txt", "|")], ids=["csv", "tab", "pipe"]
)
def test_delimited_text_in_each_separator(chapter: Chapter, tmp_path: Path, name: str, delimiter: str) -> None:
    """Comma, tab and pipe separated files import the same people."""
    job = import_people(chapter=chapter, path=str(files.write(tmp_path / name, _text(delimiter))))
    assert job.delimiter == delimiter
    _assert_imported(chapter, job)


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("latin-1", "latin-1")],
)
def test_encodings_are_detected(chapter: Chapter, tmp_path: Path, encoding: str, detected: str) -> None:
    """UTF-8, UTF-8 with BOM, UTF-16 and Latin-1 all give back the accented names."""
    job = import_people(chapter=chapter, path=str(files.write(tmp_path / "p.csv", _text(), encoding=encoding)))
    assert job.encoding == detected
    assert job.header[0] == "First Name"
    _assert_imported(chapter, job)


def test_utf16_without_bom_is_detected(chapter: Chapter, tmp_path: Path) -> None:
    """A UTF-16 file some tools write without a byte-order mark still reads."""
    path = tmp_path / "p.csv"
    path.write_bytes(_text().encode("utf-16-le"))
    _assert_imported(chapter, import_people(chapter=chapter, path=str(path)))


def test_xlsx_with_numeric_zips_and_dates(chapter: Chapter, tmp_path: Path) -> None:
    """A spreadsheet's numbers and dates become the same values as text would."""
    from datetime import datetime

    rows: list[list[object]] = [
        ["first_name", "last_name", "address", "zip", "dob"],
        ["Ana", "Ruiz", "5 Oak Ave", 27701.0, datetime(1990, 5, 2)],
    ]
    job = import_people(chapter=chapter, path=str(files.xlsx(tmp_path / "people.xlsx", rows)))
    assert job.file_format == "xlsx"
    person = Person.objects.get(chapter=chapter)
    assert person.birth_year == 1990
    assert person.household is not None
    assert person.household.zip5 == "27701"


def test_csv_inside_zip_and_gz(chapter: Chapter, other_chapter: Chapter, tmp_path: Path) -> None:
    """A table packed in a .zip or a .gz is unpacked and read."""
    payload = _text().encode("utf-16")
    _assert_imported(
        chapter, import_people(chapter=chapter, path=str(files.zipped(tmp_path / "p.zip", {"p.csv": payload})))
    )
    _assert_imported(
        other_chapter, import_people(chapter=other_chapter, path=str(files.gzipped(tmp_path / "p.csv.gz", payload)))
    )


def test_xlsx_inside_zip(chapter: Chapter, tmp_path: Path) -> None:
    """A workbook inside a .zip is read as a workbook."""
    book = files.xlsx(tmp_path / "people.xlsx", [HEADER, *ROWS])
    job = import_people(chapter=chapter, path=str(files.zipped(tmp_path / "p.zip", {"people.xlsx": book.read_bytes()})))
    _assert_imported(chapter, job)


def test_xlsx_inside_gz(chapter: Chapter, tmp_path: Path) -> None:
    """A workbook compressed with gzip is read as a workbook."""
    book = files.xlsx(tmp_path / "people.xlsx", [HEADER, *ROWS])
    job = import_people(chapter=chapter, path=str(files.gzipped(tmp_path / "people.xlsx.gz", book.read_bytes())))
    assert job.file_format == "xlsx"
    _assert_imported(chapter, job)


def test_zip_of_a_zip_inside_gz_is_refused(chapter: Chapter, tmp_path: Path) -> None:
    """A .gz holding a zip that is not a workbook says what to upload instead."""
    inner = files.zipped(tmp_path / "inner.zip", {"p.csv": _text().encode()})
    _refused(chapter, files.gzipped(tmp_path / "p.zip.gz", inner.read_bytes()), "A .zip inside a .gz is not supported")


@override_settings(DATA_VAULT_IMPORT_MAX_UNPACKED_BYTES=4096)
def test_zip_bomb_is_refused_before_anything_is_read(chapter: Chapter, tmp_path: Path) -> None:
    """A small .zip that unpacks past the unpacked limit is refused at upload by the sizes it states."""
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("p.csv", _text() + "x" * 100_000)
    assert bomb.stat().st_size < 4096
    _refused(chapter, bomb, "Unpacked, this file is larger than 0.0 MB")


@override_settings(DATA_VAULT_IMPORT_MAX_UNPACKED_BYTES=4096)
def test_gz_bomb_is_refused_at_upload(chapter: Chapter, tmp_path: Path) -> None:
    """A .gz states no true size: reading past the unpacked limit refuses it."""
    payload = (_text() * 2000).encode()
    _refused(chapter, files.gzipped(tmp_path / "p.csv.gz", payload), "Unpacked, this file is larger than")


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "portable"])
def test_gz_past_the_unpacked_limit_deep_in_the_file_fails_and_changes_nothing(
    chapter: Chapter, tmp_path: Path, fast: bool
) -> None:
    """A .gz whose first megabyte reads well but whose whole passes the limit imports no one."""
    people = [[f"F{n}", f"L{n}", f"V{n}", f"{n} Main St", "Durham", "27701", ""] for n in range(60_000)]
    payload = files.delimited([HEADER, *people]).encode()
    assert len(payload) > 2 * SNIFF_BYTES
    with override_settings(DATA_VAULT_IMPORT_MAX_UNPACKED_BYTES=2 * SNIFF_BYTES, DATA_VAULT_IMPORT_FAST_PATH=fast):
        job = import_people(chapter=chapter, path=str(files.gzipped(tmp_path / "p.csv.gz", payload)))
    assert job.status == ImportJob.Status.FAILED
    assert "Unpacked, this file is larger than 2.0 MB" in job.error
    assert not Person.objects.exists()
    assert not ImportRejection.objects.exists()


def _refused(chapter: Chapter, path: Path, message: str, preset: str = "") -> None:
    with pytest.raises(ApplicationError) as refusal:
        import_people(chapter=chapter, path=str(path), preset=preset)
    assert message in refusal.value.message
    assert not ImportJob.objects.exists()
    assert not Person.objects.exists()


def test_empty_file_is_refused(chapter: Chapter, tmp_path: Path) -> None:
    _refused(chapter, files.write(tmp_path / "empty.csv", ""), "The file is empty.")
    _refused(chapter, files.write(tmp_path / "blank.csv", "\n\n  \n"), "The file is empty.")
    _refused(chapter, files.write(tmp_path / "bom.csv", "", encoding="utf-8-sig"), "The file is empty.")


def test_binary_files_are_refused(chapter: Chapter, tmp_path: Path) -> None:
    """A PDF, an image or random bytes are not tables."""
    pdf = tmp_path / "list.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    _refused(chapter, pdf, "This looks like a PDF, not a table.")
    noise = tmp_path / "noise.csv"
    noise.write_bytes(bytes(range(256)) * 50)
    _refused(chapter, noise, "binary file, not a table")


def test_wrong_formats_are_refused(chapter: Chapter, tmp_path: Path) -> None:
    """A document with no columns, or a zip of something else, says why it cannot be read."""
    _refused(
        chapter, files.write(tmp_path / "letter.txt", "Dear organizer\nhere are names\n"), "no commas, tabs or pipes"
    )
    two = files.zipped(tmp_path / "two.zip", {"a.csv": b"a,b\n1,2\n", "b.csv": b"a,b\n1,2\n"})
    _refused(chapter, two, "holds 2 files")
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    _refused(chapter, broken, "damaged")


def test_missing_required_column_is_refused(chapter: Chapter, tmp_path: Path) -> None:
    """A file without a last name column names what is missing."""
    text = files.delimited([["First Name", "Email"], ["Ana", "ana@example.org"]])
    _refused(chapter, files.write(tmp_path / "p.csv", text), "no column for last name")


def test_ragged_rows_are_refused(chapter: Chapter, tmp_path: Path) -> None:
    """A row with fewer cells than the header names its row number."""
    text = _text() + "Ana,Ruiz\n"
    _refused(chapter, files.write(tmp_path / "p.csv", text), "Row 4 has 2 columns but the header has 7")


def test_ragged_row_deep_in_the_file_fails_the_job_and_changes_nothing(chapter: Chapter, tmp_path: Path) -> None:
    """A ragged row past the first checks fails the whole import; no one is half-imported."""
    good = [[f"F{n}", f"L{n}", f"V{n}", f"{n} Main St", "Durham", "27701", ""] for n in range(1200)]
    text = files.delimited([HEADER, *good]) + "Ana,Ruiz,,\n"
    job = import_people(chapter=chapter, path=str(files.write(tmp_path / "p.csv", text)))
    assert job.status == ImportJob.Status.FAILED
    assert "Row 1202 has 4 columns" in job.error
    assert not Person.objects.exists()
    assert not ImportRejection.objects.exists()


@override_settings(DATA_VAULT_IMPORT_MAX_BYTES=100)
def test_oversized_file_is_refused(chapter: Chapter, tmp_path: Path) -> None:
    """The size limit is a setting; a larger file is refused before anything is read."""
    _refused(chapter, files.write(tmp_path / "p.csv", _text() * 3), "imports are limited to")


def test_unknown_preset_is_refused(chapter: Chapter, tmp_path: Path) -> None:
    _refused(chapter, files.write(tmp_path / "p.csv", _text()), "There is no preset called 'texas'", preset="texas")


def test_bad_cells_reject_their_row_with_row_column_and_reason(chapter: Chapter, tmp_path: Path) -> None:
    """Each unreadable cell is reported; the other rows import."""
    rows = [
        HEADER,
        ["Ana", "Ruiz", "V1", "1 Main St", "Durham", "2770", "919-555-0101"],
        ["", "", "V2", "2 Main St", "Durham", "27701", ""],
        ["Ben", "Ode", "V3", "3 Main St", "Durham", "ABCDE", "919-555-01"],
        ["Cy", "Ode", "V3", "3 Main St", "Durham", "27701", ""],
        ["Di", "Ode", "V4", "3 Main St", "Durham", "27701", ""],
        ["Di", "Ode", "V4", "3 Main St", "Durham", "27701", ""],
    ]
    job = import_people(chapter=chapter, path=str(files.write(tmp_path / "p.csv", files.delimited(rows))))
    assert (job.created_count, job.rejected_count) == (3, 3)
    reasons = list(ImportRejection.objects.filter(job=job).values_list("row_number", "column", "value", "reason"))
    assert reasons == [
        (3, "", "", "No first or last name"),
        (4, "Zip", "ABCDE", "Not a zip code"),
        (4, "Phone", "919-555-01", "Not a ten-digit phone number"),
        (7, "Voter ID", "V4", "Same voter id as row 6"),
    ]
    assert Person.objects.get(state_voter_id="V1").household.zip5 == "02770"  # type: ignore[union-attr]


def test_xlsx_rows_missing_trailing_empty_cells_are_not_ragged(chapter: Chapter, tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["first_name", "last_name", "email", "notes"],
        ["Ana", "Ruiz"],
        ["Ben", "Ode", "b@example.org"],
    ]
    job = import_people(chapter=chapter, path=str(files.xlsx(tmp_path / "short.xlsx", rows)))
    assert (job.status, job.created_count) == (ImportJob.Status.DONE, 2)
