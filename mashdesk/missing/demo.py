"""Demo missing episodes: a realistic spread over the last 12 months, deterministic from the seed.

A few children are missing now (one looked after, past the 24-hour clock; one past 72 hours), some came back
in the last days without a return home interview yet, and a handful of teenagers go missing again and again
(the third episode in 90 days raises an Atlas review). Clocks, breaches and the interview follow the same
workflow functions as the service.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import MissingEpisode, MissingUpdate, Person
from mashdesk.calendar import WorkingCalendar
from mashdesk.missing.workflow import ClockTimes, breaches_due, due_times, is_repeat, rhi_due

PLACES = ["Orpington station", "a friend's flat in Penge", "Bromley South bus station", "Croydon town centre",
          "a park in Beckenham", "an address in Lewisham", "McDonald's, Bromley High Street", "Crystal Palace"]
CIRCUMSTANCES = [
    "Did not return to the placement after school; phone switched off.",
    "Left home after an argument with mother; took a bag of clothes.",
    "Left school at lunchtime with older peers; not seen since.",
    "Went out at 19:00 saying they were meeting a friend; did not come home.",
    "Absconded from the residential home overnight; staff found the window open.",
]
ASSOCIATES = ["Older males in a grey car seen near the home", "Friends at the Chislehurst skate park",
              "Known to associate with a 19-year-old male (Atlas intelligence)", "Boyfriend in Lewisham", ""]
SIGHTINGS = ["Seen by a carer's neighbour near {place}", "Snapchat post placing the child at {place}",
             "Friend says the child stayed at {place} last night"]
POLICE = ["Police graded the risk as {risk}; PNC circulated", "ANPR hit on the associate's car near {place}",
          "Officers attended {place}; child not found"]
FINDINGS = ["Stayed with a friend; no exploitation indicators; agreed a safety plan with carers.",
            "Said they were with an older boyfriend or girlfriend; concerns shared with Atlas and police.",
            "Had been at a party; disclosed cannabis use; referred to the young people's substance service.",
            "Talked about conflict at home; family support offered."]


def _teenagers(session: Session, now: datetime, limit: int = 400) -> list[tuple[int, date | None]]:
    today = now.date()
    oldest, youngest = today.replace(year=today.year - 17), today.replace(year=today.year - 11)
    return list(session.execute(select(Person.id, Person.date_of_birth).where(
        Person.is_demo.is_(True), Person.date_of_birth >= oldest, Person.date_of_birth <= youngest)
        .order_by(Person.id).limit(limit)).all())


def seed_demo(session: Session, *, rng: random.Random, now: datetime, calendar: WorkingCalendar,
              user_ids: dict[str, int]) -> int:
    """Add the demo's missing episodes; returns how many."""
    children = [pid for pid, _ in _teenagers(session, now)]
    if not children:
        return 0
    atlas, manager = user_ids.get("demo.atlas"), user_ids.get("demo.manager")
    plans: list[tuple[int, datetime, bool, str]] = []  # (child, reported, looked after, "now"/"returned"/"past")
    repeaters = rng.sample(children, min(5, len(children)))
    for child in repeaters:  # repeat missing teenagers: 3–5 episodes, some within 90 days of each other
        looked_after = rng.random() < 0.6
        start = now - timedelta(days=rng.randint(120, 330))
        for _ in range(rng.randint(3, 5)):
            if start < now - timedelta(days=10):
                plans.append((child, start, looked_after, "past"))
            start += timedelta(days=rng.randint(8, 40), hours=rng.randint(0, 23))
    others = [c for c in children if c not in repeaters]
    rng.shuffle(others)
    for child in others[:40]:
        plans.append((child, now - timedelta(days=rng.randint(10, 360), hours=rng.randint(0, 23)),
                      rng.random() < 0.35, "past"))
    # Missing now: a looked-after child past 24 hours, one past 72 hours, two recent; returned, no RHI yet.
    current = others[40:46] or children[:6]
    for child, hours, lac, state in zip(current, (30, 80, 6, 14, 40, 20), (True, False, True, False, True, False),
                                        ("now", "now", "now", "now", "returned", "returned"), strict=False):
        plans.append((child, now - timedelta(hours=hours), lac, state))
    plans.sort(key=lambda p: p[1])
    history: dict[int, list[datetime]] = {}
    for child, reported, looked_after, state in plans:
        e = _episode(rng, calendar, now, child, reported, looked_after, state, history.get(child, []),
                     atlas, manager)
        session.add(e)
        history.setdefault(child, []).append(reported)
    session.flush()
    return len(plans)


