"""
Time voter-file imports against a raw COPY of the same file, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bw_bench \\
      .venv/bin/python bench/import_bench.py --rows 1000000

It writes an ncvoter-layout file of N rows with realistic values under /tmp, then measures:

  (a) raw COPY of the file into an UNLOGGED all-text table;
  (b) Blockwork's import end to end (upload checks, then the Celery task the page queues, run in process);
  (c) a re-import of the file with 10% of the rows changed;
  (d) the portable ORM path on the same file, as the baseline the fast path replaces
      (skip it with --portable-rows 0, or cap it: by default it runs on up to 200,000 rows);
  (e) the people list filtered by precinct plus a name search, as the list page runs it;
  (f) the floor under (b): the same people rows, already read, inserted in one statement into the
      people table with its indexes and keys, and those keys checked (rolled back afterwards);

and the worker's peak RSS over (b) and (c). Under (b) and (c) it lists the slowest SQL
statements, and the rest: reading the rows and the COPY that streams them.
The database must be migrated; the bench
makes its own chapters and removes them afterwards. The last line is ratio_to_copy=(b)/(a).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.files import File  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from chapters.models import Chapter  # noqa: E402
from data_vault.importers.jobs import import_job_confirm, import_job_create  # noqa: E402
from data_vault.importers.presets import NCVOTER_COLUMNS  # noqa: E402
from data_vault.models import ImportJob, Person  # noqa: E402
from data_vault.selectors import person_list  # noqa: E402
from data_vault.tasks import import_job_run_task  # noqa: E402

FIRST = [
    "JAMES",
    "MARY",
    "ROBERT",
    "PATRICIA",
    "JOHN",
    "JENNIFER",
    "MICHAEL",
    "LINDA",
    "DAVID",
    "ELIZABETH",
    "WILLIAM",
    "BARBARA",
    "RICHARD",
    "SUSAN",
    "JOSEPH",
    "JESSICA",
    "THOMAS",
    "SARAH",
    "CARLOS",
    "MARIA",
    "JOSE",
    "ANA",
    "LUIS",
    "ROSA",
    "WEI",
    "MEI",
    "AISHA",
    "DARNELL",
    "KEISHA",
    "TYRONE",
]
LAST = [
    "SMITH",
    "JOHNSON",
    "WILLIAMS",
    "BROWN",
    "JONES",
    "GARCIA",
    "MILLER",
    "DAVIS",
    "RODRIGUEZ",
    "MARTINEZ",
    "HERNANDEZ",
    "LOPEZ",
    "GONZALEZ",
    "WILSON",
    "ANDERSON",
    "THOMAS",
    "TAYLOR",
    "MOORE",
    "JACKSON",
    "MARTIN",
    "LEE",
    "PEREZ",
    "THOMPSON",
    "WHITE",
    "HARRIS",
    "SANCHEZ",
    "CLARK",
    "RAMIREZ",
    "LEWIS",
    "ROBINSON",
    "O'NEIL",
    "NGUYEN",
]
STREETS = [
    "MAIN ST",
    "ELM AVE",
    "OAK DR",
    "PINE RD",
    "MAPLE LN",
    "CEDAR CT",
    "HILLSBOROUGH RD",
    "FAYETTEVILLE ST",
    "ALSTON AVE",
    "DUKE ST",
    "ROXBORO ST",
    "GUESS RD",
    "CHAPEL HILL RD",
    "NC HWY 54",
    "WEAVER ST",
]
CITIES = [("DURHAM", "27701"), ("DURHAM", "27703"), ("DURHAM", "27705"), ("RALEIGH", "27601"), ("CARY", "27511")]
PARTIES = ["DEM", "DEM", "REP", "UNA", "UNA", "LIB", "GRE"]


def voter_row(n: int, rng: random.Random, *, variant: int = 0) -> list[str]:
    """Return one realistic ncvoter row for voter n; a variant changes party and address."""
    city, zip_code = CITIES[n % len(CITIES)]
    number = 100 + (n // 3) % 4000
    unit = f" APT {n % 7 + 1}" if n % 11 == 0 else ""
    street = STREETS[(n // 3 + variant) % len(STREETS)]
    values = {
        "county_id": "32",
        "county_desc": "DURHAM",
        "voter_reg_num": str(n),
        "ncid": f"BN{n:08d}",
        "last_name": LAST[rng.randrange(len(LAST))],
        "first_name": FIRST[rng.randrange(len(FIRST))],
        "middle_name": FIRST[rng.randrange(len(FIRST))] if n % 3 else "",
        "status_cd": "A",
        "voter_status_desc": "ACTIVE" if n % 9 else "INACTIVE",
        "res_street_address": f"{number}  {street}{unit}",
        "res_city_desc": city,
        "state_cd": "NC",
        "zip_code": zip_code,
        "full_phone_number": f"919555{n % 10000:04d}" if n % 4 == 0 else "",
        "registr_dt": f"{1 + n % 12:02d}/{1 + n % 28:02d}/{1990 + n % 34}",
        "race_code": "W",
        "ethnic_code": "NL",
        "party_cd": PARTIES[(n + variant) % len(PARTIES)],
        "gender_code": "FMU"[n % 3],
        "birth_year": str(1930 + n % 75),
        "age_at_year_end": str(96 - n % 75),
        "birth_state": "NC",
        "precinct_abbrv": f"{(n // 40) % 60 + 1:02d}",
        "precinct_desc": "PRECINCT",
        "municipality_abbrv": "DUR",
        "municipality_desc": city,
        "ward_abbrv": str(n % 3 + 1),
        "cong_dist_abbrv": "4",
        "nc_senate_abbrv": "20",
        "nc_house_abbrv": "29",
    }
    return [values.get(column, "") for column in NCVOTER_COLUMNS]


def file_write(path: Path, rows: int, *, changed_share: float = 0.0) -> None:
    """Write an ncvoter file (tab-separated, quoted as the state quotes it); change a share of the rows."""
    rng = random.Random(7)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter="\t", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(NCVOTER_COLUMNS)
        for n in range(rows):
            variant = 1 if changed_share and n % int(1 / changed_share) == 0 else 0
            writer.writerow(voter_row(n, rng, variant=variant))


def raw_copy_seconds(path: Path) -> float:
    """Time COPY of the file into an UNLOGGED table of text columns."""
    columns = ", ".join(f'"{column}" text' for column in NCVOTER_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_ncvoter")
        cursor.execute(f"CREATE UNLOGGED TABLE bench_raw_ncvoter ({columns})")
        started = time.perf_counter()
        with (
            path.open("rb") as stream,
            cursor.cursor.copy(
                "COPY bench_raw_ncvoter FROM STDIN WITH (FORMAT csv, DELIMITER E'\\t', HEADER true)"
            ) as copy,
        ):
            while chunk := stream.read(1024 * 1024):
                copy.write(chunk)
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_raw_ncvoter")
    return elapsed


def import_seconds(chapter: Chapter, path: Path, *, fast: bool) -> tuple[float, ImportJob]:
    """Time an import as the page runs it: upload checks, confirmation, then the queued task."""
    from django.test import override_settings

    started = time.perf_counter()
    with override_settings(DATA_VAULT_IMPORT_FAST_PATH=fast), path.open("rb") as stream:
        job = import_job_create(
            chapter=chapter, actor=None, upload=File(stream, name=path.name), original_name=path.name
        )
        job = import_job_confirm(job=job, mapping=job.mapping, actor=None, queue=False)
        import_job_run_task.apply(args=[job.pk], throw=True)
    elapsed = time.perf_counter() - started
    job.refresh_from_db()
    if job.status != ImportJob.Status.DONE:
        raise SystemExit(f"The import did not finish: {job.status} {job.error}")
    return elapsed, job


class StatementTimer:
    """Sum the seconds each SQL statement of an import takes, to show which phase is slow."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            label = " ".join(sql.split())[:90]
            self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - started

    def report(self, name: str, total: float, *, top: int = 12) -> None:
        """Print the slowest statements, then the time outside them."""
        print(f"    {name} {total - sum(self.seconds.values()):8.2f}s  (reading rows and their COPY, uploads, Python)")
        for label, seconds in sorted(self.seconds.items(), key=lambda item: -item[1])[:top]:
            print(f"    {name} {seconds:8.2f}s  {label}")
        self.seconds.clear()


