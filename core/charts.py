"""Server-side, accessible SVG charts for pages and WeasyPrint PDFs.

Each chart is a ``<figure>`` holding an ``<svg role="img">`` labelled by its
``<title>`` and ``<desc>``, followed by a visually hidden data table for screen
readers. Colours and sizes are SVG presentation attributes (no ``style``
attributes, no scripts), so the output passes a strict CSP and renders the same
in a PDF. PDF stylesheets should include ``PDF_CSS`` to keep the table hidden.
"""

import math
import secrets
from collections.abc import Sequence

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# Each colour has at least 4.5:1 contrast against white (WCAG 1.4.11 asks 3:1).
PALETTE = ("#7a0f12", "#1a56db", "#1d6b34", "#8a5300", "#5b2a86", "#4d4d4d")
# Series are told apart by dash pattern and marker too, not by colour alone.
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")
INK = "#1a1a1a"
MUTED = "#4d4d4d"
GRID = "#c9c4bd"
FONT = "system-ui, 'DejaVu Sans', sans-serif"

WIDTH = 640
# Bar charts are drawn narrow and shown at their drawn size, shrinking only on a screen narrower than that.
BAR_WIDTH = 320
BAR_ROW = 44
BAR_HEIGHT = 14
TITLE_LINE = 19
TITLE_CHAR = 9  # drawing units per character of the bold title, roughly
LABEL_CHARS = 28

PDF_CSS = (
    ".visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; "
    "white-space: nowrap; }\n"
    ".chart-figure { margin: 0 0 12pt; break-inside: avoid; }\n"
    ".chart-figure svg { width: 100%; height: auto; }\n"
    ".chart-figure.bars svg { width: 9cm; }\n"
)


def _number(value: float) -> str:
    """Format a value compactly: whole numbers without decimals, others to one place."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _nice_ceiling(value: float) -> float:
    """Return the smallest 1, 2 or 5 times a power of ten at or above the value."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def _short(label: str) -> str:
    """Shorten a long label for the drawing; the full text stays in the table."""
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _title_lines(title: str, chars: int) -> list[str]:
    """Break a title into lines of at most about chars characters, at spaces."""
    lines: list[str] = []
    for word in title.split():
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _svg_open(*, uid: str, height: int, title: str, desc: str, width: int = WIDTH) -> str:
    """Open the labelled SVG element, with its title drawn visibly too, on as many lines as the width needs."""
    lines = "".join(
        format_html('<tspan x="2" dy="{}">{}</tspan>', 0 if number == 0 else TITLE_LINE, line)
        for number, line in enumerate(_title_lines(title, width // TITLE_CHAR))
    )
    return format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}" role="img" aria-labelledby="{uid}-title {uid}-desc" '
        'font-family="{font}" font-size="12">'
        '<title id="{uid}-title">{title}</title><desc id="{uid}-desc">{desc}</desc>'
        '<text x="2" y="18" font-size="15" font-weight="700" fill="{ink}">{lines}</text>',
        w=width,
        h=height,
        uid=uid,
        font=FONT,
        title=title,
        desc=desc,
        ink=INK,
        lines=mark_safe(lines),  # noqa: S308 - each line escaped by format_html above
    )


