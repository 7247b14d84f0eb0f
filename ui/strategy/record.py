"""A strategy discussion's record, edited by keyboard: date and way, attendees, decisions, meeting, actions.

Each edit is one service call; after it the record is shown again and ``written(id)`` follows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mashdesk import codes
from mashdesk.clock import LONDON
from mashdesk.context import Actor
from mashdesk.errors import MashDeskError
from mashdesk.strategy.service import StrategyService
from mashdesk.strategy.views import AttendeeView, DiscussionDetail
from mashdesk.strategy.workflow import DECISIONS, MODES
from ui.formatting import local_date, local_time

MEETING_LABELS = {
    "immediate_actions": "Immediate safety actions",
    "further_information": "Further information needed",
    "criminal_investigation": "Criminal investigation and timing",
    "legal_advice": "Legal advice",
}


def table(name: str, headers: list[str]) -> QTableWidget:
    """A read-only table of whole rows, one selected at a time."""
    t = QTableWidget(0, len(headers))
    t.setObjectName(name)
    t.setHorizontalHeaderLabels(headers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.verticalHeader().hide()
    t.horizontalHeader().setStretchLastSection(True)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    t.setWordWrap(True)
    t.setTabKeyNavigation(False)
    return t


def fill(t: QTableWidget, rows: list[list[str]]) -> None:
    t.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            t.setItem(r, c, QTableWidgetItem(text))
    t.resizeRowsToContents()


def _row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for w in widgets:
        row.addWidget(w, 0 if isinstance(w, QPushButton | QCheckBox) else 1)
    return row


def _qdatetime(moment: datetime) -> QDateTime:
    local = moment.astimezone(LONDON)
    return QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))


def _aware(edit: QDateTimeEdit) -> datetime:
    d, t = edit.date(), edit.time()
    return datetime.combine(date(d.year(), d.month(), d.day()), time(t.hour(), t.minute()), tzinfo=LONDON)


def _attendance(a: AttendeeView) -> str:
    if a.attended is None:
        return "Invited"
    return f"Attended ({MODES.get(a.joined_by or '', '?').lower()})" if a.attended else "Did not attend"


def _combo(name: str, items: dict[str, str]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    for code, label in items.items():
        combo.addItem(label, code)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(10)
    return combo


def _line(placeholder: str, name: str) -> QLineEdit:
    edit = QLineEdit(placeholderText=placeholder)
    edit.setAccessibleName(name)
    return edit


class DiscussionRecord(QScrollArea):
    """Emits ``shown(id)`` when a discussion's record is on screen and ``written(id)`` after an edit."""

    shown = Signal(int)
    written = Signal(int)

    def __init__(self, service: StrategyService, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("discussionRecord")
        self.service, self.actor = service, actor
        self.detail: DiscussionDetail | None = None

        self.header = QLabel("Choose a discussion.")
        self.header.setObjectName("discussionHeader")
        self.header.setWordWrap(True)
        self.header.setAccessibleName("Discussion summary")

        self.when = QDateTimeEdit()
        self.when.setDisplayFormat("ddd dd MMM yyyy HH:mm")
        self.when.setCalendarPopup(True)
        self.when.setAccessibleName("Date and time of the discussion")
        self.mode = _combo("How the discussion is held", MODES)
        self.schedule_button = QPushButton("&Schedule")
        schedule = QGroupBox("Date, time and how")
        sf = QFormLayout(schedule)
        sf.addRow("Date and time", self.when)
        sf.addRow("How", self.mode)
        sf.addRow(self.schedule_button)

        self.attendees = table("attendeeTable", ["Attendee", "Agency", "Attendance", "Information shared"])
        self.attendees.setAccessibleName("Attendees")
        self.invite_agency = _combo("Agency of the person to invite",
                                    {code: name for code, (name, _, _) in codes.AGENCIES.items()})
        self.invite_name = _line("Name", "Name of the person to invite")
        self.invite_role = _line("Role", "Role of the person to invite")
        self.invite_button = QPushButton("&Invite")
        self.attended = QCheckBox("Attended")
        self.attended.setAccessibleName("The selected attendee attended")
        self.joined_by = _combo("How the selected attendee joined", MODES)
        self.shared = _line("Information their agency shared", "Information shared by the selected attendee's agency")
        self.attendance_button = QPushButton("Record a&ttendance")
        attendees = QGroupBox("Attendees")
        av = QVBoxLayout(attendees)
        av.addWidget(self.attendees)
        av.addWidget(self.invite_agency)
        av.addLayout(_row(self.invite_name, self.invite_role, self.invite_button))
        av.addLayout(_row(self.attended, self.joined_by, self.attendance_button))
        av.addWidget(self.shared)

        self.children = table("childTable", ["Child", "Decision", "S47 from", "ICPC due", "Reason (no s47)"])
        self.children.setAccessibleName("Children and their decisions")
        self.decision = _combo("Decision for the selected child", DECISIONS)
        self.no_s47_reason = _line("Reason, if no section 47", "Reason for no section 47 enquiries")
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

        self.actions = table("actionTable", ["Action", "Owner", "Due", "Done"])
        self.actions.setAccessibleName("Actions")
        self.action_text = _line("Action", "New action")
        self.action_owner = _line("Owner", "Owner of the new action")
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
        editable = actor.may("strategy.manage")
        for box in (schedule, attendees, kids, meeting, actions):
            fv.addWidget(box)
            box.setEnabled(editable)
        fv.addStretch(1)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(form)

        self.schedule_button.clicked.connect(self._schedule)
        self.invite_button.clicked.connect(self._invite)
        self.attendees.currentCellChanged.connect(lambda *_: self._attendee_chosen())
        self.attendance_button.clicked.connect(self._record_attendance)
        self.children.currentCellChanged.connect(lambda *_: self._child_chosen())
        self.decision_button.clicked.connect(self._record_decision)
        self.held.toggled.connect(self.held_at.setEnabled)
        self.meeting_button.clicked.connect(self.save_meeting)
        self.action_button.clicked.connect(self._add_action)
        self.done_button.clicked.connect(self.toggle_done)

    def focus_chain(self) -> list[QWidget]:
        """The record's fields in the order Tab walks them, top to bottom."""
        return [
            self.when, self.mode, self.schedule_button,
            self.attendees, self.invite_agency, self.invite_name, self.invite_role, self.invite_button,
            self.attended, self.joined_by, self.shared, self.attendance_button,
            self.children, self.decision, self.no_s47_reason, self.decision_button,
            self.held, self.held_at, *self.meeting.values(), self.meeting_button,
            self.actions, self.action_text, self.action_owner, self.action_due, self.action_button, self.done_button,
        ]

    def show_discussion(self, discussion_id: int) -> bool:
        """Read and show one discussion's record; False (after saying why) when it cannot be read."""
        try:
            d = self.detail = self.service.get(self.actor, discussion_id)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot open the discussion", str(exc))
            return False
        now = self.service.ctx.now()
        chair = f" · chair {d.chair}" if d.chair else ""
        state = {"convened": "to be held", "held": "held", "closed": "closed"}.get(d.status, d.status)
        self.header.setText(
            f"<b>{d.reference}</b> · contact {d.contact_reference} · {state}{chair}<br>"
            f"Convened {local_time(d.convened_at)} · due {local_time(d.due_at)} · {d.due_text}"
            f"<br><i>{d.reason}</i>"
        )
        self.when.setDateTime(_qdatetime(d.scheduled_for or now))
        self.mode.setCurrentIndex(max(0, self.mode.findData(d.mode)))
        fill(self.attendees, [
            [f"{a.name}, {a.role}" if a.role else a.name, a.agency, _attendance(a), a.information_shared]
            for a in d.attendees
        ])
        fill(self.children, [
            [
                c.name,
                DECISIONS.get(c.decision or "", "Not decided"),
                local_date(c.s47_started_on),
                local_date(c.icpc_due) + (" (overdue)" if c.icpc_status == "breached" else ""),
                c.no_s47_reason or "",
            ]
            for c in d.children
        ])
        self.held.setChecked(d.held_at is not None)
        self.held_at.setEnabled(d.held_at is not None)
        self.held_at.setDateTime(_qdatetime(d.held_at or d.scheduled_for or now))
        for key, edit in self.meeting.items():
            edit.setPlainText(getattr(d, key))
        fill(self.actions, [[a.action, a.owner, local_date(a.due), local_time(a.done_at) or "Open"]
                            for a in d.actions])
        today = now.astimezone(LONDON).date()
        self.action_due.setDate(QDate(today.year, today.month, today.day))
        self.shown.emit(d.id)
        return True

    # -- edits ----------------------------------------------------------------------------------------
    def _write(self, what: str, action: Callable[[DiscussionDetail], object]) -> bool:
        """Run one service write on the discussion on screen, then show it again (``written`` follows)."""
        if self.detail is None:
            return False
        try:
            action(self.detail)
        except MashDeskError as exc:
            QMessageBox.warning(self, f"Cannot {what}", str(exc))
            return False
        self.show_discussion(self.detail.id)
        self.written.emit(self.detail.id)
        return True

    def _selected(self, t: QTableWidget, items: list[Any]) -> Any | None:
        row = t.currentRow()
        return items[row] if 0 <= row < len(items) else None

    def _schedule(self) -> None:
        self._write("schedule the discussion", lambda d: self.service.schedule(
            self.actor, d.id, d.version, _aware(self.when), self.mode.currentData()))

    def _invite(self) -> None:
        if self._write("invite", lambda d: self.service.invite(
                self.actor, d.id, self.invite_agency.currentData(), self.invite_name.text(),
                self.invite_role.text())):
            self.invite_name.clear()
            self.invite_role.clear()

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
        if self._write("record attendance", lambda d: self.service.record_attendance(
                self.actor, a.id, a.version, self.attended.isChecked(), self.joined_by.currentData(),
                self.shared.text())):
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
        if self._write("record the decision", lambda d: self.service.record_child_decision(
                self.actor, c.id, c.version, self.decision.currentData(), self.no_s47_reason.text() or None)):
            self.children.setCurrentCell(row, 0)

    def save_meeting(self) -> None:
        held = _aware(self.held_at) if self.held.isChecked() else None
        self._write("save the meeting record", lambda d: self.service.record_meeting(
            self.actor, d.id, d.version, held_at=held,
            **{key: edit.toPlainText() for key, edit in self.meeting.items()}))

    def _add_action(self) -> None:
        q = self.action_due.date()
        if self._write("add the action", lambda d: self.service.add_action(
                self.actor, d.id, self.action_text.text(), self.action_owner.text(),
                date(q.year(), q.month(), q.day()))):
            self.action_text.clear()
            self.action_owner.clear()

    def toggle_done(self) -> None:
        """Mark the selected action done, or open again."""
        a = self._selected(self.actions, self.detail.actions if self.detail else [])
        if a is None:
            return
        row = self.actions.currentRow()
        if self._write("change the action",
                       lambda d: self.service.set_action_done(self.actor, a.id, a.version, a.done_at is None)):
            self.actions.setCurrentCell(row, 0)
