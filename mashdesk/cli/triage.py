"""``mashdesk triage FILE`` and ``mashdesk due KIND START`` (interfaces.md): no database needed."""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from mashdesk import validators
from mashdesk.calendar import WorkingCalendar
from mashdesk.cli.common import add_command
from mashdesk.errors import InputError
from rules import ChildInput, RuleInputError, ThresholdEngine, TriageResult, load_ruleset

_CONTACT_FIELDS = {"received_at", "household_indicators", "children"}
#: The most previous contacts or referrals a child can be recorded with: more is a typing slip.
_MOST_PREVIOUS = 10_000
#: A child's ref is a short label ("A", "child 2"), echoed in the output.
_LONGEST_REF = 80
_CHILD_FIELDS = {
    "ref",
    "date_of_birth",
    "expected_date_of_birth",
    "disabled",
    "previous_cp_plan",
    "previous_contacts_12m",
    "previous_referrals_12m",
    "indicators",
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    triage = add_command(
        subparsers,
        "triage",
        help="apply the Threshold of Need to a contact given as JSON",
        description="Suggest a level, outcome and RAG rating for each child of a contact (JSON, see "
        "docs/threshold-and-calendar.md) and print them as JSON. Needs no database: --db is accepted and "
        "not used.",
    )
    triage.add_argument("file", metavar="FILE", help="the contact as JSON; - reads standard input")
    triage.set_defaults(func=run_triage)

    due = add_command(
        subparsers,
        "due",
        help="print the deadline of a kind of work from a start time",
        description="Print a deadline from the working calendar: an ISO datetime with its UTC offset, or an "
        "ISO date for date kinds (icpc, assessment). Needs no database: --db is accepted and not used.",
    )
    due.add_argument("kind", metavar="KIND", help="deadline kind, e.g. decision_red, icpc")
    due.add_argument("start", metavar="START", help="ISO datetime (local time if no offset), or date")
    due.set_defaults(func=run_due)


def run_triage(args: argparse.Namespace) -> int:
    contact = _read_json(args.file)
    calendar = WorkingCalendar()
    received_at = calendar.localize(_datetime(contact.get("received_at"), "received_at"))
    children = contact.get("children")
    if not isinstance(children, list):
        raise InputError("children: must be a list of children", field="children")
    household = _strings(contact.get("household_indicators", []), "household_indicators")
    engine = ThresholdEngine(load_ruleset())
    try:
        result = engine.triage(
            received_at.date(), [_child(entry, i) for i, entry in enumerate(children)], household
        )
    except RuleInputError as exc:
        raise InputError(str(exc), field=exc.field) from exc
    decision_due = calendar.due_datetime(f"decision_{result.rag}", received_at)
    _print_json(_triage_json(result, decision_due))
    return 0


def run_due(args: argparse.Namespace) -> int:
    calendar = WorkingCalendar()
    if args.kind not in calendar.kinds:
        raise InputError(
            f"KIND: unknown deadline kind {validators.shown(args.kind)}; "
            f"use one of {', '.join(calendar.kinds)}",
            field="KIND",
        )
    if calendar.is_date_kind(args.kind):
        try:
            start: date = _in_years(date.fromisoformat(args.start), args.start, "START")
        except ValueError:
            start = calendar.localize(_datetime(args.start, "START")).date()
    else:
        start = _datetime(args.start, "START")
    deadline = calendar.due(args.kind, start)
    print(deadline.isoformat())
    return 0


def _triage_json(result: TriageResult, decision_due: datetime) -> dict[str, Any]:
    return {
        "ruleset": {"id": result.ruleset_id, "version": result.ruleset_version},
        "rag": result.rag,
        "decision_due": decision_due.isoformat(),
        "children": [
            {
                "ref": child.ref,
                "level": child.level,
                "outcome": child.outcome,
                "rag": child.rag,
                "rules": list(child.rules),
                "flags": list(child.flags),
                "reasons": list(child.reasons),
            }
            for child in result.children
        ],
    }


def _read_json(name: str) -> dict[str, Any]:
    try:
        raw = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as exc:
        reason = exc.strerror or exc
        raise InputError(f"FILE: cannot read {validators.cut(name)}: {reason}", field="FILE") from exc
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(f"FILE: {validators.cut(name)} is not UTF-8 text", field="FILE") from exc
    except json.JSONDecodeError as exc:
        raise InputError(
            f"FILE: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", field="FILE"
        ) from exc
    except RecursionError:
        raise InputError("FILE: the JSON is nested too deeply to be a contact", field="FILE") from None
    except ValueError:  # the one other thing json refuses: an integer of more than 4,300 digits
        raise InputError("FILE: a number has more than 4,300 digits", field="FILE") from None
    if not isinstance(data, dict):
        raise InputError("FILE: the contact must be a JSON object", field="FILE")
    unknown = sorted(data.keys() - _CONTACT_FIELDS)
    if unknown:
        raise InputError(f"{_named(unknown[0])}: unknown field", field=unknown[0])
    return data


def _child(entry: object, index: int) -> ChildInput:
    if not isinstance(entry, dict):
        raise InputError(f"children[{index}]: must be an object", field="children")
    ref = entry.get("ref")
    if not isinstance(ref, str) or not ref.strip():
        raise InputError(f"children[{index}].ref: must be a non-empty string", field="ref")
    try:
        validators.plain_text(ref)
    except ValueError as exc:
        raise InputError(f"children[{index}].ref: {exc}", field="ref") from None
    if len(ref) > _LONGEST_REF:
        raise InputError(f"children[{index}].ref: at most {_LONGEST_REF} characters", field="ref")
    where = f"child {ref}: "
    unknown = sorted(entry.keys() - _CHILD_FIELDS)
    if unknown:
        raise InputError(f"{where}{_named(unknown[0])}: unknown field", field=unknown[0])

    def flag(name: str) -> bool:
        value = entry.get(name, False)
        if not isinstance(value, bool):
            raise InputError(f"{where}{name}: must be true or false", field=name)
        return value

    def count(name: str) -> int:
        value = entry.get(name, 0)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= _MOST_PREVIOUS:
            raise InputError(f"{where}{name}: must be a whole number, 0 to {_MOST_PREVIOUS:,}", field=name)
        return value

    def day(name: str) -> date | None:
        value = entry.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                parsed = date.fromisoformat(value)
            except ValueError:
                pass
            else:
                return _in_years(parsed, value, f"{where}{name}")
        raise InputError(f"{where}{name}: {validators.shown(value)} is not an ISO date (YYYY-MM-DD)",
                         field=name)

    return ChildInput(
        ref=ref,
        date_of_birth=day("date_of_birth"),
        expected_date_of_birth=day("expected_date_of_birth"),
        disabled=flag("disabled"),
        previous_cp_plan=flag("previous_cp_plan"),
        previous_contacts_12m=count("previous_contacts_12m"),
        previous_referrals_12m=count("previous_referrals_12m"),
        indicators=tuple(_strings(entry.get("indicators", []), "indicators", where)),
    )


def _strings(value: object, name: str, where: str = "") -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InputError(f"{where}{name}: must be a list of indicator ids", field=name)
    for item in value:  # an id is plain text; an unknown one is refused by the ruleset, naming it
        try:
            validators.plain_text(item)
        except ValueError as exc:
            raise InputError(f"{where}{name}: {validators.shown(item)} {exc}", field=name) from None
    return value


def _datetime(value: object, name: str) -> datetime:
    if not isinstance(value, str):
        raise InputError(f"{name}: must be an ISO date and time, e.g. 2026-12-24T16:30:00", field=name)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        shown = validators.shown(value)
        raise InputError(f"{name}: {shown} is not an ISO date and time", field=name) from None
    _in_years(parsed, value, name)
    if parsed.tzinfo is not None:  # in UTC too: 2100-12-31T23:00-14:00 is in 2101
        _in_years(parsed.astimezone(UTC), value, name)
    return parsed


def _named(key: str) -> str:
    """An unknown field's name as a message shows it: as written when it looks like a name, else quoted."""
    return key if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]{0,79}", key) else validators.shown(key)


def _in_years(day: date, text: str, name: str) -> date:
    try:
        return validators.in_years(day)
    except ValueError as exc:
        raise InputError(f"{name}: {validators.shown(text)}: {exc}", field=name.rsplit(" ", 1)[-1]) from None


def _print_json(data: dict[str, Any]) -> None:
    """Write ``data`` to standard output as UTF-8 JSON, whatever the terminal's encoding."""
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()
