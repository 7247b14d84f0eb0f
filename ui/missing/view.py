"""Missing (Ctrl+8): children missing now with their clocks, one episode's story, and its steps by keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from db.references import contact_reference, discussion_reference
from mashdesk.context import Actor, AppContext
from mashdesk.errors import MashDeskError
from mashdesk.missing.reading import LISTS
from mashdesk.missing.service import MissingService
from mashdesk.missing.views import MissingDetail, MissingRow
from mashdesk.missing.workflow import RISKS, STATUSES, TRANSITIONS
from mashdesk.people.service import PeopleService
from ui.missing.actions import ACTIONS, ask
from ui.missing.detail import CLOCK_COLOURS, episode_html
from ui.missing.forms import ReportForm
from ui.printing import print_document, save_document
from ui.widgets.record_table import record_table, reselect

COLUMNS = ("Ref", "Child", "Age", "Status", "Looked after", "Risk", "Hours missing", "Clocks", "Last update")


class MissingView(QWidget):
    """The daily list (or every open episode), the chosen episode and its actions; ``loaded`` after a refresh."""

    loaded = Signal()
    open_contact = Signal(int)

    def __init__(self, service: MissingService, people: PeopleService, actor: Actor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("missingView")
        self.service, self.people, self.actor = service, people, actor
        self.rows: list[MissingRow] = []
        self.current: MissingDetail | None = None

        self.which = QComboBox()
        self.which.setAccessibleName("Which episodes")
        for key, label in LISTS.items():
            self.which.addItem(label, key)
        which_label = QLabel("&List:")
        which_label.setBuddy(self.which)
        self.count = QLabel()
        self.count.setObjectName("missingCount")
        self.message = QLabel()
        self.message.setObjectName("missingMessage")
        self.message.setAccessibleName("What the last action did")
        self.report = QPushButton("Report a &missing child… (Ctrl+Shift+M)")
        self.report.setAccessibleName("Report a missing child")
        self.report.clicked.connect(self.report_missing)
        QShortcut(QKeySequence("Ctrl+Shift+M"), self, activated=self.report_missing)
        bar = QHBoxLayout()
        for w in (which_label, self.which, self.report):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.message)
        bar.addSpacing(16)
        bar.addWidget(self.count)

        self.table = record_table("missingTable", "Missing children", COLUMNS,
                                  (92, 150, 40, 75, 95, 62, 100, 420, 200))

        self.detail = QTextBrowser()
        self.detail.setObjectName("missingDetail")
        self.detail.setAccessibleName("Missing episode details and updates")
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(self._link)

        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        for i, (action, (text, shortcut, description)) in enumerate(ACTIONS.items()):
            button = QPushButton(f"{text} ({shortcut})")
            button.setAccessibleName(description)
            button.setToolTip(description)
            button.clicked.connect(lambda _=False, a=action: self.run_action(a))
            QShortcut(QKeySequence(shortcut), self, activated=lambda a=action: self._shortcut(a))
            self.buttons[action] = button
            grid.addWidget(button, i // 2, i % 2)
        self.save_list = QPushButton("&Save the daily list… (Ctrl+S)")
        self.save_list.setAccessibleName("Save the daily list as a PDF")
        self.print_list = QPushButton("&Print the daily list… (Ctrl+P)")
        self.print_list.setAccessibleName("Print the daily list")
        self.save_list.clicked.connect(self.save_pdf)
        self.print_list.clicked.connect(self.print_pdf)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save_pdf)
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self.print_pdf)
        n = len(ACTIONS)
        grid.addWidget(self.save_list, n // 2, 0)
        grid.addWidget(self.print_list, n // 2, 1)
        grid.setRowStretch(n // 2 + 1, 1)

        below = QWidget()
        below_layout = QHBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        below_layout.addWidget(self.detail, 3)
        buttons = QWidget()
        buttons.setLayout(grid)
        grid.setContentsMargins(0, 0, 0, 0)
        below_layout.addWidget(buttons, 2)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(below)
        splitter.setSizes([330, 420])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        order = [self.which, self.report, self.table, self.detail, *self.buttons.values(), self.save_list,
                 self.print_list]
        for a, b in zip(order, order[1:], strict=False):
            self.setTabOrder(a, b)
        self.which.currentIndexChanged.connect(self.refresh)
        self.table.currentCellChanged.connect(lambda row, *_: self._row_chosen(row))
        # Shown or hidden by role only now, inside the view: a parentless control would show as a window.
        self.report.setHidden(not actor.may("missing.record"))
        for w in (self.save_list, self.print_list):
            w.setHidden(not actor.may("missing.list_save"))
        self._enable()

    # -- loading ----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        keep = self.current.row.id if self.current else None
        try:
            self.rows = self.service.rows(self.actor, self.which.currentData())
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot list missing children", str(exc))
            return
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            clocks = " · ".join(c.label for c in r.clocks)
            values = (r.reference + (" ⚑" if r.atlas_review else ""), r.child, "" if r.age is None else str(r.age),
                      STATUSES[r.status], "Looked after" if r.looked_after else "No", RISKS[r.risk],
                      f"{r.hours_missing} h", clocks, r.last_update)
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value if col != 0 or not r.atlas_review else f"{value}: repeat missing, Atlas review")
                if col == 7 and r.worst_clock in ("breached", "due_soon"):
                    item.setForeground(QColor(CLOCK_COLOURS[r.worst_clock]))
                if col == 5 and r.risk == "high":
                    item.setForeground(QColor("#c62828"))
                self.table.setItem(i, col, item)
        self.table.blockSignals(False)
        missing = sum(r.status == "missing" for r in self.rows)
        self.count.setText(f"{missing} missing now · {len(self.rows)} listed")
        row = reselect(self.table, [r.id for r in self.rows], keep)
        if row >= 0:
            self._row_chosen(row)
        else:
            self.current = None
            self.detail.setHtml("<p>No child is on this list.</p>")
            self._enable()
        self.loaded.emit()

    def _row_chosen(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.show_episode(self.rows[row].id)

    def show_episode(self, episode_id: int) -> None:
        try:
            self.current = self.service.get(self.actor, episode_id)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot show this episode", str(exc))
            return
        self.detail.setHtml(episode_html(self.current))
        self._enable()

    def _link(self, url: QUrl) -> None:
        if url.scheme() == "contact" and url.path().isdigit():
            self.open_contact.emit(int(url.path()))

    def _enable(self) -> None:
        allowed = self.current.actions if self.current else ()
        for action, button in self.buttons.items():
            button.setEnabled(action in allowed)
            button.setVisible(self.actor.may(TRANSITIONS[action][1]))

    # -- actions ----------------------------------------------------------------------------------------
    def report_missing(self) -> None:
        if not self.actor.may("missing.record"):
            return
        form = ReportForm(self.service, self.people, self.actor, self)
        if form.exec() and form.result_value is not None:
            self.which.setCurrentIndex(0)
            self.current = None
            self.refresh()
            ids = [r.id for r in self.rows]
            if form.result_value in ids:
                self.table.setCurrentCell(ids.index(form.result_value), 0)
            self.message.setText(f"Recorded MP-{form.result_value:06d}.")
            self.table.setFocus()

    def _shortcut(self, action: str) -> None:
        if self.buttons[action].isEnabled():
            self.run_action(action)

    def run_action(self, action: str) -> None:
        if self.current is None or action not in self.current.actions:
            return
        acted = self.current
        try:
            result = ask(self, self.service, self.actor, acted, action)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Episode not changed", str(exc))
            self.refresh()
            return
        if result is None:
            return
        self.refresh()
        if action == "make_contact":
            self.message.setText(f"{acted.row.reference} became contact {contact_reference(result)}.")
            self.open_contact.emit(int(result))
            return
        if action == "convene":
            self.message.setText(f"Strategy discussion {discussion_reference(result)} convened for "
                                 f"{acted.row.reference}.")
        else:
            self.message.setText(f"{acted.row.reference}: {ACTIONS[action][2].split(':')[0].lower()} — done.")

    # -- the daily list -----------------------------------------------------------------------------------
    def _build(self) -> bytes | None:
        try:
            self._list = self.service.daily_list(self.actor)
            return self.service.list_pdf(self._list)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot build the list", str(exc))
            return None

    def save_pdf(self) -> None:
        if not self.actor.may("missing.list_save"):
            return
        day = self.service.calendar.localize(self.service.ctx.now()).date()
        saved = save_document(self, "Save the daily list of missing children", f"missing-{day}.pdf", self._build,
                              lambda pdf, path: self.service.save_list(self.actor, self._list, path))
        if saved is not None:
            self.message.setText(f"Saved {saved.name}.")

    def print_pdf(self) -> None:
        if not self.actor.may("missing.list_print"):
            return
        printed = print_document(self, self._build, lambda pdf, printer: self.service.record_list_printed(
            self.actor, self._list, pdf, printer))
        if printed is not None:
            self.message.setText(f"Printed the daily list on {printed}.")


def build_view(ctx: AppContext, actor: Actor) -> MissingView:
    """The main view as the main window builds it on first show."""
    return MissingView(MissingService(ctx), PeopleService(ctx), actor)
