"""
Walk lists as PDF, through WeasyPrint, made to be carried on a clipboard.

Pages are laid out here, not by the PDF engine: each household's height is
known from its number of people, so households are packed into pages in
Python, every page carries its own "page N of M", and WeasyPrint only has
simple blocks to set, a few pages at a time. That keeps it fast and small
for a thousand doors.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.template.loader import render_to_string
from PIL import Image, ImageDraw
from weasyprint import HTML

from canvassing.models import RESULT_CODES, ScriptVersion, Shift, SurveyQuestion, Turf
from data_vault.models import ContactEvent

# Heights in points on a US Letter page with half-inch margins.
PAGE_BODY = 650
HOUSEHOLD_BASE = 18
PERSON_LINE = 11
# The text column is the page width less the answer boxes; characters are counted generously wide.
TEXT_WIDTH = 534
CHAR_WIDTH = 5.8
BOX_WIDTH, BOX_HEIGHT, BOX_GAP, QUESTION_BOX_WIDTH = 18, 13, 3, 30
MAX_PEOPLE_SHOWN = 8
PAGES_PER_BATCH = 25
RESULT_LABELS = {code: ContactEvent.Result(value).label for code, value in RESULT_CODES.items()}


@dataclass(frozen=True)
class SheetPerson:
    """A person as the sheet shows them."""

    name: str
    age: int | None
    party: str
    last_contact: date | None

    @property
    def text(self) -> str:
        parts = [self.name, str(self.age) if self.age else "", self.party]
        if self.last_contact:
            parts.append(f"last {self.last_contact:%-m/%-d/%y}")
        return " ".join(part for part in parts if part)


@dataclass(frozen=True)
class SheetDoor:
    """A household as the sheet shows it."""

    position: int
    address: str
    people: Sequence[SheetPerson]
    more_people: int = 0

    def lines(self, line_chars: int) -> int:
        """Return the printed lines: the address and its people run on, wrapping at ``line_chars``."""
        text = len(self.address) + sum(len(person.text) + 3 for person in self.people) + (10 if self.more_people else 0)
        return -(-text // line_chars)


@dataclass
class SheetPage:
    """One printed page of doors."""

    number: int
    doors: list[tuple[SheetDoor, int]] = field(default_factory=list)


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


def paginate(doors: Sequence[SheetDoor], *, line_chars: int) -> list[SheetPage]:
    """Pack doors into pages in walking order, each with its line count; a household never breaks across pages."""
    pages = [SheetPage(number=2)]
    used = 0
    for door in doors:
        lines = door.lines(line_chars)
        height = HOUSEHOLD_BASE + PERSON_LINE * (lines - 1)
        if pages[-1].doors and used + height > PAGE_BODY:
            pages.append(SheetPage(number=pages[-1].number + 1))
            used = 0
        pages[-1].doors.append((door, lines))
        used += height
    return pages


def _render_pages(html: str, base_url: str) -> Any:
    return HTML(string=html, base_url=base_url).render()


def answer_boxes(count_codes: int, question_count: int) -> tuple[str, int]:
    """
    Return a PNG data URL of one door's writing boxes, and its width in points.

    Every door shows the same small picture as its background: the PDF holds
    it once, instead of a dozen boxes laid out and drawn per door.
    """
    scale = 4
    widths = [BOX_WIDTH] * count_codes + [QUESTION_BOX_WIDTH] * question_count
    total = sum(widths) + BOX_GAP * (len(widths) - 1)
    picture = Image.new("L", (total * scale, BOX_HEIGHT * scale), 255)
    pen = ImageDraw.Draw(picture)
    x = 0
    for width in widths:
        pen.rectangle((x * scale, 0, (x + width) * scale - 1, BOX_HEIGHT * scale - 1), outline=0, width=3)
        x += width + BOX_GAP
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode(), total


def walk_list_pdf(
    sheet: WalkSheet, *, base_url: str, progress: Callable[[int, int], None] | None = None
) -> tuple[bytes, int]:
    """Return the walk list's PDF and its page count, reporting progress page by page."""
    boxes, boxes_width = answer_boxes(len(RESULT_LABELS), len(sheet.questions))
    pages = paginate(sheet.doors, line_chars=int((TEXT_WIDTH - boxes_width) / CHAR_WIDTH))
    total = len(pages) + 1
    context = {
        "sheet": sheet,
        "total_pages": total,
        "result_codes": RESULT_LABELS,
        "option_codes": [(q, list(enumerate(q.options.all(), start=1))) for q in sheet.questions],
        "boxes": boxes,
        "boxes_width": boxes_width,
        "box_columns": [(code, BOX_WIDTH) for code in RESULT_LABELS]
        + [(f"Q{n}", QUESTION_BOX_WIDTH) for n in range(1, len(sheet.questions) + 1)],
        "box_gap": BOX_GAP,
        # Heights by number of lines, drawn with the padding and rule they leave room for.
        "door_heights": sorted(
            {(n, HOUSEHOLD_BASE + PERSON_LINE * (n - 1) - 2) for page in pages for _, n in page.doors}
        ),
    }
    documents = []
    # The cover shares the first batch's document: each document costs a style cascade of its own.
    for start in range(0, max(len(pages), 1), PAGES_PER_BATCH):
        batch = pages[start : start + PAGES_PER_BATCH]
        html = render_to_string("canvassing/pdf/walk_pages.html", {**context, "pages": batch, "with_cover": not start})
        documents.append(_render_pages(html, base_url))
        if progress:
            progress(1 + start + len(batch), total)
    every_page = [page for document in documents for page in document.pages]
    return documents[0].copy(every_page).write_pdf(), len(every_page)
