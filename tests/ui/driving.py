"""Driving the window as a person does: keys on whatever has the focus, modal dialogs closed for certain.

Modal dialogs run their own event loop, so each step that opens one first schedules the code
that drives it (:func:`when_modal`). If driving fails, the dialog is closed with ``done()``
(which no "Discard this?" question can veto) so the modal loop ends and the failure is reported
instead of the test waiting for ever.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
#: How long a dialog may take to appear before driving it is given up (milliseconds).
APPEAR_WITHIN_MS = 20_000


class Keys:
    """Presses keys on whatever has the focus, and counts them."""

    def __init__(self, qtbot) -> None:  # type: ignore[no-untyped-def]
        self.qtbot = qtbot
        self.count = 0
        self.typed = 0

    def focus(self) -> QWidget:
        widget = QApplication.focusWidget() or QApplication.activeModalWidget() or QApplication.activeWindow()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        self.qtbot.keyClick(self.focus(), key, modifier)
        self.count += 1

    def type(self, text: str) -> None:
        for char in text:
            self.qtbot.keyClicks(self.focus(), char)
        self.count += len(text)
        self.typed += len(text)


def close_for_certain(dialog: QWidget) -> None:
    """End a dialog's modal loop whatever it would ask first."""
    if isinstance(dialog, QDialog):
        dialog.done(QDialog.DialogCode.Rejected)
    else:
        dialog.close()


def when_modal(kind: type, drive: Callable[[QWidget], None]) -> None:
    """Run ``drive`` on the next modal dialog of ``kind`` once it is showing and has the keyboard.

    (A window manager activates a new dialog; the offscreen platform needs asking.)
    """
    waited = {"ms": 0}

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible():
            dialog.activateWindow()
            if QApplication.activeWindow() is dialog:
                try:
                    drive(dialog)
                except BaseException:
                    close_for_certain(dialog)  # never leave a modal loop waiting: the failure is reported
                    raise
                return
        waited["ms"] += 20
        if waited["ms"] > APPEAR_WITHIN_MS:
            stray = QApplication.activeModalWidget()
            if stray is not None:  # some other dialog holds the keyboard: close it so the test can fail
                close_for_certain(stray)
            raise AssertionError(f"no {kind.__name__} dialog took the keyboard within {APPEAR_WITHIN_MS} ms")
        QTimer.singleShot(20, attempt)

    QTimer.singleShot(0, attempt)


def reactivate(qtbot, window: QWidget) -> None:  # type: ignore[no-untyped-def]
    """Give the keyboard back to ``window`` after a dialog closed, as a window manager does."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def close_stray_dialogs() -> int:
    """Close every modal dialog still open (after a test); returns how many there were."""
    closed = 0
    while (dialog := QApplication.activeModalWidget()) is not None and closed < 20:
        close_for_certain(dialog)
        closed += 1
    return closed


#: Each main view's shortcut, as a person presses it.
VIEW_KEYS = {"queue": Qt.Key.Key_1, "contact": Qt.Key.Key_2, "handover": Qt.Key.Key_3,
             "stepdowns": Qt.Key.Key_4, "strategy": Qt.Key.Key_5, "meeting": Qt.Key.Key_6,
             "people": Qt.Key.Key_7, "missing": Qt.Key.Key_8, "consultations": Qt.Key.Key_9,
             "ruleset": Qt.Key.Key_0, "users": Qt.Key.Key_F9,
             "dashboard": Qt.Key.Key_F7, "returns": Qt.Key.Key_F8}
#: The views whose shortcut is a key alone (a function key), not Ctrl with a digit.
PLAIN_VIEW_KEYS = {"users", "dashboard", "returns"}


def view_shortcut(key: str) -> tuple[Qt.Key, Qt.KeyboardModifier]:
    """The key and modifier a person presses for the main view ``key``."""
    return VIEW_KEYS[key], (Qt.KeyboardModifier.NoModifier if key in PLAIN_VIEW_KEYS else CTRL)


def signed_in_window(qtbot, ctx, actor):  # type: ignore[no-untyped-def]
    """The main window as it is after signing in: shown, active, the queue loaded."""
    from PySide6.QtCore import QSettings

    from mashdesk.paths import data_dir
    from ui.main_window import MainWindow

    window = MainWindow(ctx, actor, "test database",
                        QSettings(str(data_dir() / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.view_loaded, timeout=10_000, check_params_cb=lambda key: key == "queue"):
        window.start()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def press_view(qtbot, window, key: str, timeout: int = 10_000) -> QWidget:  # type: ignore[no-untyped-def]
    """Press the view's shortcut (Ctrl+1…Ctrl+0, F7, F8, F9) on the main window; returns the view once it has loaded."""
    with qtbot.waitSignal(window.view_loaded, timeout=timeout, check_params_cb=lambda k: k == key):
        qtbot.keyClick(window, *view_shortcut(key))
    view = window.views[key]
    assert window.stack.currentWidget() is view
    return view


def open_view(qtbot, ctx, actor, key: str):  # type: ignore[no-untyped-def]
    """Sign in as ``actor`` and reach the main view ``key`` by its shortcut: (window, view)."""
    window = signed_in_window(qtbot, ctx, actor)
    return window, press_view(qtbot, window, key)
