"""The strategy screen (Ctrl+5): the lists of discussions, the record of the one open, and its pack."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mashdesk.clock import LONDON
from mashdesk.context import Actor
from mashdesk.errors import MashDeskError
from mashdesk.strategy.service import StrategyService
from mashdesk.strategy.views import DiscussionDetail, DiscussionRow
from mashdesk.strategy.workflow import GROUPS
from ui.people.choose_person import choose_person
from ui.strategy.pack_panel import PackPanel
from ui.strategy.record import DiscussionRecord, fill, table

#: The list chooser: label → group key (None: every discussion).
LISTS: list[tuple[str, str | None]] = [
    ("All discussions", None),
    *[(label, key) for key, label in GROUPS.items()],
]


class StrategyView(QWidget):
    """Emits ``loaded`` once the list and the open discussion's pack preview are on screen,
    ``discussion_shown(id)`` when a discussion's record is shown and ``pack_ready(id)`` when its
    pack is rendered in the preview."""

    loaded = Signal()
    discussion_shown = Signal(int)
    #: Ctrl+Shift+P: open the Person page of a child in the discussion on screen.
    person_requested = Signal(int)
    pack_ready = Signal(int)

    def __init__(self, service: StrategyService, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("strategyView")
        self.service, self.actor = service, actor
        self.rows: list[DiscussionRow] = []
        self._announce = False

        self.list_choice = QComboBox()
        self.list_choice.setAccessibleName("Which discussions to list")
        for label, _ in LISTS:
            self.list_choice.addItem(label)
        list_label = QLabel("&List:")
        list_label.setBuddy(self.list_choice)
        self.convene_button = QPushButton("&Convene from a contact…")
        self.convene_button.setAccessibleName("Convene a strategy discussion from a contact (Ctrl+N)")
        self.table = table("discussionList", ["Discussion", "Children", "Due / held", "ICPC due"])
        self.table.setAccessibleName("Strategy discussions")
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        fit, stretch = QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch
        for col, mode in enumerate((fit, stretch, fit, fit)):
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

        self.record = DiscussionRecord(service, actor)
        self.pack = PackPanel(service, actor)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.record)
        splitter.addWidget(self.pack)
        splitter.setSizes([370, 450, 410])
        QVBoxLayout(self).addWidget(splitter)

        chain = [self.list_choice, self.table, self.convene_button,
                 *self.record.focus_chain(), *self.pack.focus_chain()]
        for first, second in zip(chain, chain[1:], strict=False):
            self.setTabOrder(first, second)

        self.list_choice.currentIndexChanged.connect(lambda _: self.refresh())
        self.table.activated.connect(lambda index: self.open_discussion(self.rows[index.row()].id))
        self.convene_button.clicked.connect(self.convene)
        self.record.shown.connect(self.discussion_shown)
        self.record.written.connect(self._written)
        self.pack.ready.connect(self.pack_ready)
        self.pack.settled.connect(self._finish_loading)
        for keys, slot in (
            ("Ctrl+B", self.pack.rebuild),
            ("Ctrl+P", self.pack.print_pack),
            ("Ctrl+S", self.pack.save_pack),
            ("Ctrl+Return", self.record.save_meeting),
            ("Ctrl+D", self.record.toggle_done),
            ("Ctrl+L", self.table.setFocus),
            ("Ctrl+Shift+P", self.open_person),
        ):
            QShortcut(QKeySequence(keys), self, activated=slot)
        if actor.may("strategy.convene"):
            QShortcut(QKeySequence("Ctrl+N"), self, activated=self.convene)
        if actor.may("returns.record"):
            QShortcut(QKeySequence("Ctrl+Shift+C"), self, activated=self.conference_outcome)

    def conference_outcome(self) -> None:
        """Ctrl+Shift+C: a child's initial child protection conference (or that none is needed), its plan."""
        from mashdesk.returns.recording import CensusRecordService
        from ui.reports.census_record import census_conference

        if self.detail is not None and census_conference(
                self, CensusRecordService(self.service.ctx), self.actor, self.detail.id,
                self.service.ctx.now().astimezone(LONDON).date()):
            self.open_discussion(self.detail.id)

    def open_person(self) -> None:
        """Open the Person page of the discussion's child (asking which, when there are several)."""
        if self.detail is not None:
            chosen = choose_person(self, [(c.person_id, c.name) for c in self.detail.children])
            if chosen is not None:
                self.person_requested.emit(chosen)

    @property
    def detail(self) -> DiscussionDetail | None:
        """The record on screen, or None."""
        return self.record.detail

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
        fill(self.table, [
            [r.reference, r.children, r.due_text, f"{r.next_icpc_due:%d %b}" if r.next_icpc_due else ""]
            for r in self.rows
        ])
        for r, row in enumerate(self.rows):
            for column, state in ((2, row.due_status), (3, row.icpc_status)):
                if state in ("due_soon", "breached"):
                    self.table.item(r, column).setForeground(Qt.GlobalColor.darkRed)
        self.count.setText(f"{len(self.rows)} discussion{'s' if len(self.rows) != 1 else ''}")
        ids = [r.id for r in self.rows]
        detail = self.record.detail
        current = detail.id if detail is not None and detail.id in ids else (ids[0] if ids else None)
        self._announce = True
        if current is None:
            self._finish_loading()
            return
        self.table.selectRow(ids.index(current))
        self.open_discussion(current)

    def open_discussion(self, discussion_id: int) -> None:
        """Show the record of one discussion and its pack (built in the background if it changed)."""
        if not self.record.show_discussion(discussion_id):
            return
        ids = [r.id for r in self.rows]
        if discussion_id in ids:
            self.table.selectRow(ids.index(discussion_id))
        self._show_pack()

    def _show_pack(self) -> None:
        if self.record.detail is not None:
            self.pack.show_pack(self.record.detail.id, self.record.detail.reference)

    def _written(self, discussion_id: int) -> None:
        ids = [r.id for r in self.rows]
        detail = self.record.detail
        if detail is not None and discussion_id in ids:
            self.table.item(ids.index(discussion_id), 2).setText(detail.due_text)
        self._show_pack()

    def _finish_loading(self) -> None:
        if self._announce:
            self._announce = False
            self.loaded.emit()

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

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.pack.stop()
        super().closeEvent(event)
