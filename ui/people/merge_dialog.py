"""Merge two person records after seeing them side by side."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from mashdesk.context import Actor
from mashdesk.errors import MashDeskError
from mashdesk.people.service import PeopleService
from mashdesk.people.views import PersonHistory
from ui.formatting import local_date


def _rows(p: PersonHistory) -> list[tuple[str, str]]:
    return [
        ("Name", p.name), ("Record", f"{p.person_id}" + (f" ({p.external_id})" if p.external_id else "")),
        ("Date of birth", local_date(p.date_of_birth) or (f"due {local_date(p.expected_date_of_birth)}"
                                                          if p.expected_date_of_birth else "not known")),
        ("Sex", p.sex), ("NHS number", p.nhs_number or "—"), ("UPN", p.upn or "—"), ("Address", p.address or "—"),
        ("Other names", "; ".join(p.other_names) or "—"),
        ("Contacts, 12 months", f"{p.contacts_12m} ({p.referrals_12m} referrals)"),
        ("All contacts", str(len(p.contacts))), ("Flags", "; ".join(p.flags) or "—"),
    ]


class MergeDialog(QDialog):
    """Shows the record that stays and the duplicate; Merge calls the service."""

    def __init__(self, service: PeopleService, actor: Actor, survivor: PersonHistory, duplicate: PersonHistory,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Merge duplicate person records")
        self.service, self.actor = service, actor
        self.survivor, self.duplicate = survivor, duplicate
        self.merge_id: int | None = None
        side = QHBoxLayout()
        self.boxes: list[QGroupBox] = []
        for title, person in (("Keep this record", survivor), ("Merge this duplicate into it", duplicate)):
            box = QGroupBox(title)
            box.setAccessibleName(f"{title}: {person.name}")
            form = QFormLayout(box)
            for label, value in _rows(person):
                shown = QLabel(value)
                shown.setWordWrap(True)
                shown.setAccessibleName(f"{title}: {label}")
                form.addRow(label, shown)
            side.addWidget(box)
            self.boxes.append(box)
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
        layout.addLayout(side)
        layout.addWidget(self.swap)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def accept(self) -> None:
        keep, drop = (self.duplicate, self.survivor) if self.swap.isChecked() else (self.survivor, self.duplicate)
        try:
            self.merge_id = self.service.merge(self.actor, keep.person_id, drop.person_id)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot merge", str(exc))
            return
        super().accept()
