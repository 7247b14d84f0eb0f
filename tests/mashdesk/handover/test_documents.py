"""The EDT handover sheet: marked on every page, every item of the period, and the command that prints it."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from db.models import AuditEvent
from mashdesk.cli import run
from mashdesk.documents.base import MARKING
from mashdesk.handover.service import HandoverService
from mashdesk.handover.views import EdtEntryInput

LONDON = ZoneInfo("Europe/London")


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def busy_weekend(ctx, actors, clock):
    """Eighteen calls over the weekend of 20-23 Nov 2026, enough for several pages; two dealt with."""
    clock.set_local(2026, 11, 22, 23, 0)
    service = HandoverService(ctx)
    first = datetime(2026, 11, 20, 18, 0, tzinfo=LONDON)
    ids = [service.add_entry(actors["edt"], EdtEntryInput(
        call_at=first + timedelta(hours=3 * n), caller_name=f"Caller {n}", caller_agency="Metropolitan Police",
        children_text=f"Kid{chr(65 + n)} Testfamily ({n % 17})", reported=f"Report number {n}: a worry about the children.",
        action_taken=f"Action {n} taken overnight.", outstanding=f"Outstanding {n} for the MASH.",
        urgency="urgent" if n % 5 == 0 else "routine")) for n in range(18)]
    clock.set_local(2026, 11, 23, 9, 10)
    service.acknowledge(actors["manager"], ids[:2])
    contact_id = service.make_contact(actors["manager"], ids[0])
    service.no_action(actors["manager"], [ids[1]], "Information only for the day service.")
    return ids, contact_id


def test_the_sheet_is_marked_on_every_page_and_lists_every_item(ctx, actors, busy_weekend, tmp_path):
    ids, contact_id = busy_weekend
    service = HandoverService(ctx)
    sheet = service.sheet(actors["manager"], date(2026, 11, 23))
    pages = _pages(sheet.pdf)
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert text.count(MARKING) == 2, f"page {number} lacks the marking top and bottom"
        assert f"Page {number} of {len(pages)}" in text
    text = " ".join(" ".join(pages).split())
    for n in range(18):
        assert f"Report number {n}:" in text
        assert f"Action {n} taken overnight." in text
        assert f"Outstanding {n} for the MASH." in text
    assert f"Contact C-{contact_id:06d} recorded by Test Manager" in text
    assert "No action for the day service (Test Manager): Information only for the day service." in text
    assert text.count("Acknowledged Test Manager at Mon 23 Nov 2026 09:10") == 2  # who, and when
    assert text.count("Not yet acknowledged") == 16
    with ctx.session_factory() as s:  # building the sheet writes nothing; saving it is recorded
        assert s.scalar(select(AuditEvent).where(AuditEvent.entity == "handover")) is None
    service.save_sheet(actors["manager"], sheet, tmp_path / "sheet.pdf")
    with ctx.session_factory() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "handover.save"))
    assert sorted(event.detail["entries"]) == sorted(ids) and event.detail["outcome"] == "saved to file"


def test_the_command_writes_the_sheet_for_the_period_ending_that_morning(ctx, actors, db_url, busy_weekend,
                                                                       monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("MASHDESK_PASSWORD", "secret")
    out = tmp_path / "handover.pdf"
    code = run(["handover", "--db", db_url, "--as", "test.manager", "--date", "2026-11-23", "--out", str(out)])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0
    assert summary["items"] == 18 and summary["unacknowledged"] == 16
    assert summary["period_end"].startswith("2026-11-23T08:30")
    with ctx.session_factory() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "handover.save"))
    assert event.username == "test.manager" and event.detail["path"] == str(out)
    assert event.detail["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    text = " ".join(" ".join(_pages(out.read_bytes())).split())
    assert all(f"Report number {n}:" in text for n in range(18))


@pytest.mark.parametrize(("day", "message"), [("23/11/2026", "--date"), ("2026-11-22", "not a working day")])
def test_the_command_refuses_a_bad_date_with_exit_2(ctx, actors, db_url, monkeypatch, tmp_path, capsys,
                                                   day, message):
    monkeypatch.setenv("MASHDESK_PASSWORD", "secret")
    out = tmp_path / "handover.pdf"
    assert run(["handover", "--db", db_url, "--as", "test.manager", "--date", day, "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_the_command_needs_a_user_who_may_read_the_handover(ctx, actors, db_url, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("MASHDESK_PASSWORD", "secret")
    out = tmp_path / "handover.pdf"
    assert run(["handover", "--db", db_url, "--as", "test.police", "--date", "2026-11-23", "--out", str(out)]) == 1
    assert "may not" in capsys.readouterr().err
