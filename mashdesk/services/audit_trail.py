"""Checking, checkpointing and exporting the audit trail: what ``mashdesk audit`` and the scheduler call."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from db import fastsql
from mashdesk import audit, audit_checkpoints, validators
from mashdesk.audit_checkpoints import Checkpoint
from mashdesk.clock import LONDON
from mashdesk.context import Actor, AppContext, Service
from mashdesk.documents.delivery import DocumentDelivery, DocumentOf
from mashdesk.errors import InputError, MashDeskError
from mashdesk.notices import Notice


class AuditTrailService(Service):
    def verify(self, actor: Actor) -> audit.VerifyResult:
        """Check every link and MAC and hold the trail against its latest signed checkpoint; a trail
        found intact is checkpointed again, so a later cut is caught."""
        keys = self.ctx.audit_keys
        latest = audit_checkpoints.latest(keys, self.ctx.url)
        with self.read(actor, "audit.read") as s:
            result = audit.verify(s, keys, latest.checkpoint)
        if result.ok and latest.problem:
            return audit.VerifyResult(False, result.checked, None, latest.problem, result.legacy, result.checkpoint)
        if result.ok:
            self._write_checkpoint(result.checked, result.head, result.last_id, "verify")
        return result

    def checkpoint(self, reason: str) -> Checkpoint:
        """A signed checkpoint of the trail as committed now (the scheduler's daily one, an export's)."""
        with self.ctx.direct() as conn:
            count = int(conn.scalar(fastsql.AUDIT_COUNT) or 0)
            row = conn.one(fastsql.AUDIT_LAST)
            conn.finish_read()
        head, last_id = (row[1], int(row[0])) if row else (audit.GENESIS, None)
        return self._write_checkpoint(count, head, last_id, reason)

    def _write_checkpoint(self, count: int, head: str, last_id: int | None, reason: str) -> Checkpoint:
        return audit_checkpoints.write(self.ctx.audit_keys, self.ctx.url, count=count, head=head,
                                       last_id=last_id, at=self.ctx.now(), reason=reason)

    def export(self, actor: Actor, start: date, end: date, out: str | Path) -> dict[str, Any]:
        """A signed extract of the entries from ``start`` to ``end`` (London days) for an investigation."""
        if end < start:
            raise InputError("to: the end date is before the start date", "to")
        target = Path(out)
        if not target.parent.is_dir():
            raise InputError(f"out: the folder {validators.cut(str(target.parent))!r} does not exist", "out")
        since = datetime.combine(start, time(0), LONDON).astimezone(UTC)
        until = datetime.combine(end, time(23, 59, 59, 999999), LONDON).astimezone(UTC)
        keys = self.ctx.audit_keys
        with self.read(actor, "audit.read") as s:
            from sqlalchemy import select

            from db.models import AuditEvent

            rows = s.scalars(select(AuditEvent).where(AuditEvent.at >= since, AuditEvent.at <= until)
                             .order_by(AuditEvent.id)).all()
            entries = [{"id": e.id, "at": e.at.isoformat(), "user_id": e.user_id, "username": e.username,
                        "action": e.action, "entity": e.entity, "entity_id": e.entity_id, "summary": e.summary,
                        "detail": e.detail, "prev_hash": e.prev_hash, "hash": e.hash, "scheme": e.scheme}
                       for e in rows]
        body = {"kind": "MASH Desk audit extract", "from": start.isoformat(), "to": end.isoformat(),
                "exported_at": self.ctx.now().astimezone(UTC).isoformat(), "exported_by": actor.username,
                "entries": entries, "key": keys.fingerprint,
                "public_key": keys.public_key.public_bytes_raw().hex()}
        message = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        signed = {**body, "signature": keys.sign(message)}
        data = json.dumps(signed, indent=1, ensure_ascii=False).encode("utf-8")
        extract = DocumentOf("audit_events", None, f"the audit extract {start} to {end}",
                             save_action="audit.export", print_action="audit.export",
                             detail={"entries": len(entries)})
        DocumentDelivery(self.ctx).save_file(actor, extract, data, target)
        self.checkpoint("export")
        return {"out": str(target), "entries": len(entries), "sha256": hashlib.sha256(data).hexdigest()}


def checkpoint_job(ctx: AppContext, actor: Actor, now: datetime) -> list[Notice]:
    """The daily signed checkpoint (and one when a desk starts); a notice only if it cannot be written."""
    try:
        AuditTrailService(ctx).checkpoint("daily")
    except (OSError, MashDeskError) as exc:
        return [Notice(f"audit-checkpoint-{now:%Y%m%d}", "breached", "Audit checkpoint not written",
                       f"The audit trail's daily checkpoint could not be written: {str(exc)[:160]}. "
                       "Tell your administrator.")]
    return []
