"""
The PostgreSQL fast path: COPY the records into a temporary staging table, then
merge them set-based, a handful of statements for the whole file.

The rules are the portable path's (pipeline.py), written as SQL: a test runs
both on the same files and compares every person, household and provenance row.
"""

# Identifiers in these statements come from model metadata and constants; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

from typing import Any

from django.db import connection

from data_vault.importers.pipeline import (
    NULLABLE_FIELDS,
    PHONE_KINDS,
    ImportContext,
    ImportOutcome,
    records_read,
)
from data_vault.importers.records import PERSON_FIELDS, STAGE_COLUMNS, STAGE_NAMES, TAG_SEPARATOR
from data_vault.models import Email, Household, ImportRejection, Person, Phone, Provenance, Tag

STAGE = "data_vault_import_stage"
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
)


def _filled(prefix: str, name: str) -> str:
    column = f"{prefix}.{name}"
    return f"{column} IS NOT NULL" if name in NULLABLE_FIELDS else f"{column} <> ''"


def _fields_array(conditions: list[tuple[str, str]]) -> str:
    cases = ", ".join(f"CASE WHEN {condition} THEN '{name}' END" for name, condition in conditions)
    return f"array_remove(ARRAY[{cases}]::text[], NULL)"


def _phones_new(stage: str, person: str) -> str:
    checks = " OR ".join(
        f"({stage}.{name} <> '' AND NOT EXISTS "
        f"(SELECT 1 FROM {PHONE} f WHERE f.person_id = {person} AND f.number = {stage}.{name}))"
        for name, _ in PHONE_KINDS
    )
    return f"({checks})"


def _tags(stage: str) -> str:
    return f"unnest(string_to_array(NULLIF({stage}.tags, ''), '{TAG_SEPARATOR}'))"


ADDRESS_WORDS = (
    "concat_ws(' ', {p}.first_name, {p}.middle_name, {p}.last_name, {p}.name_suffix, "
    "{h}.house_number::text, {h}.house_number_suffix, {h}.street_name, {h}.unit, {h}.city, {h}.zip5, "
    "{p}.state_voter_id)"
)


# What a new person got from the file, for their provenance.
FILLED = [
    *((name, _filled("s", name)) for name in PERSON_FIELDS),
    ("household", "s.household_id IS NOT NULL"),
    ("phones", " OR ".join(f"s.{name} <> ''" for name, _ in PHONE_KINDS)),
    ("emails", "s.email <> ''"),
    ("tags", "s.tags <> ''"),
]


