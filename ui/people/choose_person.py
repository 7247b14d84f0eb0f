"""Ctrl+Shift+P from a view that shows people (a contact, a strategy discussion): which person's page to open."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QWidget


def choose_person(parent: QWidget, people: list[tuple[int, str]]) -> int | None:
    """The person to open: the only one without asking, else the one chosen from a list (None: cancelled)."""
    if not people:
        return None
    if len(people) == 1:
        return people[0][0]
    labels = [label for _, label in people]
    chosen, ok = QInputDialog.getItem(parent, "Open a person's record", "Person:", labels, 0, False)
    return people[labels.index(chosen)][0] if ok and chosen in labels else None
