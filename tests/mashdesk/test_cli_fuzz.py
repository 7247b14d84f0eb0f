"""Generated input for ``triage``, ``due``, ``match`` and ``import persons``: never a traceback.

Each command runs in this process (``mashdesk.cli.run``) on thousands of generated inputs, mostly
near-valid with one part wrong (dates in any year and offset, control and broken characters, huge
numbers, deep JSON, long values) and some plain junk. Every answer must keep the contract of
interfaces.md: exit 0 with its output, or exit 2 with one line naming the field that quotes at
most 80 characters of the bad value.

The database commands run against the ``ctx`` database with the manager already signed in: the
fuzzing is of what they are given, and the sign-in itself (a deliberately slow password hash) is
covered by test_cli_people. PostgreSQL runs fewer examples than SQLite, to keep the suite's time.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mashdesk.cli.people as cli_people
import mashdesk.cli.triage as cli_triage
from mashdesk.calendar import WorkingCalendar
from mashdesk.clock import LONDON
from rules import load_ruleset
from tests.mashdesk.cli_invoke import assert_contract, invoke

#: Generated inputs per command (2,000 at least in CI); PostgreSQL's share is bounded.
EXAMPLES = 2000
POSTGRESQL_EXAMPLES = 250
_FUZZ = {"deadline": None, "database": None, "suppress_health_check": [HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow]}

_RULESET = load_ruleset()
_KINDS = WorkingCalendar().kinds

# -- the pieces of input --------------------------------------------------------------------------

#: Any text, control characters and lone surrogates included; sometimes far longer than 80 characters.
junk = st.one_of(st.text(max_size=20), st.text(st.characters(codec=None), max_size=20),
                 st.text(st.characters(codec=None), min_size=81, max_size=160))
_OFFSETS = st.sampled_from([None, UTC, LONDON, timezone(timedelta(hours=14)), timezone(-timedelta(hours=12)),
                            timezone(timedelta(hours=5, minutes=30))])
#: A datetime of any year (1 to 9999) and offset, as ISO text.
any_datetime = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                            timezones=_OFFSETS).map(datetime.isoformat)
#: A datetime of the years the desk works in, as ISO text.
near_datetime = st.datetimes(min_value=datetime(1895, 1, 1), max_value=datetime(2105, 12, 31),
                             timezones=_OFFSETS).map(lambda d: d.isoformat(timespec="minutes"))
any_date = st.dates().map(date.isoformat)
near_date = st.dates(min_value=date(1895, 1, 1), max_value=date(2105, 12, 31)).map(date.isoformat)
when = st.one_of(any_datetime, near_datetime, any_date, near_date, junk)
#: Any JSON value, nested a little.
json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=10**300, max_value=10**400)
    | st.floats() | junk,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(junk, inner, max_size=3), max_leaves=8)


def _json(value: Any) -> bytes:
    import json

    return json.dumps(value).encode("utf-8")


# -- triage ---------------------------------------------------------------------------------------

_known = st.sampled_from(sorted(_RULESET.indicators))
_household = st.sampled_from(sorted(_RULESET.household_indicators))
_indicator = _known | junk
_count = st.integers(min_value=-3, max_value=30) | st.integers(10**20, 10**4000) | json_value
_child_fields = {"ref": st.sampled_from(["A", "B", " "]) | junk | json_value,
                 "date_of_birth": near_date | when | json_value, "expected_date_of_birth": near_date | when,
                 "disabled": st.booleans() | json_value, "previous_cp_plan": st.booleans() | json_value,
                 "previous_contacts_12m": _count, "previous_referrals_12m": _count,
                 "indicators": st.lists(_indicator, max_size=4) | json_value, "unknown": json_value}
_child = st.fixed_dictionaries({"ref": _child_fields["ref"]},
                               optional={k: v for k, v in _child_fields.items() if k != "ref"})
_contact = st.fixed_dictionaries(
    {"received_at": near_datetime | when | json_value, "children": st.lists(_child, max_size=3) | json_value},
    optional={"household_indicators": st.lists(_household | junk, max_size=3) | json_value})

@st.composite
def _good_contact(draw: st.DrawFn) -> dict[str, Any]:
    """A contact the ruleset accepts as often as not: children born before it came, known indicators."""
    received = draw(st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2100, 12, 30),
                                 timezones=_OFFSETS))
    day = received.date()
    children = []
    for ref in "ABC"[:draw(st.integers(min_value=1, max_value=3))]:
        child: dict[str, Any] = {"ref": ref, "indicators": draw(st.lists(_known, max_size=3, unique=True)),
                                 "previous_contacts_12m": draw(st.integers(0, 5)),
                                 "disabled": draw(st.booleans()), "previous_cp_plan": draw(st.booleans())}
        if draw(st.integers(0, 4)):
            child["date_of_birth"] = draw(st.dates(day - timedelta(days=18 * 365), day)).isoformat()
        else:
            child["expected_date_of_birth"] = draw(st.dates(day, day + timedelta(days=270))).isoformat()
        children.append(child)
    contact = {"received_at": received.isoformat(), "children": children,
               "household_indicators": draw(st.lists(_household, max_size=1))}
    # Then, as often as not, one part of it made wrong.
    spoil = draw(st.sampled_from(["", "", "received_at", "child", "household_indicators"]))
    if spoil == "received_at":
        contact["received_at"] = draw(when | json_value)
    elif spoil == "child":
        child = draw(st.sampled_from(children))
        field = draw(st.sampled_from(sorted(_child_fields)))
        child[field] = draw(_child_fields[field])
    elif spoil:
        contact[spoil] = draw(st.lists(_indicator, max_size=3) | json_value)
    return contact


_nested = st.integers(min_value=1, max_value=120_000).map(lambda n: b"[" * n + b"]" * n)
_long_number = st.integers(min_value=4000, max_value=6000).map(
    lambda n: b'{"received_at": "2026-01-05T10:00", "children": [{"ref": "A", "date_of_birth": "2020-01-01", '
              b'"previous_contacts_12m": ' + b"7" * n + b"}]}")
triage_input = st.one_of(_good_contact().map(_json), _good_contact().map(_json), _good_contact().map(_json),
                         _contact.map(_json), json_value.map(_json),
                         st.binary(max_size=200), _nested, _long_number)


@pytest.fixture(autouse=True)
def _ruleset_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ruleset file is read once here, not once an input: it is the input that is generated."""
    monkeypatch.setattr(cli_triage, "load_ruleset", lambda *_args, **_kwargs: _RULESET)


