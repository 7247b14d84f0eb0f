"""The sign-in dialog: user name and password, checked by the auth service.

A locked account is told until when; a password an administrator reset asks for a new one (twice)
before the desk opens.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from mashdesk.context import Actor
from mashdesk.errors import AuthenticationError, InputError, PasswordChangeRequired
from mashdesk.services.auth import AuthService


def password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


def error_label(name: str) -> QLabel:
    label = QLabel()
    label.setStyleSheet("color: #c62828")
    label.setWordWrap(True)
    label.setAccessibleName(name)
    return label


class SignInDialog(QDialog):
    def __init__(self, auth: AuthService, database: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign in to MASH Desk")
        self.setMinimumWidth(420)
        self._auth = auth
        self.actor: Actor | None = None
        self.username = QLineEdit()
        self.username.setAccessibleName("User name")
        self.password = password_field("Password")
        self.new_password = password_field("New password")
        self.repeat_password = password_field("New password again")
        self.error = error_label("Sign-in error")
        self.form = QFormLayout()
        self.form.addRow("&User name:", self.username)
        self.form.addRow("&Password:", self.password)
        self.form.addRow("&New password:", self.new_password)
        self.form.addRow("New password &again:", self.repeat_password)
        self._show_change(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Sign in")
        buttons.accepted.connect(self._try)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Database: {database}"))
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    @property
    def changing(self) -> bool:
        return self.new_password.isVisibleTo(self)

    def _show_change(self, show: bool) -> None:
        for field in (self.new_password, self.repeat_password):
            self.form.setRowVisible(field, show)
        self.username.setReadOnly(show)

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.adjustSize()  # room for the whole message, wrapped

    def _try(self) -> None:
        username = self.username.text().strip()
        try:
            if self.changing:
                if self.new_password.text() != self.repeat_password.text():
                    raise InputError("new password: the two new passwords differ", "new password")
                self.actor = self._auth.change_password(username, self.password.text(), self.new_password.text())
            else:
                self.actor = self._auth.sign_in(username, self.password.text())
        except PasswordChangeRequired as exc:
            self._show_change(True)
            self.ok.setText("Change password and sign in")
            self._say(str(exc))
            self.new_password.setFocus()
            return
        except InputError as exc:
            self._say(str(exc))
            self.new_password.selectAll()
            self.new_password.setFocus()
            return
        except AuthenticationError as exc:
            self._say(str(exc))
            self.password.selectAll()
            self.password.setFocus()
            return
        self.accept()
