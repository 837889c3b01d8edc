"""
Stage a delimited text file on PostgreSQL column by column, not row by row.

The file streams into a temporary table as it is, with COPY. Then each mapped
column's distinct cells are read once, in Python, by the same readers as
records.py, and one statement builds the staging table from those readings.
A voter file repeats most cells (blanks, cities, dates, streets, codes); its
ids are the exception, so an id already in the vault's form passes as it is.

Rows with a bad cell are read again by records.RowReader, so their reasons are
the row path's own. A file COPY would read differently from Python's csv
module (a quote inside an unquoted cell, a ``\\.`` line) or cannot read at all
(ragged rows, bytes not in the encoding) is left to the row path:
``stage_file`` returns False and has changed nothing.
"""

# Identifiers in these statements come from constants and column positions; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import psycopg
from django.db import transaction

from data_vault import services
from data_vault.importers import normalize
from data_vault.importers.normalize import CellError
from data_vault.importers.pipeline import ERASED, ImportContext
from data_vault.importers.records import (
    STAGE_COLUMNS,
    STAGE_NAMES,
    TAG_SEPARATOR,
    AddressTooLongError,
    Rejection,
    address_parts,
)
from data_vault.models import Erasure

RAW = "data_vault_import_raw"
READING = "data_vault_import_reading"
ADDRESS = "data_vault_import_address"
CHUNK = 1024 * 1024
# Encodings COPY reads itself; any other is turned into UTF-8 on the way.
COPY_ENCODINGS = {"utf-8": "UTF8", "utf-8-sig": "UTF8", "latin-1": "LATIN1"}
DELIMITERS = {",": "','", "\t": "E'\\t'", "|": "'|'", ";": "';'"}
# The cells read as one address; the rest are read one column at a time.
ADDRESS_FIELDS = ("street_address", "house_number", "house_number_suffix", "street_name", "unit", "city", "zip")
# Columns of ids, nearly one distinct cell per row: a cell of printable ASCII without lower case or
# doubled spaces is already what upper_norm would make it, and only the others are read.
ID_LIMITS = {"state_voter_id": 40, "county_voter_id": 40}
ID_FORM = "^[!-`{-~]+( [!-`{-~]+)*$"
# What each reading keeps, by the staging column's type.
VALUE_COLUMNS = {"text": "text_value", "integer": "int_value", "date": "date_value", "double precision": "real_value"}
STAGE_TYPES = dict(STAGE_COLUMNS)
# The staging columns an address fills, and the name fields the search reads, in its order.
ADDRESS_PARTS = (
    "house_number",
    "house_number_suffix",
    "street_name",
    "unit",
    "city",
    "zip5",
    "street_side",
    "address_key",
)
SEARCH_PARTS = ("first_name", "middle_name", "last_name", "name_suffix")
UNREAD = object()


@dataclass
class Column:
    """One mapped field: where its cell comes from, and its readings by cell."""

    name: str
    label: str
    source: str  # SQL for the field's cell in RAW
    cell: str  # what is grouped on and joined: the source, or NULL for an id already in form
    reader: Callable[[str], Any]
    readings: dict[str, Any]

    def read(self, raw: str) -> Any:
        """Return the cell's reading, or the CellError it raises, read once per distinct cell."""
        value = self.readings.get(raw, UNREAD)
        if value is UNREAD:
            try:
                value = self.reader("") if not raw or raw.isspace() else self.reader(raw)
            except CellError as error:
                value = error
            self.readings[raw] = value
        return value


def stage_file(ctx: ImportContext, cursor: Any, stage: str, rejections: list[Rejection]) -> bool:
    """
    Fill the staging table from the job's file column by column; return False, changing nothing, if it cannot.

    Bad rows' reasons, and people erased on request, go to rejections.
    """
    table = ctx.table
    constants = ctx.reader.constants
    if (
        table.file_format != "text"
        or table.delimiter not in DELIMITERS
        or any(STAGE_TYPES.get(name) != "text" or name in (*ADDRESS_FIELDS, *SEARCH_PARTS) for name in constants)
    ):
        return False
    try:
        with transaction.atomic():
            if not _raw_copy(ctx, cursor):
                raise _NotCopyableError
    except (_NotCopyableError, psycopg.errors.DataError):
        return False
    columns = _columns(ctx)
    keys = list(dict.fromkeys(column.cell for column in columns if column.name in ADDRESS_FIELDS))
    addresses = _cells_read(cursor, columns, keys)
    maybe_rejected = _readings_save(cursor, columns, addresses)
    _stage_fill(cursor, stage, columns, constants, keys)
    if maybe_rejected:
        rejections.extend(_rejections_read(ctx, cursor, columns, keys))
    _erased_reject(ctx, cursor, stage, rejections)
    cursor.execute(f"DROP TABLE {RAW}, {READING}, {ADDRESS}")
    return True


