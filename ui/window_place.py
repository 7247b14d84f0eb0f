"""Where the main window opens: a first size that shows the work, or the place it was left if still usable."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QStyle, QWidget

#: The first size of the window (before any is saved), if the screen is big enough.
FIRST_SIZE = (1400, 860)
#: A saved window smaller than this is not used (the first size is).
MIN_SIZE = (480, 320)


def place_first_time(window: QWidget) -> None:
    """1400 × 860, or 85% of the screen when that is smaller, centred on the screen."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(*FIRST_SIZE)
        return
    free = screen.availableGeometry()
    size = QSize(min(FIRST_SIZE[0], int(free.width() * 0.85)), min(FIRST_SIZE[1], int(free.height() * 0.85)))
    window.setGeometry(QStyle.alignedRect(Qt.LayoutDirection.LeftToRight, Qt.AlignmentFlag.AlignCenter, size, free))


def fits_a_screen(window: QWidget) -> bool:
    """Whether the restored window is a usable size and mostly on a screen that is there now."""
    frame = window.geometry()
    if frame.width() < MIN_SIZE[0] or frame.height() < MIN_SIZE[1]:
        return False
    for screen in QGuiApplication.screens():
        seen = screen.availableGeometry().intersected(frame)
        if seen.width() * seen.height() >= 0.5 * frame.width() * frame.height():
            return True
    return False
