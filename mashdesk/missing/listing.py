"""Reading missing episodes through the service, and the director's daily list: PDF and CSV."""

from __future__ import annotations

import csv
import io
import os
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from db.models import MissingEpisode, Person
from db.references import missing_reference
from mashdesk.calendar import WorkingCalendar
from mashdesk.context import Actor, Service
from mashdesk.documents.delivery import DocumentDelivery, DocumentOf
from mashdesk.documents.output import fingerprint
from mashdesk.errors import InputError, NotFound
from mashdesk.missing.reading import as_at_of, daily_filter, episode_detail, episode_rows, list_filter
from mashdesk.missing.views import ChildFacts, MissingDetail, MissingList, MissingRow
from mashdesk.missing.workflow import MISSING_FROM, REPEAT_WINDOW, RISKS, STATUSES

CSV_HEADER = ("reference", "child", "age", "status", "looked_after", "risk", "missing_from", "last_seen",
              "reported", "returned", "hours_missing", "strategy_24h", "escalation_72h", "rhi_72h",
              "police_reference", "last_update", "last_update_at", "atlas_review")


class MissingReads(Service):
    """Reading episodes and the daily list (the writes are in ``service.MissingService``)."""

    @property
    def calendar(self) -> WorkingCalendar:
        return self.ctx.calendar

    def daily_list(self, actor: Actor, day: date | None = None) -> MissingList:
        """Every child missing at the day's moment, and those returned in the 72 hours before it without
        a return home interview (today: now; an earlier day: its end)."""
        now = self.ctx.now()
        day = day or self.calendar.localize(now).date()
        as_at = as_at_of(self.calendar, day, now)
        with self.read(actor, "missing.read") as s:
            rows = episode_rows(s, self.calendar, actor, [daily_filter(as_at)], as_at)
        self.audit_read(actor, "missing.read", "missing_list_view", None,
                        f"built the daily list of missing children for {day:%d %b %Y}",
                        people=sorted({r.person_id for r in rows}),
                        episodes=[r.id for r in rows])
        return MissingList(day=day, as_at=as_at, missing=tuple(r for r in rows if r.status == "missing"),
                           returned=tuple(r for r in rows if r.status != "missing"),
                           prepared_for=f"{actor.display_name} ({actor.role_name})")

    def rows(self, actor: Actor, key: str = "daily") -> list[MissingRow]:
        """The Missing view's list ``key`` (``reading.LISTS``) as at now."""
        now = self.ctx.now()
        with self.read(actor, "missing.read") as s:
            return episode_rows(s, self.calendar, actor, list_filter(key, now), now)

    def get(self, actor: Actor, episode_id: int, audit_open: bool = True) -> MissingDetail:
        """One episode (every opening audited; ``audit_open=False``: a re-read of the one shown)."""
        now = self.ctx.now()
        with self.read(actor, "missing.read") as s:
            detail = episode_detail(s, self.calendar, actor, episode_id, now)
        if audit_open:
            self.audit_read(actor, "missing.read", "missing_episode", episode_id,
                            f"opened missing episode {missing_reference(episode_id)}")
        return detail

    def child_facts(self, actor: Actor, person_id: int) -> ChildFacts:
        """What the record says about a child before a report is made: looked after, recent episodes."""
        now = self.ctx.now()
        with self.read(actor, "missing.read") as s:
            person = s.get(Person, person_id)
            if person is None:
                raise NotFound(f"child: no child with reference {person_id} is known")
            latest = s.execute(select(MissingEpisode.looked_after).where(MissingEpisode.person_id == person_id)
                               .order_by(MissingEpisode.reported_at.desc()).limit(1)).first()
            recent = s.scalar(select(func.count()).select_from(MissingEpisode).where(
                MissingEpisode.person_id == person_id, MissingEpisode.reported_at > now - REPEAT_WINDOW)) or 0
            open_id = s.scalar(select(MissingEpisode.id).where(MissingEpisode.person_id == person_id,
                                                              MissingEpisode.status == "missing"))
        return ChildFacts(person_id, f"{person.first_name} {person.last_name}",
                          latest[0] if latest else None, recent, missing_reference(open_id) if open_id else None)

    # -- the director's daily list ------------------------------------------------------------------
    @staticmethod
    def list_pdf(lst: MissingList) -> bytes:
        from mashdesk.missing.documents import build_missing_list  # ReportLab loads when a list is built

        return build_missing_list(lst)

    @staticmethod
    def list_of(lst: MissingList) -> DocumentOf:
        return DocumentOf("missing_list", None, f"the daily list of missing children for {lst.day:%d %b %Y}",
                          save_action="missing.list_save", print_action="missing.list_print",
                          detail={"episodes": [r.id for r in lst.rows], "day": lst.day.isoformat()})

    def save_list(self, actor: Actor, lst: MissingList, path: str | Path) -> Path:
        """Save the list as a PDF or a CSV file (by its ending), audited with its SHA-256."""
        target = Path(path)
        if target.suffix.lower() == ".pdf":
            return DocumentDelivery(self.ctx).save(actor, self.list_of(lst), self.list_pdf(lst), target)
        if target.suffix.lower() != ".csv":
            raise InputError(f"out: {target.name} must end in .pdf or .csv", "out")
        if not target.parent.is_dir():
            raise InputError(f"out: the folder {target.parent} does not exist", "out")
        data = list_csv(lst, self.calendar).encode("utf-8")
        doc = self.list_of(lst)
        part = target.with_name(f".{target.name}.{os.getpid()}.part")
        with self.write(actor, doc.save_action, doc.entity) as w:
            part.write_bytes(data)
            try:
                w.audit(doc.entity, None, f"saved {doc.title} to file {target.name}", outcome="saved to file",
                        path=str(target), bytes=len(data), sha256=fingerprint(data), **doc.detail)
                os.replace(part, target)
            finally:
                part.unlink(missing_ok=True)
        return target

    def record_list_printed(self, actor: Actor, lst: MissingList, pdf: bytes, printer: str) -> None:
        DocumentDelivery(self.ctx).printed(actor, self.list_of(lst), pdf, printer)


def list_csv(lst: MissingList, calendar: WorkingCalendar) -> str:
    def when(value: object) -> str:
        return calendar.localize(value).strftime("%Y-%m-%d %H:%M") if value else ""  # type: ignore[arg-type]

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for r in lst.rows:
        clocks = {c.kind: c.label.split(": ", 1)[1] for c in r.clocks}
        writer.writerow([
            r.reference, r.child, "" if r.age is None else r.age, STATUSES[r.status],
            "yes" if r.looked_after else "no", RISKS[r.risk], MISSING_FROM[r.missing_from], when(r.last_seen_at),
            when(r.reported_at), when(r.returned_at), r.hours_missing,
            clocks.get("missing_from_care_strategy", "n/a"), clocks.get("missing_escalation", ""),
            clocks.get("missing_return_interview", ""), r.police_reference, r.last_update, when(r.last_update_at),
            "yes" if r.atlas_review else "no"])
    return out.getvalue()
