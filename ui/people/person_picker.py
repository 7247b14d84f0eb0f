"""Add a person to a contact: search first (the known-child search), create only after searching."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from mashdesk.context import Actor
from mashdesk.contacts.service import OTHER_ROLES
from mashdesk.people.service import PeopleService, PersonInput
from ui.keys import ReturnDoesNotSubmit
from ui.people.person_search import PersonSearchPanel, parse_dob


@dataclass(frozen=True)
class PickedPerson:
    """A known person (``person_id``) or a new one (``new_person``), as the contact form holds it."""

    name: str
    person_id: int | None = None
    new_person: PersonInput | None = None
    role: str = "child"
    relationship: str | None = None
    parental_responsibility: bool = False
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        new = self.new_person
        return {"name": self.name, "person_id": self.person_id, "role": self.role, "relationship": self.relationship,
                "parental_responsibility": self.parental_responsibility, "note": self.note,
                "new_person": None if new is None else {
                    "first_name": new.first_name, "last_name": new.last_name, "sex": new.sex,
                    "date_of_birth": new.date_of_birth.isoformat() if new.date_of_birth else None,
                    "expected_date_of_birth": (new.expected_date_of_birth.isoformat()
                                               if new.expected_date_of_birth else None),
                    "postcode": new.postcode}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PickedPerson:
        new = data.get("new_person")
        person = None
        if new:
            person = PersonInput(
                first_name=new["first_name"], last_name=new["last_name"], sex=new.get("sex") or "U",
                date_of_birth=date.fromisoformat(new["date_of_birth"]) if new.get("date_of_birth") else None,
                expected_date_of_birth=(date.fromisoformat(new["expected_date_of_birth"])
                                        if new.get("expected_date_of_birth") else None),
                postcode=new.get("postcode"))
        return cls(name=data["name"], person_id=data.get("person_id"), new_person=person,
                   role=data.get("role", "child"), relationship=data.get("relationship"),
                   parental_responsibility=bool(data.get("parental_responsibility")), note=data.get("note", ""))


class PersonPickerDialog(ReturnDoesNotSubmit):
    """Search → choose a known person (Enter), or → "Create new person" with the terms carried over."""

    def __init__(self, service: PeopleService, actor: Actor, role: str = "child",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a child" if role == "child" else "Add a person")
        self.resize(640, 560)
        self._service, self._actor = service, actor
        self.picked: PickedPerson | None = None
        self.role = QComboBox()
        self.role.setAccessibleName("Role in the contact")
        roles = {"child": "Child the contact is about", **OTHER_ROLES}
        for code, label in roles.items():
            self.role.addItem(label, code)
        self.role.setCurrentIndex(list(roles).index(role))
        self.relationship = QLineEdit(placeholderText="e.g. mother, stepfather, neighbour")
        self.relationship.setAccessibleName("Relationship to the child")
        self.pr = QCheckBox("Has &parental responsibility")
        top = QFormLayout()
        top.addRow("&Role:", self.role)
        top.addRow("Relations&hip:", self.relationship)
        top.addRow("", self.pr)

        self.search = PersonSearchPanel(service, actor, self)
        self.search.person_chosen.connect(self._known)
        self.search.create_requested.connect(self._create)

        self.new_form = QWidget()
        self.first = QLineEdit()
        self.first.setAccessibleName("New person's first name")
        self.last = QLineEdit()
        self.last.setAccessibleName("New person's last name")
        self.dob = QLineEdit(placeholderText="DD/MM/YYYY")
        self.dob.setAccessibleName("New person's date of birth")
        self.unborn = QCheckBox("&Unborn (the date is the expected date of birth)")
        self.sex = QComboBox()
        self.sex.setAccessibleName("New person's sex")
        for code, label in (("U", "Not known"), ("F", "Female"), ("M", "Male")):
            self.sex.addItem(label, code)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828")
        form = QFormLayout(self.new_form)
        form.addRow(QLabel("<b>New person</b> — nobody known matched; check the details:"))
        form.addRow("&First name *", self.first)
        form.addRow("&Last name *", self.last)
        form.addRow("Date of &birth", self.dob)
        form.addRow("", self.unborn)
        form.addRow("&Sex", self.sex)
        form.addRow(self.error)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.search)
        self.pages.addWidget(self.new_form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add new person")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).hide()
        # Esc cancels; Alt+C belongs to "Create new person".
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Cancel (Esc)")
        self.buttons.accepted.connect(self._add_new)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.buttons)


    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Return searches on the search page; on the new-person page it adds the person."""
        if self.pages.currentWidget() is self.new_form and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._add_new()
            return
        super().keyPressEvent(event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.search.first.setFocus()  # search first: the role defaults to what was asked for

    def _common(self) -> dict[str, Any]:
        return {"role": self.role.currentData(), "relationship": self.relationship.text().strip() or None,
                "parental_responsibility": self.pr.isChecked()}

    def _known(self, person_id: int) -> None:
        match = next((m for m in self.search.results_shown if m.person_id == person_id), None)
        name = match.name if match else self._service.history(self._actor, person_id).name
        note = ""
        if match and match.referrals_12m:
            note = f"re-referral: {match.referrals_12m} referral(s) in the last 12 months"
        self.picked = PickedPerson(name=name, person_id=person_id, note=note, **self._common())
        self.accept()

    def _create(self, terms: dict[str, Any]) -> None:
        self.first.setText(terms.get("first_name") or "")
        self.last.setText(terms.get("last_name") or "")
        dob = terms.get("date_of_birth")
        self.dob.setText(dob.strftime("%d/%m/%Y") if dob else "")
        self.pages.setCurrentWidget(self.new_form)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).show()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        self.sex.setFocus()

    def _add_new(self) -> None:
        try:
            typed = parse_dob(self.dob.text())
        except ValueError:
            self.error.setText("Date of birth: use DD/MM/YYYY")
            self.dob.setFocus()
            return
        if not self.first.text().strip() or not self.last.text().strip():
            self.error.setText("First and last name are required (use 'Unborn' as the first name of a baby "
                               "not yet born)")
            (self.first if not self.first.text().strip() else self.last).setFocus()
            return
        unborn = self.unborn.isChecked()
        person = PersonInput(first_name=self.first.text().strip(), last_name=self.last.text().strip(),
                             date_of_birth=None if unborn else typed, expected_date_of_birth=typed if unborn else None,
                             sex=self.sex.currentData())
        self.picked = PickedPerson(name=f"{person.first_name} {person.last_name}", new_person=person,
                                   note="new person", **self._common())
        self.accept()
