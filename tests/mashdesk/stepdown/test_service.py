"""Step-downs to Early Help: consent gating, every transition, the clocks, step-up, permissions, the form."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from db.models import Agency, AgencyCheck, AuditEvent, Contact, ContactPerson, Person, StepDown
from mashdesk.documents.base import MARKING
from mashdesk.stepdown.centres import EarlyHelpConfigError, early_help_config, load_early_help_config
from mashdesk.errors import InputError, PermissionDenied, StaleEditError
from mashdesk.scheduler import run_jobs_now
from mashdesk.contacts.service import ContactService
from mashdesk.people.service import PersonInput
from mashdesk.contacts.queue import QueueService
from mashdesk.contacts.views import QueueQuery
from mashdesk.stepdown.opening import open_step_down
from mashdesk.stepdown.service import StepDownService
from mashdesk.stepdown.views import StepDownQuery
from mashdesk.stepdown.workflow import available_actions
from tests.helpers import police_notification

LONDON = ZoneInfo("Europe/London")
RESTRICTED = "Father linked to a local gang. Do not disclose to the family."


def _local(value: datetime | None) -> datetime | None:
    return value.astimezone(LONDON) if value else None


def _audits(ctx) -> int:
    with ctx.session_factory() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent))


@pytest.fixture
def contact_id(ctx, actors, clock) -> int:
    """A contact about two children and their mother, with a police answer restricted to the police."""
    kids = [
        PersonInput("Ava", "Testchild", datetime(2019, 5, 4).date(), sex="F"),
        PersonInput("Ben", "Testchild", datetime(2016, 1, 9).date(), sex="M"),
    ]
    cid = ContactService(ctx).create_contact(actors["practitioner"], police_notification(clock(), *kids))
    with ctx.session_factory.begin() as s:
        mother = Person(first_name="Mia", last_name="Testchild", sex="F")
        s.add(mother)
        s.flush()
        s.add(
            ContactPerson(
                contact_id=cid,
                person_id=mother.id,
                role="household_member",
                relationship_to_child="mother",
                parental_responsibility=True,
            )
        )
        police = s.scalar(select(Agency.id).where(Agency.code == "police"))
        health = s.scalar(select(Agency.id).where(Agency.code == "health"))
        for agency, answer, restricted in (
            (police, RESTRICTED, True),
            (health, "Immunisations up to date.", False),
        ):
            s.add(
                AgencyCheck(
                    contact_id=cid,
                    agency_id=agency,
                    requested_at=clock(),
                    due_at=clock(),
                    status="answered",
                    response=answer,
                    responded_at=clock(),
                    restricted=restricted,
                )
            )
    return cid


@pytest.fixture
def service(ctx) -> StepDownService:
    return StepDownService(ctx)


def _ready(service, actors, contact_id) -> tuple[int, int]:
    """A step-down opened by a manager, with consent given: (id, version)."""
    sd = service.create(actors["manager"], contact_id, needs="Help with routines.")
    v = service.get(actors["manager"], sd).version
    v = service.record_consent(actors["manager"], sd, v, step_down="given", info_sharing="given")
    return sd, v


def test_full_life_from_send_to_step_up(ctx, actors, clock, service, contact_id):
    eh, manager = actors["earlyhelp"], actors["manager"]
    sd, v = _ready(service, actors, contact_id)
    v = service.send(manager, sd, v, centre="mottingham", needs="Parenting support and school attendance.")
    assert service.page(eh, StepDownQuery(statuses=("sent",)))[0].centre == "Mottingham"
    v = service.accept(eh, sd, v)  # Monday 23 November 2026, 10:00
    d = service.get(eh, sd)
    assert d.status == "accepted"
    assert _local(d.first_contact_due_at) == datetime(2026, 11, 30, 10, 0, tzinfo=LONDON)  # 5 working days
    assert _local(d.next_review_due_at) == datetime(2027, 2, 15, 10, 0, tzinfo=LONDON)  # 12 weeks
    assert d.clock.label == "First contact due Mon 30 Nov"
    v = service.allocate(eh, sd, v, worker="Priya Shah")
    clock.set_local(2026, 11, 25, 14, 0)
    v = service.record_first_contact(eh, sd, v, note="Home visit; family engaged.")
    d = service.get(eh, sd)
    assert (d.status, d.allocated_worker, d.clock.kind) == ("engaged", "Priya Shah", "early_help_review")
    clock.set_local(2027, 2, 10, 11, 0)
    v = service.record_review(eh, sd, v, note="Good progress; plan continues.")
    assert _local(service.get(eh, sd).next_review_due_at) == datetime(2027, 5, 5, 11, 0, tzinfo=LONDON)

    before = _audits(ctx)
    result = service.step_up(eh, sd, v, reason="Mother disclosed new domestic abuse; children frightened.")
    assert _audits(ctx) == before + 1  # one unit of work, one audit event
    d = service.get(manager, sd)
    assert d.status == "stepped_up" and d.stepped_up_reference == result.contact_reference
    assert [e.kind for e in d.events] == [
        "created",
        "consent",
        "sent",
        "accepted",
        "allocated",
        "first_contact",
        "review",
        "stepped_up",
    ]
    assert [e.by for e in d.events][-1] == "Test Earlyhelp"
    rows = QueueService(ctx).page(manager, QueueQuery(statuses=("new",)))
    assert [r.id for r in rows] == [result.contact_id, contact_id]  # newest first
    assert rows[0].source.startswith("LA: early help") and "Mottingham" in rows[0].source
    contact = ContactService(ctx).get(manager, result.contact_id)
    assert (contact.cin_source, contact.channel, contact.concern) == (
        "5D",
        "step_up",
        "Mother disclosed new domestic abuse; children frightened.",
    )
    assert sorted(p.name for p in contact.people if p.role == "child") == ["Ava Testchild", "Ben Testchild"]
    assert [p.name for p in contact.people if p.role == "household_member"] == ["Mia Testchild"]
    assert ("Name", "Priya Shah") in contact.referrer_details
    with ctx.session_factory() as s:
        assert s.get(Contact, result.contact_id).step_down_id == sd
        assert s.get(StepDown, sd).stepped_up_contact_id == result.contact_id


def test_no_send_without_consent_and_a_refusal_goes_back_to_the_manager(ctx, actors, service, contact_id):
    manager, eh = actors["manager"], actors["earlyhelp"]
    sd = service.create(manager, contact_id, needs="Help with routines.")
    v = service.get(manager, sd).version
    with pytest.raises(InputError) as err:
        service.send(manager, sd, v, centre="blenheim", needs="Routines.")
    assert err.value.field == "consent"
    v = service.record_consent(eh, sd, v, step_down="given", info_sharing="refused")
    assert service.get(manager, sd).status == "consent_refused"
    assert "decide_refusal" not in available_actions("consent_refused", "earlyhelp")
    with pytest.raises(PermissionDenied):
        service.decide_refusal(eh, sd, v, ask_again=True)
    with pytest.raises(InputError, match="consent refused"):
        service.send(manager, sd, v, centre="blenheim", needs="Routines.")
    v = service.decide_refusal(manager, sd, v, ask_again=True)
    d = service.get(manager, sd)
    assert (d.status, d.consent_step_down, d.consent_info_sharing) == ("draft", "not_asked", "not_asked")
    v = service.record_consent(manager, sd, v, step_down="refused", info_sharing="refused")
    service.decide_refusal(manager, sd, v, ask_again=False, note="Family clear they want no help.")
    d = service.get(manager, sd)
    assert (d.status, d.closure_reason) == ("closed", "no_further_action")
    assert [e.kind for e in d.events] == [
        "created",
        "consent_refused",
        "asked_again",
        "consent_refused",
        "closed",
    ]


def test_actions_out_of_turn_are_refused_naming_the_state(ctx, actors, service, contact_id):
    sd, v = _ready(service, actors, contact_id)
    before = _audits(ctx)
    for action, kwargs in (
        ("accept", {}),
        ("decline", {"reason": "Full"}),
        ("record_first_contact", {}),
        ("record_review", {"note": "x"}),
        ("allocate", {"worker": "Priya Shah"}),
    ):
        with pytest.raises(InputError) as err:
            getattr(service, action)(actors["earlyhelp"], sd, v, **kwargs)
        assert err.value.field == "status" and "draft" in str(err.value), action
    assert _audits(ctx) == before


def test_decline_then_send_elsewhere_and_closed_ones_stay_closed(ctx, actors, service, contact_id):
    eh, manager = actors["earlyhelp"], actors["manager"]
    sd, v = _ready(service, actors, contact_id)
    v = service.send(manager, sd, v, centre="blenheim", needs="Routines.")
    with pytest.raises(InputError, match="reason"):
        service.decline(eh, sd, v, reason="  ")
    v = service.decline(eh, sd, v, reason="Outside our area.")
    assert service.get(eh, sd).declined_reason == "Outside our area."
    with pytest.raises(InputError, match="declined"):
        service.accept(eh, sd, v)
    with pytest.raises(InputError, match="centre"):
        service.send(manager, sd, v, centre="atlantis", needs="Routines.")
    v = service.send(manager, sd, v, centre="biggin_hill", needs="Routines.")
    v = service.accept(eh, sd, v)
    with pytest.raises(InputError, match="closure reason"):
        service.close(eh, sd, v, reason="bored")
    v = service.close(eh, sd, v, reason="family_declined")
    for attempt in (
        lambda: service.close(eh, sd, v, reason="outcomes_met"),
        lambda: service.step_up(eh, sd, v, reason="Escalating"),
        lambda: service.send(manager, sd, v, centre="blenheim", needs="x"),
    ):
        with pytest.raises(InputError, match="closed"):
            attempt()
    assert service.get(eh, sd).actions == ()


def test_a_stale_edit_is_refused(ctx, actors, service, contact_id):
    sd, v = _ready(service, actors, contact_id)
    service.send(actors["manager"], sd, v, centre="blenheim", needs="Routines.")
    with pytest.raises(StaleEditError, match="Test Manager"):
        service.send(actors["manager"], sd, v, centre="cotmandene", needs="Routines.")


def test_first_contact_cannot_be_in_the_future_or_before_acceptance(ctx, actors, clock, service, contact_id):
    eh = actors["earlyhelp"]
    sd, v = _ready(service, actors, contact_id)
    v = service.accept(eh, sd, service.send(actors["manager"], sd, v, centre="blenheim", needs="Routines."))
    v = service.allocate(eh, sd, v, worker="Priya Shah")
    for at in (datetime(2026, 11, 24, 9, 0, tzinfo=LONDON), datetime(2026, 11, 20, 9, 0, tzinfo=LONDON)):
        with pytest.raises(InputError) as err:
            service.record_first_contact(eh, sd, v, at=at)
        assert err.value.field == "first contact"


def test_first_contact_clock_due_soon_then_breached_raises_notices(ctx, actors, clock, service, contact_id):
    eh, manager = actors["earlyhelp"], actors["manager"]
    sd, v = _ready(service, actors, contact_id)
    v = service.accept(eh, sd, service.send(manager, sd, v, centre="cotmandene", needs="Routines."))
    assert service.count(eh, StepDownQuery(overdue_only=True)) == 0
    assert run_jobs_now(ctx, eh) == []
    clock.set_local(2026, 11, 27, 15, 0)  # Friday: 3h30 of office time left of 42h30
    row = service.page(eh, StepDownQuery())[0]
    assert (row.clock.state, row.clock.label) == ("due_soon", "First contact due Mon 30 Nov (soon)")
    notices = [n for n in run_jobs_now(ctx, eh) if n.entity == "step_down"]
    assert [(n.level, n.entity_id) for n in notices] == [("due_soon", sd)]
    clock.set_local(2026, 12, 2, 10, 0)
    row = service.page(eh, StepDownQuery(overdue_only=True))[0]
    assert (row.id, row.clock.state, row.clock.label) == (sd, "breached", "First contact overdue 2 days")
    for actor in (eh, manager):
        notices = [n for n in run_jobs_now(ctx, actor) if n.entity == "step_down"]
        assert [n.level for n in notices] == ["breached"] and "first contact overdue" in notices[0].title
    assert not [n for n in run_jobs_now(ctx, actors["practitioner"]) if n.entity == "step_down"]
    v = service.allocate(eh, sd, v, worker="Priya Shah")
    service.record_first_contact(eh, sd, v)
    assert service.count(eh, StepDownQuery(overdue_only=True)) == 0
    clock.set_local(2027, 3, 3, 10, 0)  # twelve weeks after the first contact, the review is overdue
    assert service.page(eh, StepDownQuery(overdue_only=True))[0].clock.label.startswith("Review overdue")


def test_who_may_do_what(ctx, actors, service, contact_id):
    sd, v = _ready(service, actors, contact_id)
    with pytest.raises(PermissionDenied):
        service.create(actors["earlyhelp"], contact_id)
    with pytest.raises(PermissionDenied):
        service.send(actors["practitioner"], sd, v, centre="blenheim", needs="x")
    for role in ("police", "health", "education", "edt", "admin"):
        with pytest.raises(PermissionDenied):
            service.get(actors[role], sd)
    assert service.get(actors["practitioner"], sd).actions == ()
    with pytest.raises(InputError, match="already has open step-down"):
        service.create(actors["manager"], contact_id)


def test_early_help_never_reads_a_police_restricted_answer(ctx, actors, service, contact_id):
    sd, _ = _ready(service, actors, contact_id)
    for role in ("earlyhelp", "manager"):
        checks = {c.agency: c for c in service.get(actors[role], sd).checks}
        police = next(c for name, c in checks.items() if "Police" in name)
        assert police.withheld and police.answer is None
        assert any(c.answer == "Immunisations up to date." for c in checks.values())
    pdf = service.form_pdf(actors["earlyhelp"], sd)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "gang" not in text and "Withheld" in text


def test_the_hook_opens_a_draft_inside_the_callers_unit_of_work(ctx, actors, service, contact_id):
    before = _audits(ctx)
    with service.write(actors["manager"], "decision.authorise", "decision") as w:
        contact = w.get(Contact, contact_id)
        sd = open_step_down(w, contact, None)
        assert open_step_down(w, contact, None) is sd  # one open step-down per contact
        w.audit("contact", contact_id, "authorised early help")
    assert _audits(ctx) == before + 1
    d = service.get(actors["earlyhelp"], sd.id)
    assert d.status == "draft" and [e.kind for e in d.events] == ["created"]
    assert "authorised" in d.events[0].note


def test_the_form_carries_the_family_needs_consent_decision_and_marking(ctx, actors, service, contact_id):
    sd, v = _ready(service, actors, contact_id)
    needs = "Parenting support. " + "The family needs steady help with routines. " * 120
    service.send(actors["manager"], sd, v, centre="burnt_ash", needs=needs)
    pdf = service.form_pdf(actors["manager"], sd)
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert text.count(MARKING) == 2 and f"Page {number} of {len(pages)}" in text
    text = "\n".join(pages)
    centre = early_help_config().centre("burnt_ash")
    assert centre is not None
    for expected in (
        centre.name,
        centre.email,
        "Ava Testchild",
        "Ben Testchild",
        "Mia Testchild",
        "To information sharing",
        "Parenting support",
        "MASH decision",
        "Opened by hand",
        early_help_config().mash.phone,
        "Immunisations up to date.",
    ):
        assert expected in text, expected


def test_the_shipped_configuration_lists_six_centres():
    config = early_help_config()
    assert len(config.centres) == 6
    assert len({c.code for c in config.centres}) == 6
    assert all(c.name.endswith("Children and Family Centre") and "@" in c.email for c in config.centres)


MASH = '[mash]\nname="M"\nphone="1"\nemail="e"\n'
CENTRE_A = '[[centres]]\ncode="a"\nname="A"\nshort="A"\naddress="x"\nemail="e"\n'


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (MASH, "centres"),
        (MASH + CENTRE_A + CENTRE_A.replace('name="A"', 'name="B"'), "centres[2].code"),
        (MASH + CENTRE_A.replace('name="A"', 'name=""'), "centres[1].name"),
        (MASH + CENTRE_A.replace('short="A"\n', ""), "centres[1].short"),
        (MASH.replace('email="e"', 'email="e"\nfax="2"') + CENTRE_A, "mash.fax"),
        ('colour="red"\n', "colour"),
    ],
)
def test_a_bad_configuration_names_the_key(tmp_path: Path, text: str, key: str):
    path = tmp_path / "early_help.toml"
    path.write_text(text)
    with pytest.raises(EarlyHelpConfigError) as err:
        load_early_help_config(path)
    assert f"early_help.toml: {key}:" in str(err.value)


def test_authorising_an_early_help_decision_opens_the_step_down(ctx, actors, clock):
    from mashdesk.triage.service import ChildDecisionInput, ThresholdInput, TriageService

    triage, contacts = TriageService(ctx), ContactService(ctx)
    cid = contacts.create_contact(actors["practitioner"], police_notification(clock()))
    child = triage.child_facts(actors["practitioner"], cid)[0].person_id
    triage.assess(
        actors["practitioner"], cid, ThresholdInput(children={child: ("family.financial_hardship",)})
    )
    triage.screen(actors["manager"], cid, contacts.get(actors["manager"], cid).version, "green")
    triage.propose(
        actors["practitioner"],
        cid,
        contacts.get(actors["manager"], cid).version,
        [ChildDecisionInput(child, 2, "early_help", "N7", rationale="Debt advice and routines.")],
    )
    triage.authorise(actors["manager"], cid, contacts.get(actors["manager"], cid).version)
    service = StepDownService(ctx)
    [row] = service.page(actors["earlyhelp"], StepDownQuery())
    d = service.get(actors["earlyhelp"], row.id)
    assert (d.status, d.contact_id, d.actions) == ("draft", cid, ("record_consent", "close", "step_up"))
    assert d.decision_summary.startswith("Step-down to Early Help at level 2; primary need N7 (Low income).")
    assert "Debt advice and routines." in d.decision_summary
    assert [(c.child, c.level) for c in d.decisions] == [("Ava Testchild", 2)]