def _table(*, title: str, head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Return the visually hidden data table that screen readers read instead."""
    header = "".join(format_html('<th scope="col">{}</th>', cell) for cell in head)
    body = "".join(
        "<tr>"
        + format_html('<th scope="row">{}</th>', row[0])
        + "".join(format_html("<td>{}</td>", cell) for cell in row[1:])
        + "</tr>"
        for row in rows
    )
    return format_html(
        '<table class="visually-hidden"><caption>{}</caption><thead><tr>{}</tr></thead><tbody>{}</tbody></table>',
        title,
        mark_safe(header),  # noqa: S308 - built from format_html pieces above
        mark_safe(body),  # noqa: S308 - built from format_html pieces above
    )


def bar_chart(*, title: str, bars: list[tuple[str, float]], unit: str = "", unit_one: str = "") -> SafeString:
    """
    Return a horizontal bar chart of non-negative values, each label above its bar.

    It is drawn narrow, so that on a phone its text stays as large as the page's.
    A value of exactly 1 takes unit_one when given ("1 person", "2 people").
    """
    uid = "chart-" + secrets.token_hex(4)
    top = 18 + TITLE_LINE * len(_title_lines(title, BAR_WIDTH // TITLE_CHAR)) + 4
    plot_w = BAR_WIDTH - 90  # room for the value after the longest bar
    height = top + max(len(bars), 1) * BAR_ROW + 4
    top_value = _nice_ceiling(max((value for _, value in bars), default=0))
    suffix = f" {unit}" if unit else ""
    if bars:
        highest = max(bars, key=lambda bar: bar[1])
        desc = f"{len(bars)} bars; highest {highest[0]}: {_number(highest[1])}{suffix}."
    else:
        desc = "No data."
    parts = [_svg_open(uid=uid, height=height, title=title, desc=desc, width=BAR_WIDTH)]
    if not bars:
        parts.append(format_html('<text x="0" y="{}" fill="{}">No data</text>', top + 18, MUTED))
    for index, (label, value) in enumerate(bars):
        y = top + index * BAR_ROW
        width = max(0.0, value) / top_value * plot_w
        parts.append(
            format_html(
                '<g font-size="14"><text x="0" y="{ly}" fill="{ink}">{short}</text>'
                '<rect x="0" y="{by}" width="{bw}" height="{bh}" fill="{fill}"/>'
                '<text x="{vx}" y="{vy}" fill="{ink}">{value}{suffix}</text></g>',
                ly=y + 14,
                ink=INK,
                short=_short(label),
                by=y + 20,
                bw=f"{width:.1f}",
                bh=BAR_HEIGHT,
                fill=PALETTE[0],
                vx=f"{width + 6:.1f}",
                vy=y + 20 + BAR_HEIGHT - 2,
                value=_number(value),
                suffix=f" {unit_one}" if unit_one and value == 1 else suffix,
            )
        )
    parts.append("</svg>")
    value_head = f"Value ({unit})" if unit else "Value"
    table = _table(title=title, head=["Label", value_head], rows=[(label, _number(value)) for label, value in bars])
    return mark_safe(  # noqa: S308 - every piece above is escaped by format_html
        '<figure class="chart-figure bars">' + "".join(parts) + table + "</figure>"
    )


def line_chart(*, title: str, series: dict[str, list[tuple[str, float]]]) -> SafeString:
    """Return a line chart of named series over shared x labels, with a legend."""
    uid = "chart-" + secrets.token_hex(4)
    xs: list[str] = []
    for points in series.values():
        for x, _ in points:
            if x not in xs:
                xs.append(x)
    legend_rows = math.ceil(len(series) / 3) if series else 0
    left, top, right = 56, 36 + legend_rows * 20, 16
    plot_h, bottom = 220, 40
    plot_w = WIDTH - left - right
    height = top + plot_h + bottom
    top_value = _nice_ceiling(max((value for points in series.values() for _, value in points), default=0))
    desc = f"{len(series)} series over {len(xs)} points, from {xs[0]} to {xs[-1]}." if xs else "No data."
    parts = [_svg_open(uid=uid, height=height, title=title, desc=desc)]

    def x_at(label: str) -> float:
        return left + (xs.index(label) + 0.5) * plot_w / max(len(xs), 1)

    def y_at(value: float) -> float:
        return top + plot_h - max(0.0, value) / top_value * plot_h

    # A 2-led ceiling splits evenly into quarters, 1- and 5-led ones into fifths.
    intervals = 4 if str(_number(top_value)).lstrip("0.,").startswith("2") else 5
    for tick in range(intervals + 1):
        value = top_value * tick / intervals
        y = y_at(value)
        parts.append(
            format_html(
                '<line x1="{l}" y1="{y}" x2="{r}" y2="{y}" stroke="{c}" stroke-width="1"/>'
                '<text x="{tx}" y="{ty}" text-anchor="end" fill="{ink}">{v}</text>',
                l=left,
                r=WIDTH - right,
                y=f"{y:.1f}",
                c=GRID,
                tx=left - 6,
                ty=f"{y + 4:.1f}",
                ink=INK,
                v=_number(value),
            )
        )
    every = max(1, math.ceil(len(xs) / 8))
    for index, label in enumerate(xs):
        if index % every == 0:
            parts.append(
                format_html(
                    '<text x="{x}" y="{y}" text-anchor="middle" fill="{ink}">{t}</text>',
                    x=f"{x_at(label):.1f}",
                    y=top + plot_h + 18,
                    ink=INK,
                    t=_short(label)[:12],
                )
            )
    if not xs:
        parts.append(format_html('<text x="{}" y="{}" fill="{}">No data</text>', left + 8, top + 24, MUTED))
    for number, (name, points) in enumerate(series.items()):
        colour, dash = PALETTE[number % len(PALETTE)], DASHES[number % len(DASHES)]
        coords = " ".join(f"{x_at(x):.1f},{y_at(value):.1f}" for x, value in points)
        dash_attr = format_html(' stroke-dasharray="{}"', dash) if dash else ""
        parts.append(
            format_html(
                '<g><polyline points="{p}" fill="none" stroke="{c}" stroke-width="2.5"{d}/>',
                p=coords,
                c=colour,
                d=dash_attr,
            )
        )
        for x, value in points:
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="3.5" fill="{}"/>', f"{x_at(x):.1f}", f"{y_at(value):.1f}", colour
                )
            )
        lx, ly = (number % 3) * 200, 36 + (number // 3) * 20
        parts.append(
            format_html(
                '<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{c}" stroke-width="2.5"{d}/>'
                '<text x="{tx}" y="{ty}" fill="{ink}">{n}</text></g>',
                x1=lx,
                x2=lx + 24,
                y=ly - 4,
                c=colour,
                d=dash_attr,
                tx=lx + 30,
                ty=ly,
                ink=INK,
                n=_short(name),
            )
        )
    parts.append("</svg>")
    names = list(series)
    lookup = {name: dict(points) for name, points in series.items()}
    rows = [[x] + [_number(lookup[name][x]) if x in lookup[name] else "–" for name in names] for x in xs]
    table = _table(title=title, head=["", *names], rows=rows)
    return mark_safe(  # noqa: S308 - every piece above is escaped by format_html
        '<figure class="chart-figure lines">' + "".join(parts) + table + "</figure>"
    )
