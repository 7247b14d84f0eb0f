"""The EDT handover: for managers the morning handover of the night's log; for the EDT, the shift's log.

Managers see every item of a period urgent first with its status, acknowledge one or
many (Ctrl+K), turn an item into a contact (Ctrl+M), record "no action for the day
service" with a reason (Ctrl+Shift+X) and print or save the handover sheet (Ctrl+P,
Ctrl+Shift+S; the PDF is built off the GUI thread). EDT social workers see their
shift's log with a quick-entry form that autosaves (Ctrl+I new, Ctrl+Return save).
Everyone who may appends notes (Ctrl+E).
"""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mashdesk.errors import InputError, MashDeskError
from mashdesk.context import Actor
from mashdesk.contacts.service import ContactChildInput
from mashdesk.drafts import DraftService
from mashdesk.handover.parsing import parse_children
from mashdesk.handover.service import ConversionInput, HandoverService
from mashdesk.handover.views import HandoverItem, HandoverPeriod, HandoverSheet
from mashdesk.people.service import PeopleService, PersonInput
from ui.autosave import INTERVAL_MS as AUTOSAVE_MS
from ui.autosave import Autosaver
from ui.formatting import LONDON
from ui.printing import print_document, save_document
from ui.progress import run_with_progress
from ui.handover.detail import item_html
from ui.handover.entry_form import EdtEntryForm
from ui.handover.log import EdtLogMixin

COLUMNS = ["Status", "Urgency", "Call", "Children", "Reported", "Caller", "Outstanding", "Acknowledged"]
DRAFT_FORM = "edt_entry"


def _short(moment) -> str:  # type: ignore[no-untyped-def]
    return moment.astimezone(LONDON).strftime("%a %d %b %H:%M")


