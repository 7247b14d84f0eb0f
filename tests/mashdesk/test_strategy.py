"""Strategy discussions: convening, the record, the ICPC clock, and the pack each reader gets."""

from __future__ import annotations

import difflib
import io
import re
from datetime import date, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from db.models import Agency, AgencyCheck, AuditEvent, Contact, EdtEntry, EdtEntryPerson, StrategyDiscussion
from mashdesk.documents.base import MARKING
from mashdesk.errors import InputError, PermissionDenied, StaleEditError
from mashdesk.contacts.service import ContactService
from mashdesk.people.service import PersonInput
from mashdesk.documents.delivery import DocumentDelivery
from mashdesk.strategy.documents import withheld_line
from mashdesk.strategy.pack import gather_pack
from mashdesk.strategy.service import StrategyService, convene_discussion, pack_of
from tests.helpers import police_notification

SECRET = "Intelligence: the father is subject to a live covert investigation."


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _audits(ctx, action: str) -> int:
    """Audited events of ``action``, refused attempts (also recorded) aside."""
    with ctx.session_factory() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == action, ~AuditEvent.summary.startswith("refused")))


def _two_child_contact(ctx, actors, clock) -> int:
    siblings = (
        PersonInput(first_name="Ava", last_name="Testchild", date_of_birth=date(2019, 5, 4), sex="F"),
        PersonInput(first_name="Ben", last_name="Testchild", date_of_birth=date(2021, 2, 1), sex="M"),
    )
    return ContactService(ctx).create_contact(actors["practitioner"], police_notification(clock(), *siblings))


def _answer(ctx, contact_id: int, code: str, response: str, restricted: bool, at: datetime) -> None:
    with ctx.session_factory.begin() as s:
        agency = s.scalar(select(Agency).where(Agency.code == code))
        s.add(
            AgencyCheck(
                contact_id=contact_id,
                agency_id=agency.id,
                requested_at=at,
                due_at=at + timedelta(hours=4),
                status="answered",
                response=response,
                responded_at=at + timedelta(hours=1),
                restricted=restricted,
            )
        )


def test_the_authorisation_hook_convenes_one_discussion_per_contact_with_a_record_per_child(
    ctx, actors, clock
):
    contact_id = _two_child_contact(ctx, actors, clock)
    service = StrategyService(ctx)
    with service.write(actors["manager"], "decision.authorise", "decision") as w:
        contact = w.get(Contact, contact_id)
        first = convene_discussion(w, contact, None, calendar=ctx.calendar)
        again = convene_discussion(w, contact, None, calendar=ctx.calendar)
        w.audit("contact", contact_id, "authorised")  # the caller's one audit event covers the hook
        discussion_id = first.id
        assert again is first
    detail = service.get(actors["police"], discussion_id)
    assert [c.name for c in detail.children] == ["Ava Testchild", "Ben Testchild"]
    assert detail.due_at == ctx.calendar.due_datetime("strategy_discussion", clock())
    assert detail.group == "to_convene"
    assert _audits(ctx, "decision.authorise") == 1


def test_a_manager_convenes_by_hand_once_per_contact(ctx, actors, clock):
    contact_id = _two_child_contact(ctx, actors, clock)
    service = StrategyService(ctx)
    with pytest.raises(PermissionDenied):
        service.convene(actors["practitioner"], contact_id, "Bruising seen at school.")
    with pytest.raises(InputError) as bad:
        service.convene(actors["manager"], contact_id, "  ")
    assert bad.value.field == "reason"
    discussion_id = service.convene(actors["manager"], contact_id, "Bruising seen at school.")
    with pytest.raises(InputError) as twice:
        service.convene(actors["manager"], contact_id, "Again.")
    assert twice.value.field == "contact"
    rows = service.discussions(actors["manager"], "to_convene")
    assert [r.id for r in rows] == [discussion_id] and rows[0].due_text.endswith("left")
    assert _audits(ctx, "strategy.convene") == 1


def test_section_47_sets_the_icpc_deadline_15_working_days_after_the_discussion(ctx, actors, clock):
    clock.set_local(2026, 12, 22, 9, 0)  # Tuesday 22 December 2026
    contact_id = _two_child_contact(ctx, actors, clock)
    service = StrategyService(ctx)
    manager = actors["manager"]
    discussion_id = service.convene(manager, contact_id, "Disclosure of physical harm.")
    d = service.get(manager, discussion_id)
    version = service.schedule(
        manager, discussion_id, d.version, datetime(2026, 12, 22, 14, 0, tzinfo=clock().tzinfo), "phone"
    )
    with pytest.raises(StaleEditError):
        service.schedule(manager, discussion_id, d.version, clock() + timedelta(hours=2), "video")
    clock.set_local(2026, 12, 22, 16, 0)
    service.record_meeting(
        manager,
        discussion_id,
        version,
        held_at=clock() - timedelta(hours=1),
        immediate_actions="Children to stay with their grandmother tonight.",
    )
    ava, ben = service.get(manager, discussion_id).children
    service.record_child_decision(manager, ava.id, ava.version, "s47_joint")
    with pytest.raises(InputError) as bad:
        service.record_child_decision(manager, ben.id, ben.version, "no_s47")
    assert bad.value.field == "no_s47_reason"
    service.record_child_decision(manager, ben.id, ben.version, "no_s47", "Harm not indicated for Ben.")
    detail = service.get(manager, discussion_id)
    ava, ben = detail.children
    assert (ava.s47_started_on, ava.icpc_due) == (date(2026, 12, 22), date(2027, 1, 15))  # Friday
    assert ben.icpc_due is None and ben.no_s47_reason == "Harm not indicated for Ben."
    assert detail.group == "held" and detail.mode == "phone" and detail.chair == "Test Manager"
    (row,) = service.discussions(manager, "held")
    assert (row.next_icpc_due, row.icpc_status) == (date(2027, 1, 15), "ok")
    clock.set_local(2027, 1, 18, 9, 0)
    assert service.discussions(manager, "held")[0].icpc_status == "breached"


