"""
Open an uploaded table, whatever its shape: CSV, tab- or pipe-separated text or
XLSX, plain or inside a .zip or .gz, in UTF-8 (with or without BOM), UTF-16 or
Latin-1. Rows stream out as lists of strings; nothing holds the whole file.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.conf import settings

from core.errors import ApplicationError

SNIFF_BYTES = 1024 * 1024
DELIMITERS = (",", "\t", "|", ";")
DELIMITER_NAMES = {",": "comma", "\t": "tab", "|": "pipe", ";": "semicolon"}
XLSX_MARKERS = {"[Content_Types].xml", "xl/workbook.xml"}
BINARY_MAGIC = {
    b"%PDF": "a PDF",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) or Word file",
    b"\x7fELF": "a program",
    b"MZ": "a program",
    b"SQLite format 3": "a database",
}
# Control characters no table holds (tab, newlines and form feed are fine).
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f]")
csv.field_size_limit(1024 * 1024)


class ImportFileError(ApplicationError):
    """A file the vault cannot read as a table; nothing was imported."""


def megabytes(size: int) -> str:
    """Return a byte count as megabytes, for messages."""
    return f"{size / (1024 * 1024):.1f} MB"


def unpacked_max_bytes() -> int:
    """Return how large a table packed in a .zip or .gz may be once unpacked."""
    return int(settings.DATA_VAULT_IMPORT_MAX_UNPACKED_BYTES)


def _unpacked_refusal(limit: int) -> ImportFileError:
    return ImportFileError(f"Unpacked, this file is larger than {megabytes(limit)}, the limit for packed tables.")


class _Capped(io.RawIOBase):
    """Read an unpacked stream, refusing it once it passes the unpacked size limit (a .gz says no true size)."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self._stream, self._limit, self._read = stream, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._stream.read(len(buffer))
        buffer[: len(chunk)] = chunk
        self._read += len(chunk)
        if self._read > self._limit:
            raise _unpacked_refusal(self._limit)
        return len(chunk)


def _capped(stream: IO[bytes]) -> IO[bytes]:
    return io.BufferedReader(_Capped(stream, unpacked_max_bytes()), buffer_size=1024 * 1024)


@contextmanager
def _spooled(stream: IO[bytes]) -> Iterator[IO[bytes]]:
    """Copy an unpacked workbook to a temporary file: a workbook is read by seeking, which a .gz cannot do well."""
    with tempfile.TemporaryFile() as spool:
        shutil.copyfileobj(stream, spool, 1024 * 1024)
        spool.seek(0)
        yield spool


def _is_workbook(stream: IO[bytes]) -> bool:
    try:
        return set(zipfile.ZipFile(stream).namelist()) >= XLSX_MARKERS
    except zipfile.BadZipFile:
        return False


@dataclass
class TableFile:
    """Where a table sits in the upload, and how to read it."""

    path: str
    container: str = ""  # "", "zip" or "gzip"
    member: str = ""
    file_format: str = "text"  # delimited text, "xlsx", or "vault" for a whole-vault export (8 characters at most)
    encoding: str = ""
    delimiter: str = ""
    size_hint: int = 0
    notes: list[str] = field(default_factory=list)

    @contextmanager
    def open_bytes(self) -> Iterator[IO[bytes]]:
        """Open the table's bytes, unpacking the .zip or .gz around it."""
        if self.container == "zip":
            with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as stream:
                yield _capped(stream)
        elif self.container == "gzip":
            with gzip.open(self.path, "rb") as stream:
                yield _capped(stream)  # type: ignore[arg-type]
        else:
            with open(self.path, "rb") as stream:
                yield stream

    def rows(self) -> Iterator[list[str]]:
        """Yield every row, header included, as a list of strings."""
        if self.file_format == "xlsx":
            yield from self._xlsx_rows()
            return
        with self.open_bytes() as raw:
            text = io.TextIOWrapper(raw, encoding=self.encoding, errors="replace", newline="")
            yield from csv.reader(text, delimiter=self.delimiter)

    def line_count(self) -> int:
        """Count the lines quickly, for the progress bar's total."""
        if self.file_format == "xlsx":
            return 0
        count = 0
        last = b""
        with self.open_bytes() as raw:
            while chunk := raw.read(4 * 1024 * 1024):
                count += chunk.count(b"\n")
                last = chunk
        return count + (1 if last and not last.endswith((b"\n", b"\n\x00")) else 0)

    def _xlsx_rows(self) -> Iterator[list[str]]:
        import openpyxl

        with self.open_bytes() as packed, _spooled(packed) if self.container else nullcontext(packed) as content:
            try:
                book = openpyxl.load_workbook(content, read_only=True, data_only=True)
            except Exception as error:  # openpyxl raises many kinds for a broken workbook
                raise ImportFileError("This spreadsheet is damaged and cannot be opened.") from error
            try:
                sheet = book.worksheets[0]
                for values in sheet.iter_rows(values_only=True):
                    yield [_xlsx_cell(value) for value in values]
            finally:
                book.close()


