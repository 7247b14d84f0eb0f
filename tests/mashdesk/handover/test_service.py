"""The EDT log and the morning handover: periods, acknowledgement, contacts, no action, breaches, nothing deleted."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from db.models import AuditEvent, Contact, ContactPerson, EdtEntry, EdtEntryNote, HandoverAcknowledgement
from db.models.edt import EdtLogDeletion
from mashdesk.errors import InputError, PermissionDenied
from mashdesk.scheduler import desk_jobs, run_jobs_now
from mashdesk.contacts.service import ContactChildInput, ContactService
from mashdesk.handover.notices import handover_breach_job, handover_reminder_notices
from mashdesk.handover.parsing import parse_children, suggest_source
from mashdesk.handover.service import ConversionInput, HandoverService
from mashdesk.handover.views import EdtEntryInput, entry_input_of
from mashdesk.handover.workflow import AlreadyDealtWith, HandedOver, handover_day, period_of_call, shift_day
from mashdesk.people.service import PeopleService, PersonInput

LONDON = ZoneInfo("Europe/London")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


def call(when: datetime, **changes: object) -> EdtEntryInput:
    data = EdtEntryInput(
        call_at=when, caller_name="PC Jane Doe", caller_agency="Metropolitan Police", phone="020 7946 0001",
        children_text="Amelia Testwood (7), Jack Testwood aged 12", address_text="12 High Street, Bromley BR1 1AA",
        reported="Police attended a domestic incident; both children were present.", emergency_services=True,
        action_taken="Spoke to mother; children safe with grandmother tonight.",
        outstanding="Agency checks needed.", urgency="routine")
    for key, value in changes.items():
        setattr(data, key, value)
    return data


@pytest.fixture
def weekend(ctx, actors, clock):
    """Three calls of the weekend of 20-23 Nov 2026, logged on Sunday evening; the clock then moves to 09:05 Mon."""
    clock.set_local(2026, 11, 22, 21, 0)
    service = HandoverService(ctx)
    edt = actors["edt"]
    ids = [service.add_entry(edt, call(at(2026, 11, 20, 23, 15))),
           service.add_entry(edt, call(at(2026, 11, 21, 3, 40), urgency="urgent", children_text="Mia Testwood (2)",
                                       reported="Bruise to a toddler's cheek; account inconsistent.")),
           service.add_entry(edt, call(at(2026, 11, 22, 19, 5), caller_name="", caller_agency="Neighbour",
                                       children_text="Noah Testbury (9)", reported="Children left alone."))]
    clock.set_local(2026, 11, 23, 9, 5)
    return service, ids


def _audit(ctx, action: str) -> list[AuditEvent]:
    with ctx.session_factory() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


# -- periods --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("called", "start", "end"), [
    (at(2026, 11, 21, 2, 0), at(2026, 11, 20, 17, 0), at(2026, 11, 23, 8, 30)),    # a weekend
    (at(2026, 11, 24, 17, 0), at(2026, 11, 24, 17, 0), at(2026, 11, 25, 8, 30)),   # 17:00 is out of hours
    (at(2026, 11, 25, 8, 29), at(2026, 11, 24, 17, 0), at(2026, 11, 25, 8, 30)),   # just before opening
    (at(2026, 12, 24, 18, 0), at(2026, 12, 24, 17, 0), at(2026, 12, 29, 8, 30)),   # Christmas + Boxing Day (Mon)
    (at(2026, 12, 28, 12, 0), at(2026, 12, 24, 17, 0), at(2026, 12, 29, 8, 30)),   # the substitute bank holiday
    (at(2026, 12, 31, 20, 0), at(2026, 12, 31, 17, 0), at(2027, 1, 4, 8, 30)),     # New Year's Day on a Friday
])
def test_the_calendar_puts_each_call_in_its_period(ctx, called, start, end):
    assert period_of_call(ctx.calendar, called) == (start, end)
    assert ctx.calendar.edt_handover(end) == at(end.year, end.month, end.day, 10, 0)


def test_handover_and_shift_days_across_christmas_and_new_year(ctx):
    cal = ctx.calendar
    assert handover_day(cal, at(2026, 12, 25, 11, 0)) == date(2026, 12, 29)
    assert handover_day(cal, at(2026, 12, 29, 15, 0)) == date(2026, 12, 29)
    assert handover_day(cal, at(2027, 1, 1, 3, 0)) == date(2027, 1, 4)
    assert shift_day(cal, at(2026, 12, 31, 23, 0)) == date(2027, 1, 4)
    assert shift_day(cal, at(2026, 12, 30, 9, 0)) == date(2026, 12, 30)  # in hours: the shift that just ended
    assert shift_day(cal, at(2026, 12, 30, 17, 30)) == date(2026, 12, 31)


def test_a_call_in_office_hours_or_in_the_future_is_refused(ctx, actors, clock):
    service = HandoverService(ctx)
    with pytest.raises(InputError) as err:
        service.add_entry(actors["edt"], call(at(2026, 11, 23, 9, 0)))
    assert err.value.field == "call_at"
    with pytest.raises(InputError, match="future"):
        service.add_entry(actors["edt"], call(at(2026, 11, 23, 23, 0)))
    with pytest.raises(InputError) as err:
        service.add_entry(actors["edt"], call(at(2026, 11, 21, 1, 0), reported=" "))
    assert err.value.field == "reported"
    assert _audit(ctx, "edt.log") == []


def test_christmas_calls_share_one_period_handed_over_on_the_29th(ctx, actors, clock):
    clock.set_local(2026, 12, 27, 12, 0)
    service = HandoverService(ctx)
    first = service.add_entry(actors["edt"], call(at(2026, 12, 24, 18, 0)))
    second = service.add_entry(actors["edt"], call(at(2026, 12, 26, 4, 30), urgency="urgent"))
    clock.set_local(2026, 12, 29, 8, 40)
    period = service.morning(actors["manager"])
    assert (period.start, period.end, period.deadline) == (at(2026, 12, 24, 17), at(2026, 12, 29, 8, 30),
                                                          at(2026, 12, 29, 10))
    assert [i.id for i in period.items] == [second, first]  # urgent first
    with pytest.raises(InputError) as err:
        service.period(actors["manager"], date(2026, 12, 28))
    assert err.value.field == "date"


def test_the_edt_edits_and_completes_during_the_shift_and_links_known_children(ctx, actors, clock):
    clock.set_local(2026, 11, 22, 21, 0)
    service = HandoverService(ctx)
    known = PeopleService(ctx).create_person(actors["practitioner"], PersonInput("Lily", "Knownchild"))
    entry_id = service.add_entry(actors["edt"], call(at(2026, 11, 22, 20, 0)))
    item = service.item(actors["edt"], entry_id)
    assert item.editable and item.period_end == at(2026, 11, 23, 8, 30)
    data = entry_input_of(item)
    data.person_ids = [known]
    data.outstanding = "Health visitor to be told."
    version = service.update_entry(actors["edt"], entry_id, item.version, data)
    version = service.complete_entry(actors["edt"], entry_id, version)
    item = service.item(actors["edt"], entry_id)
    assert item.people == ((known, "Lily Knownchild"),)
    assert item.children == "Lily Knownchild"
    assert item.outstanding == "Health visitor to be told." and item.completed_at == clock()
    assert item.version == version


# -- acknowledgement -------------------------------------------------------------------------------------

def test_bulk_acknowledgement_stamps_every_item_and_audits_once_naming_them_all(ctx, actors, clock, weekend):
    service, ids = weekend
    before = service.morning(actors["manager"])
    assert before.end == at(2026, 11, 23, 8, 30)
    assert [i.status_label for i in before.items] == ["pending"] * 3
    assert before.items[0].urgent

    assert service.acknowledge(actors["manager"], ids) == ids
    period = service.morning(actors["manager"])
    for item in period.items:
        assert item.acknowledged_by == "Test Manager"
        assert item.acknowledged_at == clock()
        assert item.status_label == "acknowledged"
        assert not item.editable
    (event,) = _audit(ctx, "handover.acknowledge")
    assert sorted(event.detail["entries"]) == sorted(ids)
    with pytest.raises(AlreadyDealtWith):
        service.acknowledge(actors["manager"], ids[:1])


def test_only_managers_acknowledge_and_deal_and_only_the_edt_logs(ctx, actors, weekend):
    service, ids = weekend
    for role in ("practitioner", "edt", "police"):
        with pytest.raises(PermissionDenied):
            service.acknowledge(actors[role], ids)
        with pytest.raises(PermissionDenied):
            service.no_action(actors[role], ids, "Information only.")
    with pytest.raises(PermissionDenied):
        service.add_entry(actors["manager"], call(at(2026, 11, 22, 20, 0)))


# -- conversion and no action ----------------------------------------------------------------------------

def test_make_contact_carries_every_field_of_the_entry(ctx, actors, clock, weekend):
    service, ids = weekend
    entry_id = ids[0]
    entry = service.item(actors["manager"], entry_id)
    contact_id = service.make_contact(actors["manager"], entry_id)
    contact = ContactService(ctx).get(actors["manager"], contact_id)
    assert contact.received_at == entry.call_at == at(2026, 11, 20, 23, 15)
    assert contact.channel == "edt"
    assert contact.cin_source == "6"  # suggested from the caller's agency
    assert contact.concern == entry.reported
    assert contact.child_location == entry.address_text
    assert contact.status == "new"
    assert contact.referrer == "PC Jane Doe"
    details = dict(contact.referrer_details)
    assert details["Organisation"] == "Metropolitan Police"
    assert details["Agency"].startswith("Metropolitan Police")
    assert details["Phone"] == "020 7946 0001"
    assert [p.name for p in contact.people] == ["Amelia Testwood", "Jack Testwood"]
    assert contact.consent == "not_sought" and contact.consent_decided_by == "Test Manager"
    with ctx.session_factory() as s:
        assert s.get(Contact, contact_id).edt_entry_id == entry_id
        ack = s.scalar(select(HandoverAcknowledgement).where(HandoverAcknowledgement.entry_id == entry_id))
        assert (ack.outcome, ack.contact_id, ack.dealt_at, ack.breached) == ("contact_created", contact_id,
                                                                              clock(), False)
        notes = s.scalars(select(ContactPerson.notes).where(ContactPerson.contact_id == contact_id)
                          .order_by(ContactPerson.id)).all()
        assert notes == ["Age 7 as given in the EDT log", "Age 12 as given in the EDT log"]
        person = s.get(ContactPerson, s.scalar(select(ContactPerson.id).where(
            ContactPerson.contact_id == contact_id))).person
        assert person.addresses[0].address.postcode == "BR1 1AA"
    item = service.item(actors["manager"], entry_id)
    assert item.status_label == f"contact C-{contact_id:06d}"
    assert item.acknowledged_by == item.dealt_by == "Test Manager"  # acknowledged in the same action
    (event,) = _audit(ctx, "handover.deal")
    assert event.detail["entries"] == [entry_id] and event.detail["contact"] == contact_id
    with pytest.raises(AlreadyDealtWith):
        service.make_contact(actors["manager"], entry_id)


def test_make_contact_uses_linked_known_children_and_asks_when_none_can_be_read(ctx, actors, clock):
    clock.set_local(2026, 11, 22, 21, 0)
    service = HandoverService(ctx)
    known = PeopleService(ctx).create_person(actors["practitioner"], PersonInput("Lily", "Knownchild"))
    linked = service.add_entry(actors["edt"], call(at(2026, 11, 22, 20, 0), person_ids=[known]))
    unnamed = service.add_entry(actors["edt"], call(at(2026, 11, 22, 20, 30), children_text="the two boys",
                                                    caller_name="", caller_agency="Parent"))
    clock.set_local(2026, 11, 23, 9, 0)
    contact = ContactService(ctx).get(actors["manager"], service.make_contact(actors["manager"], linked))
    assert [p.person_id for p in contact.people] == [known]
    with pytest.raises(InputError) as err:
        service.make_contact(actors["manager"], unnamed)
    assert err.value.field == "children"
    assert service.item(actors["manager"], unnamed).acknowledged_at is None  # nothing written
    named = ConversionInput(children=[ContactChildInput(new_person=PersonInput("Leo", "Testbury"))])
    contact = ContactService(ctx).get(actors["manager"], service.make_contact(actors["manager"], unnamed, named))
    assert [p.name for p in contact.people] == ["Leo Testbury"]
    assert contact.cin_source == "9" and contact.referrer == "Anonymous"  # the caller gave no name


@pytest.mark.parametrize(("agency", "name", "source"), [
    ("Metropolitan Police", "PC Doe", "6"), ("Princess Royal University Hospital", "Dr A", "3E"),
    ("Out-of-hours GP", "Dr B", "3A"), ("Parent", "Ann", "1A"), ("Neighbour", "Bo", "1B"),
    ("Foster carer", "Cy", "5A"), ("Hayes Primary School", "Di", "2A"), ("", "Ed", "10"), ("", "", "9"),
    ("Taxi firm", "Fay", "8"),
])
def test_the_cin_source_is_suggested_from_the_callers_agency(agency, name, source):
    assert suggest_source(agency, name)[0] == source


def test_children_are_read_from_the_free_text():
    kids = parse_children("Amelia Smith (7), Jack Smith aged 12; Baby Jo Smith and Ty Smith (3 years)")
    assert [(c.first_name, c.last_name, c.age) for c in kids] == [
        ("Amelia", "Smith", 7), ("Jack", "Smith", 12), ("Baby Jo", "Smith", None), ("Ty", "Smith", 3)]
    for text in ("two children", "the two boys", "Smith"):
        with pytest.raises(InputError):
            parse_children(text)


def test_no_action_needs_a_reason_and_records_it_for_each_item(ctx, actors, clock, weekend):
    service, ids = weekend
    with pytest.raises(InputError) as err:
        service.no_action(actors["manager"], ids[1:], "  ")
    assert err.value.field == "reason"
    service.no_action(actors["manager"], ids[1:], "Information only; already open to the allocated worker.")
    for entry_id in ids[1:]:
        item = service.item(actors["manager"], entry_id)
        assert item.status_label == "no action"
        assert item.no_action_reason == "Information only; already open to the allocated worker."
        assert item.dealt_by == "Test Manager" and item.dealt_at == clock()
    (event,) = _audit(ctx, "handover.deal")
    assert event.detail["entries"] == ids[1:]


# -- never deleted, read-only after handover ---------------------------------------------------------------

def test_nothing_of_the_log_can_be_deleted(ctx, actors, weekend):
    service, ids = weekend
    service.acknowledge(actors["manager"], ids[:1])
    service.add_note(actors["edt"], ids[0], "Grandmother confirmed the children are with her.")
    assert not [name for name in dir(service) if "delete" in name or "remove" in name]
    for model in (EdtEntry, EdtEntryNote, HandoverAcknowledgement):
        with ctx.session_factory() as s, pytest.raises(EdtLogDeletion):
            s.delete(s.scalars(select(model)).first())
            s.flush()
    with ctx.session_factory() as s:
        assert len(s.scalars(select(EdtEntry)).all()) == 3
        assert len(s.scalars(select(EdtEntryNote)).all()) == 1


def test_after_handover_an_entry_is_read_only_except_for_notes(ctx, actors, clock, weekend):
    service, ids = weekend
    service.acknowledge(actors["manager"], ids[:1])
    item = service.item(actors["edt"], ids[0])
    with pytest.raises(HandedOver, match="Test Manager"):
        service.update_entry(actors["edt"], ids[0], item.version, entry_input_of(item))
    with pytest.raises(HandedOver):
        service.complete_entry(actors["edt"], ids[0], item.version)
    # Unacknowledged, but past the 10:00 deadline: read-only too, and no new calls for that period.
    clock.set_local(2026, 11, 23, 10, 1)
    other = service.item(actors["edt"], ids[1])
    with pytest.raises(HandedOver):
        service.update_entry(actors["edt"], ids[1], other.version, entry_input_of(other))
    with pytest.raises(HandedOver):
        service.add_entry(actors["edt"], call(at(2026, 11, 22, 23, 0)))
    service.add_note(actors["edt"], ids[0], "Police confirmed the arrest.")
    service.add_note(actors["manager"], ids[0], "Discussed at the daily meeting.")
    notes = service.item(actors["manager"], ids[0]).notes
    assert [(n.by, n.text) for n in notes] == [("Test Edt", "Police confirmed the arrest."),
                                               ("Test Manager", "Discussed at the daily meeting.")]
    assert service.item(actors["manager"], ids[0]).reported == item.reported


# -- the deadline and the scheduler --------------------------------------------------------------------------

def test_items_not_dealt_with_by_ten_are_breached_and_stay_on_screen(ctx, actors, clock, weekend):
    service, ids = weekend
    urgent, first, neighbour = ids[1], ids[0], ids[2]
    service.acknowledge(actors["manager"], [first])
    service.no_action(actors["manager"], [neighbour], "Resolved overnight.")
    clock.set_local(2026, 11, 23, 9, 59)
    assert handover_breach_job(ctx, actors["manager"], clock()) == []
    assert not any(i.breached for i in service.morning(actors["manager"]).items)

    clock.set_local(2026, 11, 23, 10, 0, 1)
    notices = handover_breach_job(ctx, actors["manager"], clock())
    assert [n.level for n in notices] == ["breached"]
    assert "2 items" in notices[0].text
    period = service.morning(actors["manager"])
    labels = {i.id: i.status_label for i in period.items}
    assert labels == {urgent: "BREACHED", first: "BREACHED", neighbour: "no action"}
    with ctx.session_factory() as s:
        ack = s.scalar(select(HandoverAcknowledgement).where(HandoverAcknowledgement.entry_id == first))
        assert ack.breached and ack.dealt_at is None
    (event,) = _audit(ctx, "handover.mark_breached")
    assert event.detail["entries"] == [first]
    assert handover_breach_job(ctx, actors["manager"], clock())  # still said, nothing marked twice
    assert len(_audit(ctx, "handover.mark_breached")) == 1

    # Dealt with late: the fact that it was late is kept.
    clock.set_local(2026, 11, 23, 11, 30)
    service.acknowledge(actors["manager"], [urgent])
    contact_id = service.make_contact(actors["manager"], urgent)
    assert service.item(actors["manager"], urgent).status_label == f"contact C-{contact_id:06d} (late)"


def test_the_morning_reminder_goes_to_managers_on_working_days_only(ctx, actors, clock):
    clock.set_local(2026, 12, 27, 12, 0)
    HandoverService(ctx).add_entry(actors["edt"], call(at(2026, 12, 26, 4, 30)))
    manager = actors["manager"]
    assert handover_reminder_notices(ctx, manager, at(2026, 12, 28, 8, 50)) == []  # Boxing Day (substitute)
    assert handover_reminder_notices(ctx, manager, at(2026, 12, 29, 8, 40)) == []  # before 08:45
    (notice,) = handover_reminder_notices(ctx, manager, at(2026, 12, 29, 8, 45))
    assert "1 item" in notice.text and "10:00" in notice.text
    clock.set_local(2026, 12, 29, 8, 46)
    assert any(n.key == notice.key for n in run_jobs_now(ctx, manager))
    assert not any(n.key == notice.key for n in run_jobs_now(ctx, actors["practitioner"]))
    HandoverService(ctx).acknowledge(manager, [i.id for i in HandoverService(ctx).morning(manager).items])
    assert handover_reminder_notices(ctx, manager, at(2026, 12, 29, 8, 50)) == []


def test_the_handover_jobs_use_cron_triggers_for_managers():
    jobs = {j.id: j for j in desk_jobs()}
    reminder, breaches = jobs["edt-handover-reminder"], jobs["edt-handover-breaches"]
    assert (reminder.trigger, reminder.trigger_args["hour"], reminder.trigger_args["minute"]) == ("cron", 8, 45)
    assert (breaches.trigger, breaches.trigger_args["hour"], breaches.trigger_args["minute"]) == ("cron", 10, 0)
    from mashdesk.permissions import allowed

    for job in (reminder, breaches):  # run on managers' desks, as the manager, through the one permission table
        assert [role for role in ("manager", "practitioner", "edt") if allowed(role, job.action)] == ["manager"]
