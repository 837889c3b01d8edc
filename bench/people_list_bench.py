"""
Measure the people list at the issue's scale: filtered by precinct, plus a name search.

Usage (PostgreSQL, a migrated database; the bench chapter is rebuilt unless --reuse).
Run it with DEBUG off, as production serves pages (compiled templates are cached):

    DEBUG=0 SECRET_KEY=bench DATABASE_URL=postgres://postgres@127.0.0.1:5432/bw_bench \
      REDIS_URL=redis://127.0.0.1:6379/2 .venv/bin/python bench/people_list_bench.py --people 1000000

In one run it measures, as the median of --repeat runs each:
  (a) baseline: the same filter and search as one SQL statement with the vault's indexes
      switched off for the session (what a sequential scan of the chapter costs);
  (b) the selector: the page's count plus its first 50 people, with households, tags,
      phones and do-not-contact, through the ORM;
  (c) the page: GET /c/<chapter>/vault/people/?precinct=…&q=… through Django's test client,
      signed in as an organizer, templates rendered (server time, no network);
  and, for reference, the unfiltered first page of everyone.
The target is (c) <= 200 ms at 1,000,000 people. The last line is `page_ms=X.X`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402

# Pages reference static files; the bench renders them without collectstatic.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from chapters.models import Chapter, Membership, Role  # noqa: E402
from core.models import User  # noqa: E402
from data_vault.models import Person  # noqa: E402
from data_vault.selectors import person_list  # noqa: E402

SLUG = "bench-people"
PRECINCTS = 500
FIRST = [
    "JAMES",
    "MARY",
    "JOSE",
    "ANA",
    "WEI",
    "FATIMA",
    "DARNELL",
    "KEISHA",
    "OMAR",
    "LUIS",
    "ROSA",
    "JUNE",
    "AMIR",
    "NGOC",
    "PRIYA",
    "DMITRI",
    "TYRONE",
    "HANNAH",
    "CARLOS",
    "AISHA",
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
]
STREETS = [
    "MAIN ST",
    "ELM ST",
    "OAK AVE",
    "PINE ST",
    "MAPLE AVE",
    "CEDAR LN",
    "FAYETTEVILLE ST",
    "ALSTON AVE",
    "DUKE ST",
    "ROXBORO RD",
    "HOLLOWAY ST",
    "MANGUM ST",
    "GREGSON ST",
    "CHAPEL HILL RD",
    "ROXBORO ST",
]


def _sql_array(values: list[str]) -> str:
    return "ARRAY[" + ",".join(f"'{v}'" for v in values) + "]"


def build(people: int) -> Chapter:
    """Create the bench chapter with `people` people in households of about 2.5, across 500 precincts."""
    Chapter.objects.filter(slug=SLUG).delete()
    chapter = Chapter.objects.create(slug=SLUG, name="Bench Socialists", state="NC", region="southeast")
    households = max(1, int(people / 2.5))
    first, last, streets = _sql_array(FIRST), _sql_array(LAST), _sql_array(STREETS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO data_vault_household (chapter_id, address_key, house_number, house_number_suffix,
                street_name, unit, city, state, zip5, street_side, precinct, created_at, updated_at)
            SELECT %(chapter)s, n::text || '||' || s || '||DURHAM|277' || lpad((n %% 20)::text, 2, '0'),
                   n, '', s, '', 'DURHAM', 'NC', '277' || lpad((n %% 20)::text, 2, '0'),
                   CASE WHEN n %% 2 = 0 THEN 'even' ELSE 'odd' END,
                   lpad((n %% {PRECINCTS})::text, 3, '0'), now(), now()
            FROM (SELECT n, ({streets})[1 + (n / {PRECINCTS}) %% {len(STREETS)}] AS s
                  FROM generate_series(1, %(households)s) AS n) AS doors
            """,
            {"chapter": chapter.pk, "households": households},
        )
        cursor.execute("SELECT min(id) FROM data_vault_household WHERE chapter_id = %s", [chapter.pk])
        first_door = cursor.fetchone()[0]
        cursor.execute(
            f"""
            INSERT INTO data_vault_person (chapter_id, household_id, state_voter_id, county_voter_id,
                first_name, middle_name, last_name, name_suffix, name_key, search_text, birth_year, gender, party,
                registration_status, county, precinct, congressional_district, state_senate_district,
                state_house_district, municipality, ward, ladder, support_score, notes, origin_fields, import_digest,
                created_at, updated_at)
            SELECT %(chapter)s, h.id, 'BN' || n, '', f, '', l, '', l || '|' || f,
                   f || ' ' || l || ' ' || h.house_number || ' ' || h.street_name || ' DURHAM ' || h.zip5 || ' BN' || n,
                   1940 + n %% 65, CASE WHEN n %% 2 = 0 THEN 'female' ELSE 'male' END,
                   (ARRAY['DEM','REP','UNA','LIB','GRE'])[1 + n %% 5], 'active', 'DURHAM', h.precinct,
                   '4', '20', '29', 'DURHAM', '', 'voter', NULL, '', 0, '', now(), now()
            FROM (SELECT n, ({first})[1 + n %% {len(FIRST)}] AS f,
                         ({last})[1 + (n * 7 + n / 13) %% {len(LAST)}] AS l,
                         (n::bigint * 7919) %% %(households)s AS door
                  FROM generate_series(1, %(people)s) AS n) AS p
            JOIN data_vault_household AS h ON h.id = %(first_door)s + p.door
            """,
            {"chapter": chapter.pk, "households": households, "people": people, "first_door": first_door},
        )
    with connection.cursor() as cursor:
        # What autovacuum does after a bulk load: statistics, and the visibility map for index-only counts.
        cursor.execute("VACUUM ANALYZE data_vault_household")
        cursor.execute("VACUUM ANALYZE data_vault_person")
    return chapter