@settings(max_examples=EXAMPLES, **_FUZZ)
@given(raw=triage_input)
def test_triage_keeps_the_exit_code_contract_for_any_input(raw: bytes) -> None:
    assert_contract(invoke(["triage", "-"], stdin=raw), json_out=True)


# -- due ------------------------------------------------------------------------------------------

@settings(max_examples=EXAMPLES, **_FUZZ)
@given(kind=st.sampled_from(_KINDS) | junk, start=when)
def test_due_keeps_the_exit_code_contract_for_any_input(kind: str, start: str) -> None:
    assert_contract(invoke(["due", kind, start]), json_out=False, values=[kind, start])


# -- the database commands ------------------------------------------------------------------------

@pytest.fixture
def desk(ctx, actors, db_url, monkeypatch) -> str:  # type: ignore[no-untyped-def]
    """The people commands on ``ctx``, the manager signed in (see the module's note)."""
    @contextmanager
    def opened(_args: object) -> Iterator[object]:
        yield ctx

    monkeypatch.setattr(cli_people, "open_context", opened)
    monkeypatch.setattr(cli_people, "sign_in", lambda _ctx, _name: actors["manager"])
    return db_url


def _examples(db_url: str) -> int:
    return EXAMPLES if db_url.startswith("sqlite") else POSTGRESQL_EXAMPLES


def _mostly(good: st.SearchStrategy[str], bad: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A cell that is right nine times in ten: a row's one bad cell is then what is tested."""
    return st.integers(0, 9).flatmap(lambda n: bad if n == 0 else good)


_born = st.dates(date(1990, 1, 1), date(2025, 12, 31)).map(date.isoformat)
_names = st.sampled_from(["Muhammad", "Mohammed", "Khan", "Zoë", "Smith-Jones", "O'Neil", "Lee", "Ann"])
_name = _mostly(_names, st.sampled_from(["", " "]) | junk)
_limit = _mostly(st.integers(min_value=1, max_value=20).map(str), st.integers(-2, 2000).map(str) | junk)


@st.composite
def match_argv(draw: st.DrawFn) -> list[str]:
    argv = ["match", "--as", "test.manager", "--first-name", draw(_name), "--last-name", draw(_name)]
    for option, values in (("--dob", _mostly(_born, near_date | when)),
                           ("--postcode", _mostly(st.sampled_from(["BR1 3UH", "br13uh", "SE1"]), junk)),
                           ("--limit", _limit)):
        if draw(st.booleans()):
            argv += [option, draw(values)]
    return argv


def test_match_keeps_the_exit_code_contract_for_any_input(desk: str) -> None:
    @settings(max_examples=_examples(desk), **_FUZZ)
    @given(argv=match_argv())
    def check(argv: list[str]) -> None:
        assert_contract(invoke(argv), json_out=True, values=argv)

    check()


_cell = {
    "external_id": _mostly(st.sampled_from(["P1", "P2", "P3", ""]), junk),
    "first_name": _name, "last_name": _name,
    "date_of_birth": _mostly(st.just("") | _born, near_date | when),
    "sex": _mostly(st.sampled_from(["M", "F", "U", ""]), junk),
    "postcode": _mostly(st.sampled_from(["", "BR1 3UH", "br13uh"]), junk),
    "nhs_number": _mostly(st.sampled_from(["", "943 476 5919"]), st.just("12345") | junk),
    "aliases": _mostly(st.sampled_from(["", "Mo Khan", "Mo Khan;Ann Lee"]), st.just("Mo") | junk),
}
_HEADER = list(_cell)
_row = st.fixed_dictionaries(_cell).map(lambda cells: [cells[c] for c in _HEADER])


def _csv_text(rows: list[list[str]], header: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue()


csv_file = st.one_of(
    st.lists(_row, max_size=4).map(lambda rows: _csv_text(rows, _HEADER)),
    st.lists(_row, max_size=4).map(lambda rows: _csv_text(rows, _HEADER)),
    st.lists(_row, max_size=2).map(lambda rows: _csv_text([row[::-1] for row in rows], _HEADER[::-1])),
    st.lists(junk, max_size=4).map("\n".join),
)


def test_import_persons_keeps_the_exit_code_contract_for_any_input(desk: str, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"

    @settings(max_examples=_examples(desk), **_FUZZ)
    @given(text=csv_file, where=st.sampled_from(["file", "file", "file", "folder", "missing"]))
    def check(text: str, where: str) -> None:
        # Written as it came: a lone surrogate makes the file bad UTF-8, as a damaged file would be.
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        target = {"file": path, "folder": tmp_path, "missing": tmp_path / "none.csv"}[where]
        assert_contract(invoke(["import", "persons", str(target), "--as", "test.manager"]), json_out=True)

    check()
