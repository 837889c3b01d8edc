"""
Time the NEC report's figures and PDF for a national dataset, against a per-chapter baseline, in one run.

    psql -U postgres -h 127.0.0.1 -c "CREATE DATABASE bw_committee_bench"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bw_committee_bench \\
      .venv/bin/python bench/report_bench.py --chapters 200 --events 1000000

The database's name must contain "bench": the script migrates it, empties it and fills it with set-based
INSERT ... SELECT generate_series statements (chapters, households, campaigns, contact events,
requests for help, trainings with sign-ups, capacity assessments). The dataset is kept between
runs and rebuilt only when its size differs or --fresh is given. Then it measures:

  (a) report figures as committee.figures computes them: query count and seconds;
  (b) the naive baseline: the same figures computed chapter by chapter in a loop;
  (c) the whole render the Celery task runs: figures, SVG charts, WeasyPrint PDF, saved file.

The figures of (a) and (b) must agree; the last line is speedup=(b)/(a).
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from canvassing.models import Campaign  # noqa: E402
from chapters.models import Chapter  # noqa: E402
from committee.figures import CONVERSATIONS, ELECTORAL_KINDS, report_figures  # noqa: E402
from committee.models import (  # noqa: E402
    CAPACITY_DIMENSIONS,
    AssistanceRequest,
    CapacityAssessment,
    Report,
    ReportRender,
    Training,
    TrainingSignup,
)
from committee.pdf import report_render  # noqa: E402
from data_vault.models import ContactEvent  # noqa: E402

PERIOD_START, PERIOD_END = date(2026, 1, 1), date(2026, 6, 30)
PREFIX = "bench-"


def _sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


@transaction.atomic
def dataset_build(chapters: int, events: int) -> None:
    """Fill the bench database with set-based inserts; every row is aggregate fodder, none is real."""
    # A dedicated database: empty the tables the dataset lives in, and everything that hangs off them.
    _sql("TRUNCATE chapters_chapter, core_user, committee_report RESTART IDENTITY CASCADE")
    _sql(
        """INSERT INTO chapters_chapter (created_at, updated_at, name, slug, state, region, contact_email,
             endorsement_threshold_percent, endorsement_quorum, endorsement_requires_questionnaire,
             endorsement_requires_research)
           SELECT now(), now(), 'Bench chapter ' || g, %s || g, 'NC', 'southeast', '', 60, 5, true, true
           FROM generate_series(1, %s) g""",
        [PREFIX, chapters],
    )
    _sql(
        """CREATE TEMP TABLE bench_chapter AS
           SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM chapters_chapter WHERE slug LIKE %s""",
        [PREFIX + "%"],
    )
    households_per_chapter = 500
    _sql(
        """INSERT INTO data_vault_household (created_at, updated_at, address_key, house_number, house_number_suffix,
             street_name, unit, city, state, zip5, street_side, precinct, chapter_id)
           SELECT now(), now(), h || ' MAIN ST', h, '', 'MAIN ST', '', 'DURHAM', 'NC', '27701', '', 'P1', c.id
           FROM bench_chapter c, generate_series(1, %s) h""",
        [households_per_chapter],
    )
    _sql(
        """CREATE TEMP TABLE bench_household AS
           SELECT c.n AS chapter_n, row_number() OVER (PARTITION BY h.chapter_id ORDER BY h.id) - 1 AS n, h.id
           FROM data_vault_household h JOIN bench_chapter c ON c.id = h.chapter_id"""
    )
    _sql("CREATE INDEX ON bench_household (chapter_n, n)")
    _sql(
        """INSERT INTO canvassing_campaign (created_at, updated_at, name, kind, description, status, starts_on,
             ends_on, chapter_id)
           SELECT now(), now(), 'Campaign ' || k, (ARRAY['candidate','issue','ballot_measure'])[1 + (c.n + k) %% 3],
                  '', (ARRAY['active','completed','draft'])[1 + (c.n * k) %% 3], DATE '2026-01-15' - (c.n %% 90)::int,
                  NULL, c.id
           FROM bench_chapter c, generate_series(1, 2) k"""
    )
    _sql(
        """INSERT INTO data_vault_contactevent (channel, result, answers, notes, occurred_at, created_at,
             chapter_id, household_id)
           SELECT (ARRAY['door','door','door','phone','text'])[1 + g %% 5],
                  (ARRAY['contact','not_home','refused','replied','no_answer','contact'])[1 + (g / 7) %% 6],
                  '{}'::jsonb, '', TIMESTAMPTZ '2025-10-01 12:00+00' + ((g %% 365) || ' days')::interval, now(),
                  c.id, h.id
           FROM generate_series(0, %s - 1) g
           JOIN bench_chapter c ON c.n = g %% %s
           JOIN bench_household h ON h.chapter_n = c.n AND h.n = (g / %s) %% %s""",
        [events, chapters, chapters, households_per_chapter],
    )
    _sql(
        """INSERT INTO committee_assistancerequest (created_at, updated_at, kind, description, urgency, status,
             closed_at, chapter_id)
           SELECT TIMESTAMPTZ '2025-12-01 09:00+00' + ((k * 13 + c.n) %% 200 || ' days')::interval, now(),
                  (ARRAY['training','press','research','data_tools'])[1 + k %% 4], 'bench', 'normal',
                  CASE WHEN k %% 3 = 0 THEN 'in_progress' ELSE 'done' END,
                  CASE WHEN k %% 3 = 0 THEN NULL
                       ELSE TIMESTAMPTZ '2025-12-01 09:00+00'
                            + ((k * 13 + c.n) %% 200 + 1 + k %% 20 || ' days')::interval
                  END,
                  c.id
           FROM bench_chapter c, generate_series(1, 10) k"""
    )
    _sql(
        """INSERT INTO committee_training (created_at, updated_at, title, description, starts_at, format, location,
             capacity, host_chapter_id)
           SELECT now(), now(), 'Skill-share ' || c.n, '',
                  TIMESTAMPTZ '2026-01-05 18:00+00' + (c.n || ' days')::interval, 'online', '', 30, c.id
           FROM bench_chapter c"""
    )
    _sql(
        """INSERT INTO core_user (password, is_superuser, email, name, is_staff, is_active, date_joined)
           SELECT '!', false, %s || g || '@example.org', '', false, true, now() FROM generate_series(1, 20) g""",
        [PREFIX],
    )
    _sql(
        """INSERT INTO committee_trainingsignup (attended, created_at, chapter_id, training_id, user_id)
           SELECT (u.id + t.id) %% 4 <> 0, now(), t.host_chapter_id, t.id, u.id
           FROM committee_training t, core_user u WHERE u.email LIKE %s""",
        [PREFIX + "%"],
    )
    _sql(
        """INSERT INTO committee_capacityassessment (period, field, data, messaging, research, fundraising,
             compliance, comments, created_at, chapter_id)
           SELECT q, 1 + (c.n + 1) %% 5, 1 + (c.n + 2) %% 5, 1 + (c.n + 3) %% 5, 1 + c.n %% 5, 1 + (c.n + 4) %% 5,
                  1 + (c.n * 7) %% 5, '', now(), c.id
           FROM bench_chapter c, unnest(ARRAY[DATE '2025-10-01', DATE '2026-01-01', DATE '2026-04-01']) q"""
    )


def _bounds() -> tuple[datetime, datetime]:
    start = datetime.combine(PERIOD_START, datetime.min.time(), tzinfo=UTC)
    return start, datetime.combine(PERIOD_END + timedelta(days=1), datetime.min.time(), tzinfo=UTC)


def figures_naive() -> dict[str, Any]:
    """Compute the headline figures the obvious way: one chapter at a time."""
    start, end = _bounds()
    totals: dict[str, Any] = dict.fromkeys(("chapters_electoral", "campaigns", "doors", "conversations"), 0)
    totals.update(opened=0, closed=0, held=0, attended=0)
    days: list[float] = []
    sums = dict.fromkeys(CAPACITY_DIMENSIONS, 0)
    assessed = 0
    for chapter in Chapter.objects.all():
        campaigns = (
            Campaign.objects.filter(chapter=chapter)
            .exclude(status=Campaign.Status.DRAFT)
            .filter(
                Q(starts_on__isnull=True) | Q(starts_on__lte=PERIOD_END),
                Q(ends_on__isnull=True) | Q(ends_on__gte=PERIOD_START),
            )
        )
        totals["campaigns"] += campaigns.count()
        totals["chapters_electoral"] += int(campaigns.filter(kind__in=ELECTORAL_KINDS).exists())
        events = ContactEvent.objects.filter(chapter=chapter, occurred_at__gte=start, occurred_at__lt=end)
        totals["doors"] += events.filter(channel="door").count()
        totals["conversations"] += events.filter(result__in=CONVERSATIONS).count()
        for request in AssistanceRequest.objects.filter(chapter=chapter):
            if start <= request.created_at < end:
                totals["opened"] += 1
            if request.closed_at and start <= request.closed_at < end:
                totals["closed"] += 1
                days.append((request.closed_at - request.created_at).total_seconds() / 86400)
        for training in Training.objects.filter(host_chapter=chapter, starts_at__gte=start, starts_at__lt=end):
            totals["held"] += 1
            totals["attended"] += TrainingSignup.objects.filter(training=training, attended=True).count()
        for assessment in CapacityAssessment.objects.filter(chapter=chapter, period__gte=PERIOD_START,
                                                            period__lte=PERIOD_END):  # fmt: skip
            assessed += 1
            for name in CAPACITY_DIMENSIONS:
                sums[name] += getattr(assessment, name)
    totals["median_days_to_close"] = round(statistics.median(days), 1) if days else None
    totals["field_average"] = round(sums["field"] / assessed, 2) if assessed else None
    return totals


def _headline(figures: dict[str, Any]) -> dict[str, Any]:
    return {
        "chapters_electoral": figures["campaigns"]["chapters_electoral"],
        "campaigns": figures["campaigns"]["campaigns"],
        "doors": figures["contacts"]["doors"],
        "conversations": figures["contacts"]["conversations"],
        "opened": figures["assistance"]["opened"],
        "closed": figures["assistance"]["closed"],
        "median_days_to_close": figures["assistance"]["median_days_to_close"],
        "held": figures["trainings"]["held"],
        "attended": figures["trainings"]["attended"],
        "field_average": figures["capacity"]["averages"]["field"],
    }


def _timed(function: Any) -> tuple[Any, float, int]:
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - began
    return result, seconds, len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chapters", type=int, default=200)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--fresh", action="store_true", help="Rebuild the dataset even if it is the right size.")
    args = parser.parse_args()
    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # its per-step progress would bury the figures
    name = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql" or "bench" not in name:
        sys.exit(f"Point DATABASE_URL at a dedicated PostgreSQL database named *bench*; got {name!r}.")
    call_command("migrate", verbosity=0)
    have = (Chapter.objects.filter(slug__startswith=PREFIX).count(), ContactEvent.objects.count())
    if args.fresh or have != (args.chapters, args.events):
        began = time.perf_counter()
        dataset_build(args.chapters, args.events)
        _sql("ANALYZE")
        print(f"dataset: {args.chapters} chapters, {args.events:,} contact events built in "
              f"{time.perf_counter() - began:.1f}s")  # fmt: skip
    else:
        print(f"dataset: {args.chapters} chapters, {args.events:,} contact events (kept from an earlier run)")

    figures, fast_s, fast_q = _timed(lambda: report_figures(period_start=PERIOD_START, period_end=PERIOD_END))
    naive, naive_s, naive_q = _timed(figures_naive)
    if _headline(figures) != naive:
        sys.exit(f"The two computations disagree:\n  figures.py {_headline(figures)}\n  naive      {naive}")
    print(f"figures (committee.figures): {fast_q} queries, {fast_s:.3f}s")
    print(f"figures (per-chapter loop):  {naive_q} queries, {naive_s:.3f}s")

    Report.objects.filter(slug="bench-report").delete()
    report = Report.objects.create(title="Bench report", slug="bench-report", period_start=PERIOD_START,
                                   period_end=PERIOD_END)  # fmt: skip
    render = ReportRender.objects.create(report=report)
    _, render_s, render_q = _timed(lambda: report_render(render_id=render.pk))
    report.refresh_from_db()
    size = report.pdf.size
    print(f"render (figures + SVG charts + WeasyPrint PDF, {size:,} bytes): {render_q} queries, {render_s:.3f}s")
    print(f"speedup={naive_s / fast_s:.1f}x")


if __name__ == "__main__":
    main()
