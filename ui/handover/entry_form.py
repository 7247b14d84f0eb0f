"""The EDT's quick-entry form for one out-of-hours call, autosaved as it is typed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mashdesk.context import Actor
from mashdesk.handover.views import EdtEntryInput, HandoverItem
from mashdesk.people.service import PeopleService
from ui.formatting import LONDON
from ui.people.person_search import PersonSearchPanel


class LinkPersonDialog(QDialog):
    """Find a child the MASH already knows and link them to the entry (Enter chooses)."""

    def __init__(self, service: PeopleService, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Link a known child")
        self.resize(560, 480)
        self.chosen: tuple[int, str] | None = None
        self.search = PersonSearchPanel(service, actor, self)
        self.search.create.hide()  # out of hours, a child not found stays in the entry's free text
        self.search.person_chosen.connect(self._chosen)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search, 1)
        layout.addWidget(buttons)
        self.search.first.setFocus()

    def _chosen(self, person_id: int) -> None:
        match = next((m for m in self.search.results_shown if m.person_id == person_id), None)
        self.chosen = (person_id, match.name if match else f"person {person_id}")
        self.accept()


class EdtEntryForm(QWidget):
    """Emits ``changed`` whenever anything is typed, so the autosaver keeps the draft."""

    changed = Signal()

    def __init__(self, people: PeopleService, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("edtEntryForm")
        self._people, self._actor = people, actor
        self.entry_id: int | None = None
        self.version: int | None = None

        self.heading = QLabel()
        self.heading.setObjectName("edtFormHeading")
        self.call_at = QDateTimeEdit(calendarPopup=True, displayFormat="ddd dd MMM yyyy HH:mm")
        self.call_at.setAccessibleName("Time of call")
        self.urgency = QComboBox()
        self.urgency.setAccessibleName("Urgency")
        self.urgency.addItem("Routine", "routine")
        self.urgency.addItem("Urgent", "urgent")
        self.caller_name = QLineEdit()
        self.caller_name.setAccessibleName("Caller's name")
        self.caller_agency = QLineEdit(placeholderText="e.g. Metropolitan Police, neighbour, parent")
        self.caller_agency.setAccessibleName("Caller's agency or relationship")
        self.phone = QLineEdit()
        self.phone.setAccessibleName("Caller's phone")
        self.children_text = QLineEdit(placeholderText="Amelia Smith (7), Jack Smith (12)")
        self.children_text.setAccessibleName("Children, as given")
        self.linked = QListWidget()
        self.linked.setAccessibleName("Known children linked (Delete unlinks)")
        self.linked.setMaximumHeight(56)
        self.link = QPushButton("&Link known child… (Ctrl+L)")
        self.link.setAccessibleName("Link a known child")
        self.address = QLineEdit(placeholderText="12 High Street, Bromley BR1 1AA")
        self.address.setAccessibleName("Address")
        self.reported = QPlainTextEdit()
        self.reported.setAccessibleName("What was reported")
        self.reported.setTabChangesFocus(True)
        self.emergency = QCheckBox("E&mergency services involved")
        self.action_taken = QPlainTextEdit()
        self.action_taken.setAccessibleName("Action taken")
        self.action_taken.setTabChangesFocus(True)
        self.outstanding = QPlainTextEdit()
        self.outstanding.setAccessibleName("Outstanding for the day service")
        self.outstanding.setTabChangesFocus(True)
        for box in (self.reported, self.action_taken, self.outstanding):
            box.setMaximumHeight(70)

        form = QFormLayout()
        children_row = QWidget()
        row_layout = QHBoxLayout(children_row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(self.children_text, 1)
        row_layout.addWidget(self.link)
        # Mnemonics chosen not to clash with the menus (F, V, H) or the view's buttons.
        for label, widget, buddy_of in (
                ("&Time of call", self.call_at, self.call_at), ("&Urgency", self.urgency, self.urgency),
                ("&Caller", self.caller_name, self.caller_name), ("A&gency", self.caller_agency, self.caller_agency),
                ("Phone", self.phone, self.phone), ("Ch&ildren", children_row, self.children_text),
                ("Known children", self.linked, self.linked), ("Addre&ss", self.address, self.address),
                ("&Reported", self.reported, self.reported), ("", self.emergency, None),
                ("&Action taken", self.action_taken, self.action_taken),
                ("&Outstanding", self.outstanding, self.outstanding)):
            buddy = QLabel(label)
            if buddy_of is not None:
                buddy.setBuddy(buddy_of)
            form.addRow(buddy, widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        order = [self.call_at, self.urgency, self.caller_name, self.caller_agency, self.phone, self.children_text,
                 self.link, self.linked, self.address, self.reported, self.emergency, self.action_taken,
                 self.outstanding]
        for a, b in zip(order, order[1:], strict=False):
            self.setTabOrder(a, b)

        self.link.clicked.connect(self.link_person)
        self.linked.installEventFilter(self)
        self._filling = False
        for edit in (self.caller_name, self.caller_agency, self.phone, self.children_text, self.address):
            edit.textChanged.connect(self._typed)
        for box in (self.reported, self.action_taken, self.outstanding):
            box.textChanged.connect(self._typed)
        self.call_at.dateTimeChanged.connect(self._typed)
        self.urgency.currentIndexChanged.connect(self._typed)
        self.emergency.toggled.connect(self._typed)

    def _typed(self, *_args: object) -> None:
        if not self._filling:
            self.changed.emit()

    # -- what the form holds --------------------------------------------------------------------------
    def entry_input(self) -> EdtEntryInput:
        return EdtEntryInput(
            call_at=self.call_at.dateTime().toPython().replace(tzinfo=LONDON),
            reported=self.reported.toPlainText(), caller_name=self.caller_name.text(),
            caller_agency=self.caller_agency.text(), phone=self.phone.text(),
            children_text=self.children_text.text(), address_text=self.address.text(),
            emergency_services=self.emergency.isChecked(), action_taken=self.action_taken.toPlainText(),
            outstanding=self.outstanding.toPlainText(), urgency=self.urgency.currentData(),
            person_ids=[pid for pid, _ in self.linked_people()])

    def linked_people(self) -> list[tuple[int, str]]:
        return [(int(self.linked.item(i).data(Qt.ItemDataRole.UserRole)), self.linked.item(i).text())
                for i in range(self.linked.count())]

    def payload(self) -> dict[str, Any]:
        """The form as a draft (JSON)."""
        data = self.entry_input()
        return {"entry_id": self.entry_id, "version": self.version, "call_at": data.call_at.isoformat(),
                "reported": data.reported, "caller_name": data.caller_name, "caller_agency": data.caller_agency,
                "phone": data.phone, "children_text": data.children_text, "address_text": data.address_text,
                "emergency_services": data.emergency_services, "action_taken": data.action_taken,
                "outstanding": data.outstanding, "urgency": data.urgency,
                "people": [[pid, name] for pid, name in self.linked_people()]}

    def load_payload(self, payload: dict[str, Any]) -> None:
        self.entry_id, self.version = payload.get("entry_id"), payload.get("version")
        self._fill(datetime.fromisoformat(payload["call_at"]), payload, [tuple(p) for p in payload["people"]])

    def new_entry(self, call_at: datetime) -> None:
        self.entry_id = self.version = None
        self._fill(call_at, {}, [])
        self.heading.setText("<b>New call</b> — saved drafts survive a crash")

    def load_item(self, item: HandoverItem) -> None:
        self.entry_id, self.version = item.id, item.version
        self._fill(item.call_at, {
            "reported": item.reported, "caller_name": item.caller_name, "caller_agency": item.caller_agency,
            "phone": item.phone, "children_text": item.children_text, "address_text": item.address_text,
            "emergency_services": item.emergency_services, "action_taken": item.action_taken,
            "outstanding": item.outstanding, "urgency": item.urgency}, list(item.people))

    def _fill(self, call_at: datetime, values: dict[str, Any], people: list[tuple[int, str]]) -> None:
        self._filling = True
        try:
            self._set(call_at, values, people)
        finally:
            self._filling = False

    def _set(self, call_at: datetime, values: dict[str, Any], people: list[tuple[int, str]]) -> None:
        local = call_at.astimezone(LONDON).replace(tzinfo=None, second=0, microsecond=0)
        self.call_at.setDateTime(QDateTime(local))
        self.urgency.setCurrentIndex(max(0, self.urgency.findData(values.get("urgency", "routine"))))
        for edit, key in ((self.caller_name, "caller_name"), (self.caller_agency, "caller_agency"),
                          (self.phone, "phone"), (self.children_text, "children_text"),
                          (self.address, "address_text")):
            edit.setText(values.get(key) or "")
        for box, key in ((self.reported, "reported"), (self.action_taken, "action_taken"),
                         (self.outstanding, "outstanding")):
            box.setPlainText(values.get(key) or "")
        self.emergency.setChecked(bool(values.get("emergency_services")))
        self.linked.clear()
        for pid, name in people:
            self._add_linked(pid, name)
        if self.entry_id is not None:
            self.heading.setText(f"<b>Editing entry {self.entry_id}</b> — until the handover")

    # -- linking known children -------------------------------------------------------------------------
    def link_person(self) -> None:
        dialog = LinkPersonDialog(self._people, self._actor, self)
        if dialog.exec() and dialog.chosen is not None:
            if dialog.chosen[0] not in [pid for pid, _ in self.linked_people()]:
                self._add_linked(*dialog.chosen)
                self.changed.emit()

    def _add_linked(self, person_id: int, name: str) -> None:
        item = QListWidgetItem(name)
        item.setData(Qt.ItemDataRole.UserRole, person_id)
        self.linked.addItem(item)

    def eventFilter(self, watched, event) -> bool:  # type: ignore[no-untyped-def]  # noqa: N802
        from PySide6.QtCore import QEvent

        if watched is self.linked and event.type() == QEvent.Type.KeyPress and \
                event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.linked.currentRow() >= 0:
            self.linked.takeItem(self.linked.currentRow())
            self.changed.emit()
            return True
        return super().eventFilter(watched, event)
