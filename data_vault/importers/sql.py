"""
The PostgreSQL fast path: fill a temporary staging table (column by column from a
raw COPY of the file, columns.py, or with COPY of the records read row by row),
then merge it set-based, a handful of statements for the whole file.

The rules are the portable path's (pipeline.py), written as SQL: a test runs
both on the same files and compares every person, household and provenance row.
"""

# Identifiers in these statements come from model metadata and constants; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connection

from data_vault.importers.columns import stage_file
from data_vault.importers.pipeline import (
    NULLABLE_FIELDS,
    PHONE_KINDS,
    ImportContext,
    ImportOutcome,
    records_read,
)
from data_vault.importers.records import ORIGIN_FIELDS, PERSON_FIELDS, STAGE_COLUMNS, STAGE_NAMES, TAG_SEPARATOR
from data_vault.models import Email, Household, ImportRejection, Person, Phone, Provenance, Tag

# The file's records; then each record's household and person (MATCH); then what the merge does with it (PLAN).
STAGE = "data_vault_import_stage"
MATCH = "data_vault_import_match"
PLAN = "data_vault_import_plan"
PERSON = Person._meta.db_table
HOUSEHOLD = Household._meta.db_table
PHONE = Phone._meta.db_table
EMAIL = Email._meta.db_table
TAG = Tag._meta.db_table
PERSON_TAGS = Person.tags.through._meta.db_table
PROVENANCE = Provenance._meta.db_table
REJECTION = ImportRejection._meta.db_table


SESSION_SETTINGS = (
    ("work_mem", "128MB"),
    ("maintenance_work_mem", "256MB"),
    ("gin_pending_list_limit", "32MB"),
    ("default_statistics_target", "20"),
    # Compiling the merge's long expressions costs seconds and saves less than it costs.
    ("jit", "off"),
)


def _filled(prefix: str, name: str) -> str:
    column = f"{prefix}.{name}"
    return f"{column} IS NOT NULL" if name in NULLABLE_FIELDS else f"{column} <> ''"


def _fields_mask(conditions: dict[str, str]) -> str:
    """Return SQL for the bits of the ORIGIN_FIELDS whose condition holds, as in Person.origin_fields."""
    return " + ".join(
        f"CASE WHEN {conditions[name]} THEN {1 << bit} ELSE 0 END" for bit, name in enumerate(ORIGIN_FIELDS)
    )


def _bit(name: str) -> int:
    return 1 << ORIGIN_FIELDS.index(name)


def _phones_new(stage: str, person: str) -> str:
    checks = " OR ".join(
        f"({stage}.{name} <> '' AND NOT EXISTS "
        f"(SELECT 1 FROM {PHONE} f WHERE f.person_id = {person} AND f.number = {stage}.{name}))"
        for name, _ in PHONE_KINDS
    )
    return f"({checks})"


def _tags(stage: str) -> str:
    return f"unnest(string_to_array(NULLIF({stage}.tags, ''), '{TAG_SEPARATOR}'))"


# What a new person got from the file, for their origin: one condition per ORIGIN_FIELDS name.
FILLED = {
    **{name: _filled("s", name) for name in PERSON_FIELDS},
    "household": "x.household_id IS NOT NULL",
    "phones": " OR ".join(f"s.{name} <> ''" for name, _ in PHONE_KINDS),
    "emails": "s.email <> ''",
    "tags": "s.tags <> ''",
}
ORIGIN_MASK = _fields_mask(FILLED)


