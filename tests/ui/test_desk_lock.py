"""The idle lock and signing out, through the real window as a person meets them.

The idle time is set short in the desk's settings (as an administrator may set it); the test then
leaves the keyboard alone, and types the password and Enter as a person does.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from db.models import AuditEvent
from mashdesk.drafts import DraftService
from mashdesk.paths import data_dir
from mashdesk.services.auth import AuthService
from tests.ui.driving import CTRL, Keys, close_for_certain, press_view, signed_in_window, when_modal
from ui.accounts.desk_lock import IDLE_SETTING, UnlockDialog
from ui.contacts.contact_form import ContactForm

pytestmark = pytest.mark.qt
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def short_idle():
    """An idle time of about half a second, in the desk's settings file."""
    settings = QSettings(str(data_dir() / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(IDLE_SETTING, 0.008)
    settings.sync()


def _lock_dialog() -> UnlockDialog | None:
    dialog = QApplication.activeModalWidget()
    return dialog if isinstance(dialog, UnlockDialog) and dialog.isVisible() else None


def _actions(ctx, username):
    with ctx.session_factory() as s:
        return [a for a in s.scalars(select(AuditEvent.action).where(
            AuditEvent.username == username, AuditEvent.action.like("auth.%")).order_by(AuditEvent.id))]


def test_an_idle_desk_locks_over_an_open_form_and_unlocks_with_it_as_it_was(qtbot, demo_ctx, short_idle):
    actor = AuthService(demo_ctx).actor("demo.practitioner")
    window = signed_in_window(qtbot, demo_ctx, actor)
    keys = Keys(qtbot)
    seen = {}

    def drive(form: ContactForm) -> None:
        form.concern.setFocus()
        keys.type("Neighbour heard shouting at night")
        built = id(form.concern)
        qtbot.waitUntil(lambda: _lock_dialog() is not None, timeout=10_000)  # nobody touches the desk
        lock = _lock_dialog()
        covers = window.desk_lock.covers
        seen["covered"] = sorted(c.parent().objectName() or type(c.parent()).__name__ for c in covers)
        seen["cover_hides_window"] = all(c.isVisible() and c.geometry() == c.parent().rect() for c in covers)
        lock.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is lock)
        keys.type("somebody-elses-password")  # another person cannot unlock into this session
        keys.press(Qt.Key.Key_Return)
        seen["refused"] = lock.error.text()
        assert _lock_dialog() is lock
        keys.type("demo")
        keys.press(Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: _lock_dialog() is None)
        qtbot.waitUntil(lambda: form.concern.hasFocus())  # the keyboard is back where it was
        keys.type(", again today")  # and the person carries on typing
        seen["after"] = (form.isVisible(), form.concern.toPlainText(), id(form.concern) == built,
                         not window.desk_lock.covers)
        form.autosave.finish()  # done with the form: its draft dropped, as Cancel then Discard would
        close_for_certain(form)

    when_modal(ContactForm, drive)
    keys.press(Qt.Key.Key_N, CTRL)
    assert len(seen["covered"]) == 2 and "mainWindow" in seen["covered"]  # the window and the form
    assert seen["cover_hides_window"]
    assert seen["refused"] == "Wrong password."
    assert seen["after"] == (True, "Neighbour heard shouting at night, again today", True, True)
    assert _actions(demo_ctx, "demo.practitioner") == ["auth.lock", "auth.unlock_failed", "auth.unlock"]


def test_signing_out_from_the_lock_keeps_the_form_as_a_draft(qtbot, demo_ctx, short_idle):
    actor = AuthService(demo_ctx).actor("demo.practitioner")
    window = signed_in_window(qtbot, demo_ctx, actor)
    signed_out = []
    window.signed_out.connect(lambda: signed_out.append(True))
    keys = Keys(qtbot)

    def drive(form: ContactForm) -> None:
        form.concern.setFocus()
        keys.type("Bruise seen at school")
        qtbot.waitUntil(lambda: _lock_dialog() is not None, timeout=10_000)
        lock = _lock_dialog()
        lock.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is lock)
        keys.press(Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)  # Sign &out

    when_modal(ContactForm, drive)
    keys.press(Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: signed_out == [True])
    assert not window.isVisible()
    draft = DraftService(demo_ctx).load(actor, ContactForm.FORM, "new")
    assert draft is not None and draft.payload["concern"] == "Bruise seen at school"
    assert _actions(demo_ctx, "demo.practitioner")[-2:] == ["auth.lock", "auth.sign_out"]


def test_sign_out_is_in_the_file_menu_with_a_shortcut(qtbot, demo_ctx):
    actor = AuthService(demo_ctx).actor("demo.manager")
    window = signed_in_window(qtbot, demo_ctx, actor)
    press_view(qtbot, window, "stepdowns")
    file_menu = window.menuBar().actions()[0].menu()
    assert "Sign &out" in [a.text() for a in file_menu.actions()]
    with qtbot.waitSignal(window.signed_out):
        qtbot.keyClick(window, Qt.Key.Key_Q, CTRL | SHIFT)
    assert not window.isVisible()
    assert _actions(demo_ctx, "demo.manager")[-1] == "auth.sign_out"


def test_the_desk_locks_by_hand_and_escape_does_not_unlock_it(qtbot, demo_ctx):
    actor = AuthService(demo_ctx).actor("demo.manager")
    window = signed_in_window(qtbot, demo_ctx, actor)
    qtbot.keyClick(window, Qt.Key.Key_L, CTRL | Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: _lock_dialog() is not None)
    lock = _lock_dialog()
    lock.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is lock)
    keys = Keys(qtbot)
    keys.press(Qt.Key.Key_Escape)
    assert _lock_dialog() is lock and window.desk_lock.locked
    keys.type("demo")
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.desk_lock.locked)
    assert window.isVisible() and not window.desk_lock.covers


def test_after_signing_out_the_next_person_signs_in_to_their_own_window(qtbot, demo_ctx):
    from ui.accounts.session import Desk
    from ui.dialogs.sign_in import SignInDialog
    from ui.main_window import MainWindow

    manager = AuthService(demo_ctx).actor("demo.manager")
    window = signed_in_window(qtbot, demo_ctx, manager)
    desk = Desk(window, "test database",
                lambda actor: MainWindow(demo_ctx, actor, "test database", window.settings))
    keys = Keys(qtbot)

    def sign_in(dialog: SignInDialog) -> None:
        dialog.username.setFocus()
        keys.type("demo.practitioner")
        keys.press(Qt.Key.Key_Tab)
        keys.type("demo")
        keys.press(Qt.Key.Key_Return)

    when_modal(SignInDialog, sign_in)
    qtbot.keyClick(window, Qt.Key.Key_Q, CTRL | SHIFT)
    qtbot.waitUntil(lambda: desk.window is not window and desk.window.isVisible())
    qtbot.addWidget(desk.window)
    assert desk.window.actor.username == "demo.practitioner"
    assert "Priya Sharma" in desk.window.windowTitle() and not window.isVisible()
    assert _actions(demo_ctx, "demo.manager")[-1] == "auth.sign_out"
    assert _actions(demo_ctx, "demo.practitioner")[-1] == "auth.sign_in"
