"""
Stage a delimited text file on PostgreSQL column by column, not row by row.

The file streams into a temporary table as it is, with COPY. Rows that last
wrote their person, unchanged since, are dropped there (the rule of
pipeline._already_imported_test, in SQL). Then each mapped column's distinct
cells are read once, in Python, by the same readers as records.py, and one
statement builds the staging table from those readings.
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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import psycopg
from django.db import connection, transaction

from data_vault import services
from data_vault.importers.normalize import CellError, StreetAddress
from data_vault.importers.pipeline import ERASED, ImportContext
from data_vault.importers.records import (
    ID_FORM,
    ID_LIMIT,
    MAX_LENGTHS,
    STAGE_COLUMNS,
    STAGE_NAMES,
    TAG_SEPARATOR,
    Rejection,
)
from data_vault.models import Erasure, Person

PERSON = Person._meta.db_table

RAW = "data_vault_import_raw"
READING = "data_vault_import_reading"
CHUNK = 1024 * 1024
# Encodings COPY reads itself; any other is turned into UTF-8 on the way.
COPY_ENCODINGS = {"utf-8": "UTF8", "utf-8-sig": "UTF8", "latin-1": "LATIN1"}
DELIMITERS = {",": "','", "\t": "E'\\t'", "|": "'|'", ";": "';'"}
KEPT = "data_vault_import_kept"
# Columns of ids, nearly one distinct cell per row: a cell already in form (records.ID_FORM) is what
# upper_norm would make it, and only the others are read.
ID_FIELDS = ("state_voter_id", "county_voter_id")
# Each field's reading, by its kind: the staging column's type, or an address line's parts.
FIELD_KINDS = {**dict(STAGE_COLUMNS), "zip": "text", "street_address": "address"}
VALUE_COLUMNS = {"text": "text_value", "integer": "int_value", "date": "date_value", "double precision": "real_value"}
ADDRESS_FIELDS = ("street_address", "house_number", "house_number_suffix", "street_name", "unit", "city", "zip")
SEARCH_PARTS = ("first_name", "middle_name", "last_name", "name_suffix")
UNREAD = object()


@dataclass
class Column:
    """One mapped field: where its cell comes from, and its readings by cell."""

    name: str
    source: str  # SQL for the field's cell in RAW
    cell: str  # what is grouped on and joined: the source, or NULL for an id already in form
    reader: Callable[[str], Any]
    readings: dict[str, Any]
    # Every cell of the column already reads as itself, in capitals (codes, districts, ids): no join needed.
    as_is: bool = False

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
        or any(FIELD_KINDS.get(name) != "text" or name in (*ADDRESS_FIELDS, *SEARCH_PARTS) for name in constants)
    ):
        return False
    try:
        with transaction.atomic():
            rows = _raw_copy(ctx, cursor)
            if rows is None:
                raise _NotCopyableError
    except (_NotCopyableError, psycopg.errors.DataError):
        return False
    ctx.phase("Reading columns", ctx.total)
    rows = _already_imported_drop(ctx, cursor, rows)
    columns = _columns(ctx)
    _cells_read(columns)
    maybe_rejected = _readings_save(cursor, columns)
    joins, values, kept = _readings_joined(columns, constants, _digest(ctx, "r"))
    names = ", ".join(STAGE_NAMES)
    params = [constants[name] for name in STAGE_NAMES if name in constants] + [ctx.reader.signature]
    cursor.execute(f"INSERT INTO {stage} ({names}) SELECT {', '.join(values)} FROM {joins} WHERE {kept}", params)
    staged = cursor.rowcount
    bad = _rejections_read(ctx, cursor, joins, kept) if maybe_rejected else []
    if staged + len({rejection.row_number for rejection in bad}) != rows:
        raise RuntimeError("Some rows were neither staged nor rejected.")
    rejections.extend(bad)
    _erased_reject(ctx, cursor, stage, rejections)
    cursor.execute(f"DROP TABLE {RAW}, {READING}")
    return True


def _in_form(cell: str) -> str:
    return f"({cell} ~ '^(?:{ID_FORM})$' AND char_length({cell}) <= {ID_LIMIT})"


def _digest(ctx: ImportContext, alias: str) -> str:
    """Return SQL for a RAW row's digest, RowReader.digest's; its one parameter is the reader's signature."""
    cells = ", ".join(f"{alias}.c{index}" for index in ctx.reader.digest_positions)
    return f"md5(concat_ws(chr(31), %s, {cells}))"


