"""People: search for a person, read their history, and (managers) merge or unmerge duplicates."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mashdesk.atlas.service import AtlasService
from mashdesk.context import Actor, AppContext
from mashdesk.errors import MashDeskError
from mashdesk.drafts import DraftService
from mashdesk.people.record import PersonRecordService
from mashdesk.people.service import PeopleService, PersonInput
from mashdesk.people.views import PersonHistory
from mashdesk.services.access_log import AccessLogService
from ui.formatting import local_date, local_time
from ui.people.merge_dialog import MergeDialog
from ui.people.person_page import PersonPage
from ui.people.person_search import PersonSearchPanel


def history_html(p: PersonHistory) -> str:
    """A person's record and history as the detail pane shows it."""
    born = local_date(p.date_of_birth) or (f"due {local_date(p.expected_date_of_birth)}"
                                           if p.expected_date_of_birth else "not known")
    facts = [("Date of birth", born), ("Sex", p.sex), ("NHS number", p.nhs_number or "—"),
             ("UPN", p.upn or "—"), ("Address", p.address or "—"), ("Other names", "; ".join(p.other_names) or "—"),
             ("Last 12 months", f"{p.contacts_12m} contacts, {p.referrals_12m} referrals")]
    rows = "".join(f"<tr><th align=left>{k}</th><td>{v}</td></tr>" for k, v in facts)
    flags = "".join(f"<li><b>{f}</b></li>" for f in p.flags) or "<li>none</li>"
    contacts = "".join(f"<li>{c.reference} · {local_time(c.received_at)} · {c.role} · "
                       f"{c.outcome or 'open'}{' · referral' if c.referral else ''}</li>" for c in p.contacts)
    merged = f"<p><b>Merged into person {p.merged_into_id}.</b></p>" if p.merged_into_id else ""
    return (f"<h2>{p.name}</h2>{merged}<table>{rows}</table><h3>Flags</h3><ul>{flags}</ul>"
            f"<h3>Contacts</h3><ul>{contacts or '<li>none</li>'}</ul>")


class PeopleView(QWidget):
    """Emits ``loaded`` once shown; ``person_shown(id)`` when a person's history is on screen."""

    loaded = Signal()
    person_shown = Signal(int)

    def __init__(self, service: PeopleService, actor: Actor, record: PersonRecordService,
                 drafts: DraftService, atlas: AtlasService | None = None, parent: QWidget | None = None,
                 access_log: AccessLogService | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("peopleView")
        self.service, self.actor = service, actor
        self.page = PersonPage(record, drafts, actor, atlas, access_log=access_log)
        self.current: PersonHistory | None = None
        self.marked: PersonHistory | None = None
        self.search = PersonSearchPanel(service, actor)
        self.detail = QTextBrowser()
        self.detail.setObjectName("personHistory")
        self.detail.setAccessibleName("Person's history")
        self.detail.setHtml("<p>Search, then choose a person to see their history.</p>")
        self.mark = QPushButton("Mark as &duplicate")
        self.mark.setAccessibleName("Mark this person as a possible duplicate")
        self.merge = QPushButton("&Merge duplicate into this person…")
        self.unmerge = QPushButton("&Undo last merge")
        for b in (self.mark, self.merge, self.unmerge):
            b.setEnabled(False)
            if not actor.may("person.merge"):  # only hidden: shown before it has a parent it would be a window
                b.hide()

        right = QWidget()
        buttons = QHBoxLayout()
        for b in (self.mark, self.merge, self.unmerge):
            buttons.addWidget(b)
        buttons.addStretch(1)
        right_layout = QVBoxLayout(right)
        self.page.add_tab(self.detail, "C&ontacts")
        right_layout.addWidget(self.page, 1)
        right_layout.addLayout(buttons)
        splitter = QSplitter()
        splitter.addWidget(self.search)
        splitter.addWidget(right)
        splitter.setSizes([420, 780])
        QVBoxLayout(self).addWidget(splitter)

        self.search.person_chosen.connect(self.open_person)
        self.page.changed.connect(self._page_changed)
        self.search.create_requested.connect(self._create)
        self.mark.clicked.connect(self._mark)
        self.merge.clicked.connect(self._merge)
        self.unmerge.clicked.connect(self._unmerge)

    @classmethod
    def for_context(cls, ctx: AppContext, actor: Actor) -> PeopleView:
        return cls(PeopleService(ctx), actor, PersonRecordService(ctx), DraftService(ctx), AtlasService(ctx),
                   access_log=AccessLogService(ctx))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.search.first.setFocus()

    def refresh(self) -> None:
        """Shown again: the search is ready to type into, and the person shown is read afresh."""
        self.search.first.setFocus()
        if self.current is not None:
            self.show_person(self.current.person_id)
        self.loaded.emit()

    def open_person(self, person_id: int) -> None:
        """Open the Person page of ``person_id`` (Enter on a result, or from a contact) and go to its fields."""
        if self.show_person(person_id):
            self.page.focus_first()

    def show_person(self, person_id: int) -> bool:
        try:
            self.page.load(person_id)  # opening a restricted record is audited here, once
            self.current = self.service.history(self.actor, person_id, audit_open=False)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot show this person", str(exc))
            return False
        self.detail.setHtml(history_html(self.current))
        self._buttons()
        self.person_shown.emit(person_id)
        return True

    def _page_changed(self, person_id: int) -> None:
        self.current = self.service.history(self.actor, person_id, audit_open=False)
        self.detail.setHtml(history_html(self.current))

    def _buttons(self) -> None:
        p = self.current
        self.mark.setEnabled(p is not None and p.merged_into_id is None)
        self.merge.setEnabled(p is not None and self.marked is not None and self.marked.person_id != p.person_id)
        self.unmerge.setEnabled(p is not None and self._undoable(p) is not None)

    @staticmethod
    def _undoable(p: PersonHistory) -> int | None:
        open_merges = [m for m in p.merges if m.survivor_id == p.person_id and m.undone_at is None]
        return open_merges[0].merge_id if open_merges else None

    def _mark(self) -> None:
        self.marked = self.current
        self._buttons()

    def _merge(self) -> None:
        if self.current is None or self.marked is None:
            return
        try:
            records = (self.page.service.open(self.actor, self.current.person_id),
                       self.page.service.open(self.actor, self.marked.person_id))
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot merge", str(exc))
            return
        dialog = MergeDialog(self.service, self.actor, self.current, self.marked, self, records)
        if dialog.exec():
            self.marked = None
            kept = dialog.duplicate if dialog.swap.isChecked() else dialog.survivor
            self.show_person(kept.person_id)

    def _unmerge(self) -> None:
        if self.current is None or (merge_id := self._undoable(self.current)) is None:
            return
        answer = QMessageBox.question(self, "Undo merge", "Undo the last merge into this person? Both records "
                                      "get back exactly the contacts, names and addresses they had.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.service.unmerge(self.actor, merge_id)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot undo the merge", str(exc))
            return
        self.show_person(self.current.person_id)

    def _create(self, terms: dict[str, Any]) -> None:
        dob: date | None = terms["date_of_birth"]
        who = f"{terms['first_name']} {terms['last_name']}" + (f", born {local_date(dob)}" if dob else "")
        answer = QMessageBox.question(self, "Create new person", f"No match chosen. Add {who} as a new person?")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            person_id = self.service.create_person(self.actor, PersonInput(
                first_name=terms["first_name"], last_name=terms["last_name"], date_of_birth=dob,
                postcode=terms["postcode"]))
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot create this person", str(exc))
            return
        self.open_person(person_id)  # straight into the new person's details
