"""The triage workflow, step by step, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import threading
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from db.models import AgencyCheck, Contact, Decision, ReferrerFeedback, ThresholdAssessment
from mashdesk.errors import InputError, PermissionDenied, StaleEditError
from mashdesk.contacts.service import ContactService
from mashdesk.people.service import PersonInput
from mashdesk.triage.service import ChildDecisionInput, ThresholdInput, TriageService
from tests.helpers import police_notification


@pytest.fixture
def contact(ctx, actors, clock):
    child = PersonInput(first_name="Mia", last_name="Journey", date_of_birth=date(2016, 2, 3), sex="F")
    return ContactService(ctx).create_contact(actors["practitioner"], police_notification(clock(), child))


def _version(ctx, contact_id):
    with ctx.session_factory() as s:
        return s.get(Contact, contact_id).version



def _child_id(ctx, actors, contact_id):
    return TriageService(ctx).child_facts(actors["practitioner"], contact_id)[0].person_id


def test_screening_sets_rag_and_the_decision_clock(ctx, actors, contact):
    triage = TriageService(ctx)
    assert triage.suggested_rag(actors["manager"], contact) == "green"
    triage.screen(actors["manager"], contact, _version(ctx, contact), "green",
                  allocate_to=actors["practitioner"].user_id)
    with ctx.session_factory() as s:
        row = s.get(Contact, contact)
        assert row.status == "screened" and row.rag == "green"
        assert row.allocated_to_id == actors["practitioner"].user_id
        # Received Monday 09:00 (an hour before the test clock): 3 working days later, Thursday 09:00.
        assert row.decision_due_at == ctx.calendar.due_datetime("decision_green", row.received_at)


def test_changing_the_suggested_rag_needs_a_reason(ctx, actors, contact):
    triage = TriageService(ctx)
    with pytest.raises(InputError) as err:
        triage.screen(actors["manager"], contact, _version(ctx, contact), "red")
    assert err.value.field == "rag_reason" and "suggests green" in str(err.value)
    triage.screen(actors["manager"], contact, _version(ctx, contact), "red", reason="Police say the father is back")
    with ctx.session_factory() as s:
        assert s.get(Contact, contact).rag_reason == "Police say the father is back"


def test_only_managers_screen(ctx, actors, contact):
    with pytest.raises(PermissionDenied):
        TriageService(ctx).screen(actors["practitioner"], contact, _version(ctx, contact), "green")


def test_threshold_suggestion_uses_the_record_and_is_stored_with_the_ruleset(ctx, actors, contact):
    triage = TriageService(ctx)
    child = _child_id(ctx, actors, contact)
    data = ThresholdInput(household=("family.domestic_abuse_current",), children={child: ("child.missing_episodes",)})
    preview = triage.preview(actors["practitioner"], contact, data)
    assert preview.children[0].level == 3
    result = triage.assess(actors["practitioner"], contact, data)
    with ctx.session_factory() as s:
        stored = s.scalar(select(ThresholdAssessment).where(ThresholdAssessment.contact_id == contact))
    assert stored.suggested_level == 3 and stored.ruleset_id == result.ruleset_id
    assert stored.ruleset_version == result.ruleset_version
    assert stored.household_indicators == ["family.domestic_abuse_current"]
    assert triage.suggested_rag(actors["manager"], contact) == "amber"


def test_an_indicator_that_does_not_fit_names_the_child(ctx, actors, contact):
    child = _child_id(ctx, actors, contact)
    with pytest.raises(InputError, match="Mia Journey"):
        TriageService(ctx).preview(actors["practitioner"], contact,
                                   ThresholdInput(children={child: ("harm.injury_non_mobile_infant",)}))


def _to_decision(ctx, actors, contact, indicators=("child.missing_episodes",), rag="amber"):
    triage = TriageService(ctx)
    child = _child_id(ctx, actors, contact)
    triage.assess(actors["practitioner"], contact, ThresholdInput(children={child: indicators}))
    triage.screen(actors["manager"], contact, _version(ctx, contact), rag, allocate_to=actors["practitioner"].user_id)
    return triage, child


def test_checks_are_answered_by_their_agency_only_and_restricted_answers_withheld(ctx, actors, contact):
    triage, _ = _to_decision(ctx, actors, contact)
    triage.request_checks(actors["practitioner"], contact, _version(ctx, contact), ["police", "health"])
    police_queue = triage.agency_queue(actors["police"])
    assert [r.contact_id for r in police_queue] == [contact]
    check = police_queue[0]
    with pytest.raises(PermissionDenied):
        triage.answer_check(actors["health"], check.check_id, check.version, "Not ours to answer")
    triage.answer_check(actors["police"], check.check_id, check.version, "Father on bail; do not disclose",
                        restricted=True)
    police_view = ContactService(ctx).get(actors["police"], contact)
    health_view = ContactService(ctx).get(actors["health"], contact)
    police_check = next(c for c in police_view.checks if c.agency_code == "police")
    health_sees = next(c for c in health_view.checks if c.agency_code == "police")
    assert police_check.response == "Father on bail; do not disclose"
    assert health_sees.withheld and health_sees.response is None
    with ctx.session_factory() as s:
        due = s.scalar(select(AgencyCheck.due_at).where(AgencyCheck.id == check.check_id))
        received = s.get(Contact, contact).screened_at
    assert due == ctx.calendar.due_datetime("agency_check_amber", received)


def test_a_decision_differing_from_the_suggestion_needs_a_reason(ctx, actors, contact):
    triage, child = _to_decision(ctx, actors, contact)
    with pytest.raises(InputError) as err:
        triage.propose(actors["practitioner"], contact, _version(ctx, contact),
                       [ChildDecisionInput(child, 1, "nfa_advice", "N9")])
    assert err.value.field == "override_reason"
    triage.propose(actors["practitioner"], contact, _version(ctx, contact),
                   [ChildDecisionInput(child, 1, "nfa_advice", "N9", override_reason="Returned home; safe")])
    with ctx.session_factory() as s:
        assert s.get(Contact, contact).status == "awaiting_authorisation"


def test_decision_needs_the_threshold_first(ctx, actors, contact):
    triage = TriageService(ctx)
    triage.screen(actors["manager"], contact, _version(ctx, contact), "green")
    child = _child_id(ctx, actors, contact)
    with pytest.raises(InputError, match="threshold"):
        triage.propose(actors["practitioner"], contact, _version(ctx, contact),
                       [ChildDecisionInput(child, 1, "nfa_advice", "N9")])


def test_return_then_authorise_closes_as_a_referral_with_feedback_due(ctx, actors, contact):
    triage, child = _to_decision(ctx, actors, contact)
    decision = [ChildDecisionInput(child, 3, "assessment", "N1", rationale="Complex needs")]
    triage.propose(actors["practitioner"], contact, _version(ctx, contact), decision)
    triage.return_decision(actors["manager"], contact, _version(ctx, contact), "Add the school's view")
    with ctx.session_factory() as s:
        assert s.get(Contact, contact).status == "returned"
    triage.propose(actors["practitioner"], contact, _version(ctx, contact), decision)
    with pytest.raises(PermissionDenied):
        triage.authorise(actors["practitioner"], contact, _version(ctx, contact))
    triage.authorise(actors["manager"], contact, _version(ctx, contact))
    with ctx.session_factory() as s:
        row = s.get(Contact, contact)
        assert (row.status, row.outcome, row.level) == ("closed", "assessment", 3)
        statuses = sorted(s.scalars(select(Decision.status).where(Decision.contact_id == contact)))
        assert statuses == ["authorised", "returned"]
        feedback = s.scalar(select(ReferrerFeedback).where(ReferrerFeedback.contact_id == contact))
    assert feedback.due_at == ctx.calendar.due_datetime("referrer_feedback", row.closed_at)
    doc, pdf = triage.feedback_letter(actors["practitioner"], contact)
    assert (doc.entity, doc.save_action, doc.print_action) == ("referrer_feedback", "feedback.send", "feedback.send")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "OFFICIAL-SENSITIVE" in text and "Single assessment" in text and "Mia Journey" in text
    triage.mark_feedback_sent(actors["practitioner"], contact, "secure_email")


def test_stale_screening_is_refused(ctx, actors, contact):
    triage = TriageService(ctx)
    opened = _version(ctx, contact)
    triage.allocate(actors["manager"], contact, opened, actors["practitioner"].user_id)
    with pytest.raises(StaleEditError, match="Test Manager"):
        triage.screen(actors["manager"], contact, opened, "green")


def test_take_next_gives_the_most_urgent_unallocated_contact(ctx, actors, clock):
    contacts = ContactService(ctx)
    triage = TriageService(ctx)
    ids = [contacts.create_contact(actors["practitioner"], police_notification(clock())) for _ in range(3)]
    triage.screen(actors["manager"], ids[0], _version(ctx, ids[0]), "green")
    triage.screen(actors["manager"], ids[1], _version(ctx, ids[1]), "red", reason="Injury reported")
    assert triage.take_next(actors["practitioner"]) == ids[1]
    assert triage.take_next(actors["practitioner"]) == ids[0]
    assert triage.take_next(actors["practitioner"]) is None  # the third is not screened yet


def test_take_next_under_concurrency_never_gives_one_contact_twice(ctx, actors, clock, password_hash):
    if ctx.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers; the race exists only on the shared PostgreSQL database")
    contacts = ContactService(ctx)
    triage = TriageService(ctx)
    ids = [contacts.create_contact(actors["practitioner"], police_notification(clock())) for _ in range(20)]
    for contact_id in ids:
        triage.screen(actors["manager"], contact_id, _version(ctx, contact_id), "green")
    taken: list[int | None] = []
    lock = threading.Lock()
    barrier = threading.Barrier(2)

    def worker(actor):
        barrier.wait()
        for _ in range(12):
            got = TriageService(ctx).take_next(actor)
            with lock:
                taken.append(got)

    threads = [threading.Thread(target=worker, args=(actors[r],)) for r in ("practitioner", "manager")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    got = [t for t in taken if t is not None]
    assert sorted(got) == sorted(ids)  # every contact taken exactly once


def test_the_service_says_what_each_person_may_do_now_and_refuses_the_rest(ctx, actors, contact):
    triage, child = _to_decision(ctx, actors, contact)
    keys = lambda who: {a.key for a in triage.allowed_actions(actors[who], contact)}  # noqa: E731
    assert keys("manager") == {"screen", "allocate", "checks", "threshold"}
    assert keys("practitioner") == {"checks", "threshold"}
    assert keys("police") == set()
    triage.request_checks(actors["practitioner"], contact, _version(ctx, contact), ["police"])
    assert keys("police") == {"answer"} and keys("health") == set()
    triage.propose(actors["practitioner"], contact, _version(ctx, contact),
                   [ChildDecisionInput(child, 2, "early_help", "N1", override_reason="Known to Early Help")])
    assert keys("manager") == {"allocate", "authorise", "return"} and keys("practitioner") == set()
    with pytest.raises(InputError, match="awaiting authorisation"):
        triage.request_checks(actors["practitioner"], contact, _version(ctx, contact), ["health"])