class _NotCopyableError(Exception):
    """COPY would not read this file as Python's csv module does."""


def _raw_copy(ctx: ImportContext, cursor: Any) -> bool:
    """COPY the file's rows into RAW as text; return False if COPY would read it differently."""
    table = ctx.table
    width = len(ctx.job.header)
    names = ", ".join(f"c{i}" for i in range(width))
    first_row = 1 if ctx.headerless else 2
    cursor.execute(f"DROP TABLE IF EXISTS {RAW}, {READING}, {ADDRESS}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {RAW} (row_number bigint GENERATED ALWAYS AS IDENTITY (START WITH {first_row}), "
        f"{', '.join(f'c{i} text' for i in range(width))}) ON COMMIT DROP"
    )
    encoding = COPY_ENCODINGS.get(table.encoding, "UTF8")
    options = (
        f"FORMAT csv, DELIMITER {DELIMITERS[table.delimiter]}, HEADER {'false' if ctx.headerless else 'true'}, "
        f"FORCE_NOT_NULL ({names}), ENCODING '{encoding}'"
    )
    # A quote inside an unquoted cell is a literal to Python's csv module but opens a quoted cell to COPY,
    # and COPY stops at a line holding only "\.".
    delimiter = re.escape(table.delimiter.encode())
    different = re.compile(rb"[^" + delimiter + rb'\r\n"]"+[^' + delimiter + rb'\r\n"]|\\\.')
    lines = 0
    with table.open_bytes() as raw, cursor.cursor.copy(f"COPY {RAW} ({names}) FROM STDIN ({options})") as copy:
        tail = b""
        for chunk in _chunks_utf8(raw, table.encoding):
            if different.search(tail + chunk):
                return False
            copy.write(chunk)
            tail = chunk[-2:]
            lines += chunk.count(b"\n")
            ctx.progress(lines)
    return True


def _chunks_utf8(raw: IO[bytes], encoding: str) -> Iterator[bytes]:
    """Yield the file's bytes in an encoding COPY reads; drop a UTF-8 byte-order mark."""
    if encoding in COPY_ENCODINGS:
        first = raw.read(CHUNK)
        if encoding == "utf-8-sig" and first.startswith(b"\xef\xbb\xbf"):
            first = first[3:]
        yield first
        while chunk := raw.read(CHUNK):
            yield chunk
        return
    text = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
    while part := text.read(CHUNK):
        yield part.encode("utf-8")


def _columns(ctx: ImportContext) -> list[Column]:
    """Return each mapped field with the SQL of its raw cell, in the mapping's order."""
    columns = []
    for name, label, _single, indexes, _empty, reader, _readings in ctx.reader.plan:
        cells = [f"r.c{index}" for index in indexes]
        source = cells[0] if len(cells) == 1 else f"concat_ws(' ', {', '.join(cells)})"
        cell = source
        if name in ID_LIMITS:  # only the ids not already in form are read
            form = f"{source} ~ '{ID_FORM}' AND char_length({source}) <= {ID_LIMITS[name]}"
            cell = f"CASE WHEN {form} THEN NULL ELSE {source} END"
        columns.append(Column(name, label, source, cell, reader, {}))
    return columns


def _cells_read(cursor: Any, columns: list[Column], address: list[str]) -> dict[tuple[str, ...], Address]:
    """Read every distinct cell of the mapped columns, and every distinct address, in one pass over RAW."""
    singles = list(dict.fromkeys(column.cell for column in columns if column.name not in ADDRESS_FIELDS))
    every = list(dict.fromkeys([*singles, *address]))
    sets = [f"({cell})" for cell in singles] + ([f"({', '.join(address)})"] if address else [])
    # GROUPING takes at most 31 arguments and sets bit i, counted from the last, for an argument not grouped on.
    parts = [every[start : start + 30] for start in range(0, len(every), 30)]
    groupings = ", ".join(f"GROUPING({', '.join(part)})" for part in parts)
    cursor.execute(f"SELECT {groupings}, {', '.join(every)} FROM {RAW} r GROUP BY GROUPING SETS ({', '.join(sets)})")
    readers = {cell: [column for column in columns if column.cell == cell] for cell in singles}
    combos: set[tuple[str, ...]] = set()
    for row in cursor.fetchall():
        masks, values = row[: len(parts)], row[len(parts) :]
        grouped = [
            cell
            for part, mask in zip(parts, masks, strict=True)
            for i, cell in enumerate(part)
            if not mask & (1 << (len(part) - 1 - i))
        ]
        if address and grouped == [cell for cell in every if cell in address]:
            combos.add(tuple(values[every.index(cell)] for cell in address))
        if len(grouped) == 1 and grouped[0] in readers and values[every.index(grouped[0])] is not None:
            for column in readers[grouped[0]]:
                column.read(values[every.index(grouped[0])])
    return _addresses_read(columns, address, combos)


