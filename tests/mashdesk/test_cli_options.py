"""The common options ``--db`` and ``--as`` go before or after the command name, for every command.

Each command runs once with the options before its name and once with them after everything else,
and each run must have the same, named outcome: the exit code, the output and the effect on the
database the options named, as the user they named.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, Contact, Person, StrategyDiscussion, User
from mashdesk.cli import build_parser, run
from mashdesk.demo import build_demo

#: Every command of interfaces.md that exists today, as typed; the tests below cover each one.
COMMANDS = {"init", "demo", "audit verify", "audit checkpoint", "audit export", "audit access", "triage", "due",
            "import persons", "match", "pack strategy", "handover", "rules replay", "rules consistency",
            "meeting agenda", "meeting minutes", "missing list", "connect", "user add", "user list",
            "user deactivate", "user reactivate", "user reset", "user role", "user unlock",
            "export annex-a", "export cin-census", "report digest"}
#: What each command that acts as a user needs besides the common options.
ACTOR_ARGUMENTS = {
    "audit verify": [],
    "audit checkpoint": [],
    "audit export": ["--from", "2026-11-01", "--to", "2026-11-30", "--out", "extract.json"],
    "audit access": ["--person", "1"],
    "import persons": ["people.csv"],
    "match": ["--first-name", "A", "--last-name", "B"],
    "pack strategy": ["--discussion", "1", "--out", "pack.pdf"],
    "handover": ["--date", "2026-11-23", "--out", "handover.pdf"],
    "rules replay": ["--ruleset", "proposal.toml", "--from", "2026-01-01", "--to", "2026-11-23"],
    "rules consistency": ["--from", "2026-01-01", "--to", "2026-11-23"],
    "meeting agenda": ["--date", "2026-11-23"],
    "meeting minutes": ["--date", "2026-11-23", "--out", "minutes.pdf"],
    "missing list": ["--date", "2026-11-23"],
    "user add": ["kim.cho", "--name", "Kim Cho", "--role", "health"],
    "user list": [],
    "user deactivate": ["test.edt"],
    "user reactivate": ["test.edt"],
    "user reset": ["test.edt"],
    "user role": ["test.edt", "manager"],
    "user unlock": ["test.edt"],
    "export annex-a": ["--from", "2026-10-01", "--to", "2026-10-31", "--out", "annex-a.xlsx"],
    "report digest": ["--from", "2026-10-01", "--to", "2026-10-31"],
    "export cin-census": ["--year", "2026", "--out", "census.xml"],
}
#: What each other command needs besides the common options.
OTHER_ARGUMENTS = {
    "init": [],
    "demo": ["--contacts", "3"],
    "triage": ["contact.json"],
    "due": ["decision_red", "2026-12-24T16:30"],
    "connect": ["postgresql://mash@127.0.0.1/team"],
}
ORDERS = pytest.mark.parametrize("order", ["before", "after"])
UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/none"


def _argv(order: str, command: str, common: list[str], rest: list[str] | None = None) -> list[str]:
    """The command line with the common options before the command's name, or after everything else."""
    rest = rest or []
    if order == "before":
        return [*common, *command.split(), *rest]
    return [*command.split(), *rest, *common]


def _exit_code(argv: list[str]) -> int:
    """``run``'s exit code, also when argparse refuses the command line (it exits)."""
    try:
        return run(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


def _leaf_commands(parser: argparse.ArgumentParser, prefix: str = "") -> dict[str, argparse.ArgumentParser]:
    """Every command's own parser, by the command's name as typed (``audit verify``)."""
    found = {}
    for action in parser._subparsers._group_actions if parser._subparsers else []:
        for name, sub in action.choices.items():
            full = f"{prefix} {name}".strip()
            found.update(_leaf_commands(sub, full) if sub._subparsers else {full: sub})
    return found


@pytest.fixture
def users(actors, db_url, monkeypatch):
    """One user per role (``test.ROLE``, password "secret") on ``db_url``."""
    monkeypatch.setenv("MASHDESK_PASSWORD", "secret")
    return db_url


def _people_csv(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text("external_id,first_name,last_name,date_of_birth,sex,postcode,nhs_number,aliases\n"
                    "P1,Muhammad,Khan,2015-04-03,M,BR1 3UH,,\n", encoding="utf-8")
    return path


def _audited(ctx, action: str, username: str) -> int:
    with ctx.session_factory() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent)
                        .where(AuditEvent.action == action, AuditEvent.username == username))


