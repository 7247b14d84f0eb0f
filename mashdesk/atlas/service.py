"""The Atlas team's units of work on markers: add, review (a new review date, perhaps a new level), end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from db.models import AtlasMarker, Person
from db.references import person_reference
from mashdesk.atlas.markers import KINDS, LEVELS, MarkerView
from mashdesk.atlas.reading import markers_of, view_of
from mashdesk.clock import LONDON
from mashdesk.context import Actor, Service
from mashdesk.errors import InputError
from mashdesk.atlas import markers as rules


@dataclass(frozen=True)
class MarkerInput:
    person_id: int
    kind: str
    level: str
    source: str
    noted_on: date
    review_on: date
    restricted: bool = False


class AtlasService(Service):
    """Markers on a person: read by those who may read the person, kept by the Atlas team."""

    def names(self, actor: Actor, person_ids: list[int]) -> list[tuple[int, str]]:
        """The people a marker may be put on, by name (for the Atlas team's choice)."""
        with self.read(actor, "atlas.read") as s:
            rows = s.execute(select(Person.id, Person.first_name, Person.last_name)
                             .where(Person.id.in_(person_ids))).all()
        found = {pid: f"{first} {last}" for pid, first, last in rows}
        return [(pid, found[pid]) for pid in person_ids if pid in found]

    def markers(self, actor: Actor, person_id: int) -> list[MarkerView]:
        """A person's markers: refused (audited) outside the reader's access rules (``mashdesk.access``)."""
        self.require_record(actor, "atlas.read", "person", person_id, person_reference(person_id))
        with self.read(actor, "atlas.read") as s:
            return markers_of(s, [person_id], actor.role).get(person_id, [])

    def add(self, actor: Actor, data: MarkerInput) -> int:
        today = self.ctx.now().astimezone(LONDON).date()
        rules.validate(data.kind, data.level, data.noted_on, data.review_on, today)
        if not data.source.strip():
            raise InputError("source: say where the intelligence comes from", "source")
        with self.write(actor, "atlas.manage", "marker") as w:
            person = w.get(Person, data.person_id, "person")
            m = AtlasMarker(person_id=person.id, kind=data.kind, level=data.level, source=data.source.strip(),
                            noted_on=data.noted_on, review_on=data.review_on, restricted=data.restricted,
                            created_by_id=actor.user_id, updated_by_id=actor.user_id)
            w.session.add(m)
            w.session.flush()
            w.audit("atlas_marker", m.id, f"{KINDS[data.kind][0]} marker ({data.level}) on "
                    f"{person_reference(person.id)}", person_id=person.id, kind=data.kind, level=data.level,
                    restricted=data.restricted)
            return m.id

    def review(self, actor: Actor, marker_id: int, expected_version: int, *, review_on: date,
               level: str | None = None) -> MarkerView:
        """Record a review: the next review date and, if it changed, the level of concern."""
        today = self.ctx.now().astimezone(LONDON).date()
        if review_on <= today:
            raise InputError("review date: the next review must be after today", "review_on")
        if level is not None and level not in LEVELS:
            raise InputError(f"level: {level!r} is not one of {', '.join(LEVELS)}", "level")
        with self.write(actor, "atlas.manage", "marker") as w:
            m = w.get_for_edit(AtlasMarker, marker_id, expected_version, "marker")
            m.review_on, m.reviewed_at = review_on, w.now
            if level is not None:
                m.level = level
            w.session.flush()
            w.audit("atlas_marker", m.id, f"reviewed: next review {review_on.isoformat()}",
                    level=m.level, review_on=review_on.isoformat())
            return view_of(m, actor.role)

    def end(self, actor: Actor, marker_id: int, expected_version: int) -> None:
        with self.write(actor, "atlas.manage", "marker") as w:
            m = w.get_for_edit(AtlasMarker, marker_id, expected_version, "marker")
            m.ended_on = w.now.astimezone(LONDON).date()
            w.session.flush()
            w.audit("atlas_marker", m.id, "marker ended")
