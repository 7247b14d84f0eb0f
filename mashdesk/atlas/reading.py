"""Reading markers in a session the caller holds: for the search result, the contact, the agenda."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AtlasMarker
from mashdesk.atlas.markers import LEVEL_RANK, MarkerView, may_read_detail


def view_of(m: AtlasMarker, role: str) -> MarkerView:
    detail = may_read_detail(role, m.restricted)
    return MarkerView(
        id=m.id, person_id=m.person_id, kind=m.kind, level=m.level if detail else None,
        source=m.source if detail else None, noted_on=m.noted_on, review_on=m.review_on if detail else None,
        restricted=m.restricted, withheld=not detail, version=m.version)


def markers_of(session: Session, person_ids: Iterable[int], role: str) -> dict[int, list[MarkerView]]:
    """Each person's current markers (not ended) as ``role`` may see them, the highest concern first."""
    ids = sorted(set(person_ids))
    out: dict[int, list[MarkerView]] = defaultdict(list)
    if not ids:
        return out
    rows = session.scalars(select(AtlasMarker).where(AtlasMarker.person_id.in_(ids),
                                                     AtlasMarker.ended_on.is_(None)))
    for m in sorted(rows, key=lambda m: (LEVEL_RANK.get(m.level, 9), m.kind, m.id)):
        out[m.person_id].append(view_of(m, role))
    return out


def labels_of(session: Session, person_ids: Iterable[int], role: str) -> dict[int, tuple[str, ...]]:
    """"Atlas: CCE, high" lines per person, as ``role`` may see them."""
    return {pid: tuple(v.label for v in views) for pid, views in markers_of(session, person_ids, role).items()}
