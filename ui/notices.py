"""Notices from the scheduled jobs: counted in the status bar, new ones shown in the tray."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QLabel, QStatusBar, QSystemTrayIcon, QWidget

from mashdesk.notices import Notice


class NoticeCentre(QObject):
    """Receives notices from any thread and shows each one once."""

    received = Signal(list)
    #: Emitted on the GUI thread with the notices not seen before.
    new_notices = Signal(list)

    def __init__(self, status_bar: QStatusBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._status_bar = status_bar
        self._seen: set[str] = set()
        self.current: dict[str, Notice] = {}
        self.label = QLabel()
        self.label.setObjectName("noticeCount")
        self.label.setAccessibleName("Deadline notices")
        status_bar.addPermanentWidget(self.label)
        self._tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self._tray = QSystemTrayIcon(QIcon.fromTheme("dialog-warning"), self)
            self._tray.setToolTip("MASH Desk")
            self._tray.show()
        # Queued across threads: deliver() may be called from a scheduler worker.
        self.received.connect(self._on_received)

    def deliver(self, notices: list[Notice]) -> None:
        """Thread-safe entry point for the scheduler."""
        self.received.emit(notices)

    @Slot(list)
    def _on_received(self, notices: list[Notice]) -> None:
        fresh = [n for n in notices if n.key not in self._seen]
        for notice in notices:
            self.current[notice.key] = notice
        self._seen.update(n.key for n in fresh)
        breached = sum(1 for n in self.current.values() if n.level == "breached")
        soon = sum(1 for n in self.current.values() if n.level == "due_soon")
        self.label.setText(f"⚠ {breached} overdue · {soon} due soon" if breached or soon else "")
        self.label.setStyleSheet("color: #c62828; font-weight: bold" if breached else "color: #b26a00")
        if not fresh:
            return
        first = fresh[0]
        more = f" (and {len(fresh) - 1} more)" if len(fresh) > 1 else ""
        self._status_bar.showMessage(f"{first.title}: {first.text}{more}", 15_000)
        if self._tray is not None:
            icon = (QSystemTrayIcon.MessageIcon.Critical if first.level == "breached"
                    else QSystemTrayIcon.MessageIcon.Warning)
            self._tray.showMessage(first.title + more, first.text, icon, 10_000)
        self.new_notices.emit(fresh)
