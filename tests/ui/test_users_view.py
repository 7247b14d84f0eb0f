"""Users (F9) and the sign-in dialog, driven by the keyboard as an administrator and a user do."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy import select

from db.models import AuditEvent, User
from mashdesk.accounts.service import UserService
from mashdesk.services.auth import AuthService
from tests.ui.driving import Keys, open_view
from ui.dialogs.sign_in import SignInDialog

pytestmark = pytest.mark.qt
ALT = Qt.KeyboardModifier.AltModifier


def _user(ctx, username):
    with ctx.session_factory() as s:
        return s.scalar(select(User).where(User.username == username))


def test_an_administrator_adds_a_user_then_deactivates_and_resets_them_by_keyboard(qtbot, demo_ctx):
    admin = AuthService(demo_ctx).actor("demo.admin")
    window, view = open_view(qtbot, demo_ctx, admin, "users")
    assert view.table.rowCount() == len(UserService(demo_ctx).users(admin))
    keys = Keys(qtbot)
    keys.press(Qt.Key.Key_E, ALT)  # Us&er name
    keys.type("kim.cho")
    keys.press(Qt.Key.Key_Tab)
    keys.type("Kim Cho")
    keys.press(Qt.Key.Key_Tab)
    keys.type("Health")  # the role, chosen by typing its name
    keys.press(Qt.Key.Key_Tab)
    keys.press(Qt.Key.Key_Tab)  # the agency follows the role
    keys.type("School nursing")
    with qtbot.waitSignal(view.loaded):
        keys.press(Qt.Key.Key_Return)
    assert "kim.cho added. Temporary password: " in view.message.text()
    kim = _user(demo_ctx, "kim.cho")
    assert (kim.role_code, kim.agency.code, kim.team, kim.must_change_password) == \
        ("health", "health", "School nursing", True)

    view.table.setFocus()
    keys.type("kim.cho")  # the list finds the row by its user name
    assert view.chosen is not None and view.chosen.username == "kim.cho"
    with qtbot.waitSignal(view.loaded):
        keys.press(Qt.Key.Key_D, ALT)
    assert not _user(demo_ctx, "kim.cho").active
    assert view.chosen.status == "deactivated" and view.active_button.text() == "Reac&tivate"
    with qtbot.waitSignal(view.loaded):
        keys.press(Qt.Key.Key_T, ALT)  # Reac&tivate
    with qtbot.waitSignal(view.loaded):
        keys.press(Qt.Key.Key_P, ALT)
    temporary = view.message.text().split("Temporary password: ")[1].split(" ")[0]
    with pytest.raises(Exception, match="choose a new one"):
        AuthService(demo_ctx).sign_in("kim.cho", temporary)
    with demo_ctx.session_factory() as s:
        changes = [e.detail["change"] for e in s.scalars(select(AuditEvent).where(
            AuditEvent.action == "user.manage").order_by(AuditEvent.id))]
    assert changes == ["add", "deactivate", "reactivate", "reset"]


def test_the_last_administrator_is_refused_on_screen(qtbot, demo_ctx):
    admin = AuthService(demo_ctx).actor("demo.admin")
    window, view = open_view(qtbot, demo_ctx, admin, "users")
    keys = Keys(qtbot)
    view.table.setFocus()
    keys.type("demo.admin")
    assert view.chosen.username == "demo.admin"
    keys.press(Qt.Key.Key_L, ALT)  # Ro&le
    keys.type("Pol")  # Police officer (MASH)
    keys.press(Qt.Key.Key_O, ALT)  # Change r&ole and agency (a mnemonic clicks a moment later)
    qtbot.waitUntil(lambda: "last active administrator" in view.message.text())
    assert _user(demo_ctx, "demo.admin").role_code == "admin"


def _sign_in_dialog(qtbot, ctx):
    dialog = SignInDialog(AuthService(ctx), "test database")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.username.setFocus()
    return dialog


def test_five_wrong_passwords_typed_in_the_sign_in_dialog_lock_the_account(qtbot, demo_ctx, clock):
    dialog = _sign_in_dialog(qtbot, demo_ctx)
    keys = Keys(qtbot)
    keys.type("demo.practitioner")
    keys.press(Qt.Key.Key_Tab)
    for attempt in range(5):
        keys.type(f"not my password {attempt}")  # the dialog selects the last try: typing replaces it
        keys.press(Qt.Key.Key_Return)
    assert dialog.error.text().startswith("The account demo.practitioner is locked")
    assert "locked until 10:15" in dialog.error.text()
    clock.now += timedelta(minutes=3)
    keys.type("demo")  # the right password, while locked
    keys.press(Qt.Key.Key_Return)
    assert "locked until 10:15" in dialog.error.text() and dialog.result() != QDialog.DialogCode.Accepted
    with demo_ctx.session_factory() as s:
        tried = [e.action for e in s.scalars(select(AuditEvent).where(
            AuditEvent.username == "demo.practitioner", AuditEvent.action.like("auth.%")))]
    assert tried == ["auth.sign_in_failed"] * 5 + ["auth.sign_in_locked"]
    clock.now += timedelta(minutes=12)
    keys.type("demo")
    keys.press(Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.actor.username == "demo.practitioner"


def test_a_reset_password_is_changed_in_the_sign_in_dialog(qtbot, demo_ctx):
    admin = AuthService(demo_ctx).actor("demo.admin")
    row = UserService(demo_ctx).user(admin, "demo.health")
    temporary = UserService(demo_ctx).reset(admin, row.id, row.version).password
    dialog = _sign_in_dialog(qtbot, demo_ctx)
    keys = Keys(qtbot)
    keys.type("demo.health")
    keys.press(Qt.Key.Key_Tab)
    keys.type(temporary)
    keys.press(Qt.Key.Key_Return)
    assert "choose a new one" in dialog.error.text() and dialog.new_password.hasFocus()
    keys.type("short")
    keys.press(Qt.Key.Key_Tab)
    keys.type("short")
    keys.press(Qt.Key.Key_Return)
    assert dialog.error.text().startswith("new password: at least 12 characters")
    keys.type("plum orbit tundra")
    keys.press(Qt.Key.Key_Tab)
    keys.type("plum orbit tundrA")
    keys.press(Qt.Key.Key_Return)
    assert "the two new passwords differ" in dialog.error.text()
    keys.type("plum orbit tundra")
    keys.press(Qt.Key.Key_Tab)
    dialog.repeat_password.selectAll()
    keys.type("plum orbit tundra")
    keys.press(Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.actor.username == "demo.health"
    assert AuthService(demo_ctx).sign_in("demo.health", "plum orbit tundra").role == "health"
