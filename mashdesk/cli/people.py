"""``mashdesk import persons`` and ``mashdesk match``: the people commands of interfaces.md."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from mashdesk.cli.common import add_command, open_context, sign_in
from mashdesk.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("import", help="import records from a file")
    import_sub = p.add_subparsers(dest="import_kind", metavar="KIND", required=True)
    persons = add_command(import_sub, "persons", acts_as_user=True,
                          help="import or update people from a CSV file")
    persons.add_argument("file", metavar="FILE.csv")
    persons.set_defaults(func=cmd_import_persons)

    m = add_command(sub, "match", acts_as_user=True,
                    help="find the people a name (and date of birth, postcode) may be")
    m.add_argument("--first-name", required=True, metavar="F")
    m.add_argument("--last-name", required=True, metavar="L")
    m.add_argument("--dob", metavar="YYYY-MM-DD")
    m.add_argument("--postcode", metavar="P")
    m.add_argument("--limit", type=int, default=10, metavar="K")
    m.set_defaults(func=cmd_match)


def cmd_import_persons(args: argparse.Namespace) -> int:
    from mashdesk.people.service import PeopleService

    with open_context(args) as ctx:
        actor = sign_in(ctx, args.as_user)
        result = PeopleService(ctx).import_persons(actor, args.file)
    _print_json({"created": result.created, "updated": result.updated})
    return 0


def _print_json(data: object) -> None:
    """JSON on stdout as UTF-8, whatever the terminal's encoding."""
    sys.stdout.flush()
    sys.stdout.buffer.write((json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8"))
    sys.stdout.flush()


def _dob(text: str | None) -> date | None:
    if text is None:
        return None
    from mashdesk import validators

    try:
        return validators.iso_date(text)
    except ValueError as exc:
        raise InputError(f"--dob: {exc}", "dob") from None


def cmd_match(args: argparse.Namespace) -> int:
    from mashdesk.people.scoring import MatchQuery
    from mashdesk.people.service import MOST_CANDIDATES, PeopleService

    if not args.first_name.strip() and not args.last_name.strip():
        raise InputError("--first-name/--last-name: give a name to search for", "name")
    if not 1 <= args.limit <= MOST_CANDIDATES:
        raise InputError(f"--limit: 1 to {MOST_CANDIDATES:,}", "limit")
    query = MatchQuery(first_name=args.first_name, last_name=args.last_name, date_of_birth=_dob(args.dob),
                       postcode=args.postcode)
    with open_context(args) as ctx:
        actor = sign_in(ctx, args.as_user)
        found = PeopleService(ctx).match(actor, query, args.limit)
    _print_json({"candidates": [
        {"person_id": m.person_id, "external_id": m.external_id, "score": round(m.score, 1), "band": m.band,
         "reasons": list(m.reasons)} for m in found]})
    return 0
