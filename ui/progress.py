"""Run long work off the GUI thread with a progress dialog, and wait for it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog

T = TypeVar("T")


class _Worker(QObject):
    progressed = Signal(int, int)
    finished = Signal(object, object)  # result, error

    def __init__(self, work: Callable[[Callable[[int, int], None]], Any]) -> None:
        super().__init__()
        self._work = work

    def run(self) -> None:
        result, error = None, None
        try:
            result = self._work(lambda done, total: self.progressed.emit(done, total))
        except Exception as exc:  # handed back to the GUI thread and raised there
            error = exc
        # Hand the object back to the GUI thread, which owns (and will delete) it.
        self.moveToThread(QCoreApplication.instance().thread())  # type: ignore[union-attr]
        self.finished.emit(result, error)


class _Receiver(QObject):
    """Lives on the GUI thread, so the worker's signals reach the dialog as queued calls."""

    def __init__(self, dialog: QProgressDialog, thread: QThread) -> None:
        super().__init__()
        self.dialog = dialog
        self.thread = thread
        self.outcome: dict[str, Any] = {}

    @Slot(int, int)
    def progressed(self, done: int, total: int) -> None:
        self.dialog.setMaximum(total)
        self.dialog.setValue(done)

    @Slot(object, object)
    def finished(self, result: Any, error: Any) -> None:
        self.outcome = {"result": result, "error": error}
        self.thread.quit()


def run_with_progress(label: str, work: Callable[[Callable[[int, int], None]], T]) -> T:
    """Run ``work(progress)`` on a worker thread while a progress dialog shows how far it has got.

    The GUI stays responsive (a local event loop runs until the work ends); an
    exception raised by the work is raised again here.
    """
    dialog = QProgressDialog(label, "", 0, 0)
    dialog.setCancelButton(None)
    dialog.setWindowTitle("MASH Desk")
    dialog.setMinimumDuration(300)
    thread = QThread()
    worker = _Worker(work)
    worker.moveToThread(thread)
    receiver = _Receiver(dialog, thread)
    loop = QEventLoop()
    worker.progressed.connect(receiver.progressed)
    worker.finished.connect(receiver.finished)
    thread.started.connect(worker.run)
    thread.finished.connect(loop.quit)
    thread.start()
    loop.exec()
    thread.wait()
    QCoreApplication.sendPostedEvents(receiver)
    dialog.close()
    if receiver.outcome.get("error") is not None:
        raise receiver.outcome["error"]
    return receiver.outcome["result"]