def merge(ctx: ImportContext) -> ImportOutcome:
    """Stage the file with COPY and merge it in SQL; return the counts."""
    job, chapter = ctx.job, ctx.job.chapter_id
    outcome = ImportOutcome()
    columns = ", ".join(f"{name} {kind}" for name, kind in STAGE_COLUMNS)
    with connection.cursor() as cursor:
        # Room for the merge's sorts and hashes, and for the search index's pending list, in this transaction only.
        for setting, value in SESSION_SETTINGS:
            cursor.execute("SELECT set_config(%s, %s, true)", [setting, value])
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}, {MATCH}, {PLAN}")
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ({columns}) ON COMMIT DROP")
        raw = cursor.cursor
        if not stage_file(ctx, cursor, STAGE, outcome.rejections):
            records = records_read(ctx, outcome.rejections)  # before the COPY: it loads the erasures
            with raw.copy(f"COPY {STAGE} ({', '.join(STAGE_NAMES)}) FROM STDIN") as copy:
                for record in records:
                    copy.write_row(record)
        _rejections_copy(raw, job.pk, outcome)

        ctx.phase("Checking rows", ctx.total)
        cursor.execute(f"CREATE UNIQUE INDEX ON {STAGE} (row_number)")
        cursor.execute(f"ANALYZE {STAGE}")
        rejected = _duplicates_reject(cursor, job.pk, ctx.voter_id_label)

        ctx.phase("Saving households", 0)
        outcome.households_created = _households_merge(cursor, chapter)

        ctx.phase("Matching people", 0)
        _people_match(cursor, chapter)
        # A few rows against many people: find each matched person by id, not by hashing all the people.
        with _joins_by_index(cursor, _few_rows(cursor)):
            _plan_make(cursor)
            ctx.phase("Saving people", 0)
            counts = _people_write(cursor, ctx)
        outcome.created, outcome.updated, outcome.unchanged = counts
        outcome.unchanged += ctx.already_imported
        _contacts_write(cursor, chapter, {name for name, *_ in ctx.reader.plan} | set(ctx.reader.constants))
        # The foreign keys are checked at commit, row by row: seconds for a big file. Check them now, in view.
        ctx.phase("Checking links between records", ctx.total)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"DROP TABLE {STAGE}, {MATCH}, {PLAN}")
    outcome.rejected = len({rejection.row_number for rejection in outcome.rejections}) + rejected
    return outcome


def _few_rows(cursor: Any) -> bool:
    """Return whether the staged rows are few next to the people table (as PostgreSQL last counted it)."""
    cursor.execute(
        f"SELECT (SELECT count(*) FROM {STAGE}) * 4 < (SELECT reltuples FROM pg_class WHERE oid = %s::regclass)",
        [PERSON],
    )
    return bool(cursor.fetchone()[0])


@contextmanager
def _joins_by_index(cursor: Any, by_index: bool) -> Iterator[None]:
    """
    Join by index lookups inside the block, when by_index: the planner would rather hash every person.

    Its costs take a lookup for a disk read; the people an import touches are cached, and hashing a
    million of them for a hundred thousand rows costs more than looking each row's person up.
    """
    switch = "SELECT set_config('enable_hashjoin', %(on)s, true), set_config('enable_mergejoin', %(on)s, true)"
    if by_index:
        cursor.execute(switch, {"on": "off"})
    try:
        yield
    finally:
        if by_index:
            cursor.execute(switch, {"on": "on"})


def _rejections_copy(raw: Any, job_id: int, outcome: ImportOutcome) -> None:
    if not outcome.rejections:
        return
    with raw.copy(f'COPY {REJECTION} (job_id, row_number, "column", value, reason) FROM STDIN') as copy:
        for rejection in outcome.rejections:
            copy.write_row(
                (job_id, rejection.row_number, rejection.column[:120], rejection.value[:200], rejection.reason[:200])
            )