def list_seconds(chapter: Chapter) -> float:
    """Time the people list's first page, filtered by precinct and searched by name."""
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        list(person_list(chapter=chapter, filters={"precinct": ["07"], "q": "GARCIA"})[:50])
        timings.append(time.perf_counter() - started)
    return sorted(timings)[len(timings) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--portable-rows", type=int, default=200_000, help="Rows for the ORM baseline (0 skips it).")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("The bench needs PostgreSQL: set DATABASE_URL.")
    workdir = Path(tempfile.mkdtemp(prefix="import_bench_", dir="/tmp"))
    os.environ.setdefault("MEDIA_ROOT", str(workdir / "media"))
    from django.conf import settings

    settings.MEDIA_ROOT = workdir / "media"
    fresh, changed = workdir / "ncvoter_bench.txt", workdir / "ncvoter_bench_changed.txt"
    started = time.perf_counter()
    file_write(fresh, args.rows)
    file_write(changed, args.rows, changed_share=0.1)
    size_mb = fresh.stat().st_size / 1024 / 1024
    print(f"rows={args.rows} file_mb={size_mb:.1f} generate_s={time.perf_counter() - started:.2f} dir={workdir}")

    stamp = int(time.time())
    chapter = chapter_create(stamp, "fast")
    baseline = chapter_create(stamp, "orm")
    small_fast: Chapter | None = None
    try:
        copy_s = raw_copy_seconds(fresh)
        print(f"(a) raw_copy_s={copy_s:.2f}")
        timer = StatementTimer()
        with connection.execute_wrapper(timer):
            fresh_s, job = import_seconds(chapter, fresh, fast=True)
        print(f"(b) import_s={fresh_s:.2f} created={job.created_count} rejected={job.rejected_count} "
              f"rows_per_s={args.rows / fresh_s:.0f} ratio={fresh_s / copy_s:.2f}")  # fmt: skip
        timer.report("(b)", fresh_s)
        with connection.execute_wrapper(timer):
            again_s, job = import_seconds(chapter, changed, fast=True)
        print(f"(c) reimport_s={again_s:.2f} updated={job.updated_count} unchanged={job.unchanged_count} "
              f"ratio={again_s / copy_s:.2f}")  # fmt: skip
        timer.report("(c)", again_s)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"worker_peak_rss_mb={peak_mb:.0f}")
        list_s = list_seconds(chapter)
        print(
            f"(e) people_list_precinct_and_name_ms={list_s * 1000:.0f} "
            f"people={Person.objects.filter(chapter=chapter).count()}"
        )
        insert_s, keys_s = floor_seconds(chapter, stamp)
        print(f"(f) floor_insert_s={insert_s:.2f} floor_keys_s={keys_s:.2f} "
              f"floor_ratio={(insert_s + keys_s) / copy_s:.2f}")  # fmt: skip
        if args.portable_rows:
            rows = min(args.rows, args.portable_rows)
            small = workdir / "ncvoter_bench_portable.txt"
            file_write(small, rows)
            fast_small_s = fresh_s
            if rows != args.rows:
                small_fast = chapter_create(stamp, "fast-small")
                fast_small_s = import_seconds(small_fast, small, fast=True)[0]
            orm_s, _ = import_seconds(baseline, small, fast=False)
            print(f"(d) portable_orm_s={orm_s:.2f} fast_s={fast_small_s:.2f} rows={rows} "
                  f"fast_speedup={orm_s / fast_small_s:.1f}x")  # fmt: skip
    finally:
        for made in (chapter, baseline, small_fast):
            if made is not None:
                chapter_drop(made)
    print(f"ratio_to_copy={fresh_s / copy_s:.2f}")


