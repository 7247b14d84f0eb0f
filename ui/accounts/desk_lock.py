"""The idle lock: after the idle time the desk covers every window and asks its user's password.

Nothing is closed or rebuilt while the desk is locked: each open window (the main window, a form being
typed) is covered where it is and uncovered as it was. Only the signed-in person's password unlocks it
(a wrong one counts towards the lockout); anyone else may sign out instead, which keeps the drafts.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from mashdesk.accounts.workflow import idle_lock_minutes
from mashdesk.context import Actor
from mashdesk.errors import AccountLocked, AuthenticationError
from mashdesk.services.auth import AuthService
from ui.dialogs.sign_in import error_label, password_field

#: The desk's setting (``settings.ini``) for the minutes without a key or mouse press before it locks.
IDLE_SETTING = "security/idle_lock_minutes"
#: What a person does that shows they are at the desk.
_ACTIVITY = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                       QEvent.Type.Wheel, QEvent.Type.TouchBegin})
SIGN_OUT = 2  # the lock dialog's result when its user chose to sign out


class UnlockDialog(QDialog):
    """The signed-in person's password, or sign out; no other user name can be typed."""

    def __init__(self, auth: AuthService, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unlockDialog")
        self.setWindowTitle("MASH Desk is locked")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setMinimumWidth(440)
        self._auth, self._actor = auth, actor
        self.password = password_field("Password")
        self.error = error_label("Unlock error")
        buttons = QDialogButtonBox()
        self.unlock_button = buttons.addButton("&Unlock", QDialogButtonBox.ButtonRole.AcceptRole)
        self.unlock_button.setDefault(True)
        self.sign_out_button = buttons.addButton("Sign &out", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.unlock_button.clicked.connect(self._try)
        self.sign_out_button.clicked.connect(lambda: self.done(SIGN_OUT))
        layout = QVBoxLayout(self)
        who = QLabel(f"The desk locked itself while nobody used it. Signed in: <b>{actor.display_name}</b> "
                     f"({actor.username}).<br>Type your password to carry on where you were, or sign out "
                     "(your unsaved forms are kept as drafts).")
        who.setWordWrap(True)
        layout.addWidget(who)
        layout.addWidget(QLabel("&Password:", buddy=self.password))
        layout.addWidget(self.password)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _try(self) -> None:
        try:
            self._auth.unlock_desk(self._actor, self.password.text())
        except AccountLocked as exc:
            self.error.setText(f"{exc} You can sign out.")
            self.adjustSize()
            self.password.clear()
            return
        except AuthenticationError as exc:
            self.error.setText(str(exc))
            self.adjustSize()
            self.password.selectAll()
            self.password.setFocus()
            return
        self.accept()

    def reject(self) -> None:  # Escape does not unlock the desk
        pass

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def] # noqa: N802
        if event.matches(QKeySequence.StandardKey.Cancel):
            return
        super().keyPressEvent(event)


class DeskLock(QObject):
    """Watches for activity, locks after the idle time; ``sign_out_requested`` when its user signs out."""

    locked_changed = Signal(bool)
    sign_out_requested = Signal()

    def __init__(self, window: QWidget, auth: AuthService, actor: Actor, minutes: object) -> None:
        super().__init__(window)
        self.window, self.auth, self.actor = window, auth, actor
        self.minutes = idle_lock_minutes(minutes)
        self.timer = QTimer(self, singleShot=True, interval=round(self.minutes * 60_000), timeout=self.lock)
        self.covers: list[QWidget] = []
        self._focus: QWidget | None = None
        self.dialog: UnlockDialog | None = None
        QApplication.instance().installEventFilter(self)
        self.timer.start()

    @property
    def locked(self) -> bool:
        return self.dialog is not None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _ACTIVITY and not self.locked:
            self.timer.start()
        elif event.type() == QEvent.Type.Resize and obj in self._covered():
            for cover in self.covers:
                if cover.parent() is obj:
                    cover.setGeometry(obj.rect())  # type: ignore[attr-defined]
        return False

    def stop(self) -> None:
        self.timer.stop()
        QApplication.instance().removeEventFilter(self)

    def _covered(self) -> list[QObject]:
        return [c.parent() for c in self.covers]

    def lock(self) -> None:
        """Cover every open window of the desk and ask for the password."""
        if self.locked or not self.window.isVisible():
            return
        self.timer.stop()
        self._focus = QApplication.focusWidget()  # where the keyboard was, to give it back as it was
        if (popup := QApplication.activePopupWidget()) is not None:
            popup.close()
        for top in QApplication.topLevelWidgets():
            if top.isVisible() and top.windowType() not in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
                self.covers.append(_cover(top))
        try:
            self.auth.record_session(self.actor, "lock")
        except Exception:  # noqa: BLE001 - a database out of reach must not stop the desk locking
            pass
        self.dialog = UnlockDialog(self.auth, self.actor, self.window)
        self.dialog.finished.connect(self._finished)
        self.dialog.open()
        self.dialog.activateWindow()
        self.dialog.password.setFocus()
        self.locked_changed.emit(True)

    def _finished(self, result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()
        if result == SIGN_OUT:
            self.sign_out_requested.emit()
            return
        for cover in self.covers:
            cover.deleteLater()
        self.covers.clear()
        if self._focus is not None:
            self._focus.window().activateWindow()
            self._focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self._focus = None
        self.timer.start()
        self.locked_changed.emit(False)


def _cover(window: QWidget) -> QWidget:
    """An opaque sheet over the whole of ``window``: what it shows is hidden, nothing in it is touched."""
    cover = QLabel("MASH Desk is locked", window)
    cover.setObjectName("deskLockCover")
    cover.setAccessibleName("Desk locked")
    cover.setAlignment(Qt.AlignmentFlag.AlignCenter)
    cover.setAutoFillBackground(True)
    cover.setStyleSheet("background: #37474f; color: #eceff1; font-size: 18pt;")
    cover.setGeometry(window.rect())
    cover.raise_()
    cover.show()
    return cover
