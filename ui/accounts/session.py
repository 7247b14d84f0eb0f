"""Signing out and signing in again without leaving the desk.

Signing out keeps every open form as a draft (its autosave is written now), closes the forms and the
main window, and asks who signs in next; the next window is that person's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QApplication, QDialog

from mashdesk.context import Actor
from ui.autosave import Autosaver

#: The main window (``ui.main_window.MainWindow``: not imported here, it imports this package).
MainWindow = Any


def sign_out(window: MainWindow) -> None:
    from mashdesk.services.auth import AuthService

    for top in QApplication.topLevelWidgets():
        for saver in top.findChildren(Autosaver):
            saver.save_now()  # the form as it is now is the user's draft, offered back next time
            saver.stop()
    while (dialog := QApplication.activeModalWidget()) is not None and dialog is not window:
        if isinstance(dialog, QDialog):
            dialog.done(QDialog.DialogCode.Rejected)  # done(): no "Discard this?" question, the draft stays
        else:
            dialog.close()
    try:
        AuthService(window.ctx).record_session(window.actor, "sign_out")
    except Exception:  # noqa: BLE001 - signing out must not depend on the database being reachable
        pass
    app = QApplication.instance()
    quits = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)  # the sign-in dialog comes next: the desk stays open
    window.close()
    window.signed_out.emit()
    app.setQuitOnLastWindowClosed(quits)


class Desk:
    """The signed-in window of the desk, replaced by the next person's after a sign-out."""

    def __init__(self, window: MainWindow, database: str, make_window: Callable[[Actor], MainWindow]) -> None:
        self.window, self.database, self.make_window = window, database, make_window
        window.signed_out.connect(self._next)

    def _next(self) -> None:
        from mashdesk.services.auth import AuthService
        from ui.dialogs.sign_in import SignInDialog

        old = self.window
        app = QApplication.instance()
        app.setQuitOnLastWindowClosed(False)
        dialog = SignInDialog(AuthService(old.ctx), self.database)
        if not dialog.exec() or dialog.actor is None:
            app.quit()
            return
        window = self.make_window(dialog.actor)
        window.signed_out.connect(self._next)
        self.window = window
        window.show()
        window.start()
        window.start_scheduler()
        app.setQuitOnLastWindowClosed(True)