def _duplicates_reject(cursor: Any, job_id: int, voter_id_label: str) -> int:
    """Reject rows repeating an earlier row's voter id, or its name, birth year and address."""
    # Hashing finds the few repeated keys; only their rows are ranked.
    cursor.execute(
        f"""
        WITH repeated_ids AS (
            SELECT state_voter_id FROM {STAGE} WHERE state_voter_id <> ''
            GROUP BY state_voter_id HAVING count(*) > 1
        ), repeated_keys AS (
            SELECT name_key, COALESCE(birth_year, 0) AS birth_year, address_key FROM {STAGE} WHERE state_voter_id = ''
            GROUP BY 1, 2, 3 HAVING count(*) > 1
        ), ranked AS (
            SELECT row_number, state_voter_id, min(row_number) OVER (PARTITION BY state_voter_id) AS first_row
            FROM {STAGE} WHERE state_voter_id IN (SELECT state_voter_id FROM repeated_ids)
            UNION ALL
            SELECT s.row_number, '', min(s.row_number) OVER (PARTITION BY k.name_key, k.birth_year, k.address_key)
            FROM {STAGE} s JOIN repeated_keys k ON k.name_key = s.name_key
             AND k.birth_year = COALESCE(s.birth_year, 0) AND k.address_key = s.address_key
            WHERE s.state_voter_id = ''
        ), repeated AS (
            DELETE FROM {STAGE} s USING ranked r
            WHERE s.row_number = r.row_number AND r.row_number <> r.first_row
            RETURNING s.row_number, r.state_voter_id, r.first_row
        )
        INSERT INTO {REJECTION} (job_id, row_number, "column", value, reason)
        SELECT %s, row_number,
               CASE WHEN state_voter_id <> '' THEN %s ELSE '' END, left(state_voter_id, 200),
               CASE WHEN state_voter_id <> '' THEN 'Same voter id as row ' || first_row
                    ELSE 'Same name, birth year and address as row ' || first_row END
        FROM repeated
        """,
        [job_id, voter_id_label[:120]],
    )
    return int(cursor.rowcount)


def _households_merge(cursor: Any, chapter: int) -> int:
    """Create one household per new address and refresh known ones; return how many are new."""
    cursor.execute(
        f"""
        WITH first AS (
            SELECT DISTINCT ON (address_key) address_key, house_number, house_number_suffix, street_name, unit, city,
                   state, zip5, street_side, precinct, latitude, longitude
            FROM {STAGE} WHERE address_key <> '' ORDER BY address_key, row_number
        ), changing AS (
            -- new addresses, and known ones the file tells something new: the rest need no write
            SELECT f.* FROM first f
            LEFT JOIN {HOUSEHOLD} h ON h.chapter_id = %(chapter)s AND h.address_key = f.address_key
            WHERE h.id IS NULL
               OR (f.precinct <> '' AND f.precinct <> h.precinct)
               OR (f.state <> '' AND f.state <> h.state)
               OR (f.latitude IS NOT NULL AND f.latitude IS DISTINCT FROM h.latitude)
               OR (f.longitude IS NOT NULL AND f.longitude IS DISTINCT FROM h.longitude)
        ), saved AS (
            INSERT INTO {HOUSEHOLD} AS h (
                chapter_id, address_key, house_number, house_number_suffix, street_name, unit, city, state, zip5,
                street_side, precinct, latitude, longitude, created_at, updated_at
            )
            SELECT %(chapter)s, address_key, house_number, house_number_suffix, street_name, unit, city, state, zip5,
                   street_side, precinct, latitude, longitude, now(), now()
            FROM changing
            ON CONFLICT (chapter_id, address_key) DO UPDATE SET
                precinct = CASE WHEN EXCLUDED.precinct <> '' THEN EXCLUDED.precinct ELSE h.precinct END,
                state = CASE WHEN EXCLUDED.state <> '' THEN EXCLUDED.state ELSE h.state END,
                latitude = COALESCE(EXCLUDED.latitude, h.latitude),
                longitude = COALESCE(EXCLUDED.longitude, h.longitude),
                updated_at = now()
            WHERE (EXCLUDED.precinct <> '' AND EXCLUDED.precinct <> h.precinct)
               OR (EXCLUDED.state <> '' AND EXCLUDED.state <> h.state)
               OR (EXCLUDED.latitude IS NOT NULL AND EXCLUDED.latitude IS DISTINCT FROM h.latitude)
               OR (EXCLUDED.longitude IS NOT NULL AND EXCLUDED.longitude IS DISTINCT FROM h.longitude)
            RETURNING (xmax = 0) AS inserted
        )
        SELECT count(*) FILTER (WHERE inserted) FROM saved
        """,
        {"chapter": chapter},
    )
    return int(cursor.fetchone()[0])