def test_every_command_takes_the_common_options_after_its_name_and_these_tests_cover_it():
    leaves = _leaf_commands(build_parser())
    assert set(leaves) == COMMANDS == set(ACTOR_ARGUMENTS) | set(OTHER_ARGUMENTS)
    for name, parser in leaves.items():
        defaults = {a.dest: a.default for a in parser._actions}
        assert defaults["db"] == defaults["as_user"] == argparse.SUPPRESS, name
        assert parser.get_default("acts_as_user") is (name in ACTOR_ARGUMENTS), name


@ORDERS
def test_init(ctx, db_url, order, monkeypatch, capsys):
    monkeypatch.setenv("MASHDESK_PASSWORD", "correct horse battery")
    assert run(_argv(order, "init", ["--db", db_url], ["--admin", "first.admin"])) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"database": ctx.engine.url.render_as_string(hide_password=True),
                                        "schema": "current"}
    assert "administrator first.admin created" in captured.err
    with ctx.session_factory() as s:
        assert list(s.scalars(select(User.username))) == ["first.admin"]


@ORDERS
def test_demo(ctx, db_url, order, capsys):
    assert run(_argv(order, "demo", ["--db", db_url], ["--contacts", "3", "--seed", "2"])) == 0
    assert json.loads(capsys.readouterr().out)["contacts"] == 3
    with ctx.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Contact)) == 3


@ORDERS
def test_audit_verify(ctx, users, order, capsys):
    assert run(_argv(order, "audit verify", ["--db", users, "--as", "test.admin"])) == 0
    assert capsys.readouterr().out.startswith("audit trail intact")
    assert _audited(ctx, "auth.sign_in", "test.admin") == 1


@ORDERS
def test_audit_checkpoint_and_export(ctx, users, order, tmp_path, capsys):
    assert run(_argv(order, "audit checkpoint", ["--db", users, "--as", "test.admin"])) == 0
    assert json.loads(capsys.readouterr().out)["entries"] == 1  # its own sign-in
    out = tmp_path / "extract.json"
    argv = _argv(order, "audit export", ["--db", users, "--as", "test.manager"],
                 ["--from", "1900-01-01", "--to", "2100-12-31", "--out", str(out)])
    assert run(argv) == 0  # the two sign-ins (the export's own entry follows the extract)
    assert json.loads(capsys.readouterr().out)["entries"] == len(json.loads(out.read_text())["entries"]) == 2
    assert _audited(ctx, "audit.export", "test.manager") == 1
    bad = _argv(order, "audit export", ["--db", users, "--as", "test.manager"],
                ["--from", "9999-01-01", "--to", "2026-11-30", "--out", str(out)])
    assert _exit_code(bad) == 2
    assert "--from" in capsys.readouterr().err


@ORDERS
def test_import_persons(ctx, users, order, tmp_path, capsys):
    path = _people_csv(tmp_path)
    assert run(_argv(order, "import persons", ["--db", users, "--as", "test.manager"], [str(path)])) == 0
    assert json.loads(capsys.readouterr().out) == {"created": 1, "updated": 0}
    with ctx.session_factory() as s:
        assert list(s.scalars(select(Person.external_id))) == ["P1"]
    assert _audited(ctx, "person.import", "test.manager") == 1


