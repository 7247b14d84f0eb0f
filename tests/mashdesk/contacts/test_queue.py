"""The queue pages, filters and sorts in SQL, and shows the decision clock in working time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from db.models import Contact
from mashdesk.contacts.service import ContactService
from mashdesk.contacts.queue import QueueService
from mashdesk.contacts.views import QueueQuery, due_label
from mashdesk.people.service import PersonInput
from tests.helpers import police_notification


@pytest.fixture
def queue(ctx, actors, clock):
    contacts = ContactService(ctx)
    ids = []
    for i, name in enumerate(["Zara", "Adam", "Maya", "Omar", "Ella"]):
        data = police_notification(clock(), PersonInput(first_name=name, last_name="Queue", sex="U"),
                                   received_at=clock() - timedelta(hours=5 - i))
        ids.append(contacts.create_contact(actors["practitioner"], data))
    with ctx.session_factory.begin() as s:  # screen two of them by hand
        s.execute(update(Contact).where(Contact.id == ids[0]).values(
            status="screened", rag="red", rag_rank=0, allocated_to_id=actors["practitioner"].user_id,
            decision_due_at=clock() + timedelta(minutes=20)))
        s.execute(update(Contact).where(Contact.id == ids[1]).values(
            status="screened", rag="green", rag_rank=2, decision_due_at=clock() - timedelta(hours=3)))
    return QueueService(ctx), ids


def test_newest_first_by_default(queue, actors):
    service, ids = queue
    rows = service.page(actors["manager"], QueueQuery())
    assert [r.id for r in rows] == list(reversed(ids))


def test_sort_by_name_and_by_rag(queue, actors):
    service, ids = queue
    names = [r.children for r in service.page(actors["manager"], QueueQuery(sort="children", descending=False))]
    assert names == sorted(names)
    rags = [r.rag for r in service.page(actors["manager"], QueueQuery(sort="rag", descending=False))]
    assert rags[:2] == ["red", "green"] and rags[2:] == [None, None, None]


def test_filters_and_search(queue, actors):
    service, ids = queue
    assert {r.id for r in service.page(actors["manager"], QueueQuery(statuses=("new",)))} == set(ids[2:])
    assert [r.id for r in service.page(actors["manager"], QueueQuery(rags=("red",)))] == [ids[0]]
    mine = service.page(actors["practitioner"], QueueQuery(allocated_to_me=True))
    assert [r.id for r in mine] == [ids[0]]
    assert [r.children for r in service.page(actors["manager"], QueueQuery(search="oma"))] == ["Omar Queue"]
    assert [r.id for r in service.page(actors["manager"], QueueQuery(search=f"C-{ids[3]:06d}"))] == [ids[3]]
    assert service.count(actors["manager"], QueueQuery(statuses=("new",))) == 3
    assert service.count(actors["manager"], QueueQuery(statuses=("new",)), cap=2) == 2  # shown as "2+"
    assert service.count(actors["manager"], QueueQuery(statuses=("new",)), cap=10) == 3


def test_paging_returns_every_row_once(queue, actors):
    service, ids = queue
    pages = [service.page(actors["manager"], QueueQuery(), offset, 2) for offset in (0, 2, 4)]
    assert [r.id for page in pages for r in page] == list(reversed(ids))


def test_decision_clock_shows_time_left_and_breach(queue, actors):
    service, ids = queue
    rows = {r.id: r for r in service.page(actors["manager"], QueueQuery())}
    assert rows[ids[0]].due_status == "due_soon"
    assert rows[ids[0]].due_label == "20m left"
    assert rows[ids[1]].due_status == "breached"
    assert rows[ids[1]].due_label.startswith("Overdue 3h")
    assert rows[ids[2]].due_label == "To screen"


def test_due_label_wording():
    assert due_label("ok", timedelta(days=1, hours=2, minutes=5)) == "1d 2h left"
    assert due_label("breached", -timedelta(minutes=7)) == "Overdue 7m"
    assert due_label("met", None) == "Decided in time"
    assert due_label("late", None) == "Decided late"
