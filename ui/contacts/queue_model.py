"""The queue table model: pages rows from the queue service; sorting and filtering happen in SQL."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from mashdesk.codes import CONTACT_STATUSES
from mashdesk.context import Actor
from mashdesk.contacts.queue import QueueService
from mashdesk.contacts.views import QueueQuery, QueueRow
from ui.formatting import local_time

Index = QModelIndex | QPersistentModelIndex

#: (header, sort key in the queue service)
COLUMNS: list[tuple[str, str]] = [
    ("Ref", "reference"),
    ("Children", "children"),
    ("Received", "received"),
    ("Source", "source"),
    ("RAG", "rag"),
    ("Status", "status"),
    ("Decision due", "due"),
    ("Allocated to", "allocated"),
]
RAG_COLOURS = {"red": QColor("#c62828"), "amber": QColor("#ef8f00"), "green": QColor("#2e7d32")}
DUE_COLOURS = {"breached": QColor("#c62828"), "due_soon": QColor("#b26a00"), "late": QColor("#8d4a00")}


class QueueModel(QAbstractTableModel):
    PAGE = 200
    #: The count shown stops here (\"10,000+ contacts\"): an exact count of a million rows is not free.
    COUNT_CAP = 10_000
    RowRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, service: QueueService, actor: Actor, parent: Any = None) -> None:
        super().__init__(parent)
        self._service = service
        self._actor = actor
        self._query = QueueQuery()
        self._rows: list[QueueRow] = []
        self._exhausted = False
        self._loaded = False
        self.total = 0

    # -- loading -----------------------------------------------------------------------------------
    @property
    def query(self) -> QueueQuery:
        return self._query

    def set_query(self, query: QueueQuery) -> None:
        self.beginResetModel()
        self._loaded = True
        self._query = query
        self._rows = self._service.page(self._actor, query, 0, self.PAGE)
        self._exhausted = len(self._rows) < self.PAGE
        self.total = self._service.count(self._actor, query, cap=self.COUNT_CAP)
        self.endResetModel()

    def reload(self) -> None:
        self.set_query(self._query)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if parent.isValid() or self._exhausted:
            return
        more = self._service.page(self._actor, self._query, len(self._rows), self.PAGE)
        self._exhausted = len(more) < self.PAGE
        if more:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    def row_at(self, row: int) -> QueueRow:
        return self._rows[row]

    # -- Qt model API -----------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        col = COLUMNS[index.column()][1]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == self.RowRole:
            return row.id
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == "rag" and row.rag:
                return QBrush(RAG_COLOURS[row.rag])
            if col == "due" and row.due_status in DUE_COLOURS:
                return QBrush(DUE_COLOURS[row.due_status])
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == "children" and row.is_re_referral:
                return "Re-referral: a child in this contact had a referral in the last 12 months"
            if col == "due" and row.decision_due_at:
                return f"Decision due {local_time(row.decision_due_at)}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{COLUMNS[index.column()][0]}: {self._display(row, col)}"
        return None

    @staticmethod
    def _display(row: QueueRow, col: str) -> str:
        if col == "reference":
            return row.reference
        if col == "children":
            return ("↻ " if row.is_re_referral else "") + row.children
        if col == "received":
            return local_time(row.received_at)
        if col == "source":
            return row.source
        if col == "rag":
            return (row.rag or "—").upper() if row.rag else "—"
        if col == "status":
            return CONTACT_STATUSES.get(row.status, row.status)
        if col == "due":
            return row.due_label
        if col == "allocated":
            return row.allocated_to or "Unallocated"
        return ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][1]
        descending = order == Qt.SortOrder.DescendingOrder
        if not self._loaded:  # the view is being set up: remember the order, load once it starts
            self._query = replace(self._query, sort=key, descending=descending)
            return
        self.set_query(replace(self._query, sort=key, descending=descending))
