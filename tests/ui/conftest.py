"""Qt fixtures: a small demo desk to drive."""

from __future__ import annotations

import pytest

from mashdesk.demo import build_demo

pytestmark = pytest.mark.qt


@pytest.fixture
def demo_ctx(ctx):
    """The shared ``ctx`` (SQLite and PostgreSQL) filled with a small demo desk."""
    build_demo(ctx, 120, seed=5)
    return ctx


@pytest.fixture
def manager(demo_ctx):
    from mashdesk.services.auth import AuthService

    return AuthService(demo_ctx).actor("demo.manager")


@pytest.fixture(autouse=True)
def _no_dialog_left_open(qapp):
    """A dialog a test left open is closed for certain, so it cannot hold up the next test."""
    yield
    from tests.ui.driving import close_stray_dialogs

    close_stray_dialogs()


class _StrayWindows:
    """Notes a control (a button, a field, a list) shown as a window of its own: on a real screen it
    flashes up on its own and takes the keyboard from the desk."""

    def __init__(self) -> None:
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QLineEdit, QTextEdit

        controls = (QAbstractButton, QAbstractItemView, QComboBox, QLineEdit, QTextEdit)
        seen = self.seen = []

        class Filter(QObject):
            def eventFilter(self, obj, event):  # noqa: N802
                if event.type() == QEvent.Type.Show and isinstance(obj, controls) and obj.isWindow() \
                        and obj.parent() is None:
                    seen.append(f"{type(obj).__name__} {obj.accessibleName() or obj.objectName()!r}")
                return False

        self.filter = Filter()


@pytest.fixture(autouse=True)
def _no_control_shown_as_a_window(qapp):
    stray = _StrayWindows()
    qapp.installEventFilter(stray.filter)
    yield
    qapp.removeEventFilter(stray.filter)
    assert not stray.seen, f"shown as windows of their own: {stray.seen}"
