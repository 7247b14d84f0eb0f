"""Users (F9, administrators): every account, with its role, agency and state, and the changes an
administrator makes: add, deactivate or reactivate, reset the password, change the role, unlock.

The rules (who may, the last administrator, the password rules, the audit) are the user service's;
this view lays out its answers. A temporary password is shown here once, to be passed on.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mashdesk import codes, permissions
from mashdesk.accounts.service import UserService
from mashdesk.accounts.users import ROLE_AGENCY
from mashdesk.accounts.views import UserRow
from mashdesk.context import Actor
from mashdesk.errors import MashDeskError
from ui.formatting import local_time
from ui.widgets.record_table import record_table, reselect
from ui.widgets.step_form import combo

COLUMNS = ("User name", "Name", "Role", "Agency", "Team", "State", "Last signed in")


def _agency_items() -> dict[str, str]:
    return {"": "(no agency)"} | {code: name for code, (name, _, _) in codes.AGENCIES.items()}


class UsersView(QWidget):
    """Emits ``loaded`` once the list is on screen."""

    loaded = Signal()

    def __init__(self, service: UserService, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("usersView")
        self.service, self.actor = service, actor
        self.rows: list[UserRow] = []
        self.table = record_table("usersTable", "Users", COLUMNS, (130, 170, 200, 200, 150, 150))
        self.table.currentCellChanged.connect(lambda *_: self._chosen())

        self.message = QLabel()
        self.message.setAccessibleName("Users message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(self.message.textInteractionFlags() | _selectable())

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Users</b> — deactivated accounts stay, with everything they recorded."))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        row.addWidget(self._selected_box(), 1)
        row.addWidget(self._add_box(), 1)
        layout.addLayout(row)

    # -- layout -------------------------------------------------------------------------------------
    def _selected_box(self) -> QGroupBox:
        box = QGroupBox("The chosen user")
        self.role = combo("Role of the chosen user", permissions.ROLES)
        self.agency = combo("Agency of the chosen user", _agency_items())
        self.role.currentIndexChanged.connect(lambda: _match_agency(self.role, self.agency))
        self.set_role_button = self._button("Change r&ole and agency", self.set_role)
        self.active_button = self._button("&Deactivate", self.toggle_active)
        self.reset_button = self._button("Reset &password", self.reset)
        self.unlock_button = self._button("&Unlock", self.unlock)
        form = QFormLayout(box)
        form.addRow("Ro&le:", self.role)
        form.addRow("A&gency:", self.agency)
        form.addRow(self.set_role_button)
        buttons = QHBoxLayout()
        for b in (self.active_button, self.reset_button, self.unlock_button):
            buttons.addWidget(b)
        form.addRow(buttons)
        return box

    def _add_box(self) -> QGroupBox:
        box = QGroupBox("Add a user")
        self.new_username = QLineEdit()
        self.new_username.setAccessibleName("New user name")
        self.new_username.setPlaceholderText("first.last")
        self.new_name = QLineEdit()
        self.new_name.setAccessibleName("New user's name")
        self.new_role = combo("New user's role", permissions.ROLES)
        self.new_agency = combo("New user's agency", _agency_items())
        self.new_role.currentIndexChanged.connect(lambda: _match_agency(self.new_role, self.new_agency))
        _match_agency(self.new_role, self.new_agency)
        self.new_team = QLineEdit()
        self.new_team.setAccessibleName("New user's team")
        self.add_button = self._button("&Add user", self.add)
        self.new_team.returnPressed.connect(self.add)
        form = QFormLayout(box)
        form.addRow("Us&er name:", self.new_username)
        form.addRow("&Name:", self.new_name)
        form.addRow("Role:", self.new_role)
        form.addRow("Agency:", self.new_agency)
        form.addRow("Tea&m:", self.new_team)
        form.addRow(self.add_button)
        return box

    def _button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        return button

    # -- data ---------------------------------------------------------------------------------------
    def refresh(self) -> None:
        keep = self.chosen.id if self.chosen else None
        try:
            self.rows = self.service.users(self.actor)
        except MashDeskError as exc:
            self.message.setText(str(exc))
            self.loaded.emit()
            return
        self.table.setRowCount(len(self.rows))
        for r, user in enumerate(self.rows):
            last = local_time(user.last_sign_in_at) if user.last_sign_in_at else "never"
            state = f"locked until {local_time(user.locked_until)[-5:]}" if user.locked and user.locked_until \
                else user.status
            for c, text in enumerate((user.username, user.display_name, user.role_name, user.agency_name,
                                      user.team, state, last)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        reselect(self.table, [u.id for u in self.rows], keep)
        self._chosen()
        self.loaded.emit()

    @property
    def chosen(self) -> UserRow | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _chosen(self) -> None:
        user = self.chosen
        for b in (self.set_role_button, self.active_button, self.reset_button, self.unlock_button):
            b.setEnabled(user is not None)
        if user is None:
            return
        self.role.setCurrentIndex(self.role.findData(user.role))
        self.agency.setCurrentIndex(max(self.agency.findData(user.agency_code or ""), 0))
        self.active_button.setText("&Deactivate" if user.active else "Reac&tivate")
        self.unlock_button.setEnabled(user.locked)

    # -- changes ------------------------------------------------------------------------------------
    def _do(self, change: Callable[[], str]) -> None:
        try:
            said = change()
        except MashDeskError as exc:
            self.message.setStyleSheet("color: #c62828")
            self.message.setText(str(exc))
            return
        self.message.setStyleSheet("")
        self.message.setText(said)
        self.refresh()

    def add(self) -> None:
        def change() -> str:
            made = self.service.add(self.actor, username=self.new_username.text().strip(),
                                    display_name=self.new_name.text(), role=self.new_role.currentData(),
                                    agency=self.new_agency.currentData() or None, team=self.new_team.text())
            for field in (self.new_username, self.new_name, self.new_team):
                field.clear()
            return _temporary(made.username, made.password, "added")
        self._do(change)

    def toggle_active(self) -> None:
        user = self.chosen
        if user is None:
            return
        act = self.service.deactivate if user.active else self.service.reactivate

        def change() -> str:
            act(self.actor, user.id, user.version)
            return f"{user.username} {'deactivated' if user.active else 'reactivated'}."
        self._do(change)

    def reset(self) -> None:
        user = self.chosen
        if user is None:
            return

        def change() -> str:
            made = self.service.reset(self.actor, user.id, user.version)
            return _temporary(made.username, made.password, "password reset")
        self._do(change)

    def unlock(self) -> None:
        user = self.chosen
        if user is None:
            return

        def change() -> str:
            self.service.unlock(self.actor, user.id, user.version)
            return f"{user.username} unlocked: they can sign in again."
        self._do(change)

    def set_role(self) -> None:
        user = self.chosen
        if user is None:
            return

        def change() -> str:
            self.service.set_role(self.actor, user.id, user.version, self.role.currentData(),
                                  self.agency.currentData() or None)
            return f"{user.username} is now {self.role.currentText()} ({self.agency.currentText()})."
        self._do(change)


def _temporary(username: str, password: str, what: str) -> str:
    return (f"{username} {what}. Temporary password: {password} — pass it on in person; "
            "they choose their own when they first sign in.")


def _match_agency(role: QComboBox, agency: QComboBox) -> None:
    """The role's own agency, as a starting point the administrator may change."""
    agency.setCurrentIndex(agency.findData(ROLE_AGENCY.get(role.currentData(), "")))


def _selectable():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
