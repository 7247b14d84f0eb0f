"""Demo calls to the consultation line over the last 12 months, most from the demo's schools.

Deterministic from the seed. Some calls name a known child; recent contacts from schools were, half of
them, a call to the line first (the contact linked to the call).
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Agency, Consultation, ConsultationPerson, Contact, ContactPerson, Person, Referrer
from mashdesk.calendar import WorkingCalendar

QUESTIONS = [
    ("A pupil came in with a bruise on her arm and gave two different accounts. Should I refer?",
     "Record what she said in her words; this meets the threshold for a referral today.", "referral_asked"),
    ("Parent seems to be drinking at pick-up; the children look tired and hungry.",
     "Talk to the parent about support; Early Help assessment offered; call back if worse.", "signposted"),
    ("Attendance has dropped to 70% and the child is withdrawn. What can school do?",
     "Arrange a team around the family meeting; advice on the attendance pathway.", "advice_only"),
    ("A girl in Year 10 has an older boyfriend who collects her from school in a car.",
     "Possible exploitation: complete the CSE screening tool and refer today.", "referral_asked"),
    ("Child disclosed that mum's partner shouts and throws things at home.",
     "Domestic abuse: advice on speaking to the child; referral to be made.", "referral_asked"),
    ("Head lice and unwashed uniform for weeks; parents say they are struggling.",
     "Below threshold for social care; signposted to the Children and Family Centre.", "signposted"),
    ("Is it right to tell parents before referring about a self-harm disclosure?",
     "Advice on consent and when not to seek it; CAMHS referral suggested.", "advice_only"),
]
SIGNPOSTS = ["Bromley Children and Family Centre", "Bromley Y (emotional wellbeing)", "Early Help hub",
             "Young carers service", "School nursing"]
OTHERS = [("Elm House Surgery", "GP"), ("Bromley Healthcare", "Health visitor"), ("Oakfield Nursery", "Manager"),
          ("St Mark's Church youth club", "Youth worker")]
CALLERS = ["Helen Price", "Mark Dunn", "Aisha Khan", "Sarah Bell", "Tom Baker", "Ruth Evans", "Gary Lowe"]


def seed_demo(session: Session, *, rng: random.Random, now: datetime, calendar: WorkingCalendar,
              user_ids: dict[str, int], schools: list[str]) -> int:
    """Add the demo's consultation-line calls; returns how many."""
    workers = [user_ids[u] for u in sorted(user_ids) if u.startswith("demo.sw") or u == "demo.practitioner"]
    children = list(session.scalars(select(Person.id).where(Person.is_demo.is_(True),
                                                            Person.date_of_birth.is_not(None))
                                    .order_by(Person.id).limit(600)))
    calls: list[Consultation] = []
    today = calendar.localize(now).date()
    for back in range(364, -1, -1):  # oldest first, so references follow time
        day = today - timedelta(days=back)
        if not calendar.is_working_day(day):
            continue
        for _ in range(rng.choice([1, 2, 3, 3, 4, 5] if back > 14 else [3, 4, 5, 6])):
            at = calendar.localize(datetime.combine(day, time(8, 45), tzinfo=calendar.tz)) + timedelta(
                minutes=rng.randint(0, 8 * 60))
            if at > now:  # today's calls so far: earlier this morning
                at = now - timedelta(minutes=rng.randint(5, 75))
            question, advice, outcome = rng.choice(QUESTIONS)  # calls answered "contact now": below
            school = rng.random() < 0.75 or back == 0
            organisation, role = (rng.choice(schools), "Designated safeguarding lead") if school \
                else rng.choice(OTHERS)
            c = Consultation(
                at=at, caller_name=rng.choice(CALLERS), caller_role=role, organisation=organisation,
                from_school=school, phone=f"020 8{rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                question=question, advice=advice, outcome=outcome, minutes=rng.choice([5, 8, 10, 12, 15, 20, 30]),
                signposted_to=rng.choice(SIGNPOSTS) if outcome == "signposted" else None,
                child_summary=None, advised_by_id=rng.choice(workers) if workers else None, is_demo=True,
                version=1, created_at=at, updated_at=at)
            if children and rng.random() < 0.4:
                c.children = [ConsultationPerson(person_id=rng.choice(children))]
            else:
                c.child_summary = rng.choice(["Not named", "A Year 6 girl", "Two brothers, 7 and 9", "Anonymous"])
            calls.append(c)
    session.add_all(calls)
    session.flush()
    return len(calls) + len(_calls_that_became_contacts(session, rng, now, workers))


def _calls_that_became_contacts(session: Session, rng: random.Random, now: datetime, workers: list[int],
                                 limit: int = 120) -> list[Consultation]:
    """A school's call answered "contact now" before each of the recent contacts a school made: the call has
    the contact's referrer, child and concern; the contact is linked to it and came by the consultation line."""
    rows = session.execute(
        select(Contact, Referrer).join(Referrer, Referrer.id == Contact.referrer_id)
        .join(Agency, Agency.id == Referrer.agency_id)
        .where(Agency.code == "education", Contact.is_demo.is_(True), Contact.received_at > now - timedelta(days=90))
        .order_by(Contact.received_at.desc()).limit(limit)).all()
    calls = []
    for contact, referrer in rows:
        child = session.scalar(select(ContactPerson.person_id).where(
            ContactPerson.contact_id == contact.id, ContactPerson.role == "child").limit(1))
        if child is None or rng.random() < 0.5:
            continue
        at = contact.received_at - timedelta(minutes=rng.randint(10, 90))
        call = Consultation(
            at=at, caller_name=referrer.name or "Designated safeguarding lead", caller_role=referrer.role,
            organisation=referrer.organisation, from_school=True, phone=referrer.phone,
            question=contact.concern[:400], advice="Meets the threshold: the social worker makes a contact now.",
            outcome="contact_now", minutes=rng.choice([10, 15, 20]), became_contact=True,
            advised_by_id=rng.choice(workers) if workers else None, is_demo=True, version=1, created_at=at,
            updated_at=at, children=[ConsultationPerson(person_id=child)])
        session.add(call)
        session.flush()
        contact.consultation_id, contact.channel, contact.created_at = call.id, "consultation", contact.received_at
        calls.append(call)
    return calls