class HandoverView(EdtLogMixin, QWidget):
    """Emits ``loaded`` when a period is on screen and ``open_contact(id)`` for a contact just made."""

    loaded = Signal()
    open_contact = Signal(int)
    #: The path of a handover sheet just saved.
    sheet_saved = Signal(str)

    def __init__(self, service: HandoverService, actor: Actor, people: PeopleService, drafts: DraftService,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handoverView")
        self.service, self.actor = service, actor
        self.log_mode = actor.may("edt.log")
        self.period: HandoverPeriod | None = None
        self.items: list[HandoverItem] = []

        self.heading = QLabel()
        self.heading.setObjectName("handoverHeading")
        self.heading.setAccessibleName("Handover period")
        self.heading.setWordWrap(True)
        self.day = QDateEdit(calendarPopup=True, displayFormat="ddd dd MMM yyyy")
        self.day.setAccessibleName("Morning the period ends")
        self.day.setToolTip("The working day whose morning ends the out-of-hours period")
        day_label = QLabel("Period ending the morning of &date:")
        day_label.setBuddy(self.day)
        self.message = QLabel()
        self.message.setObjectName("handoverMessage")
        self.message.setAccessibleName("Handover message")

        self.acknowledge = QPushButton("&Acknowledge (Ctrl+K)")
        self.make_contact = QPushButton("Make &contact (Ctrl+M)")
        self.no_action = QPushButton("&No action… (Ctrl+Shift+X)")
        self.print = QPushButton("&Print… (Ctrl+P)")
        self.save = QPushButton("Sa&ve sheet… (Ctrl+Shift+S)")
        for button, name in ((self.acknowledge, "Acknowledge the selected items"),
                             (self.make_contact, "Make a contact from the selected item"),
                             (self.no_action, "No action for the day service"),
                             (self.print, "Print the handover sheet"), (self.save, "Save the handover sheet as PDF")):
            button.setAccessibleName(name)
        # Only ever hidden here: showing a widget before it has a parent would flash it as a window.
        for button in (self.acknowledge, self.make_contact, self.no_action):
            if not actor.may("handover.acknowledge"):
                button.hide()
        for button in (self.print, self.save):
            if not actor.may("handover.print"):
                button.hide()

        top = QHBoxLayout()
        for w in (day_label, self.day):
            top.addWidget(w)
        top.addStretch(1)
        for w in (self.acknowledge, self.make_contact, self.no_action, self.print, self.save):
            top.addWidget(w)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("handoverTable")
        self.table.setAccessibleName("EDT items, urgent first")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((125, 62, 110, 170, 230, 170, 170, 120)):
            self.table.setColumnWidth(col, width)

        self.detail = QTextBrowser()
        self.detail.setObjectName("handoverItem")
        self.detail.setAccessibleName("The selected item in full")
        self.note = QLineEdit(placeholderText="Append a note to the selected item (Ctrl+E), Enter to add")
        self.note.setAccessibleName("Note to append")
        if not actor.may("edt.note"):
            self.note.hide()

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.form: EdtEntryForm | None = None
        self.autosaver: Autosaver | None = None
        if self.log_mode:
            self.form = EdtEntryForm(people, actor)
            self.new_entry = QPushButton("&New entry (Ctrl+I)")
            self.save_entry = QPushButton("Save &entry (Ctrl+Return)")
            self.complete = QPushButton("Mark comp&lete")
            buttons = QHBoxLayout()
            for b in (self.new_entry, self.save_entry, self.complete):
                buttons.addWidget(b)
            right_layout.addWidget(self.form)
            right_layout.addLayout(buttons)
            self.detail.setMaximumHeight(220)
            self.autosaver = Autosaver(drafts, actor, DRAFT_FORM, self.form.payload, parent=self)
            # Kept a few seconds after the last keystroke, and when the view is left.
            self._autosave = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
            self._autosave.timeout.connect(self.autosaver.save_now)
            self.form.changed.connect(self._form_changed)
            self.new_entry.clicked.connect(self.start_new_entry)
            self.save_entry.clicked.connect(self.save_form)
            self.complete.clicked.connect(self.complete_entry)
            for keys, slot in (("Ctrl+I", self.start_new_entry), ("Ctrl+Return", self.save_form),
                               ("Ctrl+L", self.form.link_person)):
                self._shortcut(keys, slot)
            self.table.activated.connect(lambda _index: self.edit_current())
        right_layout.addWidget(self.detail, 1)
        right_layout.addWidget(self.note)

        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([760, 480] if not self.log_mode else [560, 680])
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        self.setTabOrder(self.day, self.table)
        self.setTabOrder(self.table, self.note)

        self.day.setDate(QDate(self.service.default_day(actor)))
        self.day.dateChanged.connect(lambda _d: self.refresh())
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.acknowledge.clicked.connect(self.acknowledge_selected)
        self.make_contact.clicked.connect(self.make_contact_from_current)
        self.no_action.clicked.connect(self.no_action_for_selected)
        self.print.clicked.connect(self.print_sheet)
        self.save.clicked.connect(self.save_sheet)
        self.note.returnPressed.connect(self.add_note)
        # Keys the window's menus do not use (Ctrl+N, Ctrl+Shift+N, F5 are the window's).
        shortcuts = [("Ctrl+E", self.note.setFocus), ("Ctrl+P", self.print_sheet), ("Ctrl+Shift+S", self.save_sheet)]
        if actor.may("handover.acknowledge"):
            shortcuts += [("Ctrl+K", self.acknowledge_selected), ("Ctrl+M", self.make_contact_from_current),
                          ("Ctrl+Shift+X", self.no_action_for_selected)]
        for keys, slot in shortcuts:
            self._shortcut(keys, slot)
        self._offered = False

    def _shortcut(self, keys: str, slot) -> None:  # type: ignore[no-untyped-def]
        """A shortcut active while the focus is anywhere in this view (not in the other views)."""
        shortcut = QShortcut(QKeySequence(keys), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)

    # -- loading --------------------------------------------------------------------------------------
    def selected_day(self) -> date:
        return self.day.date().toPython()

    def refresh(self) -> None:
        """Load the period ending on the chosen morning; keeps the selection where it can."""
        keep = set(self.selected_ids())
        try:
            self.period = self.service.period(self.actor, self.selected_day())
        except MashDeskError as exc:
            self.period, self.items = None, []
            self.table.setRowCount(0)
            self.heading.setText(f"<b>{escape(str(exc))}</b>")
            self.loaded.emit()
            return
        p = self.period
        self.items = p.items
        what = "Shift log" if self.log_mode else "Morning handover"
        due = ("<span style='color:#c62828'><b>deadline passed</b></span>" if p.now > p.deadline
               else "due")
        self.heading.setText(
            f"<h2 style='margin:0'>{what}: {_short(p.start)} to {_short(p.end)}</h2>"
            f"Handover {due} {escape(_short(p.deadline))} · {escape(p.summary) if p.items else 'no calls logged'}")
        self._fill_table(keep)
        self._offer_draft()
        self.loaded.emit()

    def _fill_table(self, keep: set[int]) -> None:
        self.table.setRowCount(len(self.items))
        bold = QFont()
        bold.setBold(True)
        for r, item in enumerate(self.items):
            ack = f"{item.acknowledged_by} {item.acknowledged_at.astimezone(LONDON):%H:%M}" if item.acknowledged else ""
            values = [item.status_label, item.urgency, _short(item.call_at), item.children, item.reported,
                      item.caller, item.outstanding, ack]
            for c, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value)
                if c == 0:
                    cell.setData(Qt.ItemDataRole.UserRole, item.id)
                    if item.breached:
                        cell.setForeground(QBrush(QColor("#c62828")))
                        cell.setFont(bold)
                if c == 1 and item.urgent:
                    cell.setFont(bold)
                    cell.setForeground(QBrush(QColor("#b26a00")))
                self.table.setItem(r, c, cell)
        self.table.clearSelection()
        rows = [r for r, item in enumerate(self.items) if item.id in keep] or ([0] if self.items else [])
        model = self.table.selectionModel()
        for r in rows:
            model.select(self.table.model().index(r, 0),
                         model.SelectionFlag.Select | model.SelectionFlag.Rows)
        if rows:
            self.table.setCurrentCell(rows[0], 0, model.SelectionFlag.NoUpdate)
        self._selection_changed()

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.items[r].id for r in rows if r < len(self.items)]

    def current_item(self) -> HandoverItem | None:
        row = self.table.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def _selection_changed(self) -> None:
        item = self.current_item()
        self.detail.setHtml(item_html(item) if item else "<p>No item chosen.</p>")
        ids = set(self.selected_ids())
        chosen = [i for i in self.items if i.id in ids]
        self.acknowledge.setEnabled(any(not i.acknowledged for i in chosen))
        self.make_contact.setEnabled(item is not None and not item.dealt_with)
        self.no_action.setEnabled(bool(chosen) and all(not i.dealt_with for i in chosen))
        self.note.setEnabled(item is not None)
        if self.log_mode:
            self.complete.setEnabled(item is not None and item.editable and item.completed_at is None)

    # -- the handover ---------------------------------------------------------------------------------
    def _act(self, title: str, action) -> object | None:  # type: ignore[no-untyped-def]
        try:
            return action()
        except MashDeskError as exc:
            QMessageBox.warning(self, title, str(exc))
            self.refresh()
            return None

    def acknowledge_selected(self) -> None:
        ids = self.selected_ids()
        if not ids or not self.acknowledge.isEnabled():
            return
        done = self._act("Cannot acknowledge", lambda: self.service.acknowledge(self.actor, ids))
        if done is not None:
            self.message.setText(f"{len(done)} item{'s' if len(done) != 1 else ''} acknowledged by "
                                 f"{self.actor.display_name}")
            self.refresh()

    def make_contact_from_current(self) -> None:
        item = self.current_item()
        if item is None or item.dealt_with:
            return
        try:
            contact_id = self.service.make_contact(self.actor, item.id)
        except InputError as exc:
            if exc.field != "children":
                QMessageBox.warning(self, "Cannot make a contact", str(exc))
                return
            options = self._ask_children(item)
            if options is None:
                return
            result = self._act("Cannot make a contact", lambda: self.service.make_contact(self.actor, item.id, options))
            if result is None:
                return
            contact_id = int(result)  # type: ignore[call-overload]
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot make a contact", str(exc))
            self.refresh()
            return
        self.message.setText(f"Contact C-{contact_id:06d} made from the EDT item")
        self.refresh()
        self.open_contact.emit(contact_id)

    def _ask_children(self, item: HandoverItem) -> ConversionInput | None:
        """The entry names no children the desk can read: ask for them, one per line."""
        text, ok = QInputDialog.getMultiLineText(
            self, "Name the children",
            f"The entry says: {item.children_text or 'no children named'}\n"
            "Name each child, one per line: first and last name, and age if known, e.g. Amelia Smith (7)",
            item.children_text.replace(",", "\n"))
        if not ok:
            return None
        try:
            children = parse_children(text)
        except InputError as exc:
            QMessageBox.warning(self, "Cannot read the children", str(exc))
            return None
        return ConversionInput(children=[ContactChildInput(new_person=PersonInput(c.first_name, c.last_name))
                                         for c in children])

    def no_action_for_selected(self) -> None:
        ids = self.selected_ids()
        if not ids or not self.no_action.isEnabled():
            return
        reason, ok = QInputDialog.getMultiLineText(
            self, "No action for the day service",
            f"Why {'these items need' if len(ids) > 1 else 'this item needs'} no action by the day service:")
        if not ok:
            return
        done = self._act("Cannot record no action", lambda: self.service.no_action(self.actor, ids, reason))
        if done is not None:
            self.message.setText(f"No action recorded for {len(ids)} item{'s' if len(ids) != 1 else ''}")
            self.refresh()

    def add_note(self) -> None:
        item = self.current_item()
        text = self.note.text()
        if item is None or not text.strip():
            return
        if self._act("Cannot add the note", lambda: self.service.add_note(self.actor, item.id, text)) is not None:
            self.note.clear()
            self.message.setText("Note added")
            self.refresh()

    # -- the sheet --------------------------------------------------------------------------------------
    def _build_sheet(self) -> HandoverSheet | None:
        day = self.selected_day()
        try:
            return run_with_progress("Building the handover sheet…",
                                     lambda progress: self.service.sheet(self.actor, day))
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot build the handover sheet", str(exc))
            return None

    def save_sheet(self) -> None:
        default = str(Path.home() / f"edt-handover-{self.selected_day().isoformat()}.pdf")
        built: list[HandoverSheet] = []
        saved = save_document(self, "Save the handover sheet", default, lambda: self._sheet_pdf(built),
                              lambda pdf, path: self.service.save_sheet(self.actor, built[0], path))
        if saved is not None:
            self.message.setText(f"Handover sheet saved to {saved}")
            self.sheet_saved.emit(str(saved))

    def print_sheet(self) -> None:
        built: list[HandoverSheet] = []
        printer = print_document(self, lambda: self._sheet_pdf(built),
                                 lambda pdf, name: self.service.record_sheet_printed(self.actor, built[0], name))
        if printer is not None:
            self.message.setText(f"Handover sheet printed on {printer}")

    def _sheet_pdf(self, built: list[HandoverSheet]) -> bytes | None:
        """Build the sheet (off the GUI thread), keep it in ``built`` for the record, and give its PDF."""
        sheet = self._build_sheet()
        if sheet is None:
            return None
        built.append(sheet)
        return sheet.pdf
