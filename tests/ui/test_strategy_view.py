"""The strategy screen by keyboard: open a discussion, record the meeting, preview, print, save the pack."""

from __future__ import annotations

from datetime import date
from hashlib import sha256

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import func, select

from db.models import AuditEvent, Contact
from mashdesk.strategy.service import StrategyService
from tests.helpers import fake_print_dialog
from tests.ui.driving import open_view, press_view, signed_in_window
from ui import printing

pytestmark = pytest.mark.qt


@pytest.fixture
def convened(demo_ctx, manager):
    """A discussion convened by hand now (Monday 23 Nov 2026 10:00), about a demo contact's children."""
    with demo_ctx.session_factory() as s:
        contact_id = s.scalar(select(Contact.id).order_by(Contact.id.desc()))
    return StrategyService(demo_ctx).convene(manager, contact_id, "Disclosure of harm at school.")


@pytest.fixture
def view(qtbot, demo_ctx, manager):
    window = signed_in_window(qtbot, demo_ctx, manager)
    window.resize(1400, 860)
    return press_view(qtbot, window, "strategy")  # Ctrl+5, as a person reaches it


def _press(qtbot, widget, key=Qt.Key.Key_Space):
    widget.setFocus()
    qtbot.keyClick(widget, key)


def test_the_meeting_is_recorded_by_keyboard_and_the_pack_follows(
    qtbot, view, convened, demo_ctx, tmp_path, monkeypatch
):
    view.list_choice.setFocus()
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        qtbot.keyClick(view.list_choice, Qt.Key.Key_Down)  # All discussions -> To convene
    assert view.list_choice.currentText().startswith("To convene")
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_End)  # the newest is due last
    with qtbot.waitSignal(view.pack_ready, timeout=10_000, check_params_cb=lambda i: i == convened):
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert view.detail.id == convened and view.pack.document.pageCount() >= 2

    view.record.mode.setFocus()
    qtbot.keyClick(view.record.mode, Qt.Key.Key_Up)  # Video (the default) -> Phone
    with qtbot.waitSignal(view.pack_ready, timeout=10_000):
        _press(qtbot, view.record.schedule_button)
    assert view.detail.mode == "phone" and view.detail.group == "convened" and view.detail.chair

    view.record.invite_name.setFocus()
    qtbot.keyClicks(view.record.invite_name, "DC Example")
    qtbot.keyClick(view.record.invite_name, Qt.Key.Key_Tab)
    qtbot.keyClicks(view.focusWidget(), "MASH police")
    with qtbot.waitSignal(view.pack_ready, timeout=10_000):
        _press(qtbot, view.record.invite_button)
    assert view.detail.attendees[-1].name == "DC Example"

    view.record.children.setFocus()
    qtbot.keyClick(view.record.children, Qt.Key.Key_Home)
    view.record.decision.setFocus()
    qtbot.keyClick(view.record.decision, Qt.Key.Key_Down)  # single agency -> joint with police
    with qtbot.waitSignal(view.pack_ready, timeout=10_000):
        _press(qtbot, view.record.decision_button)
    child = view.detail.children[0]
    assert child.decision == "s47_joint" and child.icpc_due == date(2026, 12, 14)
    assert view.record.children.item(0, 3).text() == "14 Dec 2026"

    _press(qtbot, view.record.held)
    view.record.meeting["immediate_actions"].setFocus()
    qtbot.keyClicks(view.record.meeting["immediate_actions"], "Stay with grandmother tonight.")
    with qtbot.waitSignal(view.pack_ready, timeout=10_000):
        qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert view.detail.group == "held" and view.detail.immediate_actions == "Stay with grandmother tonight."

    view.record.action_text.setFocus()
    qtbot.keyClicks(view.record.action_text, "Joint home visit")
    qtbot.keyClick(view.record.action_text, Qt.Key.Key_Tab)
    qtbot.keyClicks(view.focusWidget(), "DC Example")
    with qtbot.waitSignal(view.pack_ready, timeout=10_000):
        _press(qtbot, view.record.action_button)
    view.record.actions.setFocus()
    qtbot.keyClick(view.record.actions, Qt.Key.Key_Home)
    with qtbot.waitSignal(view.pack_ready, timeout=10_000):
        qtbot.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert view.detail.actions[0].done_at is not None

    saved = tmp_path / "pack.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved), "PDF (*.pdf)"))
    # As a person does: wait until the rebuilt pack is on screen and Save is offered, in the active window.
    qtbot.waitUntil(lambda: view.pack.save_button.isEnabled() and view.pack.pdf is not None, timeout=10_000)
    view.window().activateWindow()
    qtbot.waitUntil(lambda: view.window().isActiveWindow(), timeout=5_000)
    qtbot.keyClick(view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(saved.exists, timeout=5_000)
    assert saved.read_bytes() == view.pack.pdf

    printed = tmp_path / "printed.pdf"

    monkeypatch.setattr(printing, "QPrintDialog", fake_print_dialog(printed))
    qtbot.keyClick(view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert printed.stat().st_size > 0
    with demo_ctx.session_factory() as s:
        actions = list(
            s.scalars(
                select(AuditEvent.action).where(
                    AuditEvent.entity == "strategy_discussion", AuditEvent.entity_id == convened
                )
            )
        )
    assert {"pack.build", "pack.save", "pack.print", "strategy.manage", "strategy.convene"} <= set(actions)
    with demo_ctx.session_factory() as s:
        delivered = {e.action: e for e in s.scalars(select(AuditEvent).where(
            AuditEvent.action.in_(("pack.save", "pack.print")), AuditEvent.entity_id == convened))}
    assert delivered["pack.save"].summary == "saved the strategy meeting pack to file pack.pdf"
    assert delivered["pack.print"].summary.startswith("printed the strategy meeting pack on printer ")
    assert delivered["pack.save"].detail["sha256"] == delivered["pack.print"].detail["sha256"] == sha256(view.pack.pdf).hexdigest()


def _builds(ctx) -> int:
    with ctx.session_factory() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "pack.build"))


