"""What every CSV export shares: cells that a spreadsheet cannot run as formulas."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

# A spreadsheet treats a cell starting with one of these as a formula (CWE-1236).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# A real number such as -12.5 or +1 is data, not a formula, and stays as it is.
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def csv_safe_cell(value: Any) -> str:
    """Return the value as text a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_safe_row(values: Iterable[Any]) -> list[str]:
    """Return a row with every cell made safe."""
    return [csv_safe_cell(value) for value in values]


def csv_text(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    """Return a whole CSV document, header first, every cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(csv_safe_row(header))
    for row in rows:
        writer.writerow(csv_safe_row(row))
    return buffer.getvalue()
