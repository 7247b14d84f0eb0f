"""The Atlas team's marker on a child of the chosen agenda item: kind, level, source, dates, restriction."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from mashdesk.atlas.markers import KINDS, LEVELS
from mashdesk.atlas.service import MarkerInput
from mashdesk.errors import InputError
from ui.people.person_search import parse_dob
from ui.triage.triage_dialogs import _Dialog

#: The review date a new marker is given unless the worker says otherwise.
DEFAULT_REVIEW = timedelta(weeks=12)


class MarkerDialog(_Dialog):
    def __init__(self, people: list[tuple[int, str]], today: date, parent: QWidget | None = None) -> None:
        super().__init__("Atlas marker", parent)
        self.person = QComboBox()
        self.person.setAccessibleName("Child")
        for person_id, name in people:
            self.person.addItem(name, person_id)
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of marker")
        for code, (_, name) in KINDS.items():
            self.kind.addItem(name, code)
        self.level = QComboBox()
        self.level.setAccessibleName("Level of concern")
        for code in reversed(LEVELS):
            self.level.addItem(code.capitalize(), code)
        self.source = QLineEdit()
        self.source.setAccessibleName("Source of the intelligence")
        self.noted = QLineEdit(today.strftime("%d/%m/%Y"))
        self.noted.setAccessibleName("Date noted (DD/MM/YYYY)")
        self.review = QLineEdit((today + DEFAULT_REVIEW).strftime("%d/%m/%Y"))
        self.review.setAccessibleName("Review date (DD/MM/YYYY)")
        self.restricted = QCheckBox("Restricted to the Atlas team and &police")
        self.row("C&hild:", self.person)
        self.row("&Kind:", self.kind)
        self.row("&Level:", self.level)
        self.row("&Source:", self.source)
        self.row("&Noted on:", self.noted)
        self.row("&Review on:", self.review)
        self.form.addRow(self.restricted)
        self.person.setFocus()

    def value(self) -> MarkerInput:
        dates = []
        for field, name in ((self.noted, "noted_on"), (self.review, "review_on")):
            try:
                day = parse_dob(field.text())
            except ValueError:
                day = None
            if day is None:
                raise InputError(f"{name.replace('_', ' ')}: give a date as DD/MM/YYYY", name)
            dates.append(day)
        return MarkerInput(person_id=self.person.currentData(), kind=self.kind.currentData(),
                           level=self.level.currentData(), source=self.source.text(), noted_on=dates[0],
                           review_on=dates[1], restricted=self.restricted.isChecked())
