"""
Measure turf cutting and walk-list PDFs at the issue's scale.

Usage (PostgreSQL, a migrated database; the bench chapter is rebuilt unless --reuse):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bw_bench \
      .venv/bin/python bench/canvass_bench.py --households 100000 --doors 1000

In one run it measures:
  (a) cutting a saved list of --households doors into 60-door turfs with ``turf_cut``
      (one query for the ordered doors, grouping in Python, one insert), against a
      naive cut that asks the database once per household; target <= 2 s;
  (b) a --doors-door walk list PDF through Blockwork's renderer, and a naive render of
      the same rows as one big HTML table through WeasyPrint, each in a fresh process
      so its peak RSS is its own; target <= 0.35x the naive time, <= 400 MB peak RSS.
The last line is `ratio_to_naive=X.XX` (Blockwork's PDF time over the naive one).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.template import Context, Template  # noqa: E402
from django.utils import timezone  # noqa: E402
from weasyprint import HTML  # noqa: E402

from canvassing import services  # noqa: E402
from canvassing.models import Campaign, Turf, TurfDoor  # noqa: E402
from canvassing.pdf import WalkSheet, walk_list_pdf  # noqa: E402
from canvassing.selectors import question_list, walk_sheet_doors  # noqa: E402
from chapters.models import Chapter, Membership, Role  # noqa: E402
from core.models import User  # noqa: E402
from data_vault.models import DoNotContact, Household, Person, SavedList  # noqa: E402

SLUG = "bench-canvass"
STREETS = [
    "MAIN ST",
    "OAK AVE",
    "ELM ST",
    "PINE ST",
    "MAPLE DR",
    "CEDAR LN",
    "BIRCH RD",
    "LAKE ST",
    "HILL ST",
    "PARK AVE",
]
FIRST = ["JAMES", "MARY", "JOSE", "ANA", "WEI", "FATIMA", "DARNELL", "KEISHA", "OMAR", "LUIS", "ROSA", "PRIYA"]
LAST = ["SMITH", "JOHNSON", "GARCIA", "NGUYEN", "BROWN", "DAVIS", "LOPEZ", "KIM", "PATEL", "JACKSON", "WHITE"]

NAIVE_TEMPLATE = Template(
    """<html><head><style>
    @page { size: letter; margin: 0.5in; @bottom-right { content: "Page " counter(page) " of " counter(pages); } }
    body { font-family: "DejaVu Sans", sans-serif; font-size: 9pt; }
    table { width: 100%; border-collapse: collapse; } td, th { border: 0.5pt solid #777; padding: 2pt; }
    </style></head><body><h1>Walk list: {{ turf.name }}</h1><table><thead><tr><th>#</th>
    <th>Address</th><th>People</th><th>Result</th>
    {% for q in questions %}<th>Q{{ forloop.counter }}</th>{% endfor %}</tr></thead><tbody>
    {% for door in doors %}<tr><td>{{ door.position }}</td><td>{{ door.address }}</td>
    <td>{% for p in door.people %}{{ p.name }}{% if p.age %}, {{ p.age }}{% endif %} {{ p.party }}<br>{% endfor %}</td>
    <td>NH C R M I CB</td>{% for q in questions %}<td></td>{% endfor %}</tr>{% endfor %}
    </tbody></table></body></html>"""
)


def build(households: int) -> tuple[Chapter, User]:
    """Create the bench chapter: doors over many precincts and streets, one or two people each."""
    Chapter.objects.filter(slug=SLUG).delete()
    chapter = Chapter.objects.create(name="Bench Canvass", slug=SLUG, state="NC", region="southeast")
    user, _ = User.objects.get_or_create(email="bench-canvass@example.org")
    Membership.objects.update_or_create(user=user, chapter=chapter, defaults={"role": Role.ORGANIZER})
    per_street = 200
    rows = []
    for n in range(households):
        street_index, number = divmod(n, per_street)
        precinct = f"{street_index // 5:03d}"
        street = f"{STREETS[street_index % 10]} {street_index // 10}"
        side = "odd" if (number + 1) % 2 else "even"
        rows.append(
            Household(chapter=chapter, address_key=f"{n}", house_number=number + 1, street_name=street,
                      street_side=side, precinct=precinct, city="DURHAM", state="NC", zip5="27701")
        )  # fmt: skip
    Household.objects.bulk_create(rows, batch_size=5000)
    people = []
    for n, household in enumerate(Household.objects.filter(chapter=chapter).only("id", "precinct").iterator()):
        for k in range(2 if n % 3 == 0 else 1):
            people.append(
                Person(chapter=chapter, household_id=household.pk, first_name=FIRST[(n + k) % len(FIRST)],
                       last_name=LAST[n % len(LAST)], birth_year=1940 + n % 60, party="DEM",
                       precinct=household.precinct)
            )  # fmt: skip
    Person.objects.bulk_create(people, batch_size=5000)
    dnc = Person.objects.filter(chapter=chapter).values_list("id", flat=True)[::100]
    DoNotContact.objects.bulk_create([DoNotContact(person_id=pk, channel="door") for pk in dnc], batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return chapter, user


def naive_cut(campaign: Campaign, saved_list: SavedList, target: int, limit: int) -> float:
    """Time a cut that asks the database about each household, for ``limit`` households; return seconds."""
    started = time.perf_counter()
    households = list(Household.objects.filter(chapter=campaign.chapter).order_by("precinct", "street_name")[:limit])
    kept = []
    for household in households:
        people = Person.objects.filter(household=household)
        if any(not DoNotContact.objects.filter(person=p, channel="door").exists() for p in people):
            kept.append(household)
    kept.sort(key=lambda h: (h.precinct, h.street_name, h.street_side, h.house_number or 0))
    return time.perf_counter() - started


def _render_child(kind: str, turf_id: int, queue: Any) -> None:
    connection.close()
    turf = Turf.objects.select_related("campaign", "chapter").get(pk=turf_id)
    questions = list(question_list(campaign=turf.campaign))
    started = time.perf_counter()
    doors = walk_sheet_doors(turf=turf, today=timezone.localdate())
    if kind == "blockwork":
        sheet = WalkSheet(turf=turf, shift=None, script=None, questions=questions, doors=doors,
                          entry_url="https://example.org/t/CODE/", printed_at=timezone.localtime())  # fmt: skip
        pdf, pages = walk_list_pdf(sheet, base_url=".")
    else:
        html = NAIVE_TEMPLATE.render(Context({"turf": turf, "questions": questions, "doors": doors}))
        document = HTML(string=html, base_url=".").render()
        pdf, pages = document.write_pdf(), len(document.pages)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((seconds, peak_mb, pages, len(pdf)))


def render(kind: str, turf_id: int) -> tuple[float, float, int, int]:
    """Render a walk list in a fresh process; return seconds, peak RSS in MB, pages and bytes."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_render_child_entry, args=(kind, turf_id, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def _render_child_entry(kind: str, turf_id: int, queue: Any) -> None:
    _render_child(kind, turf_id, queue)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--doors", type=int, default=1000)
    parser.add_argument("--target", type=int, default=60)
    parser.add_argument("--naive-sample", type=int, default=2000, help="households the naive cut is timed on")
    parser.add_argument("--reuse", action="store_true", help="keep the bench chapter from the last run")
    args = parser.parse_args()

    chapter = Chapter.objects.filter(slug=SLUG).first()
    if chapter is None or not args.reuse:
        started = time.perf_counter()
        chapter, user = build(args.households)
        print(f"built {args.households:,} households in {time.perf_counter() - started:.1f} s")
    user = User.objects.get(email="bench-canvass@example.org")
    Campaign.objects.filter(chapter=chapter).delete()
    SavedList.objects.filter(chapter=chapter).delete()
    saved_list = SavedList.objects.create(chapter=chapter, name="Everyone")
    campaign = Campaign.objects.create(chapter=chapter, name="Bench", kind=Campaign.Kind.ISSUE)

    started = time.perf_counter()
    turfs = services.turf_cut(campaign=campaign, saved_list=saved_list, target_doors=args.target, actor=user)
    cut_seconds = time.perf_counter() - started
    doors = TurfDoor.objects.filter(campaign=campaign).count()
    naive_seconds = naive_cut(campaign, saved_list, args.target, args.naive_sample)
    naive_full = naive_seconds * args.households / args.naive_sample
    print(f"turf_cut: {doors:,} doors into {len(turfs):,} turfs of <= {args.target} in {cut_seconds:.2f} s "
          f"(target <= 2 s)")  # fmt: skip
    print(f"naive cut (a query per household): {naive_seconds:.2f} s for {args.naive_sample:,} households, "
          f"about {naive_full:.0f} s for {args.households:,}; ratio {cut_seconds / naive_full:.3f}")  # fmt: skip

    big = Campaign.objects.create(chapter=chapter, name="Bench PDF", kind=Campaign.Kind.ISSUE)
    services.question_create(campaign=big, text="Support?", kind="single", options=["Yes", "Lean", "No"])
    services.question_create(campaign=big, text="Volunteer?", kind="single", options=["Yes", "No"])
    with transaction.atomic():
        turf = services.turf_cut(campaign=big, saved_list=saved_list, target_doors=args.doors, actor=user)[0]
    print(f"walk list: {turf.doors.count():,} doors")
    ours = render("blockwork", turf.pk)
    naive = render("naive", turf.pk)
    for name, (seconds, peak, pages, size) in (("blockwork", ours), ("naive table", naive)):
        print(f"{name:>12}: {seconds:.2f} s, peak RSS {peak:.0f} MB, {pages} pages, {size / 1024:.0f} KB")
    print(f"pdf target: <= 0.35x naive and <= 400 MB; got {ours[0] / naive[0]:.2f}x and {ours[1]:.0f} MB")
    print(f"ratio_to_naive={ours[0] / naive[0]:.2f}")


if __name__ == "__main__":
    main()