def floor_seconds(chapter: Chapter, stamp: int) -> tuple[float, float]:
    """
    Time inserting the chapter's people again, set-based from a ready table, then checking their keys.

    No file is read and nothing is normalized or matched: this is what writing the rows alone costs
    with the people table's indexes and foreign keys. It is rolled back.
    """
    columns = [str(field.column) for field in Person._meta.concrete_fields if field.column not in ("id", "chapter_id")]
    names = ", ".join(columns)
    with transaction.atomic(), connection.cursor() as cursor:
        floor = chapter_create(stamp, "floor")
        cursor.execute(
            f"CREATE TEMPORARY TABLE bench_floor ON COMMIT DROP AS SELECT {names} FROM {Person._meta.db_table} "
            "WHERE chapter_id = %s ORDER BY id",
            [chapter.pk],
        )
        started = time.perf_counter()
        cursor.execute(
            f"INSERT INTO {Person._meta.db_table} (chapter_id, {names}) SELECT %s, {names} FROM bench_floor",
            [floor.pk],
        )
        inserted = time.perf_counter()
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        checked = time.perf_counter()
        transaction.set_rollback(True)
    return inserted - started, checked - inserted


def chapter_create(stamp: int, name: str) -> Chapter:
    """Return a new, empty bench chapter."""
    return Chapter.objects.create(
        name=f"Bench {name} {stamp}", slug=f"bench-{name}-{stamp}", state="NC", region="southeast"
    )


def chapter_drop(chapter: Chapter) -> None:
    """Remove a bench chapter and everything its imports wrote, set-based (the ORM would load every row)."""
    tables = [
        ("data_vault_provenance", "person_id IN (SELECT id FROM data_vault_person WHERE chapter_id = %s)"),
        ("data_vault_phone", "person_id IN (SELECT id FROM data_vault_person WHERE chapter_id = %s)"),
        ("data_vault_email", "person_id IN (SELECT id FROM data_vault_person WHERE chapter_id = %s)"),
        ("data_vault_person_tags", "person_id IN (SELECT id FROM data_vault_person WHERE chapter_id = %s)"),
        ("data_vault_person", "chapter_id = %s"),
        ("data_vault_household", "chapter_id = %s"),
        ("data_vault_importrejection", "job_id IN (SELECT id FROM data_vault_importjob WHERE chapter_id = %s)"),
    ]
    with connection.cursor() as cursor:
        for table, condition in tables:
            cursor.execute(f"DELETE FROM {table} WHERE {condition}", [chapter.pk])
    chapter.delete()


if __name__ == "__main__":
    main()
