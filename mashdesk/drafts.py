"""Autosaved drafts: a form being typed survives a crash or a closed window.

A draft belongs to one user and one form (and the record it edits, "new" for a
record not yet saved). It is saved only when its content changed; like every write
it is audited (the audit records that a draft was kept, not what it says).

While the database cannot be reached, a draft is kept in a file of the user's data folder
instead (``drafts/``, readable by that user only), offered back from there, and moved into the
database by the next save once it is back: nothing typed during an outage is lost.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select

from db.models import Draft
from mashdesk.context import Actor, Service
from mashdesk.errors import DatabaseUnavailable
from mashdesk.paths import data_dir


@dataclass(frozen=True)
class SavedDraft:
    form: str
    key: str
    payload: dict[str, Any]
    saved_at: datetime


def _local_file(actor: Actor, form: str, key: str) -> Path:
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in f"{actor.user_id}-{form}-{key}")
    return data_dir() / "drafts" / f"{safe}.json"


def _keep_locally(actor: Actor, form: str, key: str, payload: dict[str, Any], now: datetime) -> None:
    path = _local_file(actor, form, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump({"payload": payload, "saved_at": now.isoformat()}, out, default=str)
    os.replace(partial, path)


def _local(actor: Actor, form: str, key: str) -> SavedDraft | None:
    path = _local_file(actor, form, key)
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return SavedDraft(form, key, dict(kept["payload"]), datetime.fromisoformat(kept["saved_at"]))


class DraftService(Service):
    def save(self, actor: Actor, form: str, key: str, payload: dict[str, Any]) -> bool:
        """Keep ``payload`` as the user's draft of ``form``/``key``; False if it had not changed.

        With the database unreachable the draft is kept in the user's data folder instead.
        """
        local = _local(actor, form, key)
        try:
            changed = self._save(actor, form, key, payload)
        except DatabaseUnavailable:
            if local is not None and local.payload == payload:
                return False
            _keep_locally(actor, form, key, payload, self.ctx.now())
            return True
        if local is not None:  # the database has it now
            _local_file(actor, form, key).unlink(missing_ok=True)
        return changed

    def _save(self, actor: Actor, form: str, key: str, payload: dict[str, Any]) -> bool:
        with self.read(actor, "draft.save") as s:
            current = s.scalar(select(Draft.payload).where(
                Draft.user_id == actor.user_id, Draft.form == form, Draft.key == key))
        if current == payload:
            return False
        with self.write(actor, "draft.save", "draft") as w:
            draft = w.session.scalar(select(Draft).where(
                Draft.user_id == actor.user_id, Draft.form == form, Draft.key == key))
            if draft is None:
                draft = Draft(user_id=actor.user_id, form=form, key=key)
                w.session.add(draft)
            draft.payload = payload
            draft.saved_at = w.now
            w.session.flush()
            w.audit("draft", draft.id, f"draft of {form} ({key}) kept", form=form, key=key)
        return True

    def load(self, actor: Actor, form: str, key: str = "new") -> SavedDraft | None:
        """The draft to offer back: one kept during an outage first (it is the newer)."""
        local = _local(actor, form, key)
        if local is not None:
            return local
        with self.read(actor, "draft.save") as s:
            draft = s.scalar(select(Draft).where(
                Draft.user_id == actor.user_id, Draft.form == form, Draft.key == key))
            if draft is None:
                return None
            return SavedDraft(draft.form, draft.key, dict(draft.payload), draft.saved_at)

    def discard(self, actor: Actor, form: str, key: str = "new") -> None:
        """Forget the draft (after the form was saved, or the user threw it away)."""
        _local_file(actor, form, key).unlink(missing_ok=True)
        with self.write(actor, "draft.save", "draft") as w:
            ident = w.session.scalar(select(Draft.id).where(
                Draft.user_id == actor.user_id, Draft.form == form, Draft.key == key))
            if ident is None:
                w.audit("draft", None, f"no draft of {form} ({key}) to discard", form=form, key=key)
                return
            w.session.execute(delete(Draft).where(Draft.id == ident))
            w.audit("draft", ident, f"draft of {form} ({key}) discarded", form=form, key=key)
