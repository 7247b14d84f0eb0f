"""The status bar's word on the database: "database unreachable" within 5 s, and when it is back.

The check itself runs on a worker thread (``mashdesk.health``); this only reads its answer once a
second on the window's thread, so a dead server or a dead link never freezes the window.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QStatusBar

from mashdesk.clock import LONDON
from mashdesk.context import AppContext
from mashdesk.health import DatabaseHealth, for_url


class ConnectionStatus(QObject):
    """Keeps ``label`` saying whether the database answers; says so in ``bar`` when it comes back."""

    def __init__(self, ctx: AppContext, label: QLabel, bar: QStatusBar,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._label, self._bar = ctx, label, bar
        self._normal = label.text()
        self._outages = 0
        self._down_since: str | None = None
        if ctx.health is None and _checkable(ctx.url):
            health = ctx.health = for_url(ctx.url)
            health.start()
            self.destroyed.connect(lambda *_: health.stop())
        self._timer = QTimer(self, interval=1000, timeout=self.update)
        if ctx.health is not None:
            self._timer.start()

    @property
    def health(self) -> DatabaseHealth | None:
        return self._ctx.health

    def update(self) -> None:
        if self.health is None:
            return
        now = self._ctx.now().astimezone(LONDON).strftime("%H:%M")
        state = self.health.health
        if not state.reachable:
            if self._down_since is None:
                self._down_since = now
            self._label.setText(f"Database unreachable since {self._down_since}: reconnecting… "
                                "Saving is paused; drafts are kept on this computer.")
            self._label.setToolTip(state.problem)
            self._label.setAccessibleDescription(state.problem)
            self._label.setStyleSheet("color: #a00; font-weight: bold")
        elif self._down_since is not None:
            self._down_since = None
            self._label.setText(self._normal)
            self._label.setToolTip("")
            self._label.setAccessibleDescription("")
            self._label.setStyleSheet("")
            self._bar.showMessage(f"The database is back ({now}): saving works again.", 15_000)
        self._outages = state.outages

    def stop(self) -> None:
        self._timer.stop()
        if self.health is not None:
            self.health.stop()


def _checkable(url: str) -> bool:
    from db.direct import dialect_of, sqlite_file

    return dialect_of(url) == "postgresql" or sqlite_file(url) is not None
