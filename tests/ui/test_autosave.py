"""A form's typing is kept as a draft and offered back after a crash."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLineEdit

from mashdesk.drafts import DraftService
from ui.autosave import Autosaver

pytestmark = pytest.mark.qt


def test_typing_is_autosaved_and_offered_back(qtbot, ctx, actors):
    edit = QLineEdit()
    qtbot.addWidget(edit)
    saver = Autosaver(DraftService(ctx), actors["practitioner"], "contact", lambda: {"concern": edit.text()})
    saver._timer.setInterval(50)
    saver.start()
    qtbot.keyClicks(edit, "Child seen with a bruise")
    with qtbot.waitSignal(saver.saved, timeout=5000):
        pass
    saver._timer.stop()
    # A new session (after a crash) is offered what was typed.
    again = Autosaver(DraftService(ctx), actors["practitioner"], "contact", dict)
    assert again.offer().payload == {"concern": "Child seen with a bruise"}
    again.finish()
    assert again.offer() is None