@ORDERS
def test_match(ctx, users, actors, order, tmp_path, capsys):
    from mashdesk.people.service import PeopleService

    PeopleService(ctx).import_persons(actors["manager"], _people_csv(tmp_path))
    argv = _argv(order, "match", ["--db", users, "--as", "test.practitioner"],
                 ["--first-name", "Mohammed", "--last-name", "Khan", "--dob", "2015-04-03"])
    assert run(argv) == 0
    assert [c["external_id"] for c in json.loads(capsys.readouterr().out)["candidates"]] == ["P1"]
    assert _audited(ctx, "person.match", "test.practitioner") == 1


@ORDERS
def test_handover(ctx, users, order, tmp_path, capsys):
    out = tmp_path / "handover.pdf"
    argv = _argv(order, "handover", ["--db", users, "--as", "test.manager"],
                 ["--date", "2026-11-23", "--out", str(out)])
    assert run(argv) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["out"] == str(out) and summary["items"] == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert _audited(ctx, "handover.save", "test.manager") == 1


@ORDERS
def test_missing_list(ctx, users, order, tmp_path, capsys):
    out = tmp_path / "missing.csv"
    argv = _argv(order, "missing list", ["--db", users, "--as", "test.manager"],
                 ["--date", "2026-11-23", "--out", str(out)])
    assert run(argv) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["date"] == "2026-11-23" and printed["missing"] == [] and printed["out"] == str(out)
    assert out.read_text().startswith("reference,child,")
    assert _audited(ctx, "missing.list_save", "test.manager") == 1


@ORDERS
def test_export_cin_census(ctx, users, order, tmp_path, capsys):
    out = tmp_path / "census.xml"
    argv = _argv(order, "export cin-census", ["--db", users, "--as", "test.manager"],
                 ["--year", "2026", "--out", str(out)])
    assert run(argv) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["out"] == str(out) and printed["year"] == 2026 and printed["children"] == 0
    assert printed["reference_date"] == "2026-03-31" and out.read_bytes().startswith(b"<?xml")
    assert _audited(ctx, "export.returns", "test.manager") == 1
    for bad, named in ((["--year", "26"], "--year"), (["--year", "1999"], "--year"),
                       (["--out", str(tmp_path / "c.csv")], "--out"),
                       (["--out", str(tmp_path / "no/c.xml")], "--out")):
        rest = {"--year": "2026", "--out": str(out)} | dict([bad])
        assert _exit_code(_argv(order, "export cin-census", ["--db", users, "--as", "test.manager"],
                                [x for kv in rest.items() for x in kv])) == 2
        err = capsys.readouterr().err
        assert named in err and len(err.strip().splitlines()) in (1, 3), err  # argparse adds its usage lines
    assert _exit_code(_argv(order, "export cin-census", ["--db", users, "--as", "test.practitioner"],
                            ["--year", "2026", "--out", str(tmp_path / "p.xml")])) == 1
    assert "may not export" in capsys.readouterr().err and not (tmp_path / "p.xml").exists()


@ORDERS
def test_pack_strategy(ctx, db_url, order, tmp_path, monkeypatch, capsys):
    build_demo(ctx, 3, seed=1)
    monkeypatch.setenv("MASHDESK_PASSWORD", "demo")
    with ctx.session_factory() as s:
        discussion = s.scalar(select(func.min(StrategyDiscussion.id)))
    out = tmp_path / "pack.pdf"
    argv = _argv(order, "pack strategy", ["--db", db_url, "--as", "demo.police"],  # police attend every one
                 ["--discussion", str(discussion), "--out", str(out)])
    assert run(argv) == 0
    assert json.loads(capsys.readouterr().out) == {"discussion": discussion, "out": str(out),
                                                   "bytes": out.stat().st_size}
    assert _audited(ctx, "pack.save", "demo.police") == 1


TRIAGE = {"received_at": "2026-12-24T16:30:00",
          "children": [{"ref": "A", "date_of_birth": "2020-01-01", "indicators": []}]}