def _joined_cells(indexes: list[int], alias: str) -> str:
    """Return SQL for a field's cell: its column, or its columns joined by spaces as RowReader joins them."""
    cells = [f"{alias}.c{index}" for index in indexes]
    return cells[0] if len(cells) == 1 else f"concat_ws(' ', {', '.join(cells)})"


def _voter_id_cell(ctx: ImportContext, alias: str) -> str:
    return _joined_cells(ctx.reader.voter_id_positions, alias)


def _already_imported_drop(ctx: ImportContext, cursor: Any, rows: int) -> int:
    """
    Drop the rows that last wrote their person, as pipeline._already_imported_test finds them; return the rest.

    Each is counted unchanged and read no further.
    """
    if not ctx.reader.voter_id_positions:
        return rows
    cursor.execute(
        f"SELECT EXISTS (SELECT 1 FROM {PERSON} WHERE chapter_id = %s AND import_digest <> '')", [ctx.job.chapter_id]
    )
    if not cursor.fetchone()[0]:
        return rows
    voter_id = _voter_id_cell(ctx, "r")
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE {KEPT} ON COMMIT DROP AS
        SELECT r.* FROM {RAW} r
        LEFT JOIN {PERSON} p ON p.chapter_id = %s AND p.state_voter_id = {voter_id} AND p.state_voter_id <> ''
             AND p.import_digest = {_digest(ctx, "r")}
        LEFT JOIN (
            SELECT {_voter_id_cell(ctx, "t")} AS voter_id FROM {RAW} t GROUP BY 1 HAVING count(*) > 1
        ) AS repeated ON repeated.voter_id = {voter_id}
        WHERE p.id IS NULL OR repeated.voter_id IS NOT NULL
        """,
        [ctx.job.chapter_id, ctx.reader.signature],
    )
    kept = int(cursor.rowcount)
    cursor.execute(f"DROP TABLE {RAW}")
    cursor.execute(f"ALTER TABLE {KEPT} RENAME TO {RAW}")
    ctx.already_imported += rows - kept
    return kept


class _NotCopyableError(Exception):
    """COPY would not read this file as Python's csv module does."""


def _raw_copy(ctx: ImportContext, cursor: Any) -> int | None:
    """COPY the file's rows into RAW as text and return how many; return None if COPY would read it differently."""
    table = ctx.table
    width = len(ctx.job.header)
    names = ", ".join(f"c{i}" for i in range(width))
    first_row = 1 if ctx.headerless else 2
    cursor.execute(f"DROP TABLE IF EXISTS {RAW}, {READING}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {RAW} (row_number bigint GENERATED ALWAYS AS IDENTITY (START WITH {first_row}), "
        f"{', '.join(f'c{i} text' for i in range(width))}) ON COMMIT DROP"
    )
    encoding = COPY_ENCODINGS.get(table.encoding, "UTF8")
    options = (
        f"FORMAT csv, DELIMITER {DELIMITERS[table.delimiter]}, HEADER {'false' if ctx.headerless else 'true'}, "
        f"FORCE_NOT_NULL ({names}), ENCODING '{encoding}'"
    )
    reads_differently = _difference_finder(table.delimiter.encode())
    lines = 0
    with table.open_bytes() as raw, cursor.cursor.copy(f"COPY {RAW} ({names}) FROM STDIN ({options})") as copy:
        tail = b""
        for chunk in _chunks_utf8(raw, table.encoding):
            if reads_differently(tail + chunk):
                return None
            copy.write(chunk)
            kept = len(chunk.rstrip(b'"'))  # a run of quotes may go on in the next chunk
            tail = chunk[max(kept - 1, 0) :]
            lines += chunk.count(b"\n")
            ctx.progress(lines)
    return int(cursor.cursor.rowcount)


def _difference_finder(delimiter: bytes) -> Callable[[bytes], bool]:
    """
    Return a test of whether COPY might read some bytes differently from Python's csv module.

    A quote inside an unquoted cell is a literal to csv but opens a quoted cell to COPY: a run of one
    to three quotes with neither a separator nor a line end on either side is suspect (a doubled
    quote inside a quoted cell too, which errs on the safe side), and so is any run of four. COPY
    also stops at a line holding only "\\.". Each test is a plain search of the bytes mapped to
    three classes: B (separator, line end), Q (quote), x (anything else).
    """
    classes = bytes(
        ord("B") if byte in (delimiter[0], 10, 13) else ord("Q") if byte == ord('"') else ord("x")
        for byte in range(256)
    )
    suspects = (b"xQx", b"xQQx", b"xQQQx", b"QQQQ")

    def test(data: bytes) -> bool:
        if b"\\." in data:
            return True
        seen = data.translate(classes)
        return any(suspect in seen for suspect in suspects)

    return test


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
    for name, _label, _single, indexes, _empty, reader, _readings in ctx.reader.plan:
        source = cell = _joined_cells(indexes, "r")
        if name in ID_FIELDS:  # only the ids not already in form are read
            cell = f"CASE WHEN {_in_form(source)} THEN NULL ELSE {source} END"
        columns.append(Column(name, source, cell, reader, {}))
    return columns