def test_attendees_information_and_actions_are_recorded(ctx, actors, clock):
    contact_id = _two_child_contact(ctx, actors, clock)
    service = StrategyService(ctx)
    manager = actors["manager"]
    discussion_id = service.convene(manager, contact_id, "Domestic abuse; baby in the home.")
    with pytest.raises(InputError) as bad:
        service.invite(manager, discussion_id, "fire_brigade", "Someone", "Officer")
    assert bad.value.field == "agency"
    attendee = service.invite(manager, discussion_id, "police", "DC Example", "MASH police")
    version = service.get(manager, discussion_id).attendees[0].version
    with pytest.raises(InputError):
        service.record_attendance(manager, attendee, version, True, "carrier pigeon")
    service.record_attendance(manager, attendee, version, True, "phone", "Two call-outs this year.")
    with pytest.raises(PermissionDenied):
        service.add_action(actors["police"], discussion_id, "Visit", "DC Example", None)
    action = service.add_action(manager, discussion_id, "Joint visit today", "DC Example", clock().date())
    service.set_action_done(manager, action, 1, True)
    detail = service.get(manager, discussion_id)
    (a,) = detail.attendees
    assert (a.attended, a.joined_by, a.information_shared) == (True, "phone", "Two call-outs this year.")
    assert detail.actions[0].done_at == clock()


def test_the_pack_is_marked_on_every_page_and_redacted_for_each_reader(ctx, actors, clock):
    contact_id = _two_child_contact(ctx, actors, clock)
    _answer(ctx, contact_id, "police", SECRET, True, clock() - timedelta(minutes=50))
    _answer(ctx, contact_id, "health", "Known to the health visitor; no concerns.", False, clock())
    service = StrategyService(ctx)
    discussion_id = service.convene(actors["manager"], contact_id, "Disclosure at school.")
    with pytest.raises(PermissionDenied, match="involve a school"):  # education was not asked: not its pack
        service.build_pack(actors["education"], discussion_id)
    _answer(ctx, contact_id, "education", "Attends Ash Primary; attendance good.", False, clock())
    police = "\n".join(pages := _pages(service.build_pack(actors["police"], discussion_id)))
    education = "\n".join(_pages(service.build_pack(actors["education"], discussion_id)))
    for number, text in enumerate(pages, start=1):
        assert text.count(MARKING) == 2 and f"Page {number} of {len(pages)}" in text
    flat = " ".join(police.split())
    assert SECRET in flat and "Known to the health visitor" in flat
    edu = " ".join(education.split())
    assert "covert" not in edu and "Known to the health visitor" in edu
    assert withheld_line("Metropolitan Police (South East BCU)") in edu
    assert "Prepared for Test Education" in edu
    assert _audits(ctx, "pack.build") == 2
    again = service.build_pack(actors["police"], discussion_id)  # nothing it shows has changed
    assert _audits(ctx, "pack.build") == 2 and "\n".join(_pages(again)) == police
    service.invite(actors["manager"], discussion_id, "police", "DC Example", "MASH police")
    service.build_pack(actors["police"], discussion_id)  # the attendees changed: built anew
    assert _audits(ctx, "pack.build") == 3
    with pytest.raises(PermissionDenied):
        service.build_pack(actors["edt"], discussion_id)


