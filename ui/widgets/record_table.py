"""A read-only list of records: one row each, chosen whole, columns of given widths, the last stretched."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget


def record_table(object_name: str, accessible_name: str, columns: Sequence[str],
                 widths: Sequence[int]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setObjectName(object_name)
    table.setAccessibleName(accessible_name)
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for col, width in enumerate(widths):
        table.setColumnWidth(col, width)
    return table


def reselect(table: QTableWidget, ids: Sequence[int], keep: int | None) -> int:
    """After a refresh, choose the row of record ``keep`` again, else the first; the row chosen, or -1."""
    row = ids.index(keep) if keep in ids else (0 if ids else -1)
    if row >= 0:
        table.setCurrentCell(row, 0)
    return row
