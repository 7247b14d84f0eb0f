"""The Person page: a person's whole record, edited from the keyboard, autosaved as a draft, with its history.

Opened with Enter on a person found in the People view (Ctrl+7), and with Ctrl+Shift+P from
an open contact. Tabs (Alt + the underlined letter, or Ctrl+Tab): De&tails (Alt+T), &Names
(Alt+N), Add&resses (Alt+R), Relat&ionships (Alt+I), Histor&y (Alt+Y), C&ontacts (Alt+O),
Atlas markers, Access &log (Alt+L: who looked at the record, for managers and administrators). In Details, Alt+E ethnicity, Alt+G religion, Alt+S school; Tab goes down the
fields. Ctrl+S saves the details; each save is one audited change refused if someone else
changed the person since it was shown. What is typed is kept as a draft every few seconds
and offered back when the same person is opened again.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mashdesk.atlas.service import AtlasService
from mashdesk.context import Actor
from mashdesk.drafts import DraftService
from mashdesk.errors import InputError, MashDeskError
from mashdesk.people.record import PersonRecordService
from mashdesk.people.views import PersonRecord
from mashdesk.services.access_log import AccessLogService
from ui.autosave import Autosaver
from ui.people.access_log_tab import TITLE as ACCESS_LOG_TITLE
from ui.people.access_log_tab import AccessLogTab
from ui.people.person_details_form import PersonDetailsForm
from ui.people.person_sections import AddressesTab, Change, HistoryTab, NamesTab, RelationshipsTab

FORM = "person"
NO_MARKERS = "No Atlas markers: the Atlas team has recorded no intelligence about this person."


class PersonPage(QWidget):
    """Shows one person (:meth:`load`); ``changed(person_id)`` after every save."""

    changed = Signal(int)

    def __init__(self, service: PersonRecordService, drafts: DraftService, actor: Actor,
                 atlas: AtlasService | None = None, parent: QWidget | None = None,
                 access_log: AccessLogService | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("personPage")
        self.service, self.drafts, self.actor = service, drafts, actor
        #: The Atlas team's markers, for the roles that may read them.
        self.atlas_service = atlas if atlas is not None and actor.may("atlas.read") else None
        self.record: PersonRecord | None = None
        self.autosave: Autosaver | None = None
        self.header = QLabel("Search, then press Enter on a person to open their record.")
        self.header.setObjectName("personHeader")
        self.header.setWordWrap(True)
        self.status = QLabel("")
        self.status.setObjectName("personPageStatus")
        self.status.setAccessibleName("Person page status")
        self.status.setWordWrap(True)

        self.form = PersonDetailsForm(service.codes)
        self.save_button = QPushButton("Save details (Ctrl+S)")
        self.save_button.setAccessibleName("Save the person's details")
        self.discard_button = QPushButton("Discard my changes")
        self.restrict_button = QPushButton("Restrict or lift… (Ctrl+Shift+L)")
        self.restrict_button.setAccessibleName("Restrict this record, or lift the restriction")
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.addWidget(self.form)
        bar = QHBoxLayout()
        for b in (self.save_button, self.discard_button, self.restrict_button):
            bar.addWidget(b)
        bar.addStretch(1)
        details_layout.addLayout(bar)
        details_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(details)

        self.names = NamesTab(self)
        self.addresses = AddressesTab(self)
        self.relationships = RelationshipsTab(self, service.codes.relationships)
        self.history = HistoryTab()
        self.atlas = QLabel(NO_MARKERS)
        self.atlas.setObjectName("atlasMarkers")
        self.atlas.setAccessibleName("Atlas markers on this person")
        self.atlas.setWordWrap(True)
        self.atlas.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Person record")
        for widget, title in ((scroll, "De&tails"), (self.names, "&Names"), (self.addresses, "Add&resses"),
                              (self.relationships, "Relat&ionships"), (self.history, "Histor&y")):
            self.tabs.addTab(widget, title)
        self._atlas_index = self.tabs.addTab(self.atlas, "Atlas markers")
        self.tabs.setTabVisible(self._atlas_index, self.atlas_service is not None)
        #: Who looked at the record: for managers and administrators, read when its tab is shown.
        self.access_log = (AccessLogTab(access_log, actor) if access_log is not None and actor.may("audit.read")
                           else None)
        if self.access_log is not None:
            self.tabs.addTab(self.access_log, ACCESS_LOG_TITLE)
            self.tabs.currentChanged.connect(self._show_access_log)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        self.setEnabled(False)

        self.save_button.clicked.connect(self.save)
        self.discard_button.clicked.connect(self.discard)
        self.restrict_button.clicked.connect(self.restrict)
        self.restrict_button.setVisible(actor.may("person.restrict"))
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save, context=context)
        if actor.may("person.restrict"):
            QShortcut(QKeySequence("Ctrl+Shift+L"), self, activated=self.restrict, context=context)
        self.fields: dict[str, QWidget] = {**self.form.fields, **self.names.fields, **self.addresses.fields,
                                           **self.relationships.fields}

    # -- extra tabs ------------------------------------------------------------------------------
    def add_tab(self, widget: QWidget, title: str) -> None:
        """Another view of the person (the People view puts their contacts here), before Atlas markers."""
        self.tabs.insertTab(self._atlas_index, widget, title)
        self._atlas_index += 1

    def _show_atlas(self, person_id: int) -> None:
        if self.atlas_service is None:
            return
        markers = self.atlas_service.markers(self.actor, person_id)
        self.atlas.setText("\n".join(f"• {m.line}" for m in markers) if markers else NO_MARKERS)
        self.tabs.setTabText(self._atlas_index, f"Atlas markers ({len(markers)})" if markers else "Atlas markers")

    def _show_access_log(self) -> None:
        if self.access_log is not None and self.record is not None and self.tabs.currentWidget() is self.access_log:
            self.access_log.show_person(self.record.person_id)

    # -- showing ----------------------------------------------------------------------------------
    def load(self, person_id: int) -> None:
        """Open ``person_id`` (raises :class:`MashDeskError`, e.g. a restricted record, to the caller)."""
        record = self.service.open(self.actor, person_id)
        self._stop_autosave()
        self.show_record(record)
        self._show_atlas(person_id)
        self.autosave = Autosaver(self.drafts, self.actor, FORM, self.form.snapshot, key=str(person_id),
                                  parent=self)
        draft = self.autosave.offer()
        if draft is not None and draft.payload != self.form.snapshot():
            self.form.restore(draft.payload)
            self.status.setText(f"Recovered changes you typed at {draft.saved_at.astimezone():%d %b %H:%M} but "
                                "did not save. Ctrl+S saves them; Discard my changes drops them.")
        self.autosave.start()

    def show_record(self, r: PersonRecord) -> None:
        self.record = r
        self.setEnabled(r.merged_into_id is None and self.actor.may("person.update"))
        born = r.details.date_of_birth or r.details.expected_date_of_birth
        when = f", {'born' if r.details.date_of_birth else 'due'} {born:%d/%m/%Y}" if born else ""
        banner = (f"<br><span style='color:#a00000'><b>Restricted record</b>: {r.restricted_reason or ''}</span>"
                  if r.restricted else "")
        merged = f"<br><b>Merged into person {r.merged_into_id}.</b>" if r.merged_into_id else ""
        self.header.setText(f"<h2>{r.name}</h2>Person {r.person_id}{when}{banner}{merged}")
        self.form.show_details(r.details)
        self.names.show_record(r, self.service, self.actor)
        self.addresses.show_record(r, self.service, self.actor)
        self.relationships.show_record(r, self.service, self.actor)
        self.history.show_record(r)
        self._show_access_log()

    def focus_first(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.form.first.setFocus(Qt.FocusReason.OtherFocusReason)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        """Another view shown: keep what was typed now; the window closing: just stop."""
        if self.autosave is not None:
            if self.window().isVisible():
                self.autosave.save_now()
            self.autosave.stop()
        super().hideEvent(event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self.autosave is not None:
            self.autosave.start()

    def _stop_autosave(self) -> None:
        if self.autosave is not None:
            self.autosave.stop()
            self.autosave.deleteLater()
            self.autosave = None

    # -- changing ---------------------------------------------------------------------------------
    def fail(self, error: MashDeskError) -> None:
        text = str(error)
        self.status.setText(f"<span style='color:#a00000'>Not saved. {text[:1].upper()}{text[1:]}</span>")
        field = getattr(error, "field", None)
        widget = self.fields.get(field or "")
        if widget is not None:
            page = next((i for i in range(self.tabs.count()) if self.tabs.widget(i).isAncestorOf(widget)), None)
            if page is not None:
                self.tabs.setCurrentIndex(page)
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(widget, QLineEdit):
                widget.selectAll()

    def change(self, run: Change, done: str) -> bool:
        """Run one change with the version shown; reload and say so, or show why it was refused."""
        if self.record is None:
            return False
        try:
            run(self.record.version)
        except MashDeskError as exc:
            self.fail(exc)
            return False
        person_id = self.record.person_id
        self.show_record(self.service.open(self.actor, person_id, audit_open=False))
        self.status.setText(f"Saved: {done}.")
        self.changed.emit(person_id)
        return True

    def save(self) -> None:
        if self.record is None or not self.isEnabled():
            return
        try:
            details = self.form.details()
        except InputError as exc:
            self.fail(exc)
            return
        person_id = self.record.person_id
        if self.change(lambda v: self.service.save_details(self.actor, person_id, v, details), "details"):
            if self.autosave is not None:
                self.autosave.finish()
                self.autosave.start()

    def discard(self) -> None:
        if self.record is None:
            return
        self.form.show_details(self.record.details)
        if self.autosave is not None:
            self.autosave.finish()
            self.autosave.start()
        self.status.setText("Your unsaved changes were dropped.")

    def restrict(self) -> None:
        r = self.record
        if r is None or not self.actor.may("person.restrict"):
            return
        if r.restricted:
            self.change(lambda v: self.service.set_restricted(self.actor, r.person_id, v, False),
                        "restriction lifted")
            return
        reason, ok = QInputDialog.getText(self, "Restrict this record",
                                          "Why is the record restricted? (who the child must be protected from)")
        if ok:
            self.change(lambda v: self.service.set_restricted(self.actor, r.person_id, v, True, reason),
                        "record restricted")
