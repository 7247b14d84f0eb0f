"""Autosave for forms: every few seconds, the form's content is kept as a draft if it changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from mashdesk.context import Actor
from mashdesk.drafts import DraftService, SavedDraft
from mashdesk.errors import MashDeskError

INTERVAL_MS = 3000


class Autosaver(QObject):
    """Keeps ``collect()``'s value as the user's draft of ``form``/``key``.

    Call :meth:`start` when the form opens; :meth:`offer` returns a draft left from an
    earlier session (after a crash) so the form can offer it back; :meth:`finish` once
    the form was saved or abandoned on purpose.
    """

    saved = Signal()

    def __init__(self, service: DraftService, actor: Actor, form: str, collect: Callable[[], dict[str, Any]],
                 key: str = "new", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._actor = actor
        self.form = form
        self.key = key
        self._collect = collect
        self._timer = QTimer(self, interval=INTERVAL_MS, timeout=self.save_now)

    def offer(self) -> SavedDraft | None:
        return self._service.load(self._actor, self.form, self.key)

    def start(self) -> None:
        self._timer.start()

    def save_now(self) -> None:
        try:
            kept = self._service.save(self._actor, self.form, self.key, self._collect())
        except MashDeskError:  # the database is busy: the next tick tries again
            return
        if kept:
            self.saved.emit()

    def stop(self) -> None:
        """Stop saving, keeping the draft (the form moves on to another record)."""
        self._timer.stop()

    def finish(self) -> None:
        self._timer.stop()
        try:
            self._service.discard(self._actor, self.form, self.key)
        except MashDeskError:  # the database went away: the draft is offered again next time, never lost
            pass