@dataclass(frozen=True)
class Address:
    """One distinct address's cells, read: its household's parts, or failed when a cell or the whole is bad."""

    house_number: int | None = None
    house_number_suffix: str = ""
    street_name: str = ""
    unit: str = ""
    city: str = ""
    zip5: str = ""
    street_side: str = ""
    address_key: str = ""
    words: str = ""
    failed: bool = False


def _addresses_read(
    columns: list[Column], address: list[str], combos: set[tuple[str, ...]]
) -> dict[tuple[str, ...], Address]:
    """Read each distinct address as records.RowReader reads a row's address cells."""
    fields = [column for column in columns if column.name in ADDRESS_FIELDS]
    addresses = {}
    for combo in combos:
        cells = dict(zip(address, combo, strict=True))
        values = {column.name: column.read(cells[column.cell]) for column in fields}
        if any(isinstance(value, CellError) for value in values.values()):
            addresses[combo] = Address(failed=True)
            continue
        try:
            house_number, suffix, street, unit, city, zip5, key = address_parts(values)
        except AddressTooLongError:
            addresses[combo] = Address(failed=True)
            continue
        words = ""
        if street:
            words = normalize.address_words(
                house_number=house_number,
                house_number_suffix=suffix,
                street_name=street,
                unit=unit,
                city=city,
                zip5=zip5,
            ).upper()
        addresses[combo] = Address(
            house_number=house_number if street else None,
            house_number_suffix=suffix if street else "",
            street_name=street,
            unit=unit if street else "",
            city=city,
            zip5=zip5,
            street_side=normalize.street_side(house_number) if street else "",
            address_key=key,
            words=words,
        )
    return addresses


def _readings_save(cursor: Any, columns: list[Column], address: dict[tuple[str, ...], Address]) -> bool:
    """Store the readings for the staging statement; return whether any row may be rejected."""
    cursor.execute(
        f"CREATE TEMPORARY TABLE {READING} (field smallint, raw text, text_value text, upper_value text, "
        "int_value integer, date_value date, real_value double precision, failed boolean) ON COMMIT DROP"
    )
    failed = False
    raw = cursor.cursor
    with raw.copy(f"COPY {READING} FROM STDIN") as copy:
        for position, column in enumerate(columns):
            if column.name in ADDRESS_FIELDS:
                continue
            kind = STAGE_TYPES[column.name]
            for cell, value in column.readings.items():
                if isinstance(value, CellError):
                    failed = True
                    copy.write_row((position, cell, None, None, None, None, None, True))
                    continue
                if isinstance(value, tuple):
                    value = TAG_SEPARATOR.join(value)
                copy.write_row(
                    (
                        position,
                        cell,
                        value if kind == "text" else None,
                        value.upper() if kind == "text" else None,
                        value if kind == "integer" else None,
                        value if kind == "date" else None,
                        value if kind == "double precision" else None,
                        False,
                    )
                )
    keys = len(next(iter(address), ()))
    cursor.execute(
        f"CREATE TEMPORARY TABLE {ADDRESS} ({''.join(f'k{i} text, ' for i in range(keys))}"
        "house_number integer, house_number_suffix text, street_name text, unit text, city text, zip5 text, "
        "street_side text, address_key text, words text, failed boolean) ON COMMIT DROP"
    )
    with raw.copy(f"COPY {ADDRESS} FROM STDIN") as copy:
        for combo, parts in address.items():
            failed = failed or parts.failed
            copy.write_row(
                (
                    *combo,
                    parts.house_number,
                    parts.house_number_suffix,
                    parts.street_name,
                    parts.unit,
                    parts.city,
                    parts.zip5,
                    parts.street_side,
                    parts.address_key,
                    parts.words,
                    parts.failed,
                )
            )
    cursor.execute(f"ANALYZE {READING}")
    cursor.execute(f"ANALYZE {ADDRESS}")
    names = {column.name: column for column in columns}
    blank_names = all(
        any(value == "" for value in names[name].readings.values()) for name in ("first_name", "last_name")
    )
    return failed or blank_names


