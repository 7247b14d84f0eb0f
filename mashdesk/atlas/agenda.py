"""The Atlas team's section of the daily meeting: children newly flagged, and markers past their review date.

The reason names each marker's kind only where it is restricted ("Atlas: CCE (restricted)"); the meeting
shows each reader the markers as that reader may see them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.models import AtlasMarker, Person
from db.references import person_reference
from mashdesk.agenda import AgendaDay, AgendaItem
from mashdesk.atlas.markers import LEVEL_RANK
from mashdesk.atlas.reading import view_of
from mashdesk.clock import LONDON


def atlas_items(session: Session, day: AgendaDay) -> Iterator[AgendaItem]:
    """One item per child: markers added since the last meeting, and markers due for review by today."""
    since = day.since or datetime.combine(day.day, datetime.min.time(), tzinfo=LONDON)
    rows = session.execute(
        select(AtlasMarker, Person.first_name, Person.last_name)
        .join(Person, Person.id == AtlasMarker.person_id)
        .where(AtlasMarker.ended_on.is_(None),
               or_(AtlasMarker.review_on <= day.day,
                   (AtlasMarker.created_at >= since) & (AtlasMarker.created_at < day.starts_at)))
    ).all()
    by_person: dict[int, list[tuple[AtlasMarker, str]]] = defaultdict(list)
    for marker, first, last in rows:
        by_person[marker.person_id].append((marker, f"{first} {last}"))
    for person_id, found in by_person.items():
        reasons, urgency = [], 9
        for marker, _ in sorted(found, key=lambda f: LEVEL_RANK.get(f[0].level, 9)):
            label = view_of(marker, "").label
            new = since <= marker.created_at < day.starts_at
            reasons.append(f"{label}: " + ("newly flagged" if new else f"review due {_day(marker.review_on)}"))
            urgency = min(urgency, LEVEL_RANK.get(marker.level, 3) + (0 if new else 3))
        yield AgendaItem(
            section="atlas", kind="person", record_id=person_id, reference=person_reference(person_id),
            title=found[0][1], reason="; ".join(reasons), brought_by="atlas", urgency=urgency,
            person_ids=(person_id,))


def _day(value: date) -> str:
    return value.strftime("%d %b %Y")
