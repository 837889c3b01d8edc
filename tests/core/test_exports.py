"""CSV cells are neutralised against formula injection."""

import csv
import io

import pytest

from core.exports import csv_safe_cell, csv_text


@pytest.mark.parametrize("raw", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "＝1", "-A1"])
def test_formula_starts_are_quoted(raw: str) -> None:
    """A cell a spreadsheet would run starts with a quote instead."""
    assert csv_safe_cell(raw) == "'" + raw


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("Ana", "Ana"), (None, ""), (27517, "27517"), ("a=b", "a=b"), ("-12.5", "-12.5"), (-3, "-3"), ("+1", "+1")],
)
def test_plain_cells_are_unchanged(raw: object, shown: str) -> None:
    """Ordinary text and numbers pass through as they are."""
    assert csv_safe_cell(raw) == shown


def test_csv_text_makes_every_cell_safe() -> None:
    """A whole document reads back with the header and quoted formulas."""
    rows = list(csv.reader(io.StringIO(csv_text(["name", "note"], [["=HYPERLINK(1)", "ok"]]))))
    assert rows == [["name", "note"], ["'=HYPERLINK(1)", "ok"]]