def _people_match(cursor: Any, chapter: int) -> None:
    """Find each record's household, and its person by voter id, then by name, birth year and household."""
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE {MATCH} ON COMMIT DROP AS
        SELECT s.row_number, h.id AS household_id, p.id AS person_id
        FROM {STAGE} s
        LEFT JOIN {HOUSEHOLD} h ON h.chapter_id = %(chapter)s AND h.address_key = s.address_key AND s.address_key <> ''
        LEFT JOIN {PERSON} p ON p.chapter_id = %(chapter)s AND p.state_voter_id = s.state_voter_id
             AND s.state_voter_id <> '' AND p.state_voter_id <> ''
        """,
        {"chapter": chapter},
    )
    cursor.execute(f"CREATE UNIQUE INDEX ON {MATCH} (row_number)")
    # The earliest row keeps a person; a person already matched by voter id is not matched again.
    cursor.execute(
        f"""
        WITH claimed AS (
            SELECT person_id FROM {MATCH} WHERE person_id IS NOT NULL
        ), candidate AS (
            SELECT s.row_number, min(p.id) AS person_id
            FROM {STAGE} s JOIN {MATCH} m ON m.row_number = s.row_number AND m.person_id IS NULL
            JOIN {PERSON} p
              ON p.chapter_id = %s AND p.name_key = s.name_key
             AND COALESCE(p.birth_year, 0) = COALESCE(s.birth_year, 0)
             AND COALESCE(p.household_id, 0) = COALESCE(m.household_id, 0)
            WHERE (s.state_voter_id = '' OR p.state_voter_id = '')
              AND p.id NOT IN (SELECT person_id FROM claimed)
            GROUP BY s.row_number
        ), first_claim AS (
            SELECT DISTINCT ON (person_id) row_number, person_id FROM candidate ORDER BY person_id, row_number
        )
        UPDATE {MATCH} m SET person_id = f.person_id FROM first_claim f WHERE m.row_number = f.row_number
        """,
        [chapter],
    )


def _plan_make(cursor: Any) -> None:
    """Give new people their ids, and note which fields each matched row changes; blank cells change nothing."""
    conditions = {name: f"{_filled('s', name)} AND s.{name} IS DISTINCT FROM p.{name}" for name in PERSON_FIELDS}
    conditions["household"] = "m.household_id IS NOT NULL AND m.household_id IS DISTINCT FROM p.household_id"
    conditions["phones"] = _phones_new("s", "p.id")
    conditions["emails"] = (
        f"s.email <> '' AND NOT EXISTS (SELECT 1 FROM {EMAIL} e WHERE e.person_id = p.id AND e.address = s.email)"
    )
    conditions["tags"] = (
        f"s.tags <> '' AND EXISTS (SELECT 1 FROM {_tags('s')} AS t(name) WHERE NOT EXISTS ("
        f"SELECT 1 FROM {PERSON_TAGS} pt JOIN {TAG} g ON g.id = pt.tag_id "
        "WHERE pt.person_id = p.id AND lower(g.name) = lower(t.name)))"
    )
    # One narrow table, written once: updating the wide staging table row by row would copy every row.
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE {PLAN} ON COMMIT DROP AS
        SELECT * FROM (
            SELECT m.row_number, m.household_id, false AS is_new, m.person_id, {_fields_mask(conditions)} AS changed
            FROM {MATCH} m JOIN {STAGE} s ON s.row_number = m.row_number JOIN {PERSON} p ON p.id = m.person_id
            UNION ALL
            -- new people's ids follow the file's order, as the portable path's do
            SELECT m.row_number, m.household_id, true, nextval(pg_get_serial_sequence('{PERSON}', 'id')), 0
            FROM (SELECT * FROM {MATCH} WHERE person_id IS NULL ORDER BY row_number) AS m
        ) AS planned
        ORDER BY row_number
        """
    )
    cursor.execute(f"CREATE UNIQUE INDEX ON {PLAN} (row_number)")
    cursor.execute(f"ANALYZE {PLAN}")