def _cells_read(columns: list[Column]) -> None:
    """Read every distinct cell of every mapped column, in one pass over RAW."""
    cells = list(dict.fromkeys(column.cell for column in columns))
    # GROUPING takes at most 31 arguments and sets bit i, counted from its last, for an argument not grouped on.
    parts = [cells[start : start + 30] for start in range(0, len(cells), 30)]
    groupings = ", ".join(f"GROUPING({', '.join(part)})" for part in parts)
    # The one cell each result row is grouped on: its masks have every bit set but that cell's.
    full = [(1 << len(part)) - 1 for part in parts]
    grouped_on = {}
    for position, cell in enumerate(cells):
        chunk, i = divmod(position, 30)
        masks = list(full)
        masks[chunk] -= 1 << (len(parts[chunk]) - 1 - i)
        grouped_on[tuple(masks)] = [column for column in columns if column.cell == cell]
    # A server-side cursor: a big file's distinct cells arrive a few thousand at a time.
    with connection.chunked_cursor() as cursor:
        cursor.execute(
            f"SELECT {groupings}, COALESCE({', '.join(cells)}) FROM {RAW} r GROUP BY GROUPING SETS ({', '.join(cells)})"
        )
        for *masks, raw in cursor:
            if raw is not None:  # None: the ids already in form
                for column in grouped_on[tuple(masks)]:
                    column.read(raw)


def _readings_save(cursor: Any, columns: list[Column]) -> bool:
    """Store the readings for the staging statement; return whether any row may be rejected."""
    cursor.execute(
        f"CREATE TEMPORARY TABLE {READING} (field smallint, raw text, text_value text, upper_value text, "
        "int_value integer, date_value date, real_value double precision, suffix_value text, unit_value text, "
        "failed boolean) ON COMMIT DROP"
    )
    failed = False
    with cursor.cursor.copy(f"COPY {READING} FROM STDIN") as copy:
        for position, column in enumerate(columns):
            kind = FIELD_KINDS[column.name]
            column.as_is = kind == "text" and all(
                value == cell and value.upper() == value for cell, value in column.readings.items()
            )
            for cell, value in column.readings.items():
                if isinstance(value, CellError):
                    failed = True
                    row: tuple[Any, ...] = (None, None, None, None, None, None, None, True)
                elif isinstance(value, StreetAddress):
                    failed = failed or _too_long(value.street_name, value.unit, value.house_number_suffix)
                    row = (value.street_name, None, value.house_number, None, None)
                    row += (value.house_number_suffix, value.unit, False)
                else:
                    if isinstance(value, tuple):
                        value = TAG_SEPARATOR.join(value)
                    if column.name in ("street_name", "unit"):
                        failed = failed or len(value) > MAX_LENGTHS[column.name]
                    text = value if kind == "text" else None
                    typed = tuple(value if kind == name else None for name in ("integer", "date", "double precision"))
                    row = (text, text and text.upper(), *typed, None, None, False)
                if not column.as_is:
                    copy.write_row((position, cell, *row))
    cursor.execute(f"ANALYZE {READING}")
    names = {column.name: column for column in columns}
    no_name = all(any(value == "" for value in names[name].readings.values()) for name in ("first_name", "last_name"))
    return failed or no_name


def _too_long(street: str, unit: str, suffix: str) -> bool:
    return (
        len(street) > MAX_LENGTHS["street_name"]
        or len(unit) > MAX_LENGTHS["unit"]
        or len(suffix) > MAX_LENGTHS["house_number_suffix"]
    )