def organizer(chapter: Chapter) -> User:
    """Return the bench organizer, with TOTP so the two-factor check lets it through."""
    user, created = User.objects.get_or_create(email="bench-organizer@example.org")
    if created:
        TOTP.activate(user, generate_totp_secret())
    Membership.objects.update_or_create(user=user, chapter=chapter, defaults={"role": Role.ORGANIZER})
    return user


def median_ms(run: Callable[[], object], repeat: int) -> float:
    run()  # Warm the caches once, as a page served twice would be.
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--reuse", action="store_true", help="Keep the bench chapter if it already has the people.")
    parser.add_argument("--precinct", default="042")
    parser.add_argument("--q", default="garcia")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The people list bench runs on PostgreSQL (set DATABASE_URL).")

    chapter = Chapter.objects.filter(slug=SLUG).first()
    if not (args.reuse and chapter and Person.objects.filter(chapter=chapter).count() == args.people):
        start = time.perf_counter()
        chapter = build(args.people)
        print(f"built {args.people} people in {time.perf_counter() - start:.1f} s")
    assert chapter is not None
    filters = {"precinct": [args.precinct], "q": args.q}
    people_count = Person.objects.filter(chapter=chapter).count()
    matches = person_list(chapter=chapter, filters=filters).count()

    def baseline() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for setting in ("enable_indexscan", "enable_bitmapscan", "enable_indexonlyscan"):
                cursor.execute(f"SET LOCAL {setting} = off")
            cursor.execute(
                "SELECT count(*) OVER (), id, first_name, last_name FROM data_vault_person "
                "WHERE chapter_id = %s AND precinct = %s AND search_text LIKE %s "
                "ORDER BY last_name, first_name, id LIMIT 50",
                [chapter.pk, args.precinct, f"%{args.q.upper()}%"],
            )
            cursor.fetchall()

    def selector() -> None:
        people = person_list(chapter=chapter, filters=filters)
        people.count()
        list(people[:50])

    client = Client(HTTP_HOST=next((h for h in settings.ALLOWED_HOSTS if h != "*"), "localhost").lstrip("."))
    client.force_login(organizer(chapter))
    url = f"/c/{SLUG}/vault/people/?precinct={args.precinct}&q={args.q}"

    def page() -> None:
        response = client.get(url, secure=True)
        assert response.status_code == 200, response.status_code

    def unfiltered_page() -> None:
        response = client.get(f"/c/{SLUG}/vault/people/", secure=True)
        assert response.status_code == 200, response.status_code

    baseline_ms = median_ms(baseline, args.repeat)
    selector_ms = median_ms(selector, args.repeat)
    unfiltered_ms = median_ms(unfiltered_page, args.repeat)
    page_ms = median_ms(page, args.repeat)
    print(f"people={people_count} precinct={args.precinct} q={args.q!r} matches={matches} debug={settings.DEBUG}")
    print(f"baseline_seq_scan_ms={baseline_ms:.1f}")
    print(f"selector_ms={selector_ms:.1f}")
    print(f"unfiltered_page_ms={unfiltered_ms:.1f}  (first page of all {people_count} people, with the count)")
    print(f"speedup_over_baseline={baseline_ms / page_ms:.1f}x")
    print(f"page_ms={page_ms:.1f}")


if __name__ == "__main__":
    main()