@pytest.mark.parametrize("command", ["triage", "due"])
@ORDERS
def test_triage_and_due_take_db_and_need_no_database(command, order, tmp_path, monkeypatch, capsys):
    rest = OTHER_ARGUMENTS[command]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "contact.json").write_text(json.dumps(TRIAGE), encoding="utf-8")
    assert run([command, *rest]) == 0
    expected = capsys.readouterr().out
    assert run(_argv(order, command, ["--db", UNREACHABLE], rest)) == 0
    assert capsys.readouterr().out == expected


@pytest.mark.parametrize("command", sorted(OTHER_ARGUMENTS))
@ORDERS
def test_a_command_that_does_not_act_as_a_user_refuses_as(command, order, tmp_path, capsys):
    never = tmp_path / "never.sqlite3"
    argv = _argv(order, command, ["--db", f"sqlite:///{never}", "--as", "test.admin"], OTHER_ARGUMENTS[command])
    assert _exit_code(argv) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"mashdesk {command}: error: --as: this command does not act as a user")
    assert not never.exists()


@pytest.mark.parametrize("command", sorted(ACTOR_ARGUMENTS))
@ORDERS
def test_a_command_that_acts_as_a_user_requires_as(command, order, tmp_path, capsys):
    never = tmp_path / "never.sqlite3"
    assert _exit_code(_argv(order, command, ["--db", f"sqlite:///{never}"], ACTOR_ARGUMENTS[command])) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"mashdesk {command}: error: the following arguments are required: --as")
    assert not never.exists()


@pytest.mark.parametrize("argv", [
    ["--db", "D", "--as", "U", "match", "--first-name", "A", "--last-name", "B"],
    ["match", "--first-name", "A", "--last-name", "B", "--db", "D", "--as", "U"],
    ["--db", "D", "match", "--as", "U", "--first-name", "A", "--last-name", "B"],
    ["--as", "U", "match", "--first-name", "A", "--last-name", "B", "--db=D"],
])
def test_options_before_and_after_mix(argv):
    args = build_parser().parse_args(argv)
    assert (args.db, args.as_user, args.first_name) == ("D", "U", "A")


def test_mashdesk_db_is_the_default_and_db_before_the_command_overrides_it(ctx, db_url, monkeypatch, capsys):
    shown = ctx.engine.url.render_as_string(hide_password=True)
    monkeypatch.setenv("MASHDESK_DB", db_url)
    assert run(["init"]) == 0
    assert json.loads(capsys.readouterr().out)["database"] == shown
    monkeypatch.setenv("MASHDESK_DB", UNREACHABLE)
    assert run(["--db", db_url, "init"]) == 0
    assert json.loads(capsys.readouterr().out)["database"] == shown


@pytest.mark.parametrize(("url", "code", "start"), [
    (UNREACHABLE, 1, f"mashdesk: cannot open the database {UNREACHABLE}: connection failed:"),
    ("postgresql+psycopg://mash:hunter2@127.0.0.1:1/none", 1,
     "mashdesk: cannot open the database postgresql+psycopg://mash:***@127.0.0.1:1/none: connection failed:"),
    ("sqlite:////no/such/folder/desk.sqlite3", 1,
     "mashdesk: cannot open the database sqlite:////no/such/folder/desk.sqlite3: unable to open"),
    ("not a url", 2, "mashdesk: --db: not a database URL the desk can use"),
])
@pytest.mark.parametrize(("command", "rest"), [("init", []), ("audit verify", ["--as", "test.admin"])])
@ORDERS
def test_a_database_that_cannot_be_opened_is_one_line_on_stderr(url, code, start, command, rest, order,
                                                                 monkeypatch, capsys):
    import main

    monkeypatch.setenv("MASHDESK_PASSWORD", "secret")
    assert main.main(_argv(order, command, ["--db", url], rest)) == code
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.splitlines()) == 1 and captured.err.startswith(start)
    assert "hunter2" not in captured.err


