"""The daily MASH meeting (Ctrl+6): today's agenda, held item by item by keyboard, its actions, the minutes.

Keys: Alt+Left / Alt+Right / Alt+Home move between days; Ctrl+O opens the meeting; Ctrl+Shift+A takes
attendance; Return (or Ctrl+D) records the chosen item's note and decision and moves to the next;
Ctrl+J adds an action; Ctrl+Shift+I adds an item by hand; Ctrl+Shift+L closes the meeting (locks the
minutes); Ctrl+Shift+M adds an addendum; Ctrl+Shift+D marks the chosen action done; Ctrl+S / Ctrl+P save or
print the minutes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mashdesk.atlas.service import AtlasService
from mashdesk.clock import LONDON
from mashdesk.context import Actor
from mashdesk.errors import MashDeskError
from mashdesk.meeting.service import MeetingService
from mashdesk.meeting.views import ActionRow, AgendaRow, MeetingDetail
from mashdesk.meeting.workflow import TRANSITIONS, Owner
from ui.meeting.detail import brings, item_html
from ui.meeting.layout import ACTION_COLUMNS, ACTION_LISTS, BUTTONS, COLUMNS, list_table
from ui.meeting import atlas_actions
from ui.meeting.dialogs import ActionDialog, AddItemDialog, AttendanceDialog, NoteDialog, RecordDialog
from ui.printing import print_document, save_document

class MeetingView(QWidget):
    loaded = Signal()
    open_contact = Signal(int)

    def __init__(self, service: MeetingService, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("meetingView")
        self.service, self.actor, self.atlas = service, actor, AtlasService(service.ctx)
        self.day = service.meeting_day()
        self.current: MeetingDetail | None = None
        self.action_rows: list[ActionRow] = []

        self.heading = QLabel()
        self.heading.setObjectName("meetingHeading")
        self.heading.setAccessibleName("The meeting shown")
        self.count = QLabel()
        self.count.setObjectName("meetingCount")
        self.message = QLabel()
        self.message.setAccessibleName("What the last action did")
        bar = QHBoxLayout()
        for text, key, step in (("◀ &Previous day", "Alt+Left", -1), ("&Today", "Alt+Home", 0),
                                ("Next day ▶", "Alt+Right", 1)):
            b = QPushButton(text)
            b.setToolTip(key)
            b.setAccessibleName(text.replace("&", "").strip("◀▶ "))
            b.clicked.connect(lambda _=False, n=step: self.move_day(n))
            QShortcut(QKeySequence(key), self, activated=lambda n=step: self.move_day(n))
            bar.addWidget(b)
        bar.addWidget(self.heading, 1)
        bar.addWidget(self.message)
        bar.addSpacing(12)
        bar.addWidget(self.count)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("meetingAgenda")
        self.table.setAccessibleName("Today's agenda")
        list_table(self.table, COLUMNS, (95, 170, 160, 300, 70, 140))
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, activated=lambda: self.run("record"),
                  context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_Enter), self.table, activated=lambda: self.run("record"),
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.detail = QTextBrowser()
        self.detail.setObjectName("meetingDetail")
        self.detail.setAccessibleName("The chosen item, attendance and addenda")
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(self._link)

        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        for i, (action, (text, key, description)) in enumerate(BUTTONS.items()):
            b = QPushButton(text)
            b.setToolTip(f"{description} ({key})")
            b.setAccessibleName(description)
            b.clicked.connect(lambda _=False, a=action: self.run(a))
            QShortcut(QKeySequence(key), self, activated=lambda a=action: self.run(a))
            self.buttons[action] = b
            grid.addWidget(b, i // 3, i % 3)
        self.save_button = QPushButton("&Save minutes…")
        self.save_button.setToolTip("Save the minutes as you may read them (Ctrl+S)")
        self.print_button = QPushButton("&Print minutes…")
        self.print_button.setToolTip("Print the minutes (Ctrl+P)")
        self.save_button.clicked.connect(self.save_minutes)
        self.print_button.clicked.connect(self.print_minutes)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save_minutes)
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self.print_minutes)
        self.marker_button, self.review_button = atlas_actions.buttons(self)
        extras = (self.save_button, self.print_button, self.marker_button, self.review_button)
        for n, extra in enumerate(extras, start=len(BUTTONS)):
            grid.addWidget(extra, n // 3, n % 3)

        self.which = QComboBox()
        self.which.setAccessibleName("Which actions to list")
        for label, _ in ACTION_LISTS:
            self.which.addItem(label)
        if actor.role == "education":
            self.which.setCurrentIndex(2)
        self.actions = QTableWidget(0, len(ACTION_COLUMNS))
        self.actions.setObjectName("meetingActions")
        self.actions.setAccessibleName("Actions")
        list_table(self.actions, ACTION_COLUMNS, (80, 80, 300, 170, 170, 90, 80))
        self.done_button = QPushButton("Mark action &done…")
        self.done_button.setToolTip("Mark the chosen action done with a note (Ctrl+Shift+D)")
        self.done_button.setAccessibleName("Mark the chosen action done with a note")
        self.done_button.clicked.connect(self.mark_done)
        QShortcut(QKeySequence("Ctrl+Shift+D"), self, activated=self.mark_done)
        which_label = QLabel("Acti&ons:")
        which_label.setBuddy(self.which)
        actions_bar = QHBoxLayout()
        actions_bar.addWidget(which_label)
        actions_bar.addWidget(self.which)
        actions_bar.addStretch(1)
        actions_bar.addWidget(self.done_button)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail, 1)
        right_layout.addLayout(grid)
        top = QSplitter()
        top.addWidget(self.table)
        top.addWidget(right)
        top.setSizes([950, 330])
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addLayout(actions_bar)
        bottom_layout.addWidget(self.actions, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setSizes([600, 260])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        order = [self.table, self.detail, *self.buttons.values(), self.save_button, self.print_button,
                 self.which, self.actions, self.done_button]
        for a, b in zip(order, order[1:], strict=False):
            self.setTabOrder(a, b)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_item(row))
        self.which.currentIndexChanged.connect(self._load_actions)

    # -- loading ----------------------------------------------------------------------------------------
    def move_day(self, step: int) -> None:
        cal = self.service.ctx.calendar
        if step == 0:
            self.day = self.service.meeting_day()
        else:
            self.day = cal.next_working_day(self.day) if step > 0 else cal.previous_working_day(self.day)
        self.refresh()

    def refresh(self) -> None:
        """Load the day's agenda; the chosen item stays chosen (by section and reference) if still there."""
        row_now = self.table.currentRow()
        before = self.current.items if self.current is not None else []
        keep = (before[row_now].section, before[row_now].reference) if 0 <= row_now < len(before) else None
        try:
            self.current = d = self.service.agenda(self.actor, self.day)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot show the meeting", str(exc))
            return
        starts = d.starts_at.astimezone(LONDON).strftime("%H:%M")
        self.heading.setText(f"<b>Daily MASH meeting — {d.day.strftime('%A %d %B %Y')}, {starts}</b> · "
                             f"{d.status_label}" + (" · your share: items involving schools" if d.partial else ""))
        self.count.setText(f"{len(d.items)} item{'s' if len(d.items) != 1 else ''}")
        self.table.blockSignals(True)
        self.table.setRowCount(len(d.items))
        for i, it in enumerate(d.items):
            first = i == 0 or d.items[i - 1].section != it.section  # each section's name once, on its first row
            values = (it.reference, it.section_title if first else "", it.title, it.reason, brings(it.brought_by),
                      it.decision_label or ("—" if it.item_id else ""))
            for col, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setToolTip((value or it.section_title) + ("\n" + "\n".join(it.atlas) if it.atlas else ""))
                if col == 1:
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                if col == 3 and it.urgency == 0:
                    cell.setForeground(QColor("#b00020"))
                if col == 2 and it.atlas:
                    cell.setForeground(QColor("#6a1b9a"))
                self.table.setItem(i, col, cell)
        self.table.blockSignals(False)
        if d.items:
            keys = [(it.section, it.reference) for it in d.items]
            row = keys.index(keep) if keep in keys else min(max(row_now, 0), len(d.items) - 1)
            self.table.setCurrentCell(row, 0)
            self._show_item(row)
        else:
            self.detail.setHtml(item_html(d, None) + "<p>Nothing on the agenda for this reader.</p>")
        self._enable()
        self._load_actions()
        self.loaded.emit()

    def _load_actions(self) -> None:
        which = ACTION_LISTS[self.which.currentIndex()][1]
        try:
            rows = list(self.current.actions) if which is None and self.current else (
                self.service.actions(self.actor, which) if which else [])
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot list actions", str(exc))
            return
        self.action_rows = rows
        self.actions.setRowCount(len(rows))
        for i, a in enumerate(rows):
            status = "overdue" if a.overdue else a.status
            values = (a.reference, a.item_reference, a.text, a.owner, a.school or "",
                      a.due.strftime("%a %d %b") if a.due else "", status)
            for col, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value)
                if a.overdue:
                    cell.setForeground(QColor("#b00020"))
                self.actions.setItem(i, col, cell)
        if rows:
            self.actions.setCurrentCell(0, 0)

    def _show_item(self, row: int) -> None:
        if self.current is None:
            return
        item = self.current.items[row] if 0 <= row < len(self.current.items) else None
        self.detail.setHtml(item_html(self.current, item))
        self.marker_button.setEnabled(bool(item and item.person_ids))
        self.review_button.setEnabled(bool(item and item.person_ids and item.atlas))

    def chosen(self) -> AgendaRow | None:
        row = self.table.currentRow()
        return self.current.items[row] if self.current and 0 <= row < len(self.current.items) else None

    def _enable(self) -> None:
        allowed = self.current.allowed if self.current else ()
        for action, b in self.buttons.items():
            b.setVisible(self.actor.may(TRANSITIONS[action][1]))
            b.setEnabled(action in allowed)
        self.done_button.setVisible(self.actor.may("meeting.action_done"))
        self.marker_button.setVisible(self.actor.may("atlas.manage"))
        self.review_button.setVisible(self.actor.may("atlas.manage"))

    def _link(self, url: QUrl) -> None:
        if url.scheme() == "contact" and url.path().isdigit():
            self.open_contact.emit(int(url.path()))

    # -- holding the meeting ----------------------------------------------------------------------------
    def run(self, action: str) -> None:
        d = self.current
        if d is None or action not in d.allowed:
            return
        try:
            said = self._do(action, d)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Not recorded", str(exc))
            self.refresh()
            return
        if said is None:
            return
        row = self.table.currentRow()
        self.refresh()
        if action == "record" and row + 1 < self.table.rowCount():
            self.table.setCurrentCell(row + 1, 0)  # item by item: on to the next
        self.message.setText(said)

    def _do(self, action: str, d: MeetingDetail) -> str | None:
        s, a = self.service, self.actor
        if action == "open":
            s.open(a, d.day)
            return "Meeting opened: record attendance (Ctrl+Shift+A), then each item (Return)."
        if action == "close":
            if QMessageBox.question(self, "Close the meeting", "Close the meeting and lock its minutes? Anything "
                                    "added later is an addendum.") != QMessageBox.StandardButton.Yes:
                return None
            s.close(a, d.meeting_id or 0, d.version)
            return "Meeting closed: the minutes are locked."
        if action == "attendance":
            dlg = AttendanceDialog(d.attendance, self)
            if dlg.exec() != QDialog.DialogCode.Accepted:
                return None
            s.set_attendance(a, d.meeting_id or 0, d.version, dlg.values())
            return "Attendance recorded."
        if action == "add_item":
            add = AddItemDialog(self)
            if add.exec() != QDialog.DialogCode.Accepted:
                return None
            s.add_item(a, d.meeting_id or 0, reference=add.reference.text(), text=add.text.text(),
                       restricted_to_police=add.police.isChecked())
            return "Item added."
        if action == "addendum":
            note = NoteDialog("Addendum to the minutes", "&Addendum:", self)
            if note.exec() != QDialog.DialogCode.Accepted:
                return None
            chosen = self.chosen()
            s.add_addendum(a, d.meeting_id or 0, note.text.text(), chosen.item_id if chosen else None)
            return "Addendum added, stamped with your name and the time."
        item = self.chosen()
        if action == "record":
            if item is None or item.item_id is None or item.withheld:
                return None
            rec = RecordDialog(item, self)
            if rec.exec() != QDialog.DialogCode.Accepted:
                return None
            decision, note, agencies = rec.values()
            s.record(a, item.item_id, item.version, note=note, decision=decision, agencies=agencies)
            return f"{item.reference or 'Item'} recorded."
        dlg = ActionDialog(s.owners(a), s.due_choices(d.day), item.school if item else None, self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        user_id, agency = dlg.owner.currentData()
        s.add_action(a, d.meeting_id or 0, text=dlg.text.text(), owner=Owner(user_id, agency),
                     due=dlg.due.currentData(), item_id=item.item_id if item else None, school=dlg.school.text())
        return "Action added" + (" as an addendum." if d.status == "closed" else ".")

    def mark_done(self) -> None:
        row = self.actions.currentRow()
        if not 0 <= row < len(self.action_rows) or not self.action_rows[row].can_complete:
            return
        act = self.action_rows[row]
        note = NoteDialog(f"Mark {act.reference} done", "&What was done:", self)
        if note.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self.service.complete_action(self.actor, act.id, act.version, note.text.text())
        except MashDeskError as exc:
            QMessageBox.warning(self, "Not marked done", str(exc))
        self.refresh()
        self.message.setText(f"{act.reference} marked done.")

    def add_marker(self) -> None:
        atlas_actions.add_marker(self)

    def review_markers(self) -> None:
        atlas_actions.review_markers(self)

    # -- the minutes ------------------------------------------------------------------------------------
    def _build(self) -> bytes | None:
        try:
            return self.service.minutes_pdf(self.actor, self.day)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot build the minutes", str(exc))
            return None

    def save_minutes(self) -> None:
        d = self.current
        if d is None:
            return
        saved = save_document(self, "Save the minutes", f"mash-meeting-{d.day.isoformat()}.pdf", self._build,
                              lambda pdf, path: self.service.save_minutes(self.actor, d.day, d.meeting_id, pdf, path))
        if saved is not None:
            self.message.setText(f"Saved {saved.name}.")

    def print_minutes(self) -> None:
        d = self.current
        if d is None:
            return
        printed = print_document(self, self._build, lambda pdf, printer: self.service.record_minutes_printed(
            self.actor, d.day, d.meeting_id, printer, pdf))
        if printed is not None:
            self.message.setText(f"Printed the minutes of {d.day.strftime('%d %b %Y')}.")
