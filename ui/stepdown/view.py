"""Step-downs to Early Help: the Early Help inbox, the MASH's list, one step-down's story, and its actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from html import escape

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
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

from mashdesk.errors import MashDeskError
from mashdesk.context import Actor
from mashdesk.stepdown.service import StepDownService
from mashdesk.stepdown.views import StepDownDetail, StepDownQuery, StepDownRow, milestones
from mashdesk.stepdown.workflow import CLOSURE_REASONS, CONSENT_ANSWERS, OPEN_STATUSES, STATUSES, TRANSITIONS
from ui.formatting import local_date, local_time
from ui.printing import print_document, save_document
from ui.progress import run_with_progress

from mashdesk.clock import LONDON
INBOX = ("sent", "accepted", "allocated", "engaged")
#: Status filter choices: label → statuses.
STATUS_FILTERS: list[tuple[str, tuple[str, ...]]] = [
    ("Early Help inbox and open work", INBOX),
    ("To accept or decline", ("sent",)),
    ("Open (not closed)", OPEN_STATUSES),
    ("All statuses", ()),
] + [(label, (code,)) for code, label in STATUSES.items()]
COLUMNS = ("Ref", "Family", "Status", "Clock", "Centre", "Worker", "Sent")
CLOCK_COLOURS = {"breached": "#c62828", "due_soon": "#b26a00"}
#: action → (button text with its mnemonic, extra shortcut or "", accessible description).
ACTIONS: dict[str, tuple[str, str, str]] = {
    "record_consent": ("Record &consent…", "", "Record the family's consent"),
    "send": ("Send &to centre…", "", "Send the step-down to a Children and Family Centre"),
    "accept": ("&Accept", "Ctrl+Shift+A", "Accept the step-down"),
    "decline": ("&Decline…", "Ctrl+Shift+D", "Decline the step-down with a reason"),
    "allocate": ("Allocate &worker…", "", "Allocate an Early Help worker"),
    "first_contact": ("Fi&rst contact…", "", "Record the first contact with the family"),
    "review": ("Rev&iew…", "", "Record a review"),
    "close": ("C&lose…", "", "Close the step-down"),
    "decide_refusal": ("Refusal: &NFA or ask again…", "", "Decide what follows the family's refusal"),
    "step_up": ("Step &up to the MASH…", "Ctrl+U", "Step the family up: a new contact in the MASH queue"),
}


def _when(value: datetime | None) -> str:
    return local_time(value) if value else "—"


def step_down_html(d: StepDownDetail) -> str:
    """One step-down as the detail pane shows it: family, consent, clocks, decision, checks, history."""

    def row(label: str, value: str | None) -> str:
        return f"<tr><th align=left valign=top>{escape(label)}</th><td>{escape(value or '—')}</td></tr>"

    colour = CLOCK_COLOURS.get(d.clock.state or "", "#2e7d32" if d.clock.state == "ok" else "#455a64")
    clock = f"<p style='color:{colour};font-weight:bold'>{escape(d.clock.label)}</p>" if d.clock.label else ""
    parts = [
        f"<h2>{d.reference} — {escape(STATUSES.get(d.status, d.status))}</h2>",
        clock,
        "<table cellspacing=4>",
        row("Receiving team", d.centre),
        row("From contact", f"{d.contact_reference}, received {_when(d.contact_received_at)}"),
        row("Consent to step-down", CONSENT_ANSWERS.get(d.consent_step_down, d.consent_step_down)),
        row("Consent to sharing", CONSENT_ANSWERS.get(d.consent_info_sharing, d.consent_info_sharing)),
    ]
    parts += [row(label, value) for label, value in milestones(d, _when)]
    links = [f"<a href='contact:{d.contact_id}'>{d.contact_reference}</a> (the contact it came from)"]
    if d.stepped_up_contact_id:
        links.append(f"<a href='contact:{d.stepped_up_contact_id}'>{d.stepped_up_reference}</a> (the step-up)")
    parts.append(f"</table><p>Open: {' · '.join(links)}</p><h3>Family</h3><ul>")
    for m in d.family:
        role = m.role.replace("_", " ") + (f", {m.relationship}" if m.relationship else "")
        born = f", born {local_date(m.date_of_birth)}" if m.date_of_birth else ""
        parts.append(f"<li>{escape(m.name)} ({escape(role)}{born})</li>")
    parts += [
        "</ul><h3>What the family needs help with</h3>",
        f"<p>{escape(d.needs or 'Not recorded yet.')}</p>",
        "<h3>MASH decision</h3>",
        f"<p>{escape(d.decision_summary)}</p>",
        "<h3>Concern, in the referrer's words</h3>",
        f"<p>{escape(d.concern)}</p>",
        "<h3>Agency checks</h3>",
    ]
    for c in d.checks:
        answer = (
            f"<i>An answer restricted to {escape(c.agency)} exists; it is withheld from you.</i>"
            if c.withheld
            else escape(c.answer or "—")
        )
        parts.append(f"<p><b>{escape(c.agency)}</b><br>{answer}</p>")
    if not d.checks:
        parts.append("<p>No agency answers.</p>")
    parts.append("<h3>History</h3><table cellspacing=3>")
    for e in d.events:
        parts.append(
            f"<tr><td>{escape(_when(e.at))}</td><td>{escape(e.by)}</td>"
            f"<td><b>{escape(e.kind.replace('_', ' '))}</b> {escape(e.note)}</td></tr>"
        )
    parts.append("</table>")
    return "".join(parts)


class StepDownsView(QWidget):
    """Step-downs with filters, the chosen one's detail and its actions; ``loaded`` after each refresh."""

    loaded = Signal()
    #: A contact to open in the contact view (a link in the detail: where it came from, its step-up).
    open_contact = Signal(int)
    #: The id of the step-down whose detail is on screen.
    step_down_shown = Signal(int)

    def __init__(self, service: StepDownService, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepdownsView")
        self.service, self.actor = service, actor
        self.rows: list[StepDownRow] = []
        self.current: StepDownDetail | None = None

        self.centre = QComboBox()
        self.centre.setAccessibleName("Centre filter")
        self.centre.addItem("All centres", None)
        for c in service.config.centres:
            self.centre.addItem(c.name, c.code)
        self.status = QComboBox()
        self.status.setAccessibleName("Status filter")
        for label, _ in STATUS_FILTERS:
            self.status.addItem(label)
        self.status.setCurrentIndex(0 if actor.role == "earlyhelp" else 2)
        self.overdue = QCheckBox("&Overdue only")
        self.overdue.setAccessibleName("Only step-downs with an overdue first contact or review")
        self.count = QLabel()
        self.count.setObjectName("stepdownCount")
        self.message = QLabel()
        self.message.setObjectName("stepdownMessage")
        self.message.setAccessibleName("What the last action did")
        centre_label, status_label = QLabel("C&entre:"), QLabel("&Status:")
        centre_label.setBuddy(self.centre)
        status_label.setBuddy(self.status)
        bar = QHBoxLayout()
        for w in (centre_label, self.centre, status_label, self.status, self.overdue):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.message)
        bar.addSpacing(16)
        bar.addWidget(self.count)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("stepdownTable")
        self.table.setAccessibleName("Step-downs")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        for col, width in enumerate((82, 175, 110, 215, 115, 130, 90)):
            self.table.setColumnWidth(col, width)

        self.detail = QTextBrowser()
        self.detail.setObjectName("stepdownDetail")
        self.detail.setAccessibleName("Step-down details and history")
        self.detail.setHtml("<p>Choose a step-down to see its family, clocks and history.</p>")
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(self._link)

        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        for i, (action, (text, shortcut, description)) in enumerate(ACTIONS.items()):
            button = QPushButton(text)
            button.setAccessibleName(description.split(":")[0])
            button.setToolTip(description + (f" ({shortcut})" if shortcut else ""))
            button.clicked.connect(lambda _=False, a=action: self.run_action(a))
            if shortcut:
                QShortcut(QKeySequence(shortcut), self, activated=lambda a=action: self._shortcut(a))
            self.buttons[action] = button
            grid.addWidget(button, i // 4, i % 4)
        self.save_form = QPushButton("Save form as &PDF…")
        self.save_form.setAccessibleName("Save the step-down form as a PDF")
        self.save_form.setToolTip("Save the step-down form for the receiving team (Ctrl+S)")
        self.print_form = QPushButton("Print for&m…")
        self.print_form.setAccessibleName("Print the step-down form")
        self.print_form.setToolTip("Print the step-down form (Ctrl+P)")
        self.save_form.clicked.connect(self.save_pdf)
        self.print_form.clicked.connect(self.print_pdf)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save_pdf)
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self.print_pdf)
        n = len(ACTIONS)
        grid.addWidget(self.save_form, n // 4, n % 4)
        grid.addWidget(self.print_form, (n + 1) // 4, (n + 1) % 4)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail, 1)
        right_layout.addLayout(grid)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setSizes([820, 500])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

        order = [
            self.centre,
            self.status,
            self.overdue,
            self.table,
            self.detail,
            *self.buttons.values(),
            self.save_form,
            self.print_form,
        ]
        for a, b in zip(order, order[1:], strict=False):
            self.setTabOrder(a, b)
        self.centre.currentIndexChanged.connect(self.refresh)
        self.status.currentIndexChanged.connect(self.refresh)
        self.overdue.toggled.connect(self.refresh)
        self.table.currentCellChanged.connect(lambda row, *_: self._row_chosen(row))
        self._enable()

    # -- loading ----------------------------------------------------------------------------------------
    def query(self) -> StepDownQuery:
        statuses = STATUS_FILTERS[self.status.currentIndex()][1]
        return StepDownQuery(
            centre=self.centre.currentData(),
            statuses=statuses,
            overdue_only=self.overdue.isChecked(),
            sent_first=self.actor.role == "earlyhelp",
        )

    def refresh(self) -> None:
        """Reload the list (keeping the chosen step-down if it is still listed) and its detail."""
        keep = self.current.id if self.current else None
        query = self.query()
        try:
            self.rows = self.service.page(self.actor, query)
            total = self.service.count(self.actor, query)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot list step-downs", str(exc))
            return
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            values = (
                r.reference,
                r.family,
                STATUSES.get(r.status, r.status).split(" — ")[0],
                r.clock.label,
                r.centre,
                r.worker or "",
                r.sent_at.astimezone(LONDON).strftime("%d %b %Y") if r.sent_at else "—",
            )
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if col == 3 and r.clock.state in CLOCK_COLOURS:
                    item.setForeground(QColor(CLOCK_COLOURS[r.clock.state]))
                self.table.setItem(i, col, item)
        self.table.blockSignals(False)
        shown = f"{total:,} step-down{'s' if total != 1 else ''}"
        self.count.setText(shown if total <= len(self.rows) else f"{shown} (first {len(self.rows)} shown)")
        ids = [r.id for r in self.rows]
        row = ids.index(keep) if keep in ids else (0 if ids else -1)
        if row >= 0:
            self.table.setCurrentCell(row, 0)
            self._row_chosen(row)
        else:
            self.current = None
            self.detail.setHtml("<p>No step-downs match these filters.</p>")
            self._enable()
        self.loaded.emit()

    def _row_chosen(self, row: int) -> None:
        if not 0 <= row < len(self.rows):
            return
        self.show_step_down(self.rows[row].id)

    def show_step_down(self, step_down_id: int) -> None:
        try:
            self.current = self.service.get(self.actor, step_down_id)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot show this step-down", str(exc))
            return
        self.detail.setHtml(step_down_html(self.current))
        self._enable()
        self.step_down_shown.emit(step_down_id)

    def _link(self, url: QUrl) -> None:
        if url.scheme() == "contact" and url.path().isdigit():
            self.open_contact.emit(int(url.path()))

    def _enable(self) -> None:
        allowed = self.current.actions if self.current else ()
        for action, button in self.buttons.items():
            button.setEnabled(action in allowed)
            button.setVisible(self.actor.may(self._permission(action)))
        self.save_form.setEnabled(self.current is not None)
        self.print_form.setEnabled(self.current is not None)

    @staticmethod
    def _permission(action: str) -> str:
        return TRANSITIONS[action][1]

    # -- actions ----------------------------------------------------------------------------------------
    def _shortcut(self, action: str) -> None:
        if self.buttons[action].isEnabled():
            self.run_action(action)

    def _item(self, title: str, label: str, items: list[str], current: int = 0) -> str | None:
        value, ok = QInputDialog.getItem(self, title, label, items, current, False)
        return value if ok else None

    def _text(self, title: str, label: str, text: str = "", multiline: bool = True) -> str | None:
        if multiline:
            value, ok = QInputDialog.getMultiLineText(self, title, label, text)
        else:
            value, ok = QInputDialog.getText(self, title, label, QLineEdit.EchoMode.Normal, text)
        return value if ok else None

    def _ask(self, action: str) -> Callable[[StepDownDetail], object] | None:
        """Ask for what ``action`` needs; returns the call to make, or None if the person cancelled."""
        s, a = self.service, self.actor
        title = ACTIONS[action][0].replace("&", "").rstrip("…")
        if action == "record_consent":
            answers = ["Given", "Refused"]
            step = self._item(title, "Consent to the step-down to Early Help:", answers)
            sharing = step and self._item(title, "Consent to sharing information with the centre:", answers)
            if not step or not sharing:
                return None
            return lambda d: s.record_consent(
                a, d.id, d.version, step_down=step.lower(), info_sharing=sharing.lower()
            )
        if action == "send":
            centres = list(s.config.centres)
            codes = [c.code for c in centres]
            name = self._item(
                title,
                "Receiving team:",
                [c.name for c in centres],
                codes.index(self.current.centre_code)
                if self.current and self.current.centre_code in codes
                else 0,
            )
            needs = name and self._text(
                title, "What the family needs help with:", self.current.needs if self.current else ""
            )
            if not name or needs is None:
                return None
            code = centres[[c.name for c in centres].index(name)].code
            return lambda d: s.send(a, d.id, d.version, centre=code, needs=needs)
        if action == "accept":
            return lambda d: s.accept(a, d.id, d.version)
        if action == "decline":
            reason = self._text(title, "Why is the step-down declined?")
            return None if reason is None else (lambda d: s.decline(a, d.id, d.version, reason=reason))
        if action == "allocate":
            worker = self._text(
                title,
                "Early Help worker:",
                (self.current.allocated_worker or "") if self.current else "",
                multiline=False,
            )
            return None if worker is None else (lambda d: s.allocate(a, d.id, d.version, worker=worker))
        if action == "first_contact":
            now = s.ctx.now().astimezone(LONDON)
            when = self._text(title, "When (dd/mm/yyyy hh:mm):", f"{now:%d/%m/%Y %H:%M}", multiline=False)
            if when is None:
                return None
            try:
                at = datetime.strptime(when.strip(), "%d/%m/%Y %H:%M").replace(tzinfo=LONDON)
            except ValueError:
                QMessageBox.warning(self, title, "When: give a date and time such as 27/11/2026 14:30")
                return None
            note = self._text(title, "How did the first contact go?")
            return (
                None
                if note is None
                else (lambda d: s.record_first_contact(a, d.id, d.version, at=at, note=note))
            )
        if action == "review":
            note = self._text(title, "Summary of the review:")
            return None if note is None else (lambda d: s.record_review(a, d.id, d.version, note=note))
        if action == "close":
            labels = list(CLOSURE_REASONS.values())
            reason = self._item(title, "Why is the step-down closed?", labels)
            if reason is None:
                return None
            code = list(CLOSURE_REASONS)[labels.index(reason)]
            return lambda d: s.close(a, d.id, d.version, reason=code)
        if action == "decide_refusal":
            choice = self._item(
                title,
                "The family refused consent. What next?",
                ["Ask the family again", "Close: no further action"],
            )
            if choice is None:
                return None
            return lambda d: s.decide_refusal(a, d.id, d.version, ask_again=choice.startswith("Ask"))
        if action == "step_up":
            reason = self._text(
                title, "Why does the family need the MASH now? (the concern of the new contact)"
            )
            return None if reason is None else (lambda d: s.step_up(a, d.id, d.version, reason=reason))
        raise KeyError(action)

    def run_action(self, action: str) -> None:
        """Ask for what the action needs, run it, and show the step-down as it now is."""
        if self.current is None or action not in self.current.actions:
            return
        call = self._ask(action)
        if call is None:
            return
        acted = self.current
        try:
            call(acted)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Step-down not changed", str(exc))
            self.refresh()
            return
        self.refresh()
        now = self.service.get(self.actor, acted.id)
        gone = "" if acted.id in [r.id for r in self.rows] else " (it has left this list)"
        up = (
            f": new contact {now.stepped_up_reference} is in the MASH queue"
            if now.stepped_up_reference
            else ""
        )
        self.message.setText(f"{acted.reference} — {STATUSES.get(now.status, now.status)}{up}{gone}.")

    # -- the form -----------------------------------------------------------------------------------------
    def _build_form(self) -> bytes | None:
        if self.current is None:
            return None
        step_down_id = self.current.id
        try:
            return run_with_progress(
                "Building the step-down form…",
                lambda progress: self.service.form_pdf(self.actor, step_down_id),
            )
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot build the form", str(exc))
            return None

    def save_pdf(self) -> None:
        if self.current is None:
            return
        step_down = self.current
        saved = save_document(
            self, "Save the step-down form", f"step-down-{step_down.reference}.pdf", self._build_form,
            lambda pdf, path: self.service.save_form(self.actor, step_down.id, pdf, path),
        )
        if saved is not None:
            self.message.setText(f"Saved {saved.name}.")

    def print_pdf(self) -> None:
        if self.current is None:
            return
        step_down = self.current
        printed = print_document(
            self, self._build_form,
            lambda pdf, printer: self.service.record_form_printed(self.actor, step_down.id, printer, pdf),
        )
        if printed is not None:
            self.message.setText(f"Printed the form for {step_down.reference}.")

