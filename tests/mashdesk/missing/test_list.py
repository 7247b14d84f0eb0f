"""The director's daily list: its content as at a day, the PDF marked on every page, the CSV, the command
line exactly as interfaces.md says, the meeting agenda's missing section, and the figures."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from db.models import AuditEvent
from mashdesk.agenda import AgendaDay
from mashdesk.cli import run
from mashdesk.documents.base import MARKING
from mashdesk.missing.agenda import missing_items
from mashdesk.errors import PermissionDenied
from mashdesk.missing.figures import missing_figures
from mashdesk.missing.listing import list_csv
from mashdesk.missing.service import MissingService
from mashdesk.missing.views import ReturnInput
from mashdesk.people.service import PersonInput, add_person
from mashdesk.services.auth import hash_password
from tests.mashdesk.missing.conftest import report


def _children(ctx, clock, n: int) -> list[int]:
    with ctx.session_factory.begin() as s:
        people = [add_person(s, PersonInput(f"Child{i}", "Testlist", date(2011, 1, 1 + i % 27)), None, clock())
                  for i in range(n)]
        s.flush()
        return [p.id for p in people]


@pytest.fixture
def listed(ctx, actors, clock):
    """Thirty children missing now (some looked after), one returned without an interview, one closed."""
    service = MissingService(ctx)
    kids = _children(ctx, clock, 32)
    ids = [service.record(actors["atlas"], report(k, clock() - timedelta(hours=i + 1), looked_after=i % 3 == 0))
           for i, k in enumerate(kids)]

    def back(ident: int, hours: int) -> int:
        version = service.get(actors["atlas"], ident).row.version
        return service.returned(actors["atlas"], ident, version,
                                ReturnInput(clock() - timedelta(hours=hours), "Home", "Police"))

    back(ids[30], 1)
    v = back(ids[31], 1)
    v = service.rhi_offer(actors["atlas"], ids[31], v)
    service.rhi_answer(actors["atlas"], ids[31], v, "declined")
    return ids


def test_the_list_holds_those_missing_and_those_returned_without_an_interview(ctx, actors, clock, listed):
    lst = MissingService(ctx).daily_list(actors["manager"])
    assert len(lst.missing) == 30 and [r.id for r in lst.returned] == [listed[30]]
    assert lst.missing[0].risk == "high" and all(r.clocks for r in lst.rows)
    # Yesterday's list, as at its end: those reported before midnight, all still missing then (the returns
    # and the declined interview came this morning).
    yesterday = MissingService(ctx).daily_list(actors["manager"], date(2026, 11, 22))
    assert {r.id for r in yesterday.missing} == set(listed[10:]) and not yesterday.returned


def test_the_pdf_is_marked_and_numbered_on_every_page(ctx, actors, clock, listed, tmp_path):
    service = MissingService(ctx)
    lst = service.daily_list(actors["manager"])
    path = service.save_list(actors["manager"], lst, tmp_path / "missing.pdf")
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    pages = [p.extract_text() for p in reader.pages]
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert text.count(MARKING) == 2 and f"Page {number} of {len(pages)}" in text
    whole = "\n".join(pages)
    assert "Child0 Testlist" in whole and "Returned in the last 72 hours" in whole
    assert "MPS-26-" in whole  # the police reference, shown to the MASH (it may wrap in its cell)
    with ctx.session_factory() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.entity == "missing_list"))
        assert event.detail["outcome"] == "saved to file" and len(event.detail["episodes"]) == 31


def test_the_csv_lists_each_child_with_clocks_and_police_detail_withheld_from_education(ctx, actors, listed,
                                                                                       tmp_path):
    service = MissingService(ctx)
    with pytest.raises(PermissionDenied):  # education reads the list; the MASH and Atlas keep it
        service.save_list(actors["education"], service.daily_list(actors["education"]), tmp_path / "e.csv")
    education = list(csv.DictReader(list_csv(service.daily_list(actors["education"]), ctx.calendar).splitlines()))
    assert {r["police_reference"] for r in education} == {"withheld"}
    path = service.save_list(actors["atlas"], service.daily_list(actors["atlas"]), tmp_path / "m.csv")
    rows = list(csv.DictReader(path.read_text().splitlines()))
    assert len(rows) == 31 and all(r["police_reference"].startswith("MPS-") for r in rows)
    assert rows[0]["escalation_72h"].endswith(")") and rows[-1]["status"] == "Returned"
    with pytest.raises(Exception, match=r"\.pdf or \.csv"):
        service.save_list(actors["manager"], service.daily_list(actors["manager"]), tmp_path / "m.txt")


def test_the_command_prints_the_list_and_saves_it(ctx, db_url, actors, listed, tmp_path, capsys, monkeypatch):
    from db.models import User

    with ctx.session_factory.begin() as s:
        s.get(User, actors["manager"].user_id).password_hash = hash_password("pw")
    monkeypatch.setenv("MASHDESK_PASSWORD", "pw")
    out = tmp_path / "list.pdf"
    assert run(["missing", "list", "--as", "test.manager", "--out", str(out), "--db", db_url]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert len(printed["missing"]) == 30 and printed["out"] == str(out) and out.read_bytes().startswith(b"%PDF")
    assert printed["missing"][0]["clocks"][0]["state"] == "breached"  # the most pressing first
    for argv, field in ((["--date", "2026-13-01"], "--date"), (["--out", str(tmp_path / "x.doc")], "--out"),
                        (["--date", "2027-01-01"], "--date")):
        assert run(["missing", "list", "--as", "test.manager", "--db", db_url, *argv]) == 2
        assert capsys.readouterr().err.count(field) >= 1


def test_the_agenda_section_lists_children_missing_and_returned_without_an_interview(ctx, actors, clock, listed):
    with ctx.session_factory() as s:
        items = missing_items(s, AgendaDay(day=date(2026, 11, 23), starts_at=clock(), since=None, now=clock(),
                                           calendar=ctx.calendar))
    assert len(items) == 31 and {i.section for i in items} == {"missing"}
    assert items[0].kind == "missing_episode" and items[0].reference.startswith("MP-")
    returned = next(i for i in items if i.record_id == listed[30])
    assert "no return home interview yet" in returned.reason and returned.urgency > items[0].urgency


def test_the_figures_count_episodes_strategy_and_interviews_in_sql(ctx, actors, clock, listed):
    service = MissingService(ctx)
    service.convene(actors["manager"], listed[0], service.get(actors["manager"], listed[0]).row.version)
    with ctx.session_factory() as s:
        f = missing_figures(s, clock() - timedelta(days=2), clock() + timedelta(hours=1))
    assert (f.episodes, f.looked_after, f.not_looked_after) == (32, 11, 21)
    assert (f.strategy_due, f.strategy_within_24h, f.strategy_share) == (11, 1, 9.1)
    assert (f.returned, f.rhi_offered_within_72h, f.rhi_accepted) == (2, 1, 0)
    assert f.rhi_offered_share == 50.0 and f.rhi_accepted_share == 0.0


def test_the_daily_meeting_agenda_has_the_missing_section(ctx, actors, clock, listed):
    from mashdesk.meeting.service import MeetingService

    agenda = MeetingService(ctx).agenda(actors["manager"], date(2026, 11, 23))
    missing = [i for i in agenda.items if i.section == "missing"]
    with ctx.session_factory() as s:  # judged as at the meeting's start
        expected = missing_items(s, AgendaDay(day=agenda.day, starts_at=agenda.starts_at, since=None, now=clock(),
                                              calendar=ctx.calendar))
    assert len(missing) == len(expected) >= 31
    assert [i.reference for i in missing] == [i.reference for i in expected]
