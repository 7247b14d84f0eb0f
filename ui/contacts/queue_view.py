"""The contact queue: filter, sort, search, open."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from typing import Any

from mashdesk.codes import CONTACT_STATUSES, OPEN_STATUSES
from mashdesk.context import Actor
from mashdesk.contacts.queue import QueueService
from mashdesk.contacts.views import QueueQuery
from ui.contacts.queue_model import COLUMNS, QueueModel

#: What the queue shows: label → query settings.
STATUS_FILTERS: list[tuple[str, dict[str, Any]]] = [
    ("Team queue (open)", {"statuses": OPEN_STATUSES}),
    ("My work", {"statuses": OPEN_STATUSES, "allocated_to_me": True}),
    ("Awaiting agency checks", {"statuses": OPEN_STATUSES, "awaiting_checks": True}),
    ("Awaiting authorisation", {"statuses": ("awaiting_authorisation",)}),
    ("Due soon / breached", {"statuses": OPEN_STATUSES, "clock_alert": True}),
    ("All statuses", {}),
] + [(label, {"statuses": (code,)}) for code, label in CONTACT_STATUSES.items()]
RAG_FILTERS: list[tuple[str, tuple[str, ...]]] = [
    ("Any RAG", ()), ("Red", ("red",)), ("Amber", ("amber",)), ("Green", ("green",)),
    ("Red or amber", ("red", "amber")),
]


class QueueView(QWidget):
    """The team queue. Emits ``open_contact(id)`` on Enter or double-click."""

    open_contact = Signal(int)
    loaded = Signal()

    def __init__(self, service: QueueService, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queueView")
        self.model = QueueModel(service, actor, self)

        self.search = QLineEdit(placeholderText="Child's name or contact ref (Ctrl+F)")
        self.search.setMinimumWidth(260)
        self.search.setAccessibleName("Search the queue")
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.setAccessibleName("Status filter")
        for label, _ in STATUS_FILTERS:
            self.status.addItem(label)
        self.rag = QComboBox()
        self.rag.setAccessibleName("RAG filter")
        for label, _ in RAG_FILTERS:
            self.rag.addItem(label)
        self.mine = QCheckBox("&Allocated to me")
        self.mine.setAccessibleName("Only contacts allocated to me")
        self.count = QLabel()
        self.count.setObjectName("queueCount")

        bar = QHBoxLayout()
        status_label = QLabel("&Show:")
        status_label.setBuddy(self.status)
        rag_label = QLabel("&RAG:")
        rag_label.setBuddy(self.rag)
        for w in (self.search, status_label, self.status, rag_label, self.rag, self.mine):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.count)

        self.table = QTableView()
        self.table.setObjectName("queueTable")
        self.table.setAccessibleName("Contact queue")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((80, 250, 150, 250, 60, 170, 120, 140)):
            self.table.setColumnWidth(col, width)
        self.table.activated.connect(self._activated)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        self.setTabOrder(self.search, self.status)
        self.setTabOrder(self.status, self.rag)
        self.setTabOrder(self.rag, self.mine)
        self.setTabOrder(self.mine, self.table)

        self._started = False
        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._debounce.start)
        self.status.currentIndexChanged.connect(self.refresh)
        self.rag.currentIndexChanged.connect(self.refresh)
        self.mine.toggled.connect(self.refresh)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search.setFocus)
        self.search.returnPressed.connect(self.table.setFocus)

    def current_query(self) -> QueueQuery:
        sort_col = self.table.horizontalHeader().sortIndicatorSection()
        order = self.table.horizontalHeader().sortIndicatorOrder()
        sort = COLUMNS[sort_col][1] if 0 <= sort_col < len(COLUMNS) else "received"
        preset = dict(STATUS_FILTERS[self.status.currentIndex()][1])
        preset["allocated_to_me"] = preset.get("allocated_to_me", False) or self.mine.isChecked()
        return QueueQuery(rags=RAG_FILTERS[self.rag.currentIndex()][1], search=self.search.text(), sort=sort,
                          descending=order == Qt.SortOrder.DescendingOrder, **preset)

    def refresh(self) -> None:
        """Load the page for the filters shown; the contact that was selected stays selected if still there."""
        if not self._started:  # first load: newest first (the header is set without re-sorting the model)
            self._started = True
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(2, Qt.SortOrder.DescendingOrder)
            header.blockSignals(False)
        current = self.table.currentIndex()
        keep = self.model.row_at(current.row()).id if current.isValid() else None
        self.model.set_query(self.current_query())
        shown = self.model.total
        more = "+" if shown >= self.model.COUNT_CAP else ""
        self.count.setText(f"{shown:,}{more} contact{'s' if shown != 1 else ''}")
        if self.model.rowCount():
            rows = [r for r in range(self.model.rowCount()) if self.model.row_at(r).id == keep]
            self.table.selectRow(rows[0] if rows else 0)
        self.loaded.emit()

    def _activated(self, index) -> None:  # type: ignore[no-untyped-def]
        self.open_contact.emit(self.model.row_at(index.row()).id)
