"""The missing section of the daily meeting's agenda: children missing now, and those returned without a
return home interview (a source for ``mashdesk.agenda``; it reads and never writes)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import MissingEpisode, Person
from db.references import missing_reference
from mashdesk.agenda import AgendaDay, AgendaItem
from mashdesk.missing.reading import clock_times, daily_filter
from mashdesk.missing.workflow import RISK_RANK, RISKS, clocks_for, hours_between

#: Roles that read the detail of a missing item (the rest see its section and reference).
DETAIL_ROLES = frozenset({"practitioner", "manager", "police", "atlas", "education", "health"})


def missing_items(session: Session, day: AgendaDay) -> list[AgendaItem]:
    """One item per child on the daily missing list as the meeting starts, the most pressing first."""
    at = day.starts_at
    pairs = session.execute(select(MissingEpisode, Person).join(Person, Person.id == MissingEpisode.person_id)
                            .where(daily_filter(at)).order_by(MissingEpisode.reported_at)).all()
    items = []
    for e, p in pairs:
        clocks = clocks_for(day.calendar, clock_times(e, at), at)
        breached = [c.name for c in clocks if c.state == "breached"]
        returned = e.returned_at is not None and e.returned_at <= at
        if returned:
            reason = (f"returned {hours_between(e.returned_at, at)} hours ago, "  # type: ignore[arg-type]
                      "no return home interview yet")
        else:
            reason = f"missing {hours_between(e.last_seen_at, at)} hours"
        reason += (", looked after" if e.looked_after else "") + f", {RISKS[e.risk].lower()} risk"
        if breached:
            reason += f"; BREACHED: {', '.join(breached)}"
        if e.atlas_review:
            reason += "; repeat missing, Atlas review"
        urgency = (0 if breached else 10) + (0 if not returned else 5) + RISK_RANK.get(e.risk, 3)
        items.append(AgendaItem(
            section="missing", kind="missing_episode", record_id=e.id, reference=missing_reference(e.id),
            title=f"{p.first_name} {p.last_name}", reason=reason, brought_by="atlas", urgency=urgency,
            involves_school=e.missing_from == "school", restricted_to=DETAIL_ROLES, person_ids=(p.id,)))
    items.sort(key=lambda i: (i.urgency, i.reference))
    return items
