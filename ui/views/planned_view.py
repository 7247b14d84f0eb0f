"""A main view whose screen is not built yet: says so plainly and names what will be there."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

PLANNED = {
    "meeting": ("Daily MASH meeting",
                "The morning's agenda: the EDT handover, new red and amber contacts, contacts waiting on "
                "checks, strategy discussions to convene, missing children; notes and actions."),
}


class PlannedView(QWidget):
    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title, text = PLANNED[key]
        self.setObjectName(f"{key}View")
        heading = QLabel(f"<h2>{title}</h2>")
        body = QLabel(f"<p>This screen is not built yet in this version of MASH Desk.</p>"
                      f"<p><b>What will be here:</b> {text}</p>")
        body.setWordWrap(True)
        body.setAccessibleName(f"{title}: not built yet")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addStretch(1)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