def _people_write(cursor: Any, ctx: ImportContext) -> tuple[int, int, int]:
    """
    Update matched people's changed fields, insert new people, record provenance; return the counts.

    The rows go in slices of the file, each reported on the progress bar: saving a million people takes a while.
    """
    job, chapter = ctx.job, ctx.job.chapter_id
    merged = {
        name: f"COALESCE(s.{name}, p.{name})"
        if name in NULLABLE_FIELDS
        else f"CASE WHEN s.{name} <> '' THEN s.{name} ELSE p.{name} END"
        for name in PERSON_FIELDS
    }
    updates = ", ".join(f"{name} = {value}" for name, value in merged.items())
    address = (
        f"(SELECT concat_ws(' ', h.house_number::text, h.house_number_suffix, h.street_name, h.unit, h.city, h.zip5) "
        f"FROM {HOUSEHOLD} h WHERE h.id = COALESCE(x.household_id, p.household_id))"
    )
    words = (
        f"concat_ws(' ', {merged['first_name']}, {merged['middle_name']}, {merged['last_name']}, "
        f"{merged['name_suffix']}, {address}, {merged['state_voter_id']})"
    )
    names = ", ".join(PERSON_FIELDS)
    values = ", ".join(f"s.{name}" for name in PERSON_FIELDS)
    # Both sides of each join are cut to the slice, so each slice reads only its own rows.
    rows = (
        f"{PLAN} x JOIN {STAGE} s ON s.row_number = x.row_number "
        "AND x.row_number >= %(low)s AND x.row_number < %(high)s "
        "AND s.row_number >= %(low)s AND s.row_number < %(high)s"
    )
    cursor.execute(f"SELECT min(row_number), max(row_number) FROM {PLAN}")
    first, last = cursor.fetchone()
    updated = 0
    for low in range(first or 0, (last or -1) + 1, settings.DATA_VAULT_IMPORT_SLICE_ROWS):
        high = low + settings.DATA_VAULT_IMPORT_SLICE_ROWS
        bounds = {"low": low, "high": high, "chapter": chapter, "job": job.pk}
        # One pass over each changed person: its fields, household, match key and search words together.
        cursor.execute(
            f"""
            UPDATE {PERSON} p SET {updates}, household_id = COALESCE(x.household_id, p.household_id),
                name_key = upper({merged["last_name"]}) || '|' || upper({merged["first_name"]}),
                search_text = upper(btrim(regexp_replace({words}, '\\s+', ' ', 'g'))),
                import_digest = s.import_digest, updated_at = now()
            FROM {rows}
            WHERE x.person_id = p.id AND x.changed <> 0
            """,
            bounds,
        )
        updated += int(cursor.rowcount)
        # A matched row that changes nothing is still the row that last wrote the person.
        cursor.execute(
            f"""
            UPDATE {PERSON} p SET import_digest = s.import_digest
            FROM {rows}
            WHERE x.person_id = p.id AND NOT x.is_new AND x.changed = 0 AND p.import_digest <> s.import_digest
            """,
            bounds,
        )
        cursor.execute(
            f"""
            INSERT INTO {PERSON} (
                id, chapter_id, household_id, {names}, name_key, search_text, ladder, notes, created_at, updated_at,
                origin_import_id, origin_fields, import_digest
            )
            SELECT x.person_id, %(chapter)s, x.household_id, {values}, s.name_key, s.search_text, 'unknown', '',
                   now(), now(), %(job)s, {ORIGIN_MASK}, s.import_digest
            FROM {rows}
            WHERE x.is_new ORDER BY x.row_number
            """,
            bounds,
        )
        ctx.progress(min(ctx.total, round(ctx.total * (min(high, last + 1) - first) / (last + 1 - first))))
    cursor.execute(f"SELECT count(*) FILTER (WHERE is_new), count(*) FILTER (WHERE NOT is_new) FROM {PLAN}")
    created, matched = cursor.fetchone()
    cursor.execute(
        f"""
        INSERT INTO {PROVENANCE} (person_id, import_job_id, action, fields, source, actor_id, created_at)
        WITH names AS (  -- each distinct set of changed fields, named once
            SELECT changed, (
                SELECT jsonb_agg(f.name ORDER BY f.bit) FROM unnest(%s::text[]) WITH ORDINALITY AS f(name, bit)
                WHERE changed & (1 << (f.bit::integer - 1)) <> 0
            ) AS fields
            FROM (SELECT DISTINCT changed FROM {PLAN} WHERE changed <> 0) AS masks
        )
        SELECT x.person_id, %s, 'updated', n.fields, %s, %s, now()
        FROM {PLAN} x JOIN names n ON n.changed = x.changed ORDER BY x.row_number
        """,
        [list(ORIGIN_FIELDS), job.pk, job.original_name[:255], job.created_by_id],
    )
    return int(created), updated, int(matched) - updated