def _readings_joined(columns: list[Column], constants: dict[str, str], digest: str) -> tuple[str, list[str], str]:
    """
    Return RAW joined to the readings, each staging column's SQL, and the condition of a kept row.

    The record is records.RowReader's: the same fields, the same household parts (address_parts),
    the same match key and search words.
    """
    joins = [f"{RAW} r"]
    alias: dict[str, str] = {}
    failed = []
    as_is = {column.name: column.source for column in columns if column.as_is}
    for position, column in enumerate(columns):
        if column.as_is:
            continue
        name = f"f{position}"
        joins.append(f"LEFT JOIN {READING} {name} ON {name}.field = {position} AND {name}.raw = {column.cell}")
        alias.setdefault(column.name, name)
        failed.append(f"{name}.failed IS NOT TRUE")
    sources = {column.name: column.source for column in columns if column.name in ID_FIELDS}
    mapped = {column.name for column in columns}

    def value(field: str, default: str = "''") -> str:
        if field in as_is:
            return as_is[field]
        if field not in alias:
            return default
        stored = f"{alias[field]}.{VALUE_COLUMNS.get(FIELD_KINDS[field], 'text_value')}"
        return f"COALESCE({stored}, {sources[field]})" if field in sources else stored

    def upper(field: str) -> str:
        if field in as_is:
            return as_is[field]
        stored = f"{alias[field]}.upper_value"
        return f"COALESCE({stored}, {sources[field]})" if field in sources else stored

    sql = {name: value(name, "''" if kind == "text" else "NULL") for name, kind in STAGE_COLUMNS}
    sql.update(dict.fromkeys(constants, "%s"))
    sql["row_number"] = "r.row_number"
    sql["name_key"] = f"COALESCE({upper('last_name')}, '') || '|' || COALESCE({upper('first_name')}, '')"
    if "birth_date" in mapped:
        sql["birth_year"] = (
            f"COALESCE({value('birth_year', 'NULL')}, extract(year FROM {value('birth_date')})::integer)"
        )
    parts = _address(alias, mapped, value)
    sql.update(parts)
    words = [f"NULLIF({upper(name)}, '')" for name in SEARCH_PARTS if name in mapped]
    words += [f"NULLIF({parts['words']}, '')"]
    words += [f"NULLIF({upper('state_voter_id')}, '')"] if "state_voter_id" in mapped else []
    sql["search_text"] = f"concat_ws(' ', {', '.join(words)})"
    sql["import_digest"] = digest
    kept = [*failed, f"({value('first_name')} <> '' OR {value('last_name')} <> '')", f"NOT {parts['too_long']}"]
    values = [f"{sql[name]}::{kind}" for name, kind in STAGE_COLUMNS]
    return "\n".join(joins), values, " AND ".join(kept)


def _address(alias: dict[str, str], mapped: set[str], value: Callable[..., str]) -> dict[str, str]:
    """Return the SQL of the household's parts, key and words, as records.address_parts and normalize make them."""
    if "street_address" in alias:
        line = alias["street_address"]
        number, suffix = f"{line}.int_value", f"COALESCE({line}.suffix_value, '')"
        street, unit = f"COALESCE({line}.text_value, '')", f"COALESCE({line}.unit_value, '')"
    else:
        number, suffix = value("house_number", "NULL::integer"), value("house_number_suffix")
        street, unit = value("street_name"), "''"
    if "unit" in mapped:
        unit = f"COALESCE(NULLIF({value('unit')}, ''), {unit})"
    city, zip5 = value("city"), value("zip")
    has_street = f"({street} <> '')"
    number_text = f"COALESCE({number}::text, '')"
    return {
        "house_number": f"CASE WHEN {has_street} THEN {number} END",
        "house_number_suffix": f"CASE WHEN {has_street} THEN {suffix} ELSE '' END",
        "street_name": street,
        "unit": f"CASE WHEN {has_street} THEN {unit} ELSE '' END",
        "city": city,
        "zip5": zip5,
        "street_side": f"CASE WHEN {has_street} AND {number} IS NOT NULL "
        f"THEN CASE WHEN mod({number}, 2) = 1 THEN 'odd' ELSE 'even' END ELSE '' END",
        "address_key": f"CASE WHEN {has_street} THEN concat_ws('|', {number_text}, {suffix}, {street}, {unit}, "
        f"{city}, {zip5}) ELSE '' END",
        "words": f"CASE WHEN {has_street} THEN concat_ws(' ', NULLIF({number_text}, ''), NULLIF({suffix}, ''), "
        f"{street}, NULLIF({unit}, ''), NULLIF({city}, ''), NULLIF({zip5}, '')) ELSE '' END",
        "too_long": f"(char_length({street}) > {MAX_LENGTHS['street_name']} OR char_length({unit}) > "
        f"{MAX_LENGTHS['unit']} OR char_length({suffix}) > {MAX_LENGTHS['house_number_suffix']})",
    }


def _rejections_read(ctx: ImportContext, cursor: Any, joins: str, kept: str) -> list[Rejection]:
    """Read the rows the staging statement left out again, row by row, for the row path's reasons."""
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
