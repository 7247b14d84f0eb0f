"""Deadline notices: computed by the scheduled job, shown once each, counted in the status bar."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtWidgets import QStatusBar
from sqlalchemy import update

from db.models import Contact
from mashdesk.scheduler import run_jobs_now, start_scheduler
from mashdesk.contacts.service import ContactService
from tests.helpers import police_notification
from ui.notices import NoticeCentre

pytestmark = pytest.mark.qt


@pytest.fixture
def clocks(ctx, actors, clock):
    service = ContactService(ctx)
    ids = [service.create_contact(actors["practitioner"], police_notification(clock())) for _ in range(3)]
    now = clock()
    with ctx.session_factory.begin() as s:
        for contact_id, due, worker in ((ids[0], now - timedelta(minutes=30), actors["practitioner"]),
                                        (ids[1], now + timedelta(minutes=10), actors["practitioner"]),
                                        (ids[2], now + timedelta(days=2), None)):
            s.execute(update(Contact).where(Contact.id == contact_id).values(
                status="in_progress", rag="amber", rag_rank=1, decision_due_at=due,
                received_at=now - timedelta(hours=6), allocated_to_id=worker.user_id if worker else None))
    return ids


def test_sweep_reports_breached_and_due_soon_only(ctx, actors, clocks):
    notices = {n.entity_id: n for n in run_jobs_now(ctx, actors["manager"])}
    assert notices[clocks[0]].level == "breached"
    assert notices[clocks[1]].level == "due_soon"
    assert clocks[2] not in notices
    assert "overdue" in notices[clocks[0]].title.lower()


def test_a_practitioner_hears_only_of_their_own_work(ctx, actors, clocks):
    assert run_jobs_now(ctx, actors["police"]) == []  # no deadline jobs for partner agencies
    with ctx.session_factory.begin() as s:
        s.execute(update(Contact).where(Contact.id == clocks[1]).values(allocated_to_id=None))
    assert [n.entity_id for n in run_jobs_now(ctx, actors["practitioner"])] == [clocks[0]]


def test_centre_shows_each_notice_once(qtbot, ctx, actors, clocks):
    bar = QStatusBar()
    qtbot.addWidget(bar)
    centre = NoticeCentre(bar)
    notices = run_jobs_now(ctx, actors["manager"])
    with qtbot.waitSignal(centre.new_notices) as first:
        centre.deliver(notices)
    assert len(first.args[0]) == 2
    assert centre.label.text() == "⚠ 1 overdue · 1 due soon"
    with qtbot.assertNotEmitted(centre.new_notices, wait=100):
        centre.deliver(notices)


def test_scheduler_runs_the_sweep_at_start_and_delivers_on_the_gui_thread(qtbot, ctx, actors, clocks):
    bar = QStatusBar()
    qtbot.addWidget(bar)
    centre = NoticeCentre(bar)
    with qtbot.waitSignal(centre.new_notices, timeout=10_000) as delivered:
        scheduler = start_scheduler(ctx, actors["manager"], centre.deliver)
    try:
        assert {n.entity_id for n in delivered.args[0]} == {clocks[0], clocks[1]}
        assert scheduler.get_job("decision-deadlines") is not None
    finally:
        scheduler.shutdown(wait=True)
