"""File > Connect to a team database… (Ctrl+Shift+B), and what the status bar says of the connection."""

from __future__ import annotations

import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from mashdesk import team_db
from tests.helpers import keyring_in_use, memory_keyring
from tests.ui.driving import CTRL, SHIFT, Keys, signed_in_window, when_modal
from ui.dialogs.connect_team import ConnectTeamDialog

pytestmark = pytest.mark.qt


def test_connect_dialog_keeps_the_password_in_the_keyring(qtbot, demo_ctx, manager, pg_database):
    team_url = "postgresql://" + pg_database.split("://", 1)[1]
    window = signed_in_window(qtbot, demo_ctx, manager)
    keys = Keys(qtbot)
    seen: dict[str, str] = {}

    def drive(dialog: ConnectTeamDialog) -> None:
        assert "kept in the system keyring" in dialog.keyring_note.text()
        dialog.url.setFocus()
        keys.type(team_url.replace("postgres@", "postgres:hunter2@"))
        keys.press(Qt.Key.Key_Tab)
        keys.type("correct horse")
        keys.press(Qt.Key.Key_Return)  # a password in the URL is refused, the field named
        assert dialog.error.text().startswith("URL: leave the password out")
        assert dialog.isVisible()
        dialog.url.selectAll()
        keys.type(team_url)
        keys.press(Qt.Key.Key_Tab)
        keys.press(Qt.Key.Key_Tab)  # to the TLS mode: the test server is reached without TLS
        dialog.sslmode.setCurrentIndex(dialog.sslmode.findData("disable"))
        when_modal(QMessageBox, lambda box: (seen.update(text=box.text()), box.accept()))
        dialog.password.setFocus()
        keys.press(Qt.Key.Key_Return)

    with keyring_in_use(memory_keyring()) as backend:
        when_modal(ConnectTeamDialog, drive)
        qtbot.keyClick(window, Qt.Key.Key_B, CTRL | SHIFT)
        qtbot.waitUntil(lambda: "text" in seen, timeout=20_000)
        db = team_db.parse(team_url)
        assert backend.passwords == {(team_db.KEYRING_SERVICE, db.key): "correct horse"}
    assert team_db.remembered() == team_db.parse(team_url, sslmode="disable")
    assert "opens" in seen["text"] and "kept in the system keyring" in seen["text"]
    assert "TLS off (sslmode=disable)" in seen["text"]


def test_status_bar_shows_tls_and_a_missing_keyring(qtbot, demo_ctx, manager, db_url):
    with keyring_in_use(fail.Keyring()):
        window = signed_in_window(qtbot, demo_ctx, manager)
    if db_url.startswith("sqlite"):
        assert window.tls_label is None and window.keyring_label is None
        return
    assert window.tls_label.text() == "TLS if the server offers it (sslmode=prefer)"
    assert window.keyring_label.text() == "No system keyring: the database password is asked for each time"


def test_a_team_database_without_a_kept_password_is_asked_for_it(qtbot):
    """No keyring: the desk asks (and says why it must ask each time); the password goes into the
    connection URL in memory, never into what is remembered."""
    from PySide6.QtWidgets import QInputDialog

    from ui.app import _ask_and_retry

    seen: dict[str, str] = {}

    def answer(dialog: QInputDialog) -> None:
        seen["label"] = dialog.labelText()
        dialog.setTextValue("s3cret pass")
        dialog.accept()

    with keyring_in_use(fail.Keyring()):
        when_modal(QInputDialog, answer)
        url = _ask_and_retry("postgresql://mash@dbserver/team?sslmode=verify-full")
    assert url == "postgresql://mash:s3cret%20pass@dbserver/team?sslmode=verify-full"
    assert seen["label"].startswith("Password for mash on dbserver/team:")
    assert "no system keyring" in seen["label"]
    assert team_db.remembered() is None
