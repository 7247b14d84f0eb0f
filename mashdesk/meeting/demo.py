"""Demo data for the daily meeting: Atlas markers on some children, and the meetings of the last 30 working
days with attendance, decisions and actions (some still open, a few overdue). Today's meeting is left to hold.

Deterministic from ``rng``; called by ``mashdesk.demo.build_demo`` after the journeys are written.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AtlasMarker, Contact, ContactPerson, DailyMeeting, MeetingAction, MeetingItem, Person, Referrer
from db.references import contact_reference, person_reference
from mashdesk.calendar import WorkingCalendar
from mashdesk.atlas.markers import KINDS as MARKER_KINDS
from mashdesk.clock import LONDON
from mashdesk.meeting.workflow import meeting_starts

DAYS = 30
ATTENDANCE = {"mash": "Daniel Okafor", "police": "DC Laura Hughes", "health": "Grace Mensah",
              "education": "Tom Whitfield", "atlas": "Jordan Reid", "edt": "Sam Patel", "early_help": "Rachel Green"}
KINDS = [("cce", 5), ("cse", 4), ("county_lines", 3), ("missing", 4), ("gang", 2), ("syv", 2), ("trafficking", 1)]
SOURCES = ["Police intelligence report", "Return home interview", "School safeguarding lead",
           "Youth Offending Service", "Atlas outreach worker", "Partner agency referral"]
KIND_LABELS = {code: short for code, (short, _) in MARKER_KINDS.items()}
DECISIONS = [("monitor", 5), ("agency_check", 3), ("strategy", 2), ("assessment", 2), ("step_down", 2), ("nfa", 3)]
NOTES = {
    "monitor": "Known to the Atlas team; share any new intelligence at tomorrow's meeting.",
    "agency_check": "Police and health to complete checks today; school to confirm attendance.",
    "strategy": "Threshold met for a strategy discussion; convene today with police and health.",
    "assessment": "Refer for a single assessment; allocate to the assessment team.",
    "step_down": "Needs are at level 2: step down to Early Help with the family's consent.",
    "nfa": "Information and advice given to the referrer; no further action for the MASH.",
}
ACTIONS = [
    ("education", "School to confirm attendance and share any concerns with the MASH"),
    ("police", "Share the incident log and any intelligence on the address"),
    ("health", "Health visitor to check the family's registration and last contact"),
    ("mash", "Speak to the referrer and update the contact record"),
    ("atlas", "Offer a return home interview and update the Atlas markers"),
]


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]


def seed_demo(session: Session, *, rng: random.Random, now: datetime, calendar: WorkingCalendar,
              user_ids: dict[str, int]) -> None:
    today = now.astimezone(LONDON).date()
    marked = _markers(session, rng, now, today, user_ids["demo.atlas"])
    day, days = today, []
    while len(days) < DAYS:
        day = calendar.previous_working_day(day)
        days.append(day)
    for day in reversed(days):
        _meeting(session, rng, calendar, day, today, user_ids, marked)
    session.flush()


def _markers(session: Session, rng: random.Random, now: datetime, today: date,
             atlas_id: int) -> list[tuple[int, str]]:
    """Markers on some older children; returns (person id, "Atlas: KIND") of the markers noted earlier."""
    children = session.scalars(
        select(Person.id).join(ContactPerson, ContactPerson.person_id == Person.id)
        .where(ContactPerson.role == "child", Person.date_of_birth <= today - timedelta(days=11 * 365),
               Person.date_of_birth > today - timedelta(days=18 * 365))
        .distinct().order_by(Person.id).limit(4000)).all()
    chosen = rng.sample(children, min(len(children), max(12, len(children) // 40)))
    marked = []
    for n, person_id in enumerate(chosen):
        noted = today - timedelta(days=rng.randint(3, 200))
        created = datetime.combine(noted, datetime.min.time(), tzinfo=LONDON) + timedelta(hours=11)
        if n < 3:  # newly flagged since yesterday's meeting
            noted, created = today, now - timedelta(hours=rng.randint(1, 12))
        review = today + timedelta(days=rng.randint(7, 120))
        if n % 9 == 4:  # a review that has come due
            review = today - timedelta(days=rng.randint(0, 10))
        kind = _pick(rng, KINDS)
        session.add(AtlasMarker(
            person_id=person_id, kind=kind, level=rng.choice(["high", "medium", "medium", "low"]),
            source=rng.choice(SOURCES), noted_on=min(noted, review - timedelta(days=1)), review_on=review,
            restricted=rng.random() < 0.2, created_at=created, created_by_id=atlas_id, is_demo=True,
            updated_by_id=atlas_id))
        if n >= 3:
            marked.append((person_id, kind))
    return marked


def _meeting(session: Session, rng: random.Random, calendar: WorkingCalendar, day: date, today: date,
             users: dict[str, int], marked: list[tuple[int, str]]) -> None:
    starts = meeting_starts(calendar, day)
    since = meeting_starts(calendar, calendar.previous_working_day(day))
    rows = session.execute(
        select(Contact.id, Contact.rag, Contact.children_display, Contact.cin_source, Contact.source_display,
               Referrer.organisation)
        .outerjoin(Referrer, Referrer.id == Contact.referrer_id)
        .where(Contact.rag_rank.in_((0, 1)), Contact.received_at >= since, Contact.received_at < starts)
        .order_by(Contact.rag_rank, Contact.received_at).limit(8)).all()
    attendance = {k: v for k, v in ATTENDANCE.items() if k in ("mash", "police", "health") or rng.random() < 0.8}
    m = DailyMeeting(meeting_date=day, chair_id=users["demo.manager"], status="closed", opened_at=starts,
                     closed_at=starts + timedelta(minutes=rng.randint(35, 70)), closed_by_id=users["demo.manager"],
                     attendance=attendance, attendees="; ".join(f"{k}: {v}" for k, v in attendance.items()),
                     is_demo=True, updated_by_id=users["demo.manager"], created_at=starts, updated_at=starts)
    session.add(m)
    session.flush()
    for position, r in enumerate(rows):
        decision = _pick(rng, DECISIONS)
        school = r.organisation if r.cin_source == "2A" else None
        item = MeetingItem(
            meeting_id=m.id, position=position, section="new_contacts", kind="contact", record_id=r.id,
            reference=contact_reference(r.id), title=r.children_display[:300],
            reason=f"{r.rag} contact from {r.source_display}", brought_by="education" if school else "mash",
            urgency=0 if r.rag == "red" else 1, involves_school=r.cin_source in ("2A", "2B"), school=school,
            restricted_to=[], person_ids=[], note=NOTES[decision], decision=decision, decided_at=starts,
            decided_by_id=users["demo.manager"], updated_by_id=users["demo.manager"], created_at=starts,
            updated_at=starts)
        session.add(item)
        session.flush()
        if rng.random() < 0.45 or school:
            agency, text = ACTIONS[0] if school else rng.choice(ACTIONS[1:])
            _action(session, rng, calendar, m, item, day, today, users, agency, text, school)
    if marked:  # the Atlas team brings a child it has flagged
        person_id, kind = rng.choice(marked)
        name = session.execute(select(Person.first_name, Person.last_name).where(Person.id == person_id)).one()
        item = MeetingItem(
            meeting_id=m.id, position=len(rows), section="atlas", kind="person", record_id=person_id,
            reference=person_reference(person_id), title=f"{name[0]} {name[1]}",
            reason=f"Atlas: {KIND_LABELS[kind]}: intelligence shared by the Atlas team", brought_by="atlas",
            urgency=1, involves_school=False, restricted_to=[], person_ids=[person_id],
            note="Atlas worker to offer a return home interview; police to share intelligence on associates.",
            decision="monitor", decided_at=starts, decided_by_id=users["demo.manager"],
            updated_by_id=users["demo.manager"], created_at=starts, updated_at=starts)
        session.add(item)
        session.flush()
        _action(session, rng, calendar, m, item, day, today, users, *ACTIONS[4], None)


def _action(session: Session, rng: random.Random, calendar: WorkingCalendar, m: DailyMeeting, item: MeetingItem,
            day: date, today: date, users: dict[str, int], agency: str, text: str, school: str | None) -> None:
    due = calendar.working_days_after(day, rng.choice([1, 1, 2, 3]))
    owner_user = {"police": "demo.police", "health": "demo.health", "mash": "demo.practitioner",
                  "atlas": "demo.atlas"}.get(agency)
    done = due < today and rng.random() < 0.85
    owner = f"education: {school}" if school else {
        "police": "DC Laura Hughes", "health": "Grace Mensah", "mash": "Priya Sharma",
        "atlas": "Jordan Reid"}[agency]
    stamp = m.opened_at
    session.add(MeetingAction(
        meeting_id=m.id, item_id=item.id, contact_id=item.record_id if item.kind == "contact" else None,
        action=text, owner=owner[:120],
        owner_user_id=users[owner_user] if owner_user and not school else None, owner_agency=agency,
        school=school, due=due, status="done" if done else "open",
        done_at=datetime.combine(due, datetime.min.time(), tzinfo=LONDON) + timedelta(hours=15) if done else None,
        done_note="Done: shared with the MASH." if done else None,
        done_by_id=users[owner_user] if done and owner_user else users["demo.education"] if done else None,
        added_at=stamp, added_by_id=users["demo.manager"], addendum=False, updated_by_id=users["demo.manager"],
        created_at=stamp, updated_at=stamp))
