"""The line over an open contact that another desk has just changed: who, when, and Reload."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from html import escape

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from ui.formatting import local_time


class ChangedBanner(QFrame):
    """Hidden until :meth:`show_change`; Reload (or F5) shows the contact as it now is."""

    def __init__(self, reload: Callable[[], None]) -> None:
        super().__init__()
        self.setObjectName("contactChangedBanner")
        self.setAccessibleName("Contact changed by someone else")
        self.setStyleSheet("#contactChangedBanner { background: #fff4ce; border: 1px solid #e0b400; }")
        self.label = QLabel()
        self.label.setObjectName("contactChangedText")
        self.reload_button = QPushButton("&Reload (F5)")
        self.reload_button.setObjectName("contactReload")
        self.reload_button.setAccessibleName("Reload the contact")
        self.reload_button.setToolTip("Show the contact as it is now; nothing you typed is lost")
        self.reload_button.clicked.connect(reload)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.reload_button)
        self.hide()

    def show_change(self, who: str, at: datetime | None) -> None:
        when = f" at {escape(local_time(at))}" if at is not None else ""
        self.label.setText(f"<b>Changed by {escape(who)}{when}.</b> What you see is out of date.")
        self.show()
