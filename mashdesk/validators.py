"""The one place identifiers and postcodes are checked and put in their stored form.

Each validator takes what a person typed and returns the value to store, or raises
:class:`ValueError` with a short reason; callers name the field or line.
"""

from __future__ import annotations

import re
from datetime import date

_NHS_WEIGHTS = range(10, 1, -1)
#: UK postcode: outward code (area, district, optional sub-district letter) and inward code.
_POSTCODE = re.compile(r"^(?P<outward>[A-Z]{1,2}[0-9][A-Z0-9]?)(?P<inward>[0-9][A-Z]{2})$")
#: The inward code never uses these letters.
_INWARD_BAD_LETTERS = frozenset("CIKMOV")
#: Unique Pupil Number: a check letter then 12 characters (digits, the last may be a letter).
_UPN = re.compile(r"^[A-Z][0-9]{11}[0-9A-Z]$")


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus-11 check digit for nine digits, or ``None`` when no valid number has them."""
    total = sum(int(d) * w for d, w in zip(first_nine, _NHS_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def nhs_number(value: str) -> str:
    """Ten digits (spaces and hyphens allowed, as printed "943 476 5919") with a valid check digit."""
    digits = re.sub(r"[\s-]", "", value or "")
    if not re.fullmatch(r"[0-9]{10}", digits):
        raise ValueError("an NHS number has 10 digits")
    if nhs_check_digit(digits[:9]) != int(digits[9]):
        raise ValueError("not a valid NHS number (the check digit is wrong)")
    return digits


def postcode(value: str) -> str:
    """A UK postcode in its printed form, upper case with one space: "br1 3uh" → "BR1 3UH"."""
    compact = postcode_key(value)
    match = _POSTCODE.match(compact or "")
    if compact == "GIR0AA":
        return "GIR 0AA"
    if match is None or set(match["inward"][1:]) & _INWARD_BAD_LETTERS:
        raise ValueError("not a UK postcode (like BR1 3UH)")
    return f"{match['outward']} {match['inward']}"


def postcode_key(value: str | None) -> str | None:
    """A postcode upper case without spaces, as stored for matching (``None`` when empty)."""
    return "".join((value or "").upper().split()) or None


def upn(value: str) -> str:
    """A Unique Pupil Number: 13 characters, upper case."""
    text = "".join((value or "").upper().split())
    if not _UPN.match(text):
        raise ValueError("a UPN is a letter and 12 characters (like A305000000012)")
    return text


#: The letters of a UPN's check letter, for remainders 0-22 (no I, O or S).
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_check_letter(last_twelve: str) -> str:
    """The DfE check letter of a UPN's last twelve characters: weights 2-13, modulus 23."""
    total = 0
    for weight, char in enumerate(last_twelve, start=2):
        total += weight * (int(char) if char.isdigit() else UPN_LETTERS.index(char))
    return UPN_LETTERS[total % 23]


def upn_checked(value: str) -> str:
    """A UPN (see :func:`upn`) whose first letter is the right check letter."""
    text = upn(value)
    if text[-1].isalpha() and text[-1] not in UPN_LETTERS:
        raise ValueError(f"a UPN's last letter is one of {UPN_LETTERS}")
    if upn_check_letter(text[1:]) != text[0]:
        raise ValueError("not a valid UPN (the check letter is wrong)")
    return text


def iso_date(value: str) -> date:
    """A date written YYYY-MM-DD."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", (value or "").strip()):
        raise ValueError("write the date as YYYY-MM-DD")
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError("not a real date") from None
    return in_years(day)


def sex(value: str) -> str:
    """M, F or U (empty means not known: U)."""
    text = (value or "").strip().upper()
    if text in ("", "U"):
        return "U"
    if text in ("M", "F"):
        return text
    raise ValueError("M, F or U")


#: The dates the desk accepts anywhere: a date outside these years is a typing slip, and the
#: working calendar (and Python's dates, with a UTC offset) cannot count from it.
FIRST_YEAR, LAST_YEAR = 1900, 2100


def in_years(day: date) -> date:
    """``day`` (a date or datetime) when its year is 1900-2100."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"the year must be {FIRST_YEAR}-{LAST_YEAR}")
    return day


#: Characters never stored: C0/C1 controls (NUL among them, which PostgreSQL refuses and SQLite keeps)
#: and lone surrogates (not text at all). Line breaks and tabs are allowed in free text only.
_NEVER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_NOT_IN_A_LINE = re.compile(r"[\t\n\r]")


def plain_text(value: str, *, multiline: bool = False) -> str:
    """``value`` unchanged when it is printable text (line breaks and tabs only when ``multiline``)."""
    bad = _NEVER.search(value) or (None if multiline else _NOT_IN_A_LINE.search(value))
    if bad is None:
        return value
    code = ord(bad.group())
    if 0xD800 <= code <= 0xDFFF:
        raise ValueError(f"contains U+{code:04X}, which is not a character; type plain text")
    raise ValueError(f"contains a control character (U+{code:04X}); type plain text")


def cut(text: str, limit: int = 80) -> str:
    """A name (of a file, a folder) as a message shows it, unquoted: at most ``limit`` characters."""
    return text if len(text) <= limit else text[:limit] + "…"


def shown(value: object, limit: int = 80) -> str:
    """A bad value quoted for a message (``repr``): at most ``limit`` characters, an ellipsis when cut."""
    if isinstance(value, str):
        return repr(value[:limit] + "…" if len(value) > limit else value)
    try:
        text = repr(value)
    except ValueError:  # an integer too long to write out
        return f"a number of more than {limit} digits"
    return text[:limit] + "…" if len(text) > limit else text
