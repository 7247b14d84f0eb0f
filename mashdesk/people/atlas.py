"""The Atlas team's markers on the known-child search's candidates ("Atlas: CCE, high"; the kind only where
a marker is restricted and the reader is not Atlas or police)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from mashdesk.atlas.reading import labels_of
from mashdesk.people.views import PersonMatch


def with_atlas(session: Session, matches: list[PersonMatch], role: str) -> list[PersonMatch]:
    labels = labels_of(session, [m.person_id for m in matches], role)
    return [replace(m, atlas=labels[m.person_id]) if m.person_id in labels else m for m in matches]
