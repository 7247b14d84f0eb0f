"""The meeting's small dialogs: an item's note and decision, an action, attendance, an item by hand, a note.

Each is filled by keyboard: the first field has the focus, Tab moves on, Return saves (every field is one line).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from mashdesk import codes
from mashdesk.meeting.views import AgendaRow
from mashdesk.meeting.workflow import DECISIONS, TABLE
from ui.triage.triage_dialogs import _Dialog


class RecordDialog(_Dialog):
    """The decision on an item and the note for the minutes (and, for an agency check, whom to ask)."""

    def __init__(self, item: AgendaRow, parent: QWidget | None = None) -> None:
        super().__init__(f"Record {item.reference or 'the item'}", parent)
        self.decision = QComboBox()
        self.decision.setAccessibleName("Decision")
        self.decision.addItem("No decision yet (note only)", None)
        for code, label in DECISIONS.items():
            self.decision.addItem(label, code)
        if item.decision:
            self.decision.setCurrentIndex(list(DECISIONS).index(item.decision) + 1)
        self.note = QLineEdit(item.note)
        self.note.setAccessibleName("Note for the minutes")
        self.agencies = QLineEdit("police, health, education")
        self.agencies.setAccessibleName("Agencies to ask, for an agency check")
        self.row("&Decision:", self.decision)
        self.row("&Note:", self.note)
        self.row("&Ask (agency check):", self.agencies)
        self.decision.setFocus()

    def values(self) -> tuple[str | None, str, list[str]]:
        agencies = [a.strip().lower().replace(" ", "_") for a in self.agencies.text().split(",") if a.strip()]
        return self.decision.currentData(), self.note.text(), agencies


class ActionDialog(_Dialog):
    """What is to be done, by whom (a person or an agency, perhaps a school), and the working day it is due."""

    def __init__(self, owners: list[tuple[str, int | None, str | None]], days: list[date],
                 school: str | None, parent: QWidget | None = None) -> None:
        super().__init__("Add an action", parent)
        self.text = QLineEdit()
        self.text.setAccessibleName("What is to be done")
        self.owner = QComboBox()
        self.owner.setAccessibleName("Owner")
        for label, user_id, agency in owners:
            self.owner.addItem(label, (user_id, agency))
        self.school = QLineEdit(school or "")
        self.school.setAccessibleName("School (for an education action)")
        self.due = QComboBox()
        self.due.setAccessibleName("Due (a working day)")
        for day in days:
            self.due.addItem(day.strftime("%a %d %b %Y"), day)
        self.row("&Action:", self.text)
        self.row("&Owner:", self.owner)
        self.row("&School:", self.school)
        self.row("D&ue:", self.due)
        self.text.setFocus()


class AttendanceDialog(_Dialog):
    """Who attended for each agency at the table; blank means the agency was not there."""

    def __init__(self, attendance: tuple[tuple[str, str, str], ...], parent: QWidget | None = None) -> None:
        super().__init__("Attendance", parent)
        self.fields: dict[str, QLineEdit] = {}
        for code, name, names in attendance:
            field = QLineEdit(names)
            field.setAccessibleName(f"Attended for {name}")
            self.fields[code] = field
            self.row(f"{name}:", field)
        self.fields[TABLE[0]].setFocus()

    def values(self) -> dict[str, str]:
        return {code: f.text() for code, f in self.fields.items()}


class AddItemDialog(_Dialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Add an item by hand", parent)
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("C-000123, or leave blank")
        self.reference.setAccessibleName("Contact reference")
        self.text = QLineEdit()
        self.text.setAccessibleName("What to discuss")
        self.police = QCheckBox("Detail restricted to &police")
        self.row("&Contact:", self.reference)
        self.row("&What:", self.text)
        self.form.addRow(self.police)
        self.reference.setFocus()


class NoteDialog(_Dialog):
    def __init__(self, title: str, label: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.text = QLineEdit()
        self.text.setAccessibleName(label.replace("&", "").rstrip(":"))
        self.row(label, self.text)
        self.text.setFocus()


AGENCY_NAMES = {code: codes.AGENCIES[code][0] for code in TABLE}