def _episode(rng: random.Random, calendar: WorkingCalendar, now: datetime, child: int, reported: datetime,
             looked_after: bool, state: str, earlier: list[datetime], atlas: int | None,
             manager: int | None) -> MissingEpisode:
    risk = rng.choices(["high", "medium", "low"], weights=(2, 5, 3))[0]
    place = rng.choice(PLACES)
    strategy_due, escalation_due = due_times(calendar, reported, looked_after)
    e = MissingEpisode(
        person_id=child, last_seen_at=reported - timedelta(hours=rng.randint(1, 6)), reported_at=reported,
        missing_from="care_placement" if looked_after else rng.choice(["home", "home", "school", "other"]),
        looked_after=looked_after, police_reference=f"MPS-{reported:%y}-{rng.randint(1000, 9999)}", risk=risk,
        circumstances=rng.choice(CIRCUMSTANCES), associates=rng.choice(ASSOCIATES), status="missing",
        strategy_due_at=strategy_due, escalation_due_at=escalation_due, atlas_review=is_repeat(earlier, reported),
        recorded_by_id=atlas, is_demo=True, version=1, created_at=reported, updated_at=reported)
    updates = [MissingUpdate(at=reported, happened_at=reported, by_id=atlas, kind="note",
                             text=f"Reported missing; risk {risk}" + ("; looked after" if looked_after else ""))]
    if e.atlas_review:
        updates.append(MissingUpdate(at=reported, by_id=atlas, kind="atlas_review",
                                     text="Repeat missing: the third episode in 90 days. Atlas team to review."))
    hours_out = {"now": (now - reported).total_seconds() / 3600,
                 "returned": rng.uniform(8, 20)}.get(state, rng.choice([5, 9, 16, 30, 50, 90]))
    for h in sorted(rng.sample(range(1, max(2, int(hours_out))), min(2, max(1, int(hours_out) - 1)))):
        at = reported + timedelta(hours=h)
        template = rng.choice(SIGHTINGS + POLICE)
        updates.append(MissingUpdate(at=at, happened_at=at, by_id=atlas, kind="police" if template in POLICE
                                     else "sighting", text=template.format(place=place, risk=risk)))
    if looked_after and rng.random() < 0.85 and not (state == "now" and hours_out > 24):
        e.strategy_at = reported + timedelta(hours=rng.choice([3, 8, 18, 22, 27]))
        if e.strategy_at > now:
            e.strategy_at = None
    if hours_out > 72 and rng.random() < 0.8:
        e.escalated_at = min(now, reported + timedelta(hours=rng.choice([70, 73, 76])))
        e.escalated_to, e.escalated_by_id = "Head of Service, Children's Social Care", manager
        updates.append(MissingUpdate(at=e.escalated_at, by_id=manager, kind="escalated",
                                     text="Escalated to the Head of Service"))
    if state != "now":
        e.status, e.returned_at = "returned", reported + timedelta(hours=hours_out)
        e.returned_where, e.returned_by = place, rng.choice(["Police", "Foster carer", "Mother", "Came back alone"])
        e.harmed = rng.choices(["no", "unknown", "yes"], weights=(7, 2, 1))[0]
        e.rhi_due_at = rhi_due(calendar, e.returned_at)
        updates.append(MissingUpdate(at=e.returned_at, happened_at=e.returned_at, by_id=atlas, kind="returned",
                                     text=f"Found at {place} by {e.returned_by.lower()}"))
        if state == "past":
            _interview(rng, e, atlas, updates)
    if state == "returned" and looked_after:
        e.rhi_offered_at = e.returned_at + timedelta(hours=20)  # type: ignore[operator]
        updates.append(MissingUpdate(at=e.rhi_offered_at, by_id=atlas, kind="rhi_offered",
                                     text="Return home interview offered"))
    times = ClockTimes(e.reported_at, looked_after, e.returned_at, e.strategy_due_at, e.strategy_at, False,
                       e.escalation_due_at, e.escalated_at, False, e.rhi_due_at, e.rhi_offered_at, False)
    for flag, breached in breaches_due(times, now).items():
        setattr(e, flag, breached)
    for u in updates:
        u.by_id = u.by_id or atlas
    e.updates = sorted(updates, key=lambda u: u.at)
    return e


def _interview(rng: random.Random, e: MissingEpisode, atlas: int | None, updates: list[MissingUpdate]) -> None:
    """The return home interview of an episode in the past: offered (94% within 72 hours), then answered."""
    assert e.returned_at is not None
    e.rhi_offered_at = e.returned_at + timedelta(hours=rng.choice([6, 20, 30, 48, 60] * 3 + [80]))
    updates.append(MissingUpdate(at=e.rhi_offered_at, by_id=atlas, kind="rhi_offered",
                                 text="Return home interview offered"))
    e.rhi_response_at = e.rhi_offered_at + timedelta(hours=rng.randint(1, 24))
    if rng.random() < 0.75:
        e.rhi_response = "accepted"
        e.rhi_done_at = e.rhi_response_at + timedelta(hours=rng.randint(4, 48))
        e.rhi_done_by, e.rhi_findings = "Jordan Reid (Atlas)", rng.choice(FINDINGS)
        updates.append(MissingUpdate(at=e.rhi_done_at, by_id=atlas, kind="rhi_done",
                                     text=f"Interview done: {e.rhi_findings}"))
    else:
        e.rhi_response = "declined"
        updates.append(MissingUpdate(at=e.rhi_response_at, by_id=atlas, kind="rhi_answer",
                                     text="Interview declined; information shared with the social worker"))
    e.status = "closed"
