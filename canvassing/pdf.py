"""
Walk lists as PDF, through WeasyPrint, made to be carried on a clipboard.

Pages are laid out here, not by the PDF engine: each household's height is
known from its number of people, so households are packed into pages in
Python, every page carries its own "page N of M", and WeasyPrint only has
simple blocks to set, a few pages at a time. That keeps it fast and small
for a thousand doors.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML

from canvassing.models import RESULT_CODES, ScriptVersion, Shift, SurveyQuestion, Turf
from data_vault.models import ContactEvent

# Heights in points on a US Letter page with half-inch margins.
PAGE_BODY = 660
HOUSEHOLD_BASE = 40
PERSON_LINE = 12
MAX_PEOPLE_SHOWN = 8
PAGES_PER_BATCH = 12
RESULT_LABELS = {code: ContactEvent.Result(value).label for code, value in RESULT_CODES.items()}


@dataclass(frozen=True)
class SheetPerson:
    """A person as the sheet shows them."""

    name: str
    age: int | None
    party: str
    last_contact: date | None


@dataclass(frozen=True)
class SheetDoor:
    """A household as the sheet shows it."""

    position: int
    address: str
    people: Sequence[SheetPerson]
    more_people: int = 0

    @property
    def height(self) -> int:
        return HOUSEHOLD_BASE + PERSON_LINE * max(len(self.people) + (1 if self.more_people else 0) - 1, 0)


@dataclass
class SheetPage:
    """One printed page of doors."""

    number: int
    doors: list[SheetDoor] = field(default_factory=list)


@dataclass(frozen=True)
class WalkSheet:
    """Everything a walk list prints."""

    turf: Turf
    shift: Shift | None
    script: ScriptVersion | None
    questions: Sequence[SurveyQuestion]
    doors: Sequence[SheetDoor]
    entry_url: str
    printed_at: datetime


def sheet_door(position: int, address: str, people: Sequence[SheetPerson]) -> SheetDoor:
    """Return a door for the sheet, showing at most MAX_PEOPLE_SHOWN people."""
    shown = list(people[:MAX_PEOPLE_SHOWN])
    return SheetDoor(position=position, address=address, people=shown, more_people=len(people) - len(shown))


def paginate(doors: Sequence[SheetDoor]) -> list[SheetPage]:
    """Pack doors into pages in walking order; a household never breaks across pages."""
    pages = [SheetPage(number=2)]
    used = 0
    for door in doors:
        if pages[-1].doors and used + door.height > PAGE_BODY:
            pages.append(SheetPage(number=pages[-1].number + 1))
            used = 0
        pages[-1].doors.append(door)
        used += door.height
    return pages


def _render_pages(html: str, base_url: str) -> Any:
    return HTML(string=html, base_url=base_url).render()


def walk_list_pdf(
    sheet: WalkSheet, *, base_url: str, progress: Callable[[int, int], None] | None = None
) -> tuple[bytes, int]:
    """Return the walk list's PDF and its page count, reporting progress page by page."""
    pages = paginate(sheet.doors)
    total = len(pages) + 1
    context = {
        "sheet": sheet,
        "total_pages": total,
        "result_codes": RESULT_LABELS,
        "option_codes": [(q, list(enumerate(q.options.all(), start=1))) for q in sheet.questions],
    }
    documents = [_render_pages(render_to_string("canvassing/pdf/walk_cover.html", context), base_url)]
    if progress:
        progress(1, total)
    for start in range(0, len(pages), PAGES_PER_BATCH):
        batch = pages[start : start + PAGES_PER_BATCH]
        html = render_to_string("canvassing/pdf/walk_pages.html", {**context, "pages": batch})
        documents.append(_render_pages(html, base_url))
        if progress:
            progress(1 + start + len(batch), total)
    every_page = [page for document in documents for page in document.pages]
    return documents[0].copy(every_page).write_pdf(), len(every_page)
