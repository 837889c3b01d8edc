"""Server-side SVG charts are accessible, escaped and render into PDFs."""

import io
import re
import xml.etree.ElementTree as ET

import pypdf
import weasyprint

from core.charts import BAR_WIDTH, PALETTE, PDF_CSS, TITLE_CHAR, TITLE_LINE, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def _svg(markup: str) -> ET.Element:
    """Return the parsed SVG element of a chart figure."""
    figure = ET.fromstring(markup)
    svg = figure.find(f"{SVG}svg")
    assert svg is not None
    return svg


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_bar_chart_is_an_image_labelled_by_its_title() -> None:
    """Assistive tech announces the chart by its title and summary."""
    svg = _svg(bar_chart(title="Doors knocked", bars=[("Durham", 120), ("Raleigh", 45.5)], unit="doors"))
    assert svg.get("role") == "img"
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert title is not None
    assert title.text == "Doors knocked"
    assert desc is not None
    assert "highest Durham: 120 doors" in (desc.text or "")
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_bar_chart_has_a_hidden_data_table_with_every_bar() -> None:
    """A screen reader can read each label and value from the table."""
    markup = bar_chart(title="Doors", bars=[("Durham", 1200), ("Raleigh", 45.5)], unit="doors")
    table = ET.fromstring(markup).find("table")
    assert table is not None
    assert table.get("class") == "visually-hidden"
    cells = [[cell.text for cell in row] for row in table.iter("tr")]
    assert cells == [["Label", "Value (doors)"], ["Durham", "1,200"], ["Raleigh", "45.5"]]


def test_bar_lengths_are_proportional_to_values() -> None:
    """The longest bar belongs to the largest value, and half the value is half the bar."""
    rects = _svg(bar_chart(title="T", bars=[("a", 100), ("b", 50), ("c", 0)])).iter(f"{SVG}rect")
    widths = [float(rect.get("width", "0")) for rect in rects]
    assert widths[0] > 0
    assert widths[1] == widths[0] / 2
    assert widths[2] == 0


def test_labels_and_titles_are_escaped() -> None:
    """Markup in a label is shown as text, never run."""
    markup = str(bar_chart(title="<script>alert(1)</script>", bars=[('"><img src=x onerror=1>', 3)]))
    assert "<script" not in markup
    assert "<img" not in markup
    assert "&lt;script&gt;" in markup
    ET.fromstring(markup)  # still well-formed XML


def test_charts_have_no_inline_styles_or_scripts() -> None:
    """Charts pass a strict CSP: no style attributes, no scripts, no event handlers."""
    for markup in (
        bar_chart(title="T", bars=[("a", 1)]),
        line_chart(title="T", series={"Field": [("2026-01", 2), ("2026-02", 3)], "Data": [("2026-01", 4)]}),
    ):
        assert not re.search(r"\sstyle=|<script|\son[a-z]+=", str(markup))


def test_palette_colours_contrast_with_white() -> None:
    """Every drawing colour reaches at least 3:1 against the white page."""
    for colour in PALETTE:
        assert (1.05) / (_luminance(colour) + 0.05) >= 3


def test_line_chart_draws_one_line_per_series_and_tabulates_gaps() -> None:
    """Each series is a line; a missing point shows as a dash in the table."""
    markup = line_chart(
        title="Capacity",
        series={"Field": [("2026-Q1", 2), ("2026-Q2", 3.5)], "Data": [("2026-Q2", 4)]},
    )
    svg = _svg(markup)
    assert len(list(svg.iter(f"{SVG}polyline"))) == 2
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title") is not None
    table = ET.fromstring(markup).find("table")
    assert table is not None
    cells = [[cell.text for cell in row] for row in table.iter("tr")]
    assert cells == [[None, "Field", "Data"], ["2026-Q1", "2", "–"], ["2026-Q2", "3.5", "4"]]


def test_empty_charts_say_no_data() -> None:
    """A chart without figures says so instead of drawing nothing."""
    assert "No data" in bar_chart(title="T", bars=[])
    assert "No data" in line_chart(title="T", series={})


def test_two_charts_on_a_page_have_distinct_ids() -> None:
    """aria-labelledby of each chart points at its own title."""
    first, second = _svg(bar_chart(title="A", bars=[])), _svg(bar_chart(title="B", bars=[]))
    assert first.get("aria-labelledby") != second.get("aria-labelledby")


def test_charts_render_into_a_pdf_with_their_text() -> None:
    """WeasyPrint draws the SVG; its labels are in the PDF's text."""
    html = (
        f"<html><head><style>{PDF_CSS}</style></head><body>"
        + bar_chart(title="Doors knocked", bars=[("Durham", 120)])
        + line_chart(title="Capacity over time", series={"Field": [("Q1", 1), ("Q2", 2)]})
        + "</body></html>"
    )
    pdf = weasyprint.HTML(string=html).write_pdf()
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Doors knocked" in text
    assert "Durham" in text
    assert "Capacity over time" in text


def test_bar_chart_is_drawn_narrow_with_its_title_on_as_many_lines_as_it_needs() -> None:
    """On a phone the drawing shrinks little, so its text stays readable; a long title wraps instead of running off."""
    title = "Contact rate by canvasser over the last four weeks of the rent control campaign"
    svg = _svg(bar_chart(title=title, bars=[("Durham", 3), ("Raleigh", 1)]))
    assert svg.get("viewBox", "").split()[2] == str(BAR_WIDTH)
    lines = [tspan.text or "" for tspan in svg.iter(f"{SVG}tspan")]
    assert " ".join(lines) == title
    assert len(lines) > 1
    assert all(len(line) * TITLE_CHAR <= BAR_WIDTH for line in lines)
    # The bars start below the last title line.
    first_bar = next(svg.iter(f"{SVG}rect"))
    assert float(first_bar.get("y", "0")) > 18 + TITLE_LINE * (len(lines) - 1)


def test_a_bar_of_one_takes_the_singular_unit() -> None:
    texts = [
        text.text
        for text in _svg(bar_chart(title="T", bars=[("a", 1), ("b", 2)], unit="people", unit_one="person")).iter(
            f"{SVG}text"
        )
    ]
    assert "1 person" in texts
    assert "2 people" in texts