def test_a_pack_shown_twice_is_built_once(qtbot, demo_ctx, manager):
    window = signed_in_window(qtbot, demo_ctx, manager)
    before = _builds(demo_ctx)
    first = press_view(qtbot, window, "strategy")  # Ctrl+5
    assert first.detail is not None and first.pack.document.pageCount() >= 2
    assert _builds(demo_ctx) == before + 1
    press_view(qtbot, window, "queue")  # Ctrl+1, then back: the same discussion, record and reader
    again = press_view(qtbot, window, "strategy")
    assert again is first and again.detail.id == first.detail.id
    assert _builds(demo_ctx) == before + 1
    assert again.pack.document.pageCount() >= 2 and "prepared for" in again.pack.status.text()

    with qtbot.waitSignal(again.pack_ready, timeout=10_000):  # Ctrl+B builds it again, on request
        qtbot.keyClick(again, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert _builds(demo_ctx) == before + 2


def test_an_agency_reader_sees_the_pack_but_cannot_edit(qtbot, demo_ctx):
    from mashdesk.services.auth import AuthService

    police = AuthService(demo_ctx).actor("demo.police")
    _window, v = open_view(qtbot, demo_ctx, police, "strategy")
    assert v.detail is not None and v.pack.document.pageCount() >= 2
    assert not v.record.schedule_button.isEnabled() and not v.convene_button.isVisible()
    assert v.pack.save_button.isEnabled() and f"prepared for {police.display_name}" in v.pack.status.text()


def test_the_main_window_shows_a_discussion_with_its_pack(qtbot, demo_ctx, manager):
    window, strategy = open_view(qtbot, demo_ctx, manager, "strategy")
    assert strategy.detail is not None and strategy.detail.reference in strategy.record.header.text()
    assert strategy.pack.document.pageCount() >= 2 and "page" in strategy.pack.status.text()