def merge(ctx: ImportContext) -> ImportOutcome:
    """Stage the file with COPY and merge it in SQL; return the counts."""
    job, chapter = ctx.job, ctx.job.chapter_id
    outcome = ImportOutcome()
    columns = ", ".join(f"{name} {kind}" for name, kind in STAGE_COLUMNS)
    with connection.cursor() as cursor:
        # Room for the merge's sorts and hashes, and for the search index's pending list, in this transaction only.
        for setting, value in SESSION_SETTINGS:
            cursor.execute("SELECT set_config(%s, %s, true)", [setting, value])
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGE} ({columns}, household_id bigint, person_id bigint, "
            "is_new boolean NOT NULL DEFAULT false, changed text[]) ON COMMIT DROP"
        )
        raw = cursor.cursor
        records = records_read(ctx, outcome.rejections)  # before the COPY: it loads the erasures
        with raw.copy(f"COPY {STAGE} ({', '.join(STAGE_NAMES)}) FROM STDIN") as copy:
            for record in records:
                copy.write_row(record)
        _rejections_copy(raw, job.pk, outcome)

        ctx.phase("Checking rows", ctx.total)
        cursor.execute(f"CREATE INDEX ON {STAGE} (row_number)")
        cursor.execute(f"ANALYZE {STAGE}")
        rejected = _duplicates_reject(cursor, job.pk, ctx.voter_id_label)

        ctx.phase("Saving households", 0)
        outcome.households_created = _households_merge(cursor, chapter)

        ctx.phase("Matching people", 0)
        _people_match(cursor, chapter)

        ctx.phase("Saving people", 0)
        _changes_find(cursor)
        counts = _people_write(cursor, job, chapter)
        outcome.created, outcome.updated, outcome.unchanged = counts
        _contacts_write(cursor, chapter)
        cursor.execute(f"DROP TABLE {STAGE}")
    outcome.rejected = len({rejection.row_number for rejection in outcome.rejections}) + rejected
    return outcome


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
    cursor.execute(
        f"""
        WITH ranked AS (
            SELECT row_number, state_voter_id,
                   first_value(row_number) OVER (PARTITION BY state_voter_id ORDER BY row_number) AS first_row
            FROM {STAGE} WHERE state_voter_id <> ''
            UNION ALL
            SELECT row_number, '',
                   first_value(row_number) OVER (
                       PARTITION BY name_key, COALESCE(birth_year, 0), address_key ORDER BY row_number
                   )
            FROM {STAGE} WHERE state_voter_id = ''
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
        ), saved AS (
            INSERT INTO {HOUSEHOLD} AS h (
                chapter_id, address_key, house_number, house_number_suffix, street_name, unit, city, state, zip5,
                street_side, precinct, latitude, longitude, created_at, updated_at
            )
            SELECT %(chapter)s, address_key, house_number, house_number_suffix, street_name, unit, city, state, zip5,
                   street_side, precinct, latitude, longitude, now(), now()
            FROM first
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
    created = int(cursor.fetchone()[0])
    cursor.execute(
        f"""
        UPDATE {STAGE} s SET household_id = h.id FROM {HOUSEHOLD} h
        WHERE h.chapter_id = %s AND h.address_key = s.address_key AND s.address_key <> ''
        """,
        [chapter],
    )
    return created


def _people_match(cursor: Any, chapter: int) -> None:
    """Match by voter id, then by name, birth year and household; the earliest row keeps a person."""
    cursor.execute(
        f"""
        UPDATE {STAGE} s SET person_id = p.id FROM {PERSON} p
        WHERE p.chapter_id = %s AND p.state_voter_id <> '' AND s.state_voter_id <> ''
          AND p.state_voter_id = s.state_voter_id
        """,
        [chapter],
    )
    cursor.execute(
        f"""
        WITH claimed AS (
            SELECT person_id FROM {STAGE} WHERE person_id IS NOT NULL
        ), candidate AS (
            SELECT s.row_number, min(p.id) AS person_id
            FROM {STAGE} s JOIN {PERSON} p
              ON p.chapter_id = %s AND p.name_key = s.name_key
             AND COALESCE(p.birth_year, 0) = COALESCE(s.birth_year, 0)
             AND COALESCE(p.household_id, 0) = COALESCE(s.household_id, 0)
            WHERE s.person_id IS NULL
              AND (s.state_voter_id = '' OR p.state_voter_id = '')
              AND p.id NOT IN (SELECT person_id FROM claimed)
            GROUP BY s.row_number
        ), first_claim AS (
            SELECT DISTINCT ON (person_id) row_number, person_id FROM candidate ORDER BY person_id, row_number
        )
        UPDATE {STAGE} s SET person_id = f.person_id FROM first_claim f WHERE s.row_number = f.row_number
        """,
        [chapter],
    )


def _changes_find(cursor: Any) -> None:
    """Note which fields each matched row changes; blank cells change nothing."""
    conditions = [(name, f"{_filled('s', name)} AND s.{name} IS DISTINCT FROM p.{name}") for name in PERSON_FIELDS]
    conditions.append(("household", "s.household_id IS NOT NULL AND s.household_id IS DISTINCT FROM p.household_id"))
    conditions.append(("phones", _phones_new("s", "p.id")))
    conditions.append(
        (
            "emails",
            f"s.email <> '' AND NOT EXISTS (SELECT 1 FROM {EMAIL} m WHERE m.person_id = p.id AND m.address = s.email)",
        )
    )
    conditions.append(
        (
            "tags",
            f"EXISTS (SELECT 1 FROM {_tags('s')} AS t(name) WHERE NOT EXISTS ("
            f"SELECT 1 FROM {PERSON_TAGS} pt JOIN {TAG} g ON g.id = pt.tag_id "
            "WHERE pt.person_id = p.id AND lower(g.name) = lower(t.name)))",
        )
    )
    cursor.execute(
        f"UPDATE {STAGE} s SET changed = {_fields_array(conditions)} FROM {PERSON} p WHERE p.id = s.person_id"
    )


def _people_write(cursor: Any, job: Any, chapter: int) -> tuple[int, int, int]:
    """Update matched people's changed fields, insert new people, record provenance; return the counts."""
    merged = {
        name: f"COALESCE(s.{name}, p.{name})"
        if name in NULLABLE_FIELDS
        else f"CASE WHEN s.{name} <> '' THEN s.{name} ELSE p.{name} END"
        for name in PERSON_FIELDS
    }
    updates = ", ".join(f"{name} = {value}" for name, value in merged.items())
    address = (
        f"(SELECT concat_ws(' ', h.house_number::text, h.house_number_suffix, h.street_name, h.unit, h.city, h.zip5) "
        f"FROM {HOUSEHOLD} h WHERE h.id = COALESCE(s.household_id, p.household_id))"
    )
    words = (
        f"concat_ws(' ', {merged['first_name']}, {merged['middle_name']}, {merged['last_name']}, "
        f"{merged['name_suffix']}, {address}, {merged['state_voter_id']})"
    )
    # One pass over each changed person: its fields, household, match key and search words together.
    cursor.execute(
        f"""
        UPDATE {PERSON} p SET {updates}, household_id = COALESCE(s.household_id, p.household_id),
            name_key = upper({merged["last_name"]}) || '|' || upper({merged["first_name"]}),
            search_text = upper(btrim(regexp_replace({words}, '\\s+', ' ', 'g'))),
            updated_at = now()
        FROM {STAGE} s WHERE s.person_id = p.id AND cardinality(s.changed) > 0
        """
    )
    updated = int(cursor.rowcount)
    cursor.execute(f"SELECT count(*) FROM {STAGE} WHERE person_id IS NOT NULL")
    unchanged = int(cursor.fetchone()[0]) - updated
    cursor.execute(
        f"""
        UPDATE {STAGE} SET is_new = true,
            person_id = nextval(pg_get_serial_sequence('{PERSON}', 'id'))
        WHERE person_id IS NULL
        """
    )
    created = int(cursor.rowcount)
    names = ", ".join(PERSON_FIELDS)
    values = ", ".join(f"s.{name}" for name in PERSON_FIELDS)
    search = ADDRESS_WORDS.format(p="s", h="s")
    no_address = "concat_ws(' ', s.first_name, s.middle_name, s.last_name, s.name_suffix, s.state_voter_id)"
    cursor.execute(
        f"""
        INSERT INTO {PERSON} (
            id, chapter_id, household_id, {names}, name_key, search_text, ladder, notes, created_at, updated_at
        )
        SELECT s.person_id, %s, s.household_id, {values}, s.name_key,
               upper(btrim(regexp_replace(
                   CASE WHEN s.household_id IS NULL THEN {no_address} ELSE {search} END, '\\s+', ' ', 'g'))),
               'unknown', '', now(), now()
        FROM {STAGE} s WHERE s.is_new ORDER BY s.row_number
        """,
        [chapter],
    )
    cursor.execute(
        f"""
        INSERT INTO {PROVENANCE} (person_id, import_job_id, action, fields, source, actor_id, created_at)
        SELECT s.person_id, %s, CASE WHEN s.is_new THEN 'created' ELSE 'updated' END,
               to_jsonb(CASE WHEN s.is_new THEN {_fields_array(FILLED)} ELSE s.changed END), %s, %s, now()
        FROM {STAGE} s WHERE s.is_new OR cardinality(s.changed) > 0 ORDER BY s.row_number
        """,
        [job.pk, job.original_name[:255], job.created_by_id],
    )
    return created, updated, unchanged


def _contacts_write(cursor: Any, chapter: int) -> None:
    """Add phones, emails and tags; ones a person already has stay as they are."""
    phones = " UNION ALL ".join(
        f"SELECT person_id, row_number, {name} AS number, '{kind}' AS kind, {rank} AS rank "
        f"FROM {STAGE} WHERE {name} <> ''"
        for rank, (name, kind) in enumerate(PHONE_KINDS)
    )
    cursor.execute(
        f"""
        INSERT INTO {PHONE} (person_id, number, kind, created_at)
        SELECT person_id, number, kind, now() FROM ({phones}) AS x ORDER BY person_id, rank
        ON CONFLICT (person_id, number) DO NOTHING
        """
    )
    cursor.execute(
        f"""
        INSERT INTO {EMAIL} (person_id, address, created_at)
        SELECT person_id, email, now() FROM {STAGE} WHERE email <> ''
        ON CONFLICT (person_id, address) DO NOTHING
        """
    )
    cursor.execute(
        f"""
        INSERT INTO {TAG} (chapter_id, name, created_at)
        SELECT DISTINCT ON (lower(t.name)) %(chapter)s, t.name, now()
        FROM {STAGE} s, {_tags("s")} AS t(name)
        WHERE NOT EXISTS (SELECT 1 FROM {TAG} g WHERE g.chapter_id = %(chapter)s AND lower(g.name) = lower(t.name))
        ORDER BY lower(t.name), s.row_number
        ON CONFLICT (chapter_id, name) DO NOTHING
        """,
        {"chapter": chapter},
    )
    cursor.execute(
        f"""
        INSERT INTO {PERSON_TAGS} (person_id, tag_id)
        SELECT DISTINCT s.person_id, g.id FROM {STAGE} s, {_tags("s")} AS t(name)
        JOIN {TAG} g ON g.chapter_id = %s AND lower(g.name) = lower(t.name)
        ON CONFLICT (person_id, tag_id) DO NOTHING
        """,
        [chapter],
    )