def test_help_lists_the_common_options(capsys):
    import main

    for argv in (["--help"], ["init", "--help"], ["match", "--help"]):
        with pytest.raises(SystemExit) as exit_:
            run(argv)
        assert exit_.value.code == 0
        text = capsys.readouterr().out
        assert "--db URL" in text
        assert ("--as USERNAME" in text) is (argv[0] != "init"), argv
    with pytest.raises(SystemExit) as exit_:
        main.main(["--help"])  # the window's help, which names the commands too
    assert exit_.value.code == 0
    text = " ".join(capsys.readouterr().out.split())  # as read, whatever the line breaks
    assert "--db URL" in text and "--as USERNAME" in text and "before or after the command" in text


WINDOW = {"db": None, "as_user": None, "demo": False, "screenshot": None, "view": "queue"}


@pytest.mark.parametrize(("argv", "window"), [
    (["--db", "sqlite:///d.sqlite3", "--as", "demo.manager"],
     {"db": "sqlite:///d.sqlite3", "as_user": "demo.manager"}),
    (["--as=u", "--db=sqlite:///d.sqlite3"], {"db": "sqlite:///d.sqlite3", "as_user": "u"}),
    (["--demo"], {"demo": True}),
    (["--demo", "--as", "demo.police", "--screenshot", "q.png", "--view", "strategy"],
     {"demo": True, "as_user": "demo.police", "screenshot": "q.png", "view": "strategy"}),
    (["--db", "sqlite:///d.sqlite3", "init"], None),
    (["--db", "sqlite:///d.sqlite3", "--as", "u", "audit", "verify"], None),
    (["--as", "u", "--db=sqlite:///d.sqlite3", "match", "--first-name", "A", "--last-name", "B"], None),
])
def test_the_window_and_the_commands_are_told_apart(argv, window, monkeypatch):
    import main
    import mashdesk.cli
    import ui.app

    seen: dict[str, Any] = {}

    def open_window(window_argv: list[str]) -> int:
        seen["window"] = vars(ui.app.build_parser().parse_args(window_argv))
        return 0

    def run_command(command_argv: list[str]) -> int:
        seen["command"] = command_argv
        return 0

    monkeypatch.setattr(ui.app, "STARTED", ui.app.STARTED)  # main() sets it before opening the window
    monkeypatch.setattr(ui.app, "run", open_window)
    monkeypatch.setattr(mashdesk.cli, "run", run_command)
    assert main.command_in(argv) is (window is None)
    assert main.main(argv) == 0
    if window is None:
        assert seen == {"command": argv}
    else:
        expected = {**WINDOW, **window}
        assert list(seen) == ["window"]
        assert {key: seen["window"][key] for key in expected} == expected


@ORDERS
def test_user(ctx, users, order, capsys):
    admin = ["--db", users, "--as", "test.admin"]
    assert run(_argv(order, "user add", admin, ["kim.cho", "--name", "Kim Cho", "--role", "health"])) == 0
    added = json.loads(capsys.readouterr().out)
    assert (added["username"], added["role"], added["agency"]) == ("kim.cho", "health", "health")
    assert len(added["temporary_password"]) >= 12
    for change, rest in (("user deactivate", []), ("user reactivate", []), ("user reset", []),
                         ("user unlock", []), ("user role", ["manager"])):
        assert run(_argv(order, change, admin, ["test.edt", *rest])) == 0, change
    last = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert (last["username"], last["role"], last["status"]) == ("test.edt", "manager", "must change password")
    assert run(_argv(order, "user list", admin)) == 0
    assert "kim.cho" in {u["username"] for u in json.loads(capsys.readouterr().out)["users"]}
    assert _audited(ctx, "user.manage", "test.admin") == 6
    assert _exit_code(_argv(order, "user deactivate", admin, ["no.such.person"])) == 2
    assert capsys.readouterr().err.startswith("mashdesk: user: there is no user called 'no.such.person'")
