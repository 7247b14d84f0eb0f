"""``mashdesk report digest`` and ``mashdesk export annex-a``: the files, their audit, who may export, bad arguments."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from db.models import AuditEvent, Contact, Decision, StepDown
from mashdesk.cli import run
from mashdesk.documents.base import MARKING
from mashdesk.returns.annex_a_codes import HEADINGS

PERIOD = ["--from", "2026-10-01", "--to", "2026-10-31"]


@pytest.fixture
def signed(db_url, actors, monkeypatch):
    monkeypatch.setenv("MASHDESK_PASSWORD", "secret")
    return ["--db", db_url, "--as"]


def _code(argv: list[str]) -> int:
    try:
        return run(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


def _exports(ctx, action: str) -> list[AuditEvent]:
    with ctx.session_factory() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def test_the_digest_prints_json_and_saves_a_marked_pdf_audited_with_its_sha256(ctx, front_door, signed, tmp_path,
                                                                               capsys):
    out = tmp_path / "digest.pdf"
    assert run(["report", "digest", *signed, "test.manager", *PERIOD, "--out", str(out)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["previous"] == {"from": "2026-08-31", "to": "2026-09-30"} and result["out"] == str(out)
    red = next(f for f in result["figures"] if f["key"] == "timescale:red")
    assert (red["value"], red["of"], red["share"], red["previous"]["of"]) == (1, 2, 50.0, 0)
    pages = PdfReader(io.BytesIO(out.read_bytes())).pages
    assert all(page.extract_text().count(MARKING) == 2 for page in pages)
    text = "\n".join(page.extract_text() for page in pages)
    assert "Red: decided within timescale" in text and "Family support already in place" in text
    [event] = _exports(ctx, "digest.export")
    assert event.username == "test.manager" and event.detail["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert "digest.pdf" in event.summary and event.detail["from"] == "2026-10-01"


def test_the_digest_as_a_workbook(front_door, signed, tmp_path):
    out = tmp_path / "digest.xlsx"
    assert run(["report", "digest", *signed, "test.admin", *PERIOD, "--out", str(out)]) == 0
    sheet = load_workbook(out)["Digest"]
    rows = {r[2]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows["conversion"][3:] == (2, 3, 66.7, 1, 2, 50.0)
    assert rows["contacts"][3:] == (4, None, None, 2, None, None)


def test_the_annex_a_workbook_has_the_templates_sheets_headings_and_values(ctx, front_door, signed, tmp_path,
                                                                           capsys):
    with ctx.session_factory.begin() as s:  # C1's referral is not NFA; C3's early help started 3 Oct
        s.get(Contact, front_door["C1"]).people[0].person.ethnicity = "BAFR"
    out = tmp_path / "annex.xlsx"
    assert run(["export", "annex-a", *signed, "test.manager", *PERIOD, "--out", str(out)]) == 0
    assert json.loads(capsys.readouterr().out)["rows"] == {"List 1": 4, "List 2": 1, "List 3": 2}
    book = load_workbook(out)
    assert book.sheetnames == ["List 1", "List 2", "List 3"]
    for name, headings in HEADINGS.items():
        assert next(book[name].iter_rows(max_row=1, values_only=True)) == headings
    contacts = list(book["List 1"].iter_rows(min_row=2, values_only=True))
    child = f"P{front_door_child(ctx, front_door):06d}"
    assert contacts[0][:3] == (child, "b) Female", "o) BAFR") and contacts[0][4] == 11
    assert (contacts[0][3].date(), contacts[0][5].date()) == (date(2015, 1, 1), date(2026, 10, 5))
    assert [r[6] for r in contacts] == ["e) 2A: Schools", "e) 2A: Schools", "q) 6: Police", "q) 6: Police"]
    assert book["List 1"]["F2"].number_format == "dd/mm/yyyy"
    [early_help] = book["List 2"].iter_rows(min_row=2, values_only=True)
    assert early_help[5].date() == date(2026, 10, 3) and early_help[6] is None and early_help[7]
    referrals = list(book["List 3"].iter_rows(min_row=2, values_only=True))
    assert [r[5].date() for r in referrals] == [date(2026, 10, 5), date(2026, 10, 6)]
    assert [(r[6], r[7], r[8]) for r in referrals] == [("e) 2A: Schools", "b) No", 1), ("e) 2A: Schools", "b) No", 2)]
    assert all(r[9] and r[10] for r in referrals)
    [event] = _exports(ctx, "export.returns")
    assert event.detail["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert (event.detail["list_1"], event.detail["list_3"]) == (4, 2) and "annex.xlsx" in event.summary


def front_door_child(ctx, front_door) -> int:
    with ctx.session_factory() as s:
        return s.scalar(select(Decision.person_id).where(Decision.contact_id == front_door["C1"]))


def test_annex_a_leaves_out_every_free_text(ctx, front_door, signed, tmp_path):
    secret = "Police intelligence: restricted"
    with ctx.session_factory.begin() as s:
        s.get(Contact, front_door["C1"]).concern = secret
        for sd in s.scalars(select(StepDown)):
            sd.needs = sd.decision_summary = secret
    out = tmp_path / "annex.xlsx"
    assert run(["export", "annex-a", *signed, "test.manager", *PERIOD, "--out", str(out)]) == 0
    cells = [str(c) for ws in load_workbook(out) for row in ws.iter_rows(values_only=True) for c in row]
    assert not any("restricted" in c or "Police intelligence" in c for c in cells)


@pytest.mark.parametrize("role", ["practitioner", "police", "earlyhelp", "edt"])
def test_only_managers_and_administrators_export(ctx, front_door, signed, tmp_path, role, capsys):
    folder = tmp_path / "out"
    folder.mkdir()
    annex, digest = folder / "a.xlsx", folder / "d.pdf"
    assert run(["export", "annex-a", *signed, f"test.{role}", *PERIOD, "--out", str(annex)]) == 1
    assert run(["report", "digest", *signed, f"test.{role}", *PERIOD, "--out", str(digest)]) == 1
    assert "may not" in capsys.readouterr().err
    assert not list(folder.iterdir())
    for action in ("export.returns", "digest.read"):  # only the refusal is recorded, no file
        events = _exports(ctx, action)
        assert events and all(e.detail.get("refused") and "sha256" not in e.detail for e in events)
    assert _exports(ctx, "digest.export") == []


@pytest.mark.parametrize(("command", "argv", "named"), [
    ("export annex-a", ["--from", "2026-10-31", "--to", "2026-10-01", "--out", "{tmp}/a.xlsx"], "--to"),
    ("export annex-a", ["--from", "2026-10-01", "--to", "2026-10-31", "--out", "{tmp}/a.pdf"], "--out"),
    ("export annex-a", ["--from", "2026-10-01", "--to", "2026-10-31", "--out", "{tmp}/none/a.xlsx"], "--out"),
    ("export annex-a", ["--from", "1 Oct", "--to", "2026-10-31", "--out", "{tmp}/a.xlsx"], "--from"),
    ("export annex-a", ["--from", "2026-10-01", "--out", "{tmp}/a.xlsx"], "--to"),
    ("report digest", ["--from", "2026-10-01", "--to", "2026-13-01"], "--to"),
    ("report digest", ["--from", "2026-10-01", "--to", "2026-10-31", "--out", "{tmp}/d.csv"], "--out"),
    ("report digest", ["--from", "2026-10-01", "--to", "2026-09-30"], "--to"),
])
def test_bad_arguments_exit_2_naming_the_argument(ctx, signed, tmp_path, capsys, command, argv, named):
    folder = tmp_path / "out"
    folder.mkdir()
    args = [a.replace("{tmp}", str(folder)) for a in argv]
    assert _code([*command.split(), *signed, "test.manager", *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert named in err
    assert not list(folder.iterdir())
