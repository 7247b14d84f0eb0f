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


class Runner:
    """A view's long reads, one at a time: ``started`` before each, ``ended`` after it (either way), then the
    result to ``done`` or the exception to ``failed``, all on the GUI thread."""

    def __init__(self, started: Callable[[], None], ended: Callable[[], None],
                 progressed: Callable[[int, int], None] | None = None) -> None:
        self._started, self._ended, self._progressed = started, ended, progressed
        self.task: Task | None = None
        self._running: set[Task] = set()

    def run(self, work: Callable[[Callable[[int, int], None]], Any], done: Callable[[Any], None],
            failed: Callable[[Exception], None]) -> bool:
        """Start ``work`` unless a read is under way; whether it started."""
        if self.task is not None:
            return False
        self._started()
        task = self.task = Task(work)
        self._running.add(task)
        if self._progressed is not None:
            task.progressed.connect(self._progressed)
        task.succeeded.connect(lambda result: (self._end(), done(result)))
        task.failed.connect(lambda error: (self._end(), failed(error)))
        task.finished.connect(lambda: (self._running.discard(task), task.deleteLater()))
        task.start()
        return True

    def _end(self) -> None:
        self.task = None
        self._ended()