def _contacts_write(cursor: Any, chapter: int, filled: set[str]) -> None:
    """Add phones, emails and tags from the fields the file fills; ones a person already has stay as they are."""
    people = f"{STAGE} s JOIN {PLAN} x ON x.row_number = s.row_number"

    def adds(field: str) -> str:
        """Keep the rows that bring a person something new in one of ORIGIN_FIELDS: a re-import skips the rest."""
        return f"(x.is_new OR x.changed & {_bit(field)} <> 0)"

    phones = ", ".join(
        f"(s.{name}, '{kind}', {rank})" for rank, (name, kind) in enumerate(PHONE_KINDS) if name in filled
    )
    if phones:
        cursor.execute(
            f"""
            INSERT INTO {PHONE} (person_id, number, kind, created_at)
            SELECT x.person_id, y.number, y.kind, now()
            FROM {people}, LATERAL (VALUES {phones}) AS y(number, kind, rank)
            WHERE y.number <> '' AND {adds("phones")}
            ORDER BY x.person_id, y.rank
            ON CONFLICT (person_id, number) DO NOTHING
            """
        )
    if "email" in filled:
        _emails_write(cursor, people, adds("emails"))
    if "tags" in filled:
        _tags_write(cursor, chapter, people, adds("tags"))


def _emails_write(cursor: Any, people: str, adds: str) -> None:
    cursor.execute(
        f"""
        INSERT INTO {EMAIL} (person_id, address, created_at)
        SELECT x.person_id, s.email, now() FROM {people} WHERE s.email <> '' AND {adds}
        ON CONFLICT (person_id, address) DO NOTHING
        """
    )


def _tags_write(cursor: Any, chapter: int, people: str, adds: str) -> None:
    cursor.execute(
        f"""
        INSERT INTO {TAG} (chapter_id, name, created_at)
        SELECT DISTINCT ON (lower(t.name)) %(chapter)s, t.name, now()
        FROM {people}, {_tags("s")} AS t(name)
        WHERE {adds}
          AND NOT EXISTS (SELECT 1 FROM {TAG} g WHERE g.chapter_id = %(chapter)s AND lower(g.name) = lower(t.name))
        ORDER BY lower(t.name), s.row_number
        ON CONFLICT (chapter_id, name) DO NOTHING
        """,
        {"chapter": chapter},
    )
    cursor.execute(
        f"""
        INSERT INTO {PERSON_TAGS} (person_id, tag_id)
        SELECT DISTINCT x.person_id, g.id FROM {people}, {_tags("s")} AS t(name)
        JOIN {TAG} g ON g.chapter_id = %s AND lower(g.name) = lower(t.name)
        WHERE {adds}
        ON CONFLICT (person_id, tag_id) DO NOTHING
        """,
        [chapter],
    )
