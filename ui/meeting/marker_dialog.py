"""The Atlas team's marker on a child of the chosen agenda item: kind, level, source, dates, restriction."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from mashdesk.atlas.markers import KINDS, LEVELS, MarkerView
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
        return MarkerInput(person_id=self.person.currentData(), kind=self.kind.currentData(),
                           level=self.level.currentData(), source=self.source.text(),
                           noted_on=read_date(self.noted, "noted_on"), review_on=read_date(self.review, "review_on"),
                           restricted=self.restricted.isChecked())


def read_date(field: QLineEdit, name: str) -> date:
    try:
        day = parse_dob(field.text())
    except ValueError:
        day = None
    if day is None:
        raise InputError(f"{name.replace('_', ' ')}: give a date as DD/MM/YYYY", name)
    return day


class ReviewDialog(_Dialog):
    """A marker's review: the next review date and the level now, or the marker ended."""

    def __init__(self, markers: list[tuple[str, MarkerView]], today: date, parent: QWidget | None = None) -> None:
        super().__init__("Review Atlas markers", parent)
        self.marker = QComboBox()
        self.marker.setAccessibleName("Marker")
        for name, m in markers:
            due = f", review {m.review_on.strftime('%d %b %Y')}" if m.review_on else ""
            self.marker.addItem(f"{name} — {m.label}{due}", m)
        self.level = QComboBox()
        self.level.setAccessibleName("Level of concern now")
        for code in reversed(LEVELS):
            self.level.addItem(code.capitalize(), code)
        self.review = QLineEdit((today + DEFAULT_REVIEW).strftime("%d/%m/%Y"))
        self.review.setAccessibleName("Next review (DD/MM/YYYY)")
        self.end = QCheckBox("&End the marker: the concern no longer stands")
        self.row("&Marker:", self.marker)
        self.row("&Level now:", self.level)
        self.row("&Next review:", self.review)
        self.form.addRow(self.end)
        self.marker.currentIndexChanged.connect(self._level_of_marker)
        self._level_of_marker()
        self.marker.setFocus()

    def _level_of_marker(self) -> None:
        m = self.marker.currentData()
        if m is not None and m.level:
            self.level.setCurrentIndex(max(self.level.findData(m.level), 0))

    def review_on(self) -> date:
        return read_date(self.review, "review_on")
