"""Merge two person records after seeing them field by field, their differences highlighted.

Dates of birth more than a year apart belong to different children unless the manager
says why they are one: the dialog asks for that reason and the service refuses without it.
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from PySide6.QtGui import QBrush, QColor

from mashdesk.context import Actor
from mashdesk.errors import MashDeskError
from mashdesk.people.details import LABELS
from mashdesk.people.service import PeopleService
from mashdesk.people.views import PersonHistory, PersonRecord
from ui.formatting import local_date

DIFFERENT = QColor("#fde2a6")
#: Days apart past which the dates of birth need a reason to merge (the service checks the same).
DOB_APART_DAYS = 365


def _rows(p: PersonHistory, r: PersonRecord | None) -> dict[str, str]:
    rows = {
        "Name": p.name, "Record": f"{p.person_id}" + (f" ({p.external_id})" if p.external_id else ""),
        "Date of birth": local_date(p.date_of_birth) or (f"due {local_date(p.expected_date_of_birth)}"
                                                         if p.expected_date_of_birth else "not known"),
        "Sex": p.sex, "Address": p.address or "—", "Other names": "; ".join(p.other_names) or "—",
    }
    if r is not None:
        for key, value in r.details.as_dict().items():
            if key not in ("first_name", "last_name", "date_of_birth", "expected_date_of_birth", "sex"):
                rows[LABELS[key][:1].upper() + LABELS[key][1:]] = "—" if value in (None, False) else (
                    "yes" if value is True else str(value))
        rows["Relationships"] = "; ".join(rel.text for rel in r.relationships) or "—"
    rows["Contacts, 12 months"] = f"{p.contacts_12m} ({p.referrals_12m} referrals)"
    rows["All contacts"] = str(len(p.contacts))
    rows["Flags"] = "; ".join(p.flags) or "—"
    return rows


def dob_days_apart(a: PersonHistory, b: PersonHistory) -> int | None:
    da = a.date_of_birth or a.expected_date_of_birth
    db = b.date_of_birth or b.expected_date_of_birth
    return abs((da - db).days) if da and db else None


class MergeDialog(QDialog):
    """Shows the record that stays and the duplicate side by side; Merge calls the service."""

    def __init__(self, service: PeopleService, actor: Actor, survivor: PersonHistory, duplicate: PersonHistory,
                 parent: QWidget | None = None, records: tuple[PersonRecord, PersonRecord] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Merge duplicate person records")
        self.resize(900, 640)
        self.service, self.actor = service, actor
        self.survivor, self.duplicate = survivor, duplicate
        self.merge_id: int | None = None
        left = _rows(survivor, records[0] if records else None)
        right = _rows(duplicate, records[1] if records else None)
        self.table = QTableWidget(len(left), 2)
        self.table.setObjectName("mergeFields")
        self.table.setAccessibleName("The two records field by field; differences highlighted")
        self.table.setHorizontalHeaderLabels(["Keep this record", "Merge this duplicate into it"])
        self.table.setVerticalHeaderLabels(list(left))
        self.differences: list[str] = []
        for row, label in enumerate(left):
            a, b = left[label], right.get(label, "—")
            differ = a != b and label not in ("Record", "Contacts, 12 months", "All contacts")
            if differ:
                self.differences.append(label)
            for col, text in enumerate((a, b)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if differ:
                    item.setBackground(QBrush(DIFFERENT))
                self.table.setItem(row, col, item)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 330)
        summary = QLabel("Differences, highlighted: " + (escape(", ".join(self.differences)) or "none"))
        summary.setObjectName("mergeDifferences")
        summary.setWordWrap(True)
        self.apart = dob_days_apart(survivor, duplicate)
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason for merging records with different dates of birth")
        self.reason.setPlaceholderText("Why these are one child (e.g. birth certificate seen)")
        apart = f"{(self.apart or 0) / 365.25:.0f} years" if (self.apart or 0) > 730 else f"{self.apart} days"
        reason_label = QLabel(f"<b>The dates of birth are {apart} apart.</b> They are different "
                              "children unless you give a &reason:")
        reason_label.setWordWrap(True)
        reason_label.setBuddy(self.reason)
        self.swap = QCheckBox("&Keep the right-hand record instead")
        self.swap.setAccessibleName("Keep the right-hand record instead")
        note = QLabel("Every contact, name and address of the duplicate moves to the record kept. "
                      "The merge is audited and a manager can undo it from the People view.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = buttons.addButton("&Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setAutoDefault(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(reason_label)
        layout.addWidget(self.reason)
        layout.addWidget(self.swap)
        layout.addWidget(note)
        layout.addWidget(buttons)
        if self.apart is None or self.apart <= DOB_APART_DAYS:  # hidden only once parented: never a window
            reason_label.hide()
            self.reason.hide()

    def accept(self) -> None:
        keep, drop = (self.duplicate, self.survivor) if self.swap.isChecked() else (self.survivor, self.duplicate)
        try:
            self.merge_id = self.service.merge(self.actor, keep.person_id, drop.person_id,
                                               reason=self.reason.text() or None)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot merge", str(exc))
            if self.reason.isVisible():
                self.reason.setFocus()
            return
        super().accept()
