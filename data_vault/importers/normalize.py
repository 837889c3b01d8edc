"""
How the vault writes names, addresses, dates and codes, whatever file they came from.

Both import paths call these functions on each row as it is read (records.py);
the PostgreSQL fast path then merges the normalized rows set-based in SQL
(``importers/sql.py``), and a test checks both paths store the same vault.
Each ``*_norm`` returns the normalized value, "" (or None) for an empty cell,
and raises ``CellError`` for a value it cannot read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date


class CellError(ValueError):
    """A cell the vault cannot read; the message is the reason shown to the organizer."""


STREET_TYPES = {
    "ALLEY": "ALY",
    "AVENUE": "AVE",
    "AV": "AVE",
    "BOULEVARD": "BLVD",
    "CIRCLE": "CIR",
    "COURT": "CT",
    "COVE": "CV",
    "CROSSING": "XING",
    "DRIVE": "DR",
    "EXPRESSWAY": "EXPY",
    "EXTENSION": "EXT",
    "FREEWAY": "FWY",
    "GLEN": "GLN",
    "HEIGHTS": "HTS",
    "HIGHWAY": "HWY",
    "HILL": "HL",
    "LANE": "LN",
    "PARKWAY": "PKWY",
    "PLACE": "PL",
    "PLAZA": "PLZ",
    "POINT": "PT",
    "RIDGE": "RDG",
    "ROAD": "RD",
    "SQUARE": "SQ",
    "STREET": "ST",
    "TERRACE": "TER",
    "TRAIL": "TRL",
    "TURNPIKE": "TPKE",
    "VIEW": "VW",
}
UNIT_WORDS = "APT|APARTMENT|UNIT|STE|SUITE|LOT|RM|ROOM|BLDG|SPC|SPACE|TRLR|FL|FLOOR"
# "123 MAIN ST APT 4", "123 MAIN ST #4": the street part and the unit.
UNIT_RE = re.compile(rf"^(.+?)(?:\s+(?:{UNIT_WORDS})\s*#?\s*|\s*#\s*)([A-Z0-9-]+)$")
# A unit cell of its own: "APT 4" or "#4" is unit "4".
UNIT_PREFIX_RE = re.compile(rf"^(?:(?:{UNIT_WORDS})\s*#?\s*|#\s*)")
# "123 MAIN ST", "123A MAIN ST", "123-B MAIN ST", "123 1/2 MAIN ST", "12-14 MAIN ST".
NUMBER_RE = re.compile(r"^(\d{1,9})(?:-?([A-Z])|\s+(1/2)|(-\d{1,5}))?\s+(.+)$")
ZIP_RE = re.compile(r"^(\d{5})(?:[- ]?\d{4})?$")
SHORT_ZIP_RE = re.compile(r"^\d{3,4}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
WORD_RE = re.compile(r"[^\W_]+")
DATE_FORMATS = (
    # (pattern, order of year, month, day groups)
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$"), (1, 2, 3)),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?:[T ].*)?$"), (1, 2, 3)),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: .*)?$"), (3, 1, 2)),
    (re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$"), (3, 1, 2)),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), (1, 2, 3)),
)
PARTIES = {
    "D": "DEM",
    "DEMOCRAT": "DEM",
    "DEMOCRATIC": "DEM",
    "R": "REP",
    "REPUBLICAN": "REP",
    "L": "LIB",
    "LIBERTARIAN": "LIB",
    "G": "GRE",
    "GREEN": "GRE",
    "UNAFFILIATED": "UNA",
    "NO PARTY AFFILIATION": "NPA",
}
GENDERS = {
    "F": "female",
    "FEMALE": "female",
    "W": "female",
    "WOMAN": "female",
    "M": "male",
    "MALE": "male",
    "MAN": "male",
    "X": "other",
    "O": "other",
    "OTHER": "other",
    "NB": "other",
    "NONBINARY": "other",
    "NON-BINARY": "other",
}
REGISTRATION_STATUSES = {
    "A": "active",
    "ACT": "active",
    "ACTIVE": "active",
    "I": "inactive",
    "INA": "inactive",
    "INACTIVE": "inactive",
    "CONFIRMATION": "inactive",
    "R": "removed",
    "REMOVED": "removed",
    "PURGED": "removed",
    "D": "denied",
    "DENIED": "denied",
    "S": "temporary",
    "TEMPORARY": "temporary",
    "P": "unregistered",
    "PREREG": "unregistered",
    "PRE-REGISTERED": "unregistered",
    "UNREGISTERED": "unregistered",
}
PHONE_EXTENSION_RE = re.compile(r"\s*(?:X|EXT\.?)\s*\d+$", re.IGNORECASE)
MIN_YEAR = 1850
MAX_YEAR = 2100


def clean(value: object) -> str:
    """Trim and collapse whitespace."""
    if value is None:
        return ""
    return " ".join(str(value).split())


def upper_norm(value: object) -> str:
    """Return the value trimmed and upper-cased: codes, districts, cities."""
    return clean(value).upper()


def name_norm(value: object) -> str:
    """Give all-capital or all-lower names a consistent case ("O'NEIL" is "O'Neil"); keep mixed case."""
    text = clean(value)
    if text != text.upper() and text != text.lower():
        return text
    return WORD_RE.sub(lambda word: word[0][0].upper() + word[0][1:].lower(), text)


def zip5_norm(value: object) -> str:
    """Return the five-digit zip: 27517, 27517-1234, 275171234 and 27517.0 are all 27517."""
    text = re.sub(r"\.0+$", "", clean(value))
    if not text:
        return ""
    match = ZIP_RE.match(text)
    if match:
        return match[1]
    if SHORT_ZIP_RE.match(text):
        return text.zfill(5)  # a spreadsheet dropped the leading zeros
    raise CellError("Not a zip code")


def street_norm(value: object) -> str:
    """Return a street name in capitals without periods, with the street type abbreviated: MAIN ST."""
    text = clean(re.sub(r"[.,]", " ", upper_norm(value)))
    if not text:
        return ""
    words = text.rsplit(" ", 1)
    last = STREET_TYPES.get(words[-1])
    if last and len(words) == 2:
        return f"{words[0]} {last}"
    return text


def unit_norm(value: object) -> str:
    """Return a unit on its own: "Apt. 4B" and "#4B" are "4B"."""
    text = clean(re.sub(r"[.,]", " ", upper_norm(value)))
    return UNIT_PREFIX_RE.sub("", text)


@dataclass(frozen=True)
class StreetAddress:
    """A street line split into its parts."""

    house_number: int | None
    house_number_suffix: str
    street_name: str
    unit: str


def street_address_parse(line: object) -> StreetAddress:
    """Split "123 1/2 Main Street Apt 4" into 123, "1/2", "MAIN ST", "4"."""
    text = clean(re.sub(r"[.,]", " ", upper_norm(line)))
    unit = ""
    match = UNIT_RE.match(text)
    if match:
        text, unit = match[1], match[2]
    number = NUMBER_RE.match(text)
    if number:
        suffix = number[2] or number[3] or number[4] or ""
        return StreetAddress(int(number[1]), suffix, street_norm(number[5]), unit)
    return StreetAddress(None, "", street_norm(text), unit)


def street_side(house_number: int | None) -> str:
    """Return which side of the street a number is on: "odd", "even" or ""."""
    if house_number is None:
        return ""
    return "odd" if house_number % 2 else "even"


def address_key(
    *, house_number: int | None, house_number_suffix: str, street_name: str, unit: str, city: str, zip5: str
) -> str:
    """Return the key that makes people at the same address share a household."""
    number = "" if house_number is None else str(house_number)
    return "|".join((number, house_number_suffix, street_name, unit, city, zip5))


def date_norm(value: object) -> date | None:
    """Read the dates voter files use: 2024-03-01, 03/01/2024, 3/1/2024, 03-01-2024, 20240301."""
    text = clean(value)
    if not text:
        return None
    for pattern, (y, m, d) in DATE_FORMATS:
        match = pattern.match(text)
        if match:
            year, month, day = int(match[y]), int(match[m]), int(match[d])
            if not MIN_YEAR <= year <= MAX_YEAR:
                break
            try:
                return date(year, month, day)
            except ValueError:
                break
    raise CellError("Not a date")


def year_norm(value: object) -> int | None:
    """Read a four-digit year such as a birth year."""
    text = re.sub(r"\.0+$", "", clean(value))
    if not text:
        return None
    if len(text) == 4 and text.isdigit() and MIN_YEAR <= int(text) <= MAX_YEAR:
        return int(text)
    raise CellError("Not a year")


def party_norm(value: object) -> str:
    """Return a party code: DEM, REP, UNA…; long names and one-letter codes are mapped."""
    text = upper_norm(value)
    text = PARTIES.get(text, text)
    if len(text) > 12:
        raise CellError("Party code too long")
    return text


def gender_norm(value: object) -> str:
    """Return female, male, other, or "" when unknown."""
    return GENDERS.get(upper_norm(value), "")


def registration_status_norm(value: object) -> str:
    """Return active, inactive, removed, denied, temporary, unregistered, or "" when unknown."""
    return REGISTRATION_STATUSES.get(upper_norm(value), "")


def phone_norm(value: object) -> str:
    """Return a US phone as ten digits; an extension is dropped."""
    text = PHONE_EXTENSION_RE.sub("", clean(value))
    digits = re.sub(r"\D", "", text)
    if not digits:
        return ""
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        raise CellError("Not a ten-digit phone number")
    return digits


def email_norm(value: object) -> str:
    """Return an email address in lower case."""
    text = clean(value).lower()
    if not text:
        return ""
    if len(text) > 254 or not EMAIL_RE.match(text):
        raise CellError("Not an email address")
    return text


def support_score_norm(value: object) -> int | None:
    """Read a support score from 1 to 5."""
    text = re.sub(r"\.0+$", "", clean(value))
    if not text:
        return None
    if text in {"1", "2", "3", "4", "5"}:
        return int(text)
    raise CellError("Support score must be 1 to 5")


def coordinate_norm(value: object, *, limit: float) -> float | None:
    """Read a latitude (limit 90) or longitude (limit 180)."""
    text = clean(value)
    if not text:
        return None
    try:
        number = float(text)
    except ValueError as error:
        raise CellError("Not a coordinate") from error
    if not -limit <= number <= limit:
        raise CellError("Coordinate out of range")
    return number


def tags_norm(value: object) -> tuple[str, ...]:
    """Split a cell of tags on commas, semicolons or pipes."""
    tags: list[str] = []
    for part in re.split(r"[,;|]", str(value or "")):
        tag = clean(part)[:60]
        if tag and tag not in tags:
            tags.append(tag)
    return tuple(tags)


def name_key(*, last_name: str, first_name: str) -> str:
    """Return the key that matches people without a voter id: LAST|FIRST."""
    return f"{last_name.upper()}|{first_name.upper()}"


def search_text(
    *, first_name: str, middle_name: str, last_name: str, name_suffix: str, address: str, state_voter_id: str
) -> str:
    """Return what the name and address search looks through, in capitals."""
    return clean(" ".join((first_name, middle_name, last_name, name_suffix, address, state_voter_id))).upper()


def address_words(
    *, house_number: int | None, house_number_suffix: str, street_name: str, unit: str, city: str, zip5: str
) -> str:
    """Return a household's address as the words the search looks through."""
    number = "" if house_number is None else str(house_number)
    return clean(" ".join((number, house_number_suffix, street_name, unit, city, zip5)))
