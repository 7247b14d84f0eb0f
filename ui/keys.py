"""Keyboard behaviour shared by the desk's long forms."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog


class ReturnDoesNotSubmit(QDialog):
    """A dialog that a plain Return never submits: it belongs to the field being typed in.

    QDialogButtonBox makes its accept button the default when shown, so a Return
    pressed in a search field would submit a half-filled form; these forms submit
    with their shortcut (Ctrl+S, Ctrl+Enter) or their button.
    """

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
            event.accept()
            return
        super().keyPressEvent(event)
