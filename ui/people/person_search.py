"""The search-before-create panel: find the child the MASH already knows before adding anyone.

Results come as the person types (debounced, searched on a worker thread). Down moves
from the fields into the results, Up from the first result back to the fields, Enter
chooses. "Create new person" is enabled only once a search for the current terms has
run, and hands the typed terms on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mashdesk.context import Actor
from mashdesk.people.scoring import MatchQuery
from mashdesk.people.service import PeopleService
from mashdesk.people.views import PersonMatch
from ui.formatting import local_date

DEBOUNCE_MS = 300
_UK_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


def parse_dob(text: str) -> date | None:
    """DD/MM/YYYY (as people in the UK write it) or YYYY-MM-DD; ``None`` when empty.

    Raises ``ValueError`` for anything else.
    """
    text = text.strip()
    if not text:
        return None
    uk = _UK_DATE.match(text)
    if uk:
        return date(int(uk[3]), int(uk[2]), int(uk[1]))
    return date.fromisoformat(text)


def describe(match: PersonMatch) -> str:
    """The lines a practitioner reads for one candidate: who, why, and their history at a glance."""
    if match.masked:
        return f"{match.name}\n{'; '.join(match.reasons)}"
    born = (f"born {local_date(match.date_of_birth)}" if match.date_of_birth else
            f"due {local_date(match.expected_date_of_birth)}" if match.expected_date_of_birth else "no date of birth")
    who = " · ".join(x for x in (match.name, born, match.postcode or "") if x)
    why = f"{match.band.upper()} {match.score:.1f} — {'; '.join(match.reasons)}"
    history = f"{match.contacts_12m} contact{'s' if match.contacts_12m != 1 else ''} in 12 months"
    if match.referrals_12m:
        history += f" ({match.referrals_12m} referral{'s' if match.referrals_12m != 1 else ''})"
    return "\n".join([who, why, " · ".join([history, *match.flags])])


class _Signals(QObject):
    #: generation, results (list[PersonMatch]) or None, error message or None
    done = Signal(int, object, object)


def _search_job(search: Callable[[MatchQuery], list[PersonMatch]], query: MatchQuery, generation: int,
                signals: _Signals) -> Callable[[], None]:
    """One search for the thread pool; it only emits, it never touches a widget."""
    def run() -> None:
        try:
            signals.done.emit(generation, search(query), None)
        except Exception as exc:  # shown in the panel's status line
            signals.done.emit(generation, None, str(exc))

    return run


class PersonSearchPanel(QWidget):
    """Emits ``person_chosen(id)`` for a known person, ``create_requested(terms)`` for a new one,
    and ``searched(count)`` each time results for the current terms are on screen."""

    person_chosen = Signal(int)
    create_requested = Signal(dict)
    searched = Signal(int)

    def __init__(self, service: PeopleService, actor: Actor, parent: QWidget | None = None,
                 debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self.setObjectName("personSearch")
        self.service, self.actor = service, actor
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.done.connect(self._show_results)
        self._generation = 0
        self._searched_terms: dict[str, Any] | None = None
        self.results_shown: list[PersonMatch] = []

        self.first = QLineEdit(placeholderText="First name")
        self.first.setAccessibleName("First name")
        self.last = QLineEdit(placeholderText="Last name")
        self.last.setAccessibleName("Last name")
        self.dob = QLineEdit(placeholderText="DD/MM/YYYY")
        self.dob.setAccessibleName("Date of birth")
        self.postcode = QLineEdit(placeholderText="e.g. BR1 3UH")
        self.postcode.setAccessibleName("Postcode")
        self.fields = (self.first, self.last, self.dob, self.postcode)
        form = QFormLayout()
        for label, edit in (("&First name", self.first), ("&Last name", self.last),
                            ("Date of &birth", self.dob), ("&Postcode", self.postcode)):
            buddy = QLabel(label)
            buddy.setBuddy(edit)
            form.addRow(buddy, edit)

        self.status = QLabel("Type a name to search for people the MASH already knows.")
        self.status.setObjectName("personSearchStatus")
        self.status.setAccessibleName("Search status")
        self.status.setWordWrap(True)
        self.results = QListWidget()
        self.results.setObjectName("personSearchResults")
        self.results.setAccessibleName("People found")
        self.results.setWordWrap(True)
        self.results.setAlternatingRowColors(True)
        self.create = QPushButton("&Create new person")
        self.create.setAccessibleName("Create new person")
        self.create.setToolTip("Enabled once a search has run: the terms typed are carried over")
        self.create.setEnabled(False)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.create)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        layout.addLayout(buttons)
        for a, b in zip((*self.fields, self.results), (*self.fields[1:], self.results, self.create), strict=True):
            self.setTabOrder(a, b)

        self._debounce = QTimer(self, singleShot=True, interval=debounce_ms)
        self._debounce.timeout.connect(self.search_now)
        for edit in self.fields:
            edit.textChanged.connect(self._changed)
            edit.returnPressed.connect(self.search_now)
            edit.installEventFilter(self)
        self.results.installEventFilter(self)
        self.results.itemActivated.connect(self._chosen)
        self.create.clicked.connect(self._create)

    # -- terms and searching -------------------------------------------------------------------
    def terms(self) -> dict[str, Any]:
        """What is typed: first and last name, date of birth (a ``date`` or ``None``), postcode."""
        return {"first_name": self.first.text().strip(), "last_name": self.last.text().strip(),
                "date_of_birth": parse_dob(self.dob.text()), "postcode": self.postcode.text().strip() or None}

    def set_terms(self, first: str = "", last: str = "", dob: str = "", postcode: str = "") -> None:
        for edit, value in zip(self.fields, (first, last, dob, postcode), strict=True):
            edit.setText(value)

    def _changed(self) -> None:
        self.create.setEnabled(False)
        self._searched_terms = None
        self._debounce.start()

    def search_now(self) -> None:
        """Search for what is typed now (Enter in a field, or the debounce running out)."""
        self._debounce.stop()
        try:
            terms = self.terms()
        except ValueError:
            self.status.setText("Date of birth: write it as DD/MM/YYYY.")
            return
        if len(terms["first_name"]) + len(terms["last_name"]) < 2:
            self.status.setText("Type at least two letters of a name.")
            return
        self._generation += 1
        self.status.setText("Searching…")
        query = MatchQuery(first_name=terms["first_name"], last_name=terms["last_name"],
                           date_of_birth=terms["date_of_birth"], postcode=terms["postcode"])
        self._pending_terms = terms
        self.pool.start(_search_job(lambda q: self.service.search(self.actor, q), query, self._generation,
                                    self._signals))

    def _show_results(self, generation: int, results: list[PersonMatch] | None, error: str | None) -> None:
        if generation != self._generation:
            return  # the terms changed since: a newer search is on its way
        self.results.clear()
        self.results_shown = results or []
        if error is not None:
            self.status.setText(f"The search failed: {error}")
            return
        for match in self.results_shown:
            item = QListWidgetItem(describe(match))
            item.setData(Qt.ItemDataRole.UserRole, match.person_id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, describe(match).replace("\n", ". "))
            self.results.addItem(item)
        likely = sum(m.band == "likely" for m in self.results_shown)
        count = len(self.results_shown)
        self.status.setText(
            "No one found: check the spelling, then create a new person." if not count else
            f"{count} found ({likely} likely). Down to go through them, Enter to choose.")
        if count:
            self.results.setCurrentRow(0)
        self._searched_terms = self._pending_terms
        self.create.setEnabled(True)
        self.searched.emit(count)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self._debounce.stop()
        self.pool.waitForDone()
        super().closeEvent(event)

    # -- choosing ------------------------------------------------------------------------------
    def _chosen(self, item: QListWidgetItem) -> None:
        row = self.results.row(item)
        match = self.results_shown[row] if 0 <= row < len(self.results_shown) else None
        if match is not None and match.masked:
            self.status.setText(f"{match.name}: {'; '.join(match.reasons)}.")
            return
        self.person_chosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    def _create(self) -> None:
        if self._searched_terms is not None:
            self.create_requested.emit(dict(self._searched_terms))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched in self.fields and key == Qt.Key.Key_Down and self.results.count():
                self.results.setFocus()
                if self.results.currentRow() < 0:
                    self.results.setCurrentRow(0)
                return True
            if watched is self.results and key == Qt.Key.Key_Up and self.results.currentRow() <= 0:
                self.last.setFocus()
                return True
            if watched is self.results and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                item = self.results.currentItem()
                if item is not None:
                    self._chosen(item)
                return True
        return super().eventFilter(watched, event)
