"""The Person page's other tabs: other names, address history, relationships and households, history.

Each tab lists what is recorded and has a short form to add to it; the page runs every
change through :meth:`PersonPage.change` (one audited save with the version it showed).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Protocol

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mashdesk.context import Actor
from mashdesk.errors import InputError, MashDeskError
from mashdesk.people.record import HOUSEHOLD_ROLES, NAME_KINDS, AddressInput, PersonRecordService
from mashdesk.people.views import PersonRecord
from ui.formatting import local_time
from ui.people.person_search import parse_dob

#: A change the page makes with the version it shows: ``version → new version``.
Change = Callable[[int], int]


class PageHooks(Protocol):
    """What a tab asks of the Person page: run a change (True when saved), or show an error."""

    def change(self, run: Change, done: str) -> bool: ...

    def fail(self, error: MashDeskError) -> None: ...


def _date(edit: QLineEdit, label: str, field: str) -> date | None:
    try:
        return parse_dob(edit.text())
    except ValueError:
        raise InputError(f"{label}: write the date as DD/MM/YYYY", field) from None


def _shown(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else "?"


def _section(title: str, rows: QWidget, form: QFormLayout, buttons: list[QPushButton]) -> QVBoxLayout:
    layout = QVBoxLayout()
    layout.addWidget(QLabel(f"<b>{title}</b>"))
    layout.addWidget(rows, 1)
    layout.addLayout(form)
    bar = QHBoxLayout()
    for b in buttons:
        bar.addWidget(b)
    bar.addStretch(1)
    layout.addLayout(bar)
    return layout


def _list(name: str) -> QListWidget:
    rows = QListWidget()
    rows.setAccessibleName(name)
    rows.setObjectName(name.lower().replace(" ", "_"))
    return rows


class NamesTab(QWidget):
    """Aliases, former and preferred names, from when."""

    def __init__(self, page: PageHooks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._change, self._fail = page.change, page.fail
        self.rows = _list("Other names")
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of name")
        for kind in NAME_KINDS:
            self.kind.addItem(kind, kind)
        self.first = QLineEdit()
        self.first.setAccessibleName("Other name: first name")
        self.last = QLineEdit()
        self.last.setAccessibleName("Other name: last name")
        self.since = QLineEdit(placeholderText="DD/MM/YYYY")
        self.since.setAccessibleName("Other name: used from")
        self.add = QPushButton("&Add name")
        self.remove = QPushButton("Remo&ve name")
        form = QFormLayout()
        for label, w in (("Kind", self.kind), ("First name", self.first), ("Last name", self.last),
                         ("Used from", self.since)):
            form.addRow(label, w)
        self.setLayout(_section("Other names (aliases, former names)", self.rows, form, [self.add, self.remove]))
        self.add.clicked.connect(self._add)
        self.remove.clicked.connect(self._remove)
        self.fields = {"name_kind": self.kind, "name_first": self.first, "name_last": self.last,
                       "name_from": self.since}
        self._ids: list[int] = []

    def show_record(self, r: PersonRecord, service: PersonRecordService, actor: Actor) -> None:
        self._pid, self._service, self._actor = r.person_id, service, actor
        self.rows.clear()
        self._ids = [n.name_id for n in r.names]
        for n in r.names:
            since = f", from {_shown(n.from_date)}" if n.from_date else ""
            self.rows.addItem(f"{n.first_name} {n.last_name} ({n.kind}{since})")

    def _add(self) -> None:
        kind, first, last = self.kind.currentData(), self.first.text(), self.last.text()
        try:
            since = _date(self.since, "other name, from", "name_from")
        except InputError as exc:
            self._fail(exc)
            return
        if self._change(lambda v: self._service.add_name(self._actor, self._pid, v, kind, first, last, since),
                        "name added"):
            for edit in (self.first, self.last, self.since):
                edit.clear()

    def _remove(self) -> None:
        row = self.rows.currentRow()
        if 0 <= row < len(self._ids):
            name_id = self._ids[row]
            self._change(lambda v: self._service.remove_name(self._actor, self._pid, v, name_id),
                         "name removed")


class AddressesTab(QWidget):
    """The address history, newest first; recording a move ends the current address."""

    def __init__(self, page: PageHooks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._change, self._fail = page.change, page.fail
        self.rows = _list("Address history")
        self.line1 = QLineEdit()
        self.line1.setAccessibleName("New address: first line")
        self.town = QLineEdit()
        self.town.setAccessibleName("New address: town")
        self.postcode = QLineEdit()
        self.postcode.setAccessibleName("New address: postcode")
        self.since = QLineEdit(placeholderText="DD/MM/YYYY (empty: today)")
        self.since.setAccessibleName("New address: from")
        self.move = QPushButton("Record a mo&ve")
        form = QFormLayout()
        for label, w in (("First line", self.line1), ("Town", self.town), ("Postcode", self.postcode),
                         ("From", self.since)):
            form.addRow(label, w)
        self.setLayout(_section("Addresses, newest first", self.rows, form, [self.move]))
        self.move.clicked.connect(self._move)
        self.fields = {"address_line1": self.line1, "address_postcode": self.postcode, "address_from": self.since}

    def show_record(self, r: PersonRecord, service: PersonRecordService, actor: Actor) -> None:
        self._pid, self._service, self._actor = r.person_id, service, actor
        self.rows.clear()
        for a in r.addresses:
            when = f"from {_shown(a.from_date)}" + (" (current)" if a.current else f" to {_shown(a.to_date)}")
            self.rows.addItem(f"{a.one_line} — {when}")

    def _move(self) -> None:
        try:
            since = _date(self.since, "address, from", "address_from")
        except InputError as exc:
            self._fail(exc)
            return
        new = AddressInput(self.line1.text(), self.town.text(), self.postcode.text(), since)
        if self._change(lambda v: self._service.move_to(self._actor, self._pid, v, new), "move recorded"):
            for edit in (self.line1, self.town, self.postcode, self.since):
                edit.clear()


class RelationshipsTab(QWidget):
    """How others stand to the person, and the households they live in."""

    def __init__(self, page: PageHooks, kinds: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._change, self._fail = page.change, page.fail
        self.rows = _list("Relationships and households")
        self.other = QLineEdit(placeholderText="their person number (shown in People search)")
        self.other.setAccessibleName("Related person's number")
        self.kind = QComboBox()
        self.kind.setAccessibleName("Relationship")
        for k in kinds:
            self.kind.addItem(k, k)
        self.pr = QCheckBox("Has parental responsibility")
        self.role = QComboBox()
        self.role.setAccessibleName("Role in the household")
        for role in HOUSEHOLD_ROLES:
            self.role.addItem(role, role)
        self.add = QPushButton("&Add relationship")
        self.join = QPushButton("&Join their household")
        self.remove = QPushButton("Remove or leave (selected)")
        form = QFormLayout()
        form.addRow("Person number", self.other)
        form.addRow("Is their", self.kind)
        form.addRow("", self.pr)
        form.addRow("Role in their household", self.role)
        self.setLayout(_section("Relationships and households", self.rows, form, [self.add, self.join, self.remove]))
        self.add.clicked.connect(self._add)
        self.join.clicked.connect(self._join)
        self.remove.clicked.connect(self._remove)
        self.fields = {"relationship_person": self.other, "relationship_kind": self.kind,
                       "household_role": self.role}
        #: What each row is: ("relationship", id) or ("household", id).
        self._rows: list[tuple[str, int]] = []

    def show_record(self, r: PersonRecord, service: PersonRecordService, actor: Actor) -> None:
        self._pid, self._service, self._actor = r.person_id, service, actor
        self.rows.clear()
        self._rows = [("relationship", rel.relationship_id) for rel in r.relationships]
        for rel in r.relationships:
            self.rows.addItem(f"{rel.text} — person {rel.other_id}")
        for h in r.households:
            members = ", ".join(h.members) or "no one else"
            when = f"from {_shown(h.from_date)}" + (f" to {_shown(h.to_date)}" if h.to_date else "")
            self.rows.addItem(f"Household {h.label or h.household_id} ({h.role}, {when}) at {h.address or '?'}: "
                              f"{members}")
            self._rows.append(("household", h.household_id))

    def _other(self) -> int | None:
        text = self.other.text().strip()
        if not text.isdigit():
            self._fail(InputError("related person: give their person number", "relationship_person"))
            return None
        return int(text)

    def _join(self) -> None:
        if (other := self._other()) is None:
            return
        role = self.role.currentData()
        if self._change(lambda v: self._service.join_household(self._actor, self._pid, v, other, role),
                        "household joined"):
            self.other.clear()

    def _add(self) -> None:
        if (other := self._other()) is None:
            return
        text = str(other)
        kind, pr = self.kind.currentData(), self.pr.isChecked()
        if self._change(lambda v: self._service.add_relationship(self._actor, self._pid, v, int(text), kind, pr),
                        "relationship added"):
            self.other.clear()
            self.pr.setChecked(False)

    def _remove(self) -> None:
        row = self.rows.currentRow()
        if not 0 <= row < len(self._rows):
            return
        kind, ident = self._rows[row]
        if kind == "household":
            self._change(lambda v: self._service.leave_household(self._actor, self._pid, v, ident), "household left")
        else:
            self._change(lambda v: self._service.remove_relationship(self._actor, self._pid, v, ident),
                         "relationship removed")


class HistoryTab(QWidget):
    """Who changed what, and when: the audited changes, newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = _list("Changes to this record")
        self.rows.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Changes to this record, newest first</b>"))
        layout.addWidget(self.rows)

    def show_record(self, r: PersonRecord) -> None:
        self.rows.clear()
        for entry in r.history:
            lines = [f"{local_time(entry.at)} · {entry.who} · {entry.summary}"]
            lines += [f"    {label}: {before} → {after}" for label, before, after in entry.changes]
            self.rows.addItem("\n".join(lines))
