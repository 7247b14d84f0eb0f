"""The missing figures the performance digest uses, each computed in SQL over a period of reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, and_, case, func, select
from sqlalchemy.orm import Session

from db.models import MissingEpisode


@dataclass(frozen=True)
class MissingFigures:
    episodes: int
    looked_after: int
    not_looked_after: int
    #: Looked-after episodes, and those with a strategy discussion convened within 24 hours of the report.
    strategy_due: int
    strategy_within_24h: int
    #: Episodes with a return, those offered a return home interview within 72 hours, and those accepted.
    returned: int
    rhi_offered_within_72h: int
    rhi_accepted: int
    #: Episodes that raised an Atlas review (repeat missing).
    atlas_reviews: int

    @staticmethod
    def share(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def strategy_share(self) -> float | None:
        return self.share(self.strategy_within_24h, self.strategy_due)

    @property
    def rhi_offered_share(self) -> float | None:
        return self.share(self.rhi_offered_within_72h, self.returned)

    @property
    def rhi_accepted_share(self) -> float | None:
        return self.share(self.rhi_accepted, self.returned)


def _count(condition: object) -> object:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0).cast(Integer)  # type: ignore[arg-type]


def missing_figures(session: Session, start: datetime, end: datetime) -> MissingFigures:
    """Figures over the episodes reported in [start, end)."""
    e = MissingEpisode
    row = session.execute(select(
        func.count(e.id),
        _count(e.looked_after.is_(True)),
        _count(e.looked_after.is_(True)),
        _count(and_(e.looked_after.is_(True), e.strategy_at.is_not(None), e.strategy_at <= e.strategy_due_at)),
        _count(e.returned_at.is_not(None)),
        _count(and_(e.rhi_offered_at.is_not(None), e.rhi_offered_at <= e.rhi_due_at)),
        _count(e.rhi_response == "accepted"),
        _count(e.atlas_review.is_(True)),
    ).where(e.reported_at >= start, e.reported_at < end)).one()
    total, lac, due, within, returned, offered, accepted, atlas = (int(v or 0) for v in row)
    return MissingFigures(total, lac, total - lac, due, within, returned, offered, accepted, atlas)