def _from_and_kept(columns: list[Column], keys: list[str]) -> tuple[str, str, dict[str, str]]:
    """Return RAW joined to its readings, the condition of a kept row, and each staging column's SQL."""
    joins = [f"{RAW} r"]
    failed = []
    value: dict[str, str] = {}
    upper: dict[str, str] = {}
    for position, column in enumerate(columns):
        if column.name in ADDRESS_FIELDS:
            continue
        alias = f"f{position}"
        joins.append(f"LEFT JOIN {READING} {alias} ON {alias}.field = {position} AND {alias}.raw = {column.cell}")
        failed.append(f"{alias}.failed")
        kind = STAGE_TYPES[column.name]
        stored = f"{alias}.{VALUE_COLUMNS[kind]}"
        if column.name in ID_LIMITS:  # an id in form has no reading: it is its own value
            source = column.source
            stored, upper[column.name] = f"COALESCE({stored}, {source})", f"COALESCE({alias}.upper_value, {source})"
        else:
            upper[column.name] = f"{alias}.upper_value"
        value[column.name] = stored
    if keys:
        joins.append(f"LEFT JOIN {ADDRESS} a ON {' AND '.join(f'a.k{i} = {cell}' for i, cell in enumerate(keys))}")
        failed.append("a.failed")
    kept = (
        " AND ".join(f"{flag} IS NOT TRUE" for flag in failed)
        + f" AND ({value['first_name']} <> '' OR {value['last_name']} <> '')"
    )
    return "\n".join(joins), kept, {**value, **{f"upper:{name}": sql for name, sql in upper.items()}}


def _stage_fill(cursor: Any, stage: str, columns: list[Column], constants: dict[str, str], keys: list[str]) -> None:
    """Build every kept row's record from its readings, as records.RowReader builds it, in one statement."""
    joins, kept, value = _from_and_kept(columns, keys)
    params: list[Any] = []
    select = []
    for name in STAGE_NAMES:
        kind = STAGE_TYPES[name]
        if name == "row_number":
            sql = "r.row_number"
        elif name == "name_key":
            sql = f"COALESCE({value['upper:last_name']}, '') || '|' || COALESCE({value['upper:first_name']}, '')"
        elif name == "birth_year":
            from_date = f"extract(year FROM {value['birth_date']})::integer" if "birth_date" in value else "NULL"
            sql = f"COALESCE({value.get('birth_year', 'NULL')}, {from_date})"
        elif name in ADDRESS_PARTS:
            sql = f"a.{name}" if keys else ("NULL" if kind != "text" else "''")
        elif name == "search_text":
            words = [f"NULLIF({value['upper:' + part]}, '')" for part in SEARCH_PARTS[:4] if f"upper:{part}" in value]
            words += ["NULLIF(a.words, '')"] if keys else []
            words += [f"NULLIF({value['upper:state_voter_id']}, '')"] if "upper:state_voter_id" in value else []
            sql = f"concat_ws(' ', {', '.join(words)})"
        elif name in value:
            sql = value[name]
        elif name in constants:
            sql = "%s"
            params.append(constants[name])
        else:
            sql = "''" if kind == "text" else "NULL"
        select.append(f"{sql}::{kind}")
    cursor.execute(
        f"INSERT INTO {stage} ({', '.join(STAGE_NAMES)}) SELECT {', '.join(select)} FROM {joins} WHERE {kept}",
        params,
    )


def _rejections_read(ctx: ImportContext, cursor: Any, columns: list[Column], keys: list[str]) -> list[Rejection]:
    """Read the rows the staging statement left out again, row by row, for the row path's reasons."""
    joins, kept, _ = _from_and_kept(columns, keys)
    width = len(ctx.job.header)
    cursor.execute(
        f"SELECT r.row_number, {', '.join(f'r.c{i}' for i in range(width))} FROM {joins} "
        f"WHERE NOT ({kept}) ORDER BY r.row_number"
    )
    rejections = []
    for row_number, *cells in cursor.fetchall():
        record, bad = ctx.reader.read(row_number, cells)
        if record is not None:
            raise RuntimeError(f"Row {row_number} was left out but reads as a good row.")
        rejections.extend(bad)
    return rejections


def _erased_reject(ctx: ImportContext, cursor: Any, stage: str, rejections: list[Rejection]) -> None:
    """Take people the chapter erased on request out of the staging table, as rejections."""
    if not Erasure.objects.filter(chapter_id=ctx.job.chapter_id).exists():
        return
    erased = services.erasure_checker(chapter=ctx.job.chapter)
    cursor.execute(f"SELECT row_number, state_voter_id, name_key, birth_year, address_key FROM {stage}")
    rows = [
        row_number
        for row_number, voter_id, name_key, birth_year, address_key in cursor.fetchall()
        if erased(voter_id=voter_id, name_key=name_key, birth_year=birth_year, address_key=address_key)
    ]
    if rows:
        cursor.execute(f"DELETE FROM {stage} WHERE row_number = ANY(%s)", [rows])
        rejections.extend(Rejection(row_number, "", "", ERASED) for row_number in sorted(rows))
