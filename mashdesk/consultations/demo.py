"""Demo calls to the consultation line over the last 12 months, most from the demo's schools.

Deterministic from the seed. Some calls name a known child; a few became contacts (the contact linked).
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Consultation, ConsultationPerson, Contact, ContactPerson, Person
from mashdesk.calendar import WorkingCalendar

QUESTIONS = [
    ("A pupil came in with a bruise on her arm and gave two different accounts. Should I refer?",
     "Record what she said in her words; this meets the threshold for a referral today.", "referral_asked"),
    ("Year 9 boy says he has nowhere to stay tonight after a row with dad.",
     "Spoke to the DSL about immediate safety; social worker to make a contact now.", "contact_now"),
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
            question, advice, outcome = rng.choice(QUESTIONS)
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
            if children and (outcome == "contact_now" or rng.random() < 0.4):
                c.children = [ConsultationPerson(person_id=rng.choice(children))]
            else:
                c.child_summary = rng.choice(["Not named", "A Year 6 girl", "Two brothers, 7 and 9", "Anonymous"])
            calls.append(c)
    session.add_all(calls)
    session.flush()
    _link_contacts(session, rng, [c for c in calls if c.outcome == "contact_now" and c.children])
    return len(calls)


def _link_contacts(session: Session, rng: random.Random, calls: list[Consultation]) -> None:
    """Calls answered with "contact now" that named a child: a contact about that child is linked."""
    for c in calls[-200:]:  # the most recent
        contact_id = session.scalar(select(Contact.id).join(ContactPerson, ContactPerson.contact_id == Contact.id)
                                    .where(ContactPerson.person_id == c.children[0].person_id,
                                           Contact.consultation_id.is_(None)).limit(1))
        if contact_id is None:
            continue
        contact = session.get(Contact, contact_id)
        assert contact is not None
        made = c.at + timedelta(minutes=rng.randint(10, 90))
        contact.consultation_id, contact.channel, contact.created_at = c.id, "consultation", made
        c.became_contact = True

