"""Reading the ``mashdesk import persons`` CSV: every row checked before anything is written.

The header is ``external_id,first_name,last_name,date_of_birth,sex,postcode,nhs_number,aliases``
(any order; ``upn`` may be added). ``aliases`` holds ``;``-separated "First Last" names.
Only the names are required. The first bad row stops the import with an
:class:`~mashdesk.errors.InputError` naming its line and column.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from mashdesk import validators
from mashdesk.errors import InputError

COLUMNS = ("external_id", "first_name", "last_name", "date_of_birth", "sex", "postcode", "nhs_number",
           "aliases")
OPTIONAL_COLUMNS = ("upn",)
MAX_EXTERNAL_ID = 40
MAX_NAME = 80


@dataclass(frozen=True)
class ImportRow:
    """One checked row of the file."""

    line: int
    external_id: str | None
    first_name: str
    last_name: str
    date_of_birth: date | None = None
    sex: str = "U"
    postcode: str | None = None
    nhs_number: str | None = None
    upn: str | None = None
    aliases: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def split_alias(text: str) -> tuple[str, str]:
    """ "First Last" → ("First", "Last"); the last word is the surname."""
    words = text.split()
    if len(words) < 2:
        raise ValueError(f"{text.strip()!r} is not a first name and a last name")
    return " ".join(words[:-1]), words[-1]


def _check_name(value: str, what: str) -> str:
    text = " ".join(validators.plain_text(value).split())
    if not text:
        raise ValueError(f"{what} is required")
    if len(text) > MAX_NAME:
        raise ValueError(f"{what} is longer than {MAX_NAME} characters")
    return text


def parse_row(line: int, cells: dict[str, str], today: date) -> ImportRow:
    """Check one row's cells (column → text); raises :class:`InputError` naming line and column."""
    column = ""

    def cell(name: str) -> str:
        nonlocal column
        column = name
        return (cells.get(name) or "").strip()

    try:
        external_id = validators.plain_text(cell("external_id")) or None
        if external_id and len(external_id) > MAX_EXTERNAL_ID:
            raise ValueError(f"longer than {MAX_EXTERNAL_ID} characters")
        first = _check_name(cell("first_name"), "a first name")
        last = _check_name(cell("last_name"), "a last name")
        dob = validators.iso_date(cell("date_of_birth")) if cell("date_of_birth") else None
        if dob is not None and dob > today:
            raise ValueError("a date of birth cannot be in the future")
        sex = validators.sex(cell("sex"))
        postcode = validators.postcode(cell("postcode")) if cell("postcode") else None
        nhs = validators.nhs_number(cell("nhs_number")) if cell("nhs_number") else None
        upn = validators.upn(cell("upn")) if cell("upn") else None
        aliases = tuple(split_alias(a) for a in cell("aliases").split(";") if a.strip())
        for alias_first, alias_last in aliases:
            _check_name(alias_first, "an alias first name")
            _check_name(alias_last, "an alias last name")
    except ValueError as exc:
        raise InputError(f"line {line}: {column}: {exc}", column) from None
    return ImportRow(line=line, external_id=external_id, first_name=first, last_name=last,
                     date_of_birth=dob, sex=sex, postcode=postcode, nhs_number=nhs, upn=upn, aliases=aliases)


def parse_csv(lines: Iterable[str], today: date) -> list[ImportRow]:
    """Check a whole file; returns its rows or raises on the first bad one."""
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("line 1: the file is empty (expected a header line)", "header") from None
    except csv.Error as exc:
        raise InputError(f"line 1: {exc}", "header") from None
    header = [h.strip().lower() for h in header]
    unknown = [h for h in header if h not in COLUMNS and h not in OPTIONAL_COLUMNS]
    missing = [c for c in COLUMNS if c not in header]
    if unknown or missing or len(set(header)) != len(header):
        problem = (f"unknown column {unknown[0]!r}" if unknown else
                   f"missing column {missing[0]!r}" if missing else "a column is named twice")
        raise InputError(f"line 1: {problem} (expected {','.join(COLUMNS)})", "header")
    rows: list[ImportRow] = []
    seen: dict[str, int] = {}
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(f"line {reader.line_num}: {exc}", "row") from None
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise InputError(f"line {line}: {len(values)} cells where the header has {len(header)}", "row")
        row = parse_row(line, dict(zip(header, values, strict=True)), today)
        if row.external_id is not None:
            if row.external_id in seen:
                raise InputError(f"line {line}: external_id: {row.external_id!r} is also on line "
                                 f"{seen[row.external_id]}", "external_id")
            seen[row.external_id] = line
        rows.append(row)
    return rows
