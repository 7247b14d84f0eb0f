"""The meeting view's columns, buttons and lists, and how its tables behave."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget

COLUMNS = ("Ref", "Section", "About", "Why", "Brings", "Decision")
ACTION_COLUMNS = ("Ref", "Item", "Action", "Owner", "School", "Due", "Status")
#: action → (button text, shortcut, accessible description).
BUTTONS: dict[str, tuple[str, str, str]] = {
    "open": ("&Open meeting", "Ctrl+O", "Open today's meeting: the agenda becomes its items"),
    "attendance": ("Atte&ndance…", "Ctrl+Shift+A", "Record who attended for each agency"),
    "record": ("&Record item…", "Ctrl+D", "Record the chosen item's note and decision"),
    "add_action": ("Add a&ction…", "Ctrl+J", "Add an action with an owner and a due date"),
    "add_item": ("Add &item…", "Ctrl+Shift+I", "Add a contact or free text to the agenda"),
    "close": ("C&lose meeting", "Ctrl+Shift+L", "Close the meeting: the minutes are locked"),
    "addendum": ("Addend&um…", "Ctrl+Shift+M", "Add to the locked minutes, stamped with who and when"),
}
#: The actions list: label → which (``MeetingService.actions``), or None for this meeting's actions.
ACTION_LISTS = [("Agreed at this meeting", None), ("My open actions", "mine"),
                ("Actions for schools", "schools"), ("All open actions I follow up", "open")]


def list_table(table: QTableWidget, columns: tuple[str, ...], widths: tuple[int, ...]) -> None:
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(False)
    table.verticalHeader().setDefaultSectionSize(26)
    for col, width in enumerate(widths):
        table.setColumnWidth(col, width)
