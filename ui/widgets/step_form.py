"""A small keyboard form for one step of a record: labelled fields, Ctrl+S or Ctrl+Enter to save.

A refused field (an ``InputError`` naming it) is shown and focused, and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QDateTime, QTimeZone
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from mashdesk.errors import InputError, MashDeskError
from ui.keys import ReturnDoesNotSubmit

LONDON = QTimeZone(b"Europe/London")


class WhenEdit(QDateTimeEdit):
    """A date and time whose Tab leaves the field (Left and Right move between its parts), so a form is
    crossed with Tab whatever field it starts at."""

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802
        return QWidget.focusNextPrevChild(self, forward)


def when_edit(name: str, value: datetime) -> QDateTimeEdit:
    edit = WhenEdit(QDateTime.fromMSecsSinceEpoch(int(value.timestamp() * 1000), LONDON))
    edit.setTimeZone(LONDON)
    edit.setDisplayFormat("ddd dd MMM yyyy HH:mm")
    edit.setCalendarPopup(True)
    edit.setAccessibleName(name)
    return edit


def moment(edit: QDateTimeEdit) -> datetime:
    return datetime.fromtimestamp(edit.dateTime().toSecsSinceEpoch(), UTC)


def combo(name: str, items: dict[str, str]) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    for code, label in items.items():
        box.addItem(label, code)
    return box


def text_edit(name: str) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setAccessibleName(name)
    edit.setTabChangesFocus(True)
    edit.setMaximumHeight(90)
    return edit


def line_edit(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(placeholderText=placeholder)
    edit.setAccessibleName(name)
    return edit


def value_of(widget: QWidget) -> Any:
    if isinstance(widget, QDateTimeEdit):
        return moment(widget)
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QLineEdit):
        return widget.text()
    return None


class StepForm(ReturnDoesNotSubmit):
    """One step's fields; ``submit(values)`` runs the service call (an ``InputError`` names the field)."""

    def __init__(self, title: str, fields: list[tuple[str, str, QWidget]], submit: Callable[[dict[str, Any]], Any],
                 parent: QWidget | None = None, intro: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("missingStepForm")
        self.resize(560, 200 + 40 * len(fields))
        self.fields = {key: widget for key, _, widget in fields}
        self._submit = submit
        self.result_value: Any = None
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setAccessibleName("Form error")
        self.error.setStyleSheet("color: #c62828; font-weight: bold")
        self.error.setWordWrap(True)
        form = QFormLayout()
        for _, label, widget in fields:
            caption = QLabel(label)
            caption.setBuddy(widget)
            form.addRow(caption, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("&Save (Ctrl+S)")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if intro:
            note = QLabel(intro)
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addLayout(form)
        layout.addWidget(buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.save)
        self._first = fields[0][2] if fields else None

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._first is not None:
            self._first.setFocus()

    def values(self) -> dict[str, Any]:
        return {key: value_of(widget) for key, widget in self.fields.items()}

    def save(self) -> None:
        try:
            self.result_value = self._submit(self.values())
        except InputError as exc:
            self.error.setText(str(exc)[:1].upper() + str(exc)[1:])
            widget = self.fields.get(exc.field or "")
            if widget is not None:
                widget.setFocus()
            return
        except MashDeskError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
