"""Live updates in the window: other desks' changes arrive as a signal, and a view refreshes
without losing what the person typed, the row they chose or where they had scrolled to."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from mashdesk.live import Change, ChangeWatcher

#: Changes arriving within this many milliseconds are shown in one refresh.
GATHER_MS = 200


class LiveUpdates(QObject):
    """Listens (on a worker thread, never the window's) and emits ``changed(changes)`` on the GUI thread."""

    changed = Signal(list)
    #: Whether the listener is connected to the database (always True on SQLite).
    listening = Signal(bool)
    _arrived = Signal(list)

    def __init__(self, url: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: list[Change] = []
        self._gather = QTimer(self, singleShot=True, interval=GATHER_MS, timeout=self._flush)
        self._arrived.connect(self._collect)
        self.watcher = ChangeWatcher(url, self._arrived.emit, self.listening.emit)

    def start(self) -> None:
        self.watcher.start()

    def stop(self) -> None:
        self.watcher.stop()

    def _collect(self, changes: list[Change]) -> None:
        self._pending.extend(changes)
        if not self._gather.isActive():  # not restarted: a busy team still sees changes within GATHER_MS
            self._gather.start()

    def _flush(self) -> None:
        changes, self._pending = list(dict.fromkeys(self._pending)), []
        if changes:
            self.changed.emit(changes)


def refresh_keeping_place(view: QWidget, refresh: Callable[[], None]) -> None:
    """Run ``refresh`` and put back the text the person had typed but not saved, and every scroll position.

    Typed-but-unsaved means a line the person edited (``isModified``) or a text box whose document they
    changed; fields the view fills in itself, and choices in lists, dates and numbers, are left as the
    refresh sets them.
    """
    typed: list[tuple[QWidget, str, int]] = []
    for line in view.findChildren(QLineEdit):
        if isinstance(line.parent(), QAbstractSpinBox):  # a date or number box: the view sets its value
            continue
        if line.isModified() and not line.isReadOnly():
            typed.append((line, line.text(), line.cursorPosition()))
    for box in [*view.findChildren(QPlainTextEdit), *view.findChildren(QTextEdit)]:
        if box.document().isModified() and not box.isReadOnly():
            typed.append((box, box.toPlainText(), box.textCursor().position()))
    areas = view.findChildren(QAbstractScrollArea)
    scrolled = [(a, a.verticalScrollBar().value(), a.horizontalScrollBar().value()) for a in areas]
    refresh()
    for widget, text, position in typed:
        if isinstance(widget, QLineEdit):
            if widget.text() != text:
                widget.setText(text)
                widget.setCursorPosition(position)
            widget.setModified(True)
        elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
            if widget.toPlainText() != text:
                widget.setPlainText(text)
                cursor = widget.textCursor()
                cursor.setPosition(min(position, len(text)))
                widget.setTextCursor(cursor)
            widget.document().setModified(True)
    for area, vertical, horizontal in scrolled:
        area.verticalScrollBar().setValue(vertical)
        area.horizontalScrollBar().setValue(horizontal)
