"""The digest computed in SQL: one grouped query per measure covers both periods; the records behind a
figure are listed by the same conditions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import case, func, literal_column, select
from sqlalchemy.orm import Session

from db.models import Decision, ThresholdAssessment
from mashdesk.digest.measures import Measure, measure_for, measures, overridden, ruleset_of
from mashdesk.digest.views import Count, DrillRecord, FigureLine, OverrideReason
from mashdesk.digest.workflow import Period

#: The most records a drill-down lists (the figure still says how many there are).
DRILL_LIMIT = 5000


def _bounds(m: Measure, period: Period) -> tuple[Any, Any]:
    if m.dated:
        return period.first, period.last + timedelta(days=1)
    return period.start, period.end


def _counts(session: Session, m: Measure, period: Period, before: Period) -> dict[tuple[bool, str], Count]:
    """(in this period?, group) → the figure, from one query over both periods.

    The query groups by the figure's group alone and tells the periods apart by sums, so each group is
    one pass over the records (a grouping by period as well costs a sort of every record on SQLite)."""
    start, end = _bounds(m, period)
    first, _ = _bounds(m, before)
    counted = case((m.counted, 1), else_=0) if m.counted is not None else literal_column("0")
    group = m.group if m.group is not None else literal_column("''")
    inner = (select(case((m.at >= start, 1), else_=0).label("now"), group.label("g"), counted.label("c"))
             .select_from(m.source).where(m.at >= first, m.at < end, *m.where).subquery())
    now, c = inner.c.now, inner.c.c
    rows = session.execute(select(inner.c.g, func.count(), func.sum(now), func.sum(c), func.sum(now * c))
                           .group_by(inner.c.g)).all()
    out = {}
    for g, n, n_now, c_all, c_now in rows:
        n, n_now, c_all, c_now = int(n), int(n_now or 0), int(c_all or 0), int(c_now or 0)
        for here, total, value in ((True, n_now, c_now), (False, n - n_now, c_all - c_now)):
            if total:
                key = (here, "" if g is None else str(g))
                out[key] = Count(value, total) if m.counted is not None else Count(total)
    return out


def figure_lines(session: Session, period: Period, before: Period) -> list[FigureLine]:
    lines: list[FigureLine] = []
    for m in measures(session):
        found = _counts(session, m, period, before)
        empty = Count(0, 0) if m.counted is not None else Count(0)
        groups = {g for _, g in found} if m.group is not None else {""}
        ranked = [g for g in m.order if g in groups]
        ranked += sorted(groups - set(ranked), key=lambda g: (-found.get((True, g), empty).value, g))
        lines += [FigureLine(m.key_of(g or None), m.section, m.label(g), found.get((True, g), empty),
                             found.get((False, g), empty), (m.short or m.label)(g), m.charted) for g in ranked]
    return lines


def override_reasons(session: Session, period: Period, limit: int = 12) -> list[OverrideReason]:
    """The commonest reasons given for deciding otherwise than the ruleset suggested, in the period."""
    d, t = Decision, ThresholdAssessment
    version = ruleset_of(t)
    reason = func.coalesce(func.nullif(func.trim(d.override_reason), ""), "(no reason recorded)")
    rows = session.execute(
        select(version, reason, func.count()).select_from(d).join(t, t.id == d.assessment_id)
        .where(d.decided_at >= period.start, d.decided_at < period.end, overridden(d, t))
        .group_by(version, reason).order_by(func.count().desc(), version, reason).limit(limit)).all()
    return [OverrideReason(v, r, int(n)) for v, r, n in rows]


def drill(session: Session, key: str, period: Period) -> tuple[list[DrillRecord], int]:
    """The records behind the figure ``key`` in ``period`` (at most :data:`DRILL_LIMIT`), and how many."""
    m, group = measure_for(session, key)
    start, end = _bounds(m, period)
    where = [m.at >= start, m.at < end, *m.where]
    if m.group is not None:
        where.append(m.group == group)
    counted = case((m.counted, True), else_=False) if m.counted is not None else literal_column("NULL")
    contact = m.contact if m.contact is not None else literal_column("NULL")
    total = session.scalar(select(func.count()).select_from(m.source).where(*where)) or 0
    # For a share, the records that count come first.
    first = [counted.desc()] if m.counted is not None else []
    rows = session.execute(select(m.ident, contact, m.at, counted, *m.detail).select_from(m.source).where(*where)
                           .order_by(*first, m.at, m.ident).limit(DRILL_LIMIT)).all()
    records = []
    for ident, contact_id, at, flag, *detail in rows:
        ref = m.reference(contact_id if m.by_contact else ident)
        records.append(DrillRecord(m.kind, ident, contact_id, ref, at, m.describe(detail),
                                   None if m.counted is None else bool(flag)))
    return records, int(total)