def test_the_chronology_is_in_date_order_from_the_record(ctx, actors, clock):
    contacts = ContactService(ctx)
    clock.set_local(2026, 3, 2, 11, 0)
    earlier = contacts.create_contact(
        actors["practitioner"],
        police_notification(
            clock(),
            PersonInput(first_name="Ava", last_name="Testchild", date_of_birth=date(2019, 5, 4), sex="F"),
            concern="School worried about Ava's weight.",
        ),
    )
    with ctx.session_factory() as s:
        child = s.scalar(select(Contact).where(Contact.id == earlier)).people[0].person_id
    clock.set_local(2026, 11, 23, 10, 0)
    latest = contacts.create_contact(actors["practitioner"], police_notification(clock(), child))
    night = datetime(2026, 6, 6, 2, 0, tzinfo=clock().tzinfo)
    with ctx.session_factory.begin() as s:
        entry = EdtEntry(
            call_at=night,
            caller_name="Sgt On Nights",
            caller_agency="Metropolitan Police",
            reported="Ava found wandering at night.",
            action_taken="Returned home by police.",
            period_start=night - timedelta(hours=6),
            period_end=night + timedelta(hours=6),
        )
        s.add(entry)
        s.flush()
        s.add(EdtEntryPerson(entry_id=entry.id, person_id=child))
    service = StrategyService(ctx)
    discussion_id = service.convene(actors["manager"], latest, "Third worry this year.")
    with ctx.session_factory() as s:
        pack, withheld = gather_pack(s, discussion_id, actors["health"], clock())
    events = pack.chronology
    assert [e.at for e in events] == sorted(e.at for e in events)
    assert [e.kind for e in events] == ["Contact", "EDT call", "Contact"]
    assert "weight" in events[0].summary and "wandering" in events[1].summary
    assert all(e.children == "Ava Testchild" for e in events)
    assert "1 earlier contact" in pack.previous_involvement[0] and withheld == 0


def test_saving_and_printing_a_pack_are_audited(ctx, actors, clock, tmp_path):
    service = StrategyService(ctx)
    discussion_id = service.convene(actors["manager"], _two_child_contact(ctx, actors, clock), "Injury.")
    pdf = service.build_pack(actors["health"], discussion_id)
    delivery = DocumentDelivery(ctx)
    with pytest.raises(InputError):
        delivery.save(actors["health"], pack_of(discussion_id), pdf, tmp_path / "pack.txt")
    saved = delivery.save(actors["health"], pack_of(discussion_id), pdf, tmp_path / "pack.pdf")
    delivery.printed(actors["health"], pack_of(discussion_id), pdf, "MASH printer")
    assert saved.read_bytes() == pdf
    assert (_audits(ctx, "pack.build"), _audits(ctx, "pack.save"), _audits(ctx, "pack.print")) == (1, 1, 1)


def _text(pdf: bytes, reader: str) -> list[str]:
    """The pack's lines without the page furniture and the cover's line naming the reader."""
    furniture = re.compile(
        rf"^({MARKING}|Prepared for .*|Page \d+ of \d+|Strategy meeting pack ST-\d+ .*"
        rf"|{re.escape(reader)}, .*)$"
    )
    lines = [line.strip() for page in _pages(pdf) for line in page.splitlines()]
    return [line for line in lines if line and not furniture.match(line)]


def test_demo_discussion_1_packs_for_police_and_education_differ_exactly_by_the_redaction(ctx):
    from mashdesk.demo import build_demo
    from mashdesk.services.auth import AuthService

    build_demo(ctx, 120, seed=5)
    auth = AuthService(ctx)
    service = StrategyService(ctx)
    police_user, education_user = auth.actor("demo.police"), auth.actor("demo.education")
    police = _text(service.build_pack(police_user, 1), police_user.display_name)
    education = _text(service.build_pack(education_user, 1), education_user.display_name)
    with ctx.session_factory() as s:
        contact_id = s.get(StrategyDiscussion, 1).contact_id
        secret = s.scalar(
            select(AgencyCheck.response).where(
                AgencyCheck.contact_id == contact_id, AgencyCheck.restricted.is_(True)
            )
        )
    removed, added = [], []
    for line in difflib.ndiff(police, education):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    words = " ".join(" ".join(removed).split())
    assert (
        words
        == f"{' '.join(secret.split())} [Restricted to Metropolitan Police (South East BCU): left out of "
        "other agencies' packs.]"
    )
    assert " ".join(" ".join(added).split()) == withheld_line("Metropolitan Police (South East BCU)")
    assert police[0] == education[0] == "Strategy meeting pack"


def test_the_deadline_sweep_raises_late_discussions_and_icpcs(ctx, actors, clock):
    from mashdesk.scheduler import run_jobs_now

    service = StrategyService(ctx)
    manager = actors["manager"]
    discussion_id = service.convene(manager, _two_child_contact(ctx, actors, clock), "Injury to a baby.")
    assert not [n for n in run_jobs_now(ctx, manager) if n.entity == "strategy_discussion"]
    clock.set_local(2026, 11, 24, 11, 0)  # due Tue 24 Nov 10:00
    (late,) = [n for n in run_jobs_now(ctx, manager) if n.entity == "strategy_discussion"]
    assert late.level == "breached" and "ST-" in late.title and late.text.startswith("Overdue")
    d = service.get(manager, discussion_id)
    service.record_meeting(manager, discussion_id, d.version, held_at=clock() - timedelta(minutes=30))
    child = service.get(manager, discussion_id).children[0]
    service.record_child_decision(manager, child.id, child.version, "s47_single")
    clock.set_local(2026, 12, 14, 12, 0)  # ICPC due Tue 15 Dec
    (icpc,) = [n for n in run_jobs_now(ctx, manager) if n.entity == "strategy_discussion"]
    assert icpc.level == "due_soon" and icpc.title == "ICPC for Ava Testchild due soon"
