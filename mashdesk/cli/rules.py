"""``mashdesk rules replay`` and ``mashdesk rules consistency`` (interfaces.md): what a proposed ruleset would
change over stored assessments, and how consistently decisions follow the suggestions."""

from __future__ import annotations

import argparse
import json
import sys

from mashdesk.cli.common import add_command, day_option, file_option, open_context, sign_in
from mashdesk.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("rules", help="Threshold of Need rulesets: replay a proposal, the consistency report")
    rules_sub = p.add_subparsers(dest="rules_command", metavar="COMMAND", required=True)
    r = add_command(rules_sub, "replay", acts_as_user=True,
                    help="re-run the stored threshold assessments of a period under a proposed ruleset",
                    description="Evaluate every stored threshold assessment of contacts received in the period "
                    "again, with its indicators and child facts as stored, under the ruleset FILE, and report "
                    "what would change. Reads only (the replay is audited as a read).")
    r.add_argument("--ruleset", required=True, metavar="FILE", help="the proposed ruleset file (.toml)")
    _period(r)
    r.add_argument("--json", action="store_true", help="print the report as JSON")
    r.set_defaults(func=cmd_replay)
    c = add_command(rules_sub, "consistency", acts_as_user=True,
                    help="override rates by practitioner, team manager, referral source and indicator",
                    description="How often decisions on contacts received in the period differ from the "
                    "ruleset's suggestion, by whom and where, the common reasons, suggested and decided levels "
                    "side by side. JSON on stdout.")
    _period(c)
    c.set_defaults(func=cmd_consistency)


def _period(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD", help="first day received")
    p.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD", help="last day received")


def _print_json(data: object) -> None:
    sys.stdout.flush()
    sys.stdout.buffer.write((json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    sys.stdout.flush()


def cmd_replay(args: argparse.Namespace) -> int:
    from mashdesk.rulesets.service import RulesetService

    start, end = day_option(args.start, "--from"), day_option(args.end, "--to")
    path = file_option(args.ruleset, "--ruleset")
    with open_context(args) as ctx:
        actor = sign_in(ctx, args.as_user)
        try:
            report = RulesetService(ctx).replay_file(actor, path, start, end)
        except InputError as exc:
            if exc.field != "ruleset":
                raise
            raise InputError(f"--ruleset: {exc}", "ruleset") from exc
    if args.json:
        _print_json(report.to_json())
        return 0
    print(f"{report.proposed} over contacts received {start} to {end}: {report.children:,} children, "
          f"{report.changed:,} would change (level, outcome, RAG or flags); {report.not_evaluated} not evaluated.")
    print("Level, old → new:")
    for old, new, n in report.level_matrix:
        print(f"  {old} → {new}: {n:,}{'' if old == new else '  (changed)'}")
    if report.rule_causes or report.indicator_causes:
        print("Causes: " + ", ".join(f"{k} {n}" for k, n in (*report.rule_causes, *report.indicator_causes)))
    for w in report.workload:
        print(f"  {w.label} per week: {w.old_per_week} → {w.new_per_week}")
    print(f"Overridden decisions: {report.overrides:,}; the proposal agrees with {report.overrides_now_agreed:,} "
          f"of them; it differs from {report.followed_now_differ:,} decisions that followed the suggestion.")
    return 0


def cmd_consistency(args: argparse.Namespace) -> int:
    from mashdesk.rulesets.service import RulesetService

    start, end = day_option(args.start, "--from"), day_option(args.end, "--to")
    with open_context(args) as ctx:
        actor = sign_in(ctx, args.as_user)
        report = RulesetService(ctx).consistency(actor, start, end)
    _print_json(report.to_json())
    return 0
