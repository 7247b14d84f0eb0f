"""Long reads on a worker thread while the window goes on working: progress and the result come back as
signals, queued to the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal


class Task(QThread):
    """Runs ``work(progress)`` once on its own thread; ``progress(done, total)`` may be called from it."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Callable[[Callable[[int, int], None]], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work

    def run(self) -> None:
        try:
            result = self._work(self.progressed.emit)
        except Exception as exc:  # shown by the view on the GUI thread
            self.failed.emit(exc)
            return
        self.succeeded.emit(result)
