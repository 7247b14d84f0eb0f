"""``mashdesk meeting agenda`` and ``mashdesk meeting minutes`` exactly as interfaces.md says, on demo data."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from mashdesk.cli import run
from mashdesk.meeting.service import MeetingService
from mashdesk.services.auth import AuthService
from mashdesk.demo import build_demo
from mashdesk.documents.base import MARKING


@pytest.fixture
def demo_db(ctx, db_url, monkeypatch):  # type: ignore[no-untyped-def]
    build_demo(ctx, 300, seed=5)
    monkeypatch.setenv("MASHDESK_PASSWORD", "demo")
    return db_url


def _agenda(db: str, day: str, user: str, capsys) -> dict:  # type: ignore[no-untyped-def]
    assert run(["meeting", "agenda", "--date", day, "--as", user, "--db", db]) == 0
    return json.loads(capsys.readouterr().out)


def test_agenda_json_per_reader_and_minutes_redacted_per_reader(  # type: ignore[no-untyped-def]
        ctx, demo_db, tmp_path, capsys):
    today = _agenda(demo_db, "2026-11-23", "demo.manager", capsys)
    assert today["date"] == "2026-11-23" and today["items"]
    assert {"kind", "record", "reason", "agency"} <= set(today["items"][0])
    assert {it["kind"] for it in today["items"]} <= {"contact", "edt_entry", "person", "strategy_discussion",
                                                    "step_down", "meeting_action", "note", "missing_episode"}
    service, auth = MeetingService(ctx), AuthService(ctx)
    manager, teacher = auth.actor("demo.manager"), auth.actor("demo.education")
    days = [d for d in (date(2026, 11, 20) - timedelta(days=n) for n in range(42)) if ctx.calendar.is_working_day(d)]
    shared = [d for d in days if 0 < len(service.agenda(teacher, d).items) < len(service.agenda(manager, d).items)]
    assert shared, "some demo meeting has items for the education lead, and others"
    day = shared[0].isoformat()
    held = _agenda(demo_db, day, "demo.manager", capsys)  # a demo meeting: held and closed
    assert held["status"] == "closed" and all(it["decision"] for it in held["items"])
    assert [it for it in held["items"] if it["section"] == "atlas"]  # the Atlas team brought a child
    education = _agenda(demo_db, day, "demo.education", capsys)
    assert 0 < len(education["items"]) < len(held["items"])
    assert not [it for it in education["items"] if it["section"] == "atlas"]
    pages = {}
    for user in ("demo.manager", "demo.education"):
        out = tmp_path / f"{user}.pdf"
        assert run(["meeting", "minutes", "--date", day, "--as", user, "--out", str(out),
                    "--db", demo_db]) == 0
        assert json.loads(capsys.readouterr().out)["out"] == str(out)
        pages[user] = [p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages]
        for n, page in enumerate(pages[user], start=1):
            assert page.count(MARKING) == 2 and f"Page {n} of {len(pages[user])}" in page
    manager, edu = "\n".join(pages["demo.manager"]), "\n".join(pages["demo.education"])
    assert "Prepared for Tom Whitfield" in edu and "Prepared for Daniel Okafor" in manager
    assert len(edu) < len(manager)


def test_bad_date_exits_2_naming_the_field(demo_db, capsys):  # type: ignore[no-untyped-def]
    assert run(["meeting", "agenda", "--date", "23/11/2026", "--as", "demo.manager", "--db", demo_db]) == 2
    assert "--date" in capsys.readouterr().err
    assert run(["meeting", "agenda", "--date", "2026-11-23", "--as", "demo.earlyhelp", "--db", demo_db]) == 1
    assert "may not" in capsys.readouterr().err  # the agenda is not Early Help's: refused with exit 1
