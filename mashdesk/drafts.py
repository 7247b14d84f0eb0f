"""Autosaved drafts: a form being typed survives a crash or a closed window.

A draft belongs to one user and one form (and the record it edits, "new" for a
record not yet saved). It is saved only when its content changed; like every write
it is audited (the audit records that a draft was kept, not what it says).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from db.models import Draft
from mashdesk.context import Actor, Service


@dataclass(frozen=True)
class SavedDraft:
    form: str
    key: str
    payload: dict[str, Any]
    saved_at: datetime


class DraftService(Service):
    def save(self, actor: Actor, form: str, key: str, payload: dict[str, Any]) -> bool:
        """Keep ``payload`` as the user's draft of ``form``/``key``; False if it had not changed."""
        with self.ctx.session_factory() as s:
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
        with self.read(actor, "draft.save") as s:
            draft = s.scalar(select(Draft).where(
                Draft.user_id == actor.user_id, Draft.form == form, Draft.key == key))
            if draft is None:
                return None
            return SavedDraft(draft.form, draft.key, dict(draft.payload), draft.saved_at)

    def discard(self, actor: Actor, form: str, key: str = "new") -> None:
        """Forget the draft (after the form was saved, or the user threw it away)."""
        with self.write(actor, "draft.save", "draft") as w:
            ident = w.session.scalar(select(Draft.id).where(
                Draft.user_id == actor.user_id, Draft.form == form, Draft.key == key))
            if ident is None:
                w.audit("draft", None, f"no draft of {form} ({key}) to discard", form=form, key=key)
                return
            w.session.execute(delete(Draft).where(Draft.id == ident))
            w.audit("draft", ident, f"draft of {form} ({key}) discarded", form=form, key=key)