def _xlsx_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _binary_kind(head: bytes) -> str:
    for magic, kind in BINARY_MAGIC.items():
        if head.startswith(magic):
            return kind
    return ""


def encoding_detect(sample: bytes) -> str:
    """Return the encoding of a text sample: UTF-8 (with or without BOM), UTF-16 or Latin-1."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    even, odd = sample[0:2000:2], sample[1:2000:2]
    if len(sample) >= 4 and odd.count(0) > len(odd) * 0.4 and even.count(0) < len(even) * 0.1:
        return "utf-16-le"
    if len(sample) >= 4 and even.count(0) > len(even) * 0.4 and odd.count(0) < len(odd) * 0.1:
        return "utf-16-be"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)
    except UnicodeDecodeError:
        return "latin-1"
    return "utf-8"


def delimiter_detect(first_line: str) -> str:
    """Return the separator the header line uses most: comma, tab, pipe or semicolon."""
    counts = {delimiter: first_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ""


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    return len(CONTROL_RE.findall(text)) > max(8, len(text) // 100)


def _unwrap(path: str, original_name: str) -> TableFile:
    with open(path, "rb") as stream:
        head = stream.read(8)
    if not head:
        raise ImportFileError("The file is empty.")
    if head.startswith(b"\x1f\x8b"):
        table = TableFile(path=path, container="gzip")
        try:
            with table.open_bytes() as raw:
                inner_head = raw.read(8)
        except (OSError, EOFError) as error:
            raise ImportFileError("This .gz file is damaged and cannot be unpacked.") from error
        if inner_head.startswith(b"PK\x03\x04"):
            with table.open_bytes() as packed, _spooled(packed) as content:
                if not _is_workbook(content):
                    raise ImportFileError("A .zip inside a .gz is not supported; upload the .zip itself.")
            table.file_format = "xlsx"
        return table
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                members = [info for info in archive.infolist() if not info.is_dir()]
        except zipfile.BadZipFile as error:
            raise ImportFileError("This .zip file is damaged and cannot be unpacked.") from error
        # A member never unpacks past the size its entry states, so the stated sizes bound the whole.
        if sum(info.file_size for info in members) > unpacked_max_bytes():
            raise _unpacked_refusal(unpacked_max_bytes())
        names = [info.filename for info in members]
        if set(names) >= XLSX_MARKERS:
            return TableFile(path=path, file_format="xlsx")
        tables = [
            name for name in names if not name.startswith("__MACOSX/") and not name.split("/")[-1].startswith(".")
        ]
        if not tables:
            raise ImportFileError("The .zip file holds no table to import.")
        from data_vault.importers.archive import is_vault_archive

        if is_vault_archive(set(tables)):
            return TableFile(path=path, file_format="vault")
        if len(tables) > 1:
            listed = ", ".join(tables[:5])
            raise ImportFileError(f"The .zip file holds {len(tables)} files ({listed}); put one table in it.")
        table = TableFile(path=path, container="zip", member=tables[0])
        with table.open_bytes() as raw:
            inner = raw.read(4096)
        if inner.startswith(b"PK\x03\x04"):
            with table.open_bytes() as packed, _spooled(packed) as content:
                if not _is_workbook(content):
                    raise ImportFileError("A .zip inside a .zip is not supported; put the table itself in the .zip.")
            table.file_format = "xlsx"
        return table
    kind = _binary_kind(head)
    if kind:
        raise ImportFileError(
            f"This looks like {kind}, not a table. Upload a CSV, tab- or pipe-separated or XLSX file."
        )
    return TableFile(path=path)


def table_open(path: str, original_name: str = "") -> TableFile:
    """Work out how to read an uploaded file, or raise ImportFileError saying why it cannot be read."""
    table = _unwrap(path, original_name)
    if table.file_format in ("xlsx", "vault"):
        return table
    with table.open_bytes() as raw:
        sample = raw.read(SNIFF_BYTES)
    if not sample.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ImportFileError("The file is empty.")
    kind = _binary_kind(sample)
    if kind:
        raise ImportFileError(
            f"This looks like {kind}, not a table. Upload a CSV, tab- or pipe-separated or XLSX file."
        )
    table.encoding = encoding_detect(sample)
    text = sample.decode(table.encoding, errors="replace")
    if _looks_binary(text):
        raise ImportFileError("This is a binary file, not a table. Upload a CSV, tab- or pipe-separated or XLSX file.")
    first_line = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    table.delimiter = delimiter_detect(first_line)
    if not table.delimiter:
        raise ImportFileError(
            "The first line has no commas, tabs or pipes between columns, so this is not a table the vault can read."
        )
    return table
