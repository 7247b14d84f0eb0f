"""Strategy discussions: the lists, the meeting record edited by keyboard, and the pack preview."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QDate,
    QDateTime,
    QIODevice,
    QObject,
    QSize,
    Qt,
    QThreadPool,
    QTime,
    QTimer,
    Signal,
)
from PySide6.QtGui import QCloseEvent, QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument, QPdfPageRenderer
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mashdesk import codes
from mashdesk.documents.strategy_pack import DECISIONS, MODES
from mashdesk.errors import MashDeskError
from mashdesk.context import Actor
from mashdesk.services.strategy import GROUPS, DiscussionDetail, DiscussionRow, StrategyService
from ui.formatting import local_date, local_time

from mashdesk.clock import LONDON
#: The list chooser: label → group key (None: every discussion).
LISTS: list[tuple[str, str | None]] = [
    ("All discussions", None),
    *[(label, key) for key, label in GROUPS.items()],
]
MEETING_LABELS = {
    "immediate_actions": "Immediate safety actions",
    "further_information": "Further information needed",
    "criminal_investigation": "Criminal investigation and timing",
    "legal_advice": "Legal advice",
}


class _Signals(QObject):
    #: generation, discussion id, PDF bytes or None, error message or None
    built = Signal(int, int, object, object)


def _build_job(
    build: Callable[[], bytes], generation: int, discussion_id: int, signals: _Signals
) -> Callable[[], None]:
    """One pack build for the thread pool; it only emits, it never touches a widget."""

    def run() -> None:
        try:
            signals.built.emit(generation, discussion_id, build(), None)
        except Exception as exc:  # shown beside the preview
            signals.built.emit(generation, discussion_id, None, str(exc))

    return run


def _table(name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.setWordWrap(True)
    table.setTabKeyNavigation(False)
    return table


def _row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for w in widgets:
        row.addWidget(w, 0 if isinstance(w, QPushButton | QCheckBox) else 1)
    return row


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeRowsToContents()


def _qdatetime(moment: datetime) -> QDateTime:
    local = moment.astimezone(LONDON)
    return QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))


def _aware(edit: QDateTimeEdit) -> datetime:
    d, t = edit.date(), edit.time()
    return datetime.combine(date(d.year(), d.month(), d.day()), time(t.hour(), t.minute()), tzinfo=LONDON)


def _attendance(a: Any) -> str:
    if a.attended is None:
        return "Invited"
    return f"Attended ({MODES.get(a.joined_by or '', '?').lower()})" if a.attended else "Did not attend"


class StrategyView(QWidget):
    """Emits ``loaded`` once the list and the open discussion's pack preview are on screen,
    ``discussion_shown(id)`` when a discussion's record is shown and ``pack_ready(id)`` when its
    pack has been built and rendered in the preview."""

    loaded = Signal()
    discussion_shown = Signal(int)
    pack_ready = Signal(int)

    def __init__(self, service: StrategyService, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("strategyView")
        self.service, self.actor = service, actor
        self.rows: list[DiscussionRow] = []
        self.detail: DiscussionDetail | None = None
        self.pdf: bytes | None = None
        self._generation = 0
        self._rendered_for = 0
        self._painted = 0
        # Owned by the view, so they never fire after it is gone.
        self._painter = QTimer(self, singleShot=True, interval=0)
        self._painter.timeout.connect(self._preview_painted)
        self._fallback = QTimer(self, singleShot=True, interval=1500)
        self._fallback.timeout.connect(lambda: self._page_rendered(0))
        self._announce = False
        self._pdf_data = QByteArray()
        self._pdf_buffer: QBuffer | None = None
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.built.connect(self._pack_built)
        editable = actor.may("strategy.manage")

        # -- the lists --------------------------------------------------------------------------------
        self.list_choice = QComboBox()
        self.list_choice.setAccessibleName("Which discussions to list")
        for label, _ in LISTS:
            self.list_choice.addItem(label)
        list_label = QLabel("&List:")
        list_label.setBuddy(self.list_choice)
        self.convene_button = QPushButton("&Convene from a contact…")
        self.convene_button.setAccessibleName("Convene a strategy discussion from a contact (Ctrl+N)")
        self.table = _table("discussionList", ["Discussion", "Children", "Due / held", "ICPC due"])
        self.table.setAccessibleName("Strategy discussions")
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for col, mode in enumerate(
            (
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.ResizeToContents,
            )
        ):
            header.setSectionResizeMode(col, mode)
        self.count = QLabel()
        left = QWidget()
        top = QHBoxLayout()
        top.addWidget(list_label)
        top.addWidget(self.list_choice, 1)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addLayout(top)
        lv.addWidget(self.table, 1)
        lv.addWidget(self.count)
        lv.addWidget(self.convene_button)
        if not actor.may("strategy.convene"):
            self.convene_button.hide()

        # -- the record -------------------------------------------------------------------------------
        self.header = QLabel("Choose a discussion.")
        self.header.setObjectName("discussionHeader")
        self.header.setWordWrap(True)
        self.header.setAccessibleName("Discussion summary")

        self.when = QDateTimeEdit()
        self.when.setDisplayFormat("ddd dd MMM yyyy HH:mm")
        self.when.setCalendarPopup(True)
        self.when.setAccessibleName("Date and time of the discussion")
        self.mode = QComboBox()
        self.mode.setAccessibleName("How the discussion is held")
        for code, label in MODES.items():
            self.mode.addItem(label, code)
        self.schedule_button = QPushButton("&Schedule")
        schedule = QGroupBox("Date, time and how")
        sf = QFormLayout(schedule)
        sf.addRow("Date and time", self.when)
        sf.addRow("How", self.mode)
        sf.addRow(self.schedule_button)

        self.attendees = _table("attendeeTable", ["Attendee", "Agency", "Attendance", "Information shared"])
        self.attendees.setAccessibleName("Attendees")
        self.invite_agency = QComboBox()
        self.invite_agency.setAccessibleName("Agency of the person to invite")
        for code, (name, _, _) in codes.AGENCIES.items():
            self.invite_agency.addItem(name, code)
        self.invite_name = QLineEdit(placeholderText="Name")
        self.invite_name.setAccessibleName("Name of the person to invite")
        self.invite_role = QLineEdit(placeholderText="Role")
        self.invite_role.setAccessibleName("Role of the person to invite")
        self.invite_button = QPushButton("&Invite")
        self.attended = QCheckBox("Attended")
        self.attended.setAccessibleName("The selected attendee attended")
        self.joined_by = QComboBox()
        self.joined_by.setAccessibleName("How the selected attendee joined")
        for code, label in MODES.items():
            self.joined_by.addItem(label, code)
        self.shared = QLineEdit(placeholderText="Information their agency shared")
        self.shared.setAccessibleName("Information shared by the selected attendee's agency")
        self.attendance_button = QPushButton("Record a&ttendance")
        attendees = QGroupBox("Attendees")
        av = QVBoxLayout(attendees)
        av.addWidget(self.attendees)
        av.addWidget(self.invite_agency)
        av.addLayout(_row(self.invite_name, self.invite_role, self.invite_button))
        av.addLayout(_row(self.attended, self.joined_by, self.attendance_button))
        av.addWidget(self.shared)

        self.children = _table("childTable", ["Child", "Decision", "S47 from", "ICPC due", "Reason (no s47)"])
        self.children.setAccessibleName("Children and their decisions")
        self.decision = QComboBox()
        self.decision.setAccessibleName("Decision for the selected child")
        for code, label in DECISIONS.items():
            self.decision.addItem(label, code)
        self.no_s47_reason = QLineEdit(placeholderText="Reason, if no section 47")
        self.no_s47_reason.setAccessibleName("Reason for no section 47 enquiries")
        self.decision_button = QPushButton("Record &decision")
        kids = QGroupBox("Decision for each child")
        kv = QVBoxLayout(kids)
        kv.addWidget(self.children)
        kv.addWidget(self.decision)
        kv.addLayout(_row(self.no_s47_reason, self.decision_button))

        self.held = QCheckBox("Held at")
        self.held.setAccessibleName("The discussion has been held")
        self.held_at = QDateTimeEdit()
        self.held_at.setDisplayFormat("ddd dd MMM yyyy HH:mm")
        self.held_at.setAccessibleName("When the discussion was held")
        self.meeting: dict[str, QPlainTextEdit] = {}
        meeting = QGroupBox("Meeting record")
        mf = QFormLayout(meeting)
        held_row = QHBoxLayout()
        held_row.addWidget(self.held)
        held_row.addWidget(self.held_at, 1)
        mf.addRow(held_row)
        for key, label in MEETING_LABELS.items():
            edit = QPlainTextEdit()
            edit.setAccessibleName(label)
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(48)
            self.meeting[key] = edit
            mf.addRow(label, edit)
        self.meeting_button = QPushButton("Save &meeting record (Ctrl+Enter)")
        mf.addRow(self.meeting_button)

        self.actions = _table("actionTable", ["Action", "Owner", "Due", "Done"])
        self.actions.setAccessibleName("Actions")
        self.action_text = QLineEdit(placeholderText="Action")
        self.action_text.setAccessibleName("New action")
        self.action_owner = QLineEdit(placeholderText="Owner")
        self.action_owner.setAccessibleName("Owner of the new action")
        self.action_due = QDateEdit()
        self.action_due.setDisplayFormat("dd MMM yyyy")
        self.action_due.setAccessibleName("Due date of the new action")
        self.action_button = QPushButton("&Add action")
        self.done_button = QPushButton("Mark d&one / reopen (Ctrl+D)")
        actions = QGroupBox("Actions")
        acv = QVBoxLayout(actions)
        acv.addWidget(self.actions)
        acv.addWidget(self.action_text)
        acv.addLayout(_row(self.action_owner, self.action_due, self.action_button))
        acv.addWidget(self.done_button)

        form = QWidget()
        fv = QVBoxLayout(form)
        fv.addWidget(self.header)
        for box in (schedule, attendees, kids, meeting, actions):
            fv.addWidget(box)
            box.setEnabled(editable)
        fv.addStretch(1)
        self.record = QScrollArea()
        self.record.setObjectName("discussionRecord")
        self.record.setWidgetResizable(True)
        self.record.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for combo in (self.mode, self.invite_agency, self.joined_by, self.decision):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
        self.record.setWidget(form)

        # -- the pack ---------------------------------------------------------------------------------
        self.preview = QPdfView()
        self.preview.setObjectName("packPreview")
        self.preview.setAccessibleName("Strategy meeting pack preview")
        self.preview.setPageMode(QPdfView.PageMode.MultiPage)
        self.preview.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.document = QPdfDocument(self)
        self.preview.setDocument(self.document)
        renderer = self.preview.findChild(QPdfPageRenderer)
        if renderer is not None:
            renderer.pageRendered.connect(self._page_rendered)
        self.pack_status = QLabel("No pack yet.")
        self.pack_status.setObjectName("packStatus")
        self.pack_status.setWordWrap(True)
        self.build_button = QPushButton("Re&build (Ctrl+B)")
        self.print_button = QPushButton("&Print… (Ctrl+P)")
        self.save_button = QPushButton("Sa&ve… (Ctrl+S)")
        pack = QWidget()
        pv = QVBoxLayout(pack)
        pv.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        for b in (self.build_button, self.print_button, self.save_button):
            buttons.addWidget(b)
        pv.addLayout(buttons)
        pv.addWidget(self.pack_status)
        pv.addWidget(self.preview, 1)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.record)
        splitter.addWidget(pack)
        splitter.setSizes([370, 450, 410])
        QVBoxLayout(self).addWidget(splitter)
        self._set_pack_buttons(False)

        chain = [
            self.list_choice,
            self.table,
            self.convene_button,
            self.when,
            self.mode,
            self.schedule_button,
            self.attendees,
            self.invite_agency,
            self.invite_name,
            self.invite_role,
            self.invite_button,
            self.attended,
            self.joined_by,
            self.shared,
            self.attendance_button,
            self.children,
            self.decision,
            self.no_s47_reason,
            self.decision_button,
            self.held,
            self.held_at,
            *self.meeting.values(),
            self.meeting_button,
            self.actions,
            self.action_text,
            self.action_owner,
            self.action_due,
            self.action_button,
            self.done_button,
            self.build_button,
            self.print_button,
            self.save_button,
            self.preview,
        ]
        for first, second in zip(chain, chain[1:], strict=False):
            self.setTabOrder(first, second)

        self.list_choice.currentIndexChanged.connect(lambda _: self.refresh())
        self.table.activated.connect(lambda index: self.open_discussion(self.rows[index.row()].id))
        self.convene_button.clicked.connect(self.convene)
        self.schedule_button.clicked.connect(self._schedule)
        self.invite_button.clicked.connect(self._invite)
        self.attendees.currentCellChanged.connect(lambda *_: self._attendee_chosen())
        self.attendance_button.clicked.connect(self._record_attendance)
        self.children.currentCellChanged.connect(lambda *_: self._child_chosen())
        self.decision_button.clicked.connect(self._record_decision)
        self.held.toggled.connect(self.held_at.setEnabled)
        self.meeting_button.clicked.connect(self._save_meeting)
        self.action_button.clicked.connect(self._add_action)
        self.done_button.clicked.connect(self._toggle_done)
        self.build_button.clicked.connect(self.build_pack)
        self.print_button.clicked.connect(self.print_pack)
        self.save_button.clicked.connect(self.save_pack)
        for keys, slot in (
            ("Ctrl+B", self.build_pack),
            ("Ctrl+P", self.print_pack),
            ("Ctrl+S", self.save_pack),
            ("Ctrl+Return", self._save_meeting),
            ("Ctrl+D", self._toggle_done),
            ("Ctrl+L", self.table.setFocus),
        ):
            QShortcut(QKeySequence(keys), self, activated=slot)
        if actor.may("strategy.convene"):
            QShortcut(QKeySequence("Ctrl+N"), self, activated=self.convene)

    # -- the list -------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the list and reopen the discussion on screen (or the first one); ``loaded`` follows."""
        group = LISTS[self.list_choice.currentIndex()][1]
        try:
            if group is None:
                self.rows = [r for key in GROUPS for r in self.service.discussions(self.actor, key)]
            else:
                self.rows = self.service.discussions(self.actor, group)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot list strategy discussions", str(exc))
            self.rows = []
        _fill(
            self.table,
            [
                [r.reference, r.children, r.due_text, f"{r.next_icpc_due:%d %b}" if r.next_icpc_due else ""]
                for r in self.rows
            ],
        )
        for r, row in enumerate(self.rows):
            for column, state in ((2, row.due_status), (3, row.icpc_status)):
                if state in ("due_soon", "breached"):
                    self.table.item(r, column).setForeground(Qt.GlobalColor.darkRed)
        self.count.setText(f"{len(self.rows)} discussion{'s' if len(self.rows) != 1 else ''}")
        ids = [r.id for r in self.rows]
        current = (
            self.detail.id if self.detail is not None and self.detail.id in ids else (ids[0] if ids else None)
        )
        self._announce = True
        if current is None:
            self._announce = False
            self.loaded.emit()
            return
        self.table.selectRow(ids.index(current))
        self.open_discussion(current)

    def open_discussion(self, discussion_id: int) -> None:
        """Show the record of one discussion and build its pack in the background."""
        if not self._show(discussion_id):
            return
        if discussion_id in [r.id for r in self.rows]:
            self.table.selectRow([r.id for r in self.rows].index(discussion_id))
        self.build_pack()

    def _show(self, discussion_id: int) -> bool:
        try:
            d = self.detail = self.service.get(self.actor, discussion_id)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot open the discussion", str(exc))
            return False
        chair = f" · chair {d.chair}" if d.chair else ""
        state = {"convened": "to be held", "held": "held", "closed": "closed"}.get(d.status, d.status)
        self.header.setText(
            f"<b>{d.reference}</b> · contact {d.contact_reference} · {state}{chair}<br>"
            f"Convened {local_time(d.convened_at)} · due {local_time(d.due_at)} · {d.due_text}"
            f"<br><i>{d.reason}</i>"
        )
        self.when.setDateTime(_qdatetime(d.scheduled_for or self.service.ctx.now()))
        self.mode.setCurrentIndex(max(0, self.mode.findData(d.mode)))
        _fill(
            self.attendees,
            [
                [f"{a.name}, {a.role}" if a.role else a.name, a.agency, _attendance(a), a.information_shared]
                for a in d.attendees
            ],
        )
        _fill(
            self.children,
            [
                [
                    c.name,
                    DECISIONS.get(c.decision or "", "Not decided"),
                    local_date(c.s47_started_on),
                    local_date(c.icpc_due) + (" (overdue)" if c.icpc_status == "breached" else ""),
                    c.no_s47_reason or "",
                ]
                for c in d.children
            ],
        )
        self.held.setChecked(d.held_at is not None)
        self.held_at.setEnabled(d.held_at is not None)
        self.held_at.setDateTime(_qdatetime(d.held_at or d.scheduled_for or self.service.ctx.now()))
        for key, edit in self.meeting.items():
            edit.setPlainText(getattr(d, key))
        _fill(
            self.actions,
            [[a.action, a.owner, local_date(a.due), local_time(a.done_at) or "Open"] for a in d.actions],
        )
        today = self.service.ctx.now().astimezone(LONDON).date()
        self.action_due.setDate(QDate(today.year, today.month, today.day))
        self.discussion_shown.emit(d.id)
        return True

    # -- edits ----------------------------------------------------------------------------------------
    def _write(self, what: str, action: Callable[[DiscussionDetail], object]) -> bool:
        """Run one service write on the open discussion, then show it again and rebuild its pack."""
        if self.detail is None:
            return False
        try:
            action(self.detail)
        except MashDeskError as exc:
            QMessageBox.warning(self, f"Cannot {what}", str(exc))
            return False
        self._show(self.detail.id)
        self._update_row()
        self.build_pack()
        return True

    def _update_row(self) -> None:
        d = self.detail
        if d is None or d.id not in [r.id for r in self.rows]:
            return
        self.table.item([r.id for r in self.rows].index(d.id), 2).setText(d.due_text)

    def _schedule(self) -> None:
        self._write(
            "schedule the discussion",
            lambda d: self.service.schedule(
                self.actor, d.id, d.version, _aware(self.when), self.mode.currentData()
            ),
        )

    def _invite(self) -> None:
        if self._write(
            "invite",
            lambda d: self.service.invite(
                self.actor,
                d.id,
                self.invite_agency.currentData(),
                self.invite_name.text(),
                self.invite_role.text(),
            ),
        ):
            self.invite_name.clear()
            self.invite_role.clear()

    def _selected(self, table: QTableWidget, items: list[Any]) -> Any | None:
        row = table.currentRow()
        return items[row] if 0 <= row < len(items) else None

    def _attendee_chosen(self) -> None:
        a = self._selected(self.attendees, self.detail.attendees if self.detail else [])
        if a is not None:
            self.attended.setChecked(bool(a.attended))
            self.joined_by.setCurrentIndex(max(0, self.joined_by.findData(a.joined_by)))
            self.shared.setText(a.information_shared)

    def _record_attendance(self) -> None:
        a = self._selected(self.attendees, self.detail.attendees if self.detail else [])
        if a is None:
            QMessageBox.information(self, "Record attendance", "Choose an attendee in the table first.")
            return
        row = self.attendees.currentRow()
        if self._write(
            "record attendance",
            lambda d: self.service.record_attendance(
                self.actor,
                a.id,
                a.version,
                self.attended.isChecked(),
                self.joined_by.currentData(),
                self.shared.text(),
            ),
        ):
            self.attendees.setCurrentCell(row, 0)

    def _child_chosen(self) -> None:
        c = self._selected(self.children, self.detail.children if self.detail else [])
        if c is not None:
            self.decision.setCurrentIndex(max(0, self.decision.findData(c.decision)))
            self.no_s47_reason.setText(c.no_s47_reason or "")

    def _record_decision(self) -> None:
        c = self._selected(self.children, self.detail.children if self.detail else [])
        if c is None:
            QMessageBox.information(self, "Record decision", "Choose a child in the table first.")
            return
        row = self.children.currentRow()
        if self._write(
            "record the decision",
            lambda d: self.service.record_child_decision(
                self.actor, c.id, c.version, self.decision.currentData(), self.no_s47_reason.text() or None
            ),
        ):
            self.children.setCurrentCell(row, 0)

    def _save_meeting(self) -> None:
        held = _aware(self.held_at) if self.held.isChecked() else None
        self._write(
            "save the meeting record",
            lambda d: self.service.record_meeting(
                self.actor,
                d.id,
                d.version,
                held_at=held,
                **{key: edit.toPlainText() for key, edit in self.meeting.items()},
            ),
        )

    def _add_action(self) -> None:
        q = self.action_due.date()
        if self._write(
            "add the action",
            lambda d: self.service.add_action(
                self.actor,
                d.id,
                self.action_text.text(),
                self.action_owner.text(),
                date(q.year(), q.month(), q.day()),
            ),
        ):
            self.action_text.clear()
            self.action_owner.clear()

    def _toggle_done(self) -> None:
        a = self._selected(self.actions, self.detail.actions if self.detail else [])
        if a is None:
            return
        row = self.actions.currentRow()
        if self._write(
            "change the action",
            lambda d: self.service.set_action_done(self.actor, a.id, a.version, a.done_at is None),
        ):
            self.actions.setCurrentCell(row, 0)

    def convene(self) -> None:
        """Convene a discussion from a contact reference (a manager's action)."""
        ref, ok = QInputDialog.getText(self, "Convene a strategy discussion", "Contact reference (C-000123):")
        if not ok or not ref.strip():
            return
        digits = ref.strip().upper().removeprefix("C-")
        if not digits.isdigit():
            QMessageBox.warning(self, "Cannot convene", f"contact: {ref!r} is not a contact reference")
            return
        reason, ok = QInputDialog.getMultiLineText(
            self, "Convene a strategy discussion", "Why is a strategy discussion needed?"
        )
        if not ok:
            return
        try:
            new_id = self.service.convene(self.actor, int(digits), reason)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot convene", str(exc))
            return
        self.list_choice.setCurrentIndex(0)
        self.refresh()
        self.open_discussion(new_id)

    # -- the pack -------------------------------------------------------------------------------------
    def build_pack(self) -> None:
        """Build the open discussion's pack for the signed-in reader on a worker thread."""
        if self.detail is None:
            return
        self._generation += 1
        discussion_id = self.detail.id
        self.pack_status.setText("Building the pack…")
        self._set_pack_buttons(False)
        self.pool.start(
            _build_job(
                lambda: self.service.build_pack(self.actor, discussion_id),
                self._generation,
                discussion_id,
                self._signals,
            )
        )

    def _pack_built(self, generation: int, discussion_id: int, pdf: bytes | None, error: str | None) -> None:
        if generation != self._generation:
            return  # a newer build is on its way
        if pdf is None:
            self.pack_status.setText(f"The pack could not be built: {error}")
            self._finish_loading()
            return
        self.pdf = pdf
        self._pdf_data = QByteArray(pdf)
        old = self._pdf_buffer
        self._pdf_buffer = QBuffer(self._pdf_data, self)
        self._pdf_buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._rendered_for = discussion_id
        self.document.load(self._pdf_buffer)
        if old is not None:
            old.close()
            old.deleteLater()
        pages = self.document.pageCount()
        self.pack_status.setText(
            f"Pack {self.detail.reference if self.detail else ''}: {pages} page"
            f"{'s' if pages != 1 else ''}, prepared for {self.actor.display_name}. "
            "OFFICIAL-SENSITIVE."
        )
        self._set_pack_buttons(True)
        if self.preview.findChild(QPdfPageRenderer) is None or not self.preview.isVisible():
            self._page_rendered(0)
        else:  # should the view have the page cached already, it renders nothing new: do not wait for it
            self._fallback.start()

    def _page_rendered(self, page: int, *_: object) -> None:
        if page != 0 or self.pdf is None:
            return
        # The page is in the view's cache; let the view paint it before saying the preview is ready.
        self._fallback.stop()
        self._painter.start()

    def _preview_painted(self) -> None:
        if self._painted == self._generation:
            return
        self._painted = self._generation
        self.preview.viewport().update()
        self.pack_ready.emit(self._rendered_for)
        self._finish_loading()

    def _finish_loading(self) -> None:
        if self._announce:
            self._announce = False
            self.loaded.emit()

    def _set_pack_buttons(self, enabled: bool) -> None:
        self.print_button.setEnabled(enabled and self.actor.may("pack.print"))
        self.save_button.setEnabled(enabled and self.actor.may("pack.save"))

    def print_pack(self) -> None:
        """Print the pack on the preview (the print is audited)."""
        if self.pdf is None or self.detail is None or not self.print_button.isEnabled():
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"Strategy meeting pack {self.detail.reference}")
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, "Cannot print", "The printer could not be started.")
            return
        for page in range(self.document.pageCount()):
            if page:
                printer.newPage()
            points = self.document.pagePointSize(page)
            image = self.document.render(
                page, QSize(int(points.width() * 200 / 72), int(points.height() * 200 / 72))
            )
            painter.drawImage(painter.viewport(), image)
        painter.end()
        try:
            self.service.record_pack_printed(
                self.actor,
                self.detail.id,
                printer.printerName() or printer.outputFileName() or "printer",
                self.pdf,
            )
        except MashDeskError as exc:
            QMessageBox.warning(self, "Printed, but not recorded", str(exc))
            return
        self.pack_status.setText(f"Printed {self.detail.reference}.")

    def save_pack(self) -> None:
        """Save the pack on the preview as a PDF file (the save is audited)."""
        if self.pdf is None or self.detail is None or not self.save_button.isEnabled():
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the strategy meeting pack", f"{self.detail.reference}-pack.pdf", "PDF (*.pdf)"
        )
        if not path:
            return
        try:
            saved = self.service.save_pack(self.actor, self.detail.id, self.pdf, path)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot save the pack", str(exc))
            return
        self.pack_status.setText(f"Saved {saved.name}.")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self._generation += 1
        self.pool.waitForDone()
        super().closeEvent(event)
