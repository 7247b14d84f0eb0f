"""The handover screen by keyboard: acknowledge all, make a contact, no action; the EDT's quick entry."""

from __future__ import annotations

import hashlib

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox
from sqlalchemy import select

from db.models import AuditEvent

from mashdesk.demo import build_demo
from mashdesk.services.auth import AuthService
from mashdesk.contacts.service import ContactService
from mashdesk.drafts import DraftService
from mashdesk.handover.service import HandoverService
from tests.helpers import fake_print_dialog
from tests.ui.driving import open_view, press_view
from ui import printing
from ui.handover.view import HandoverView

pytestmark = pytest.mark.qt
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def morning(ctx, clock):
    """A small demo desk on Monday 23 Nov 2026 at 09:15: the weekend's EDT log waits for the handover."""
    clock.set_local(2026, 11, 23, 9, 15)
    build_demo(ctx, 120, seed=5)
    return ctx


@pytest.fixture
def views():
    """Views made by a test, closed while its database is still there (a pending autosave runs then)."""
    made: list[HandoverView] = []
    yield made
    for view in made:
        view.close()


def _view(qtbot, ctx, username: str, views: list[HandoverView]) -> HandoverView:
    actor = AuthService(ctx).actor(username)
    window, view = open_view(qtbot, ctx, actor, "handover")  # Ctrl+3, as a person reaches it
    views.append(window)
    return view


def _statuses(view: HandoverView) -> list[str]:
    return [view.table.item(r, 0).text() for r in range(view.table.rowCount())]


def test_manager_acknowledges_converts_and_records_no_action_by_keyboard(qtbot, morning, monkeypatch, views):
    view = _view(qtbot, morning, "demo.manager", views)
    period = view.period
    assert period is not None and period.end.isoformat().startswith("2026-11-23T08:30")
    assert view.table.rowCount() == len(period.items) >= 4
    urgent = [i.urgent for i in period.items]
    assert urgent == sorted(urgent, reverse=True)  # urgent first
    assert "Morning handover" in view.heading.text()

    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_A, CTRL)  # select every item
    qtbot.keyClick(view.table, Qt.Key.Key_K, CTRL)  # acknowledge
    assert set(_statuses(view)) == {"acknowledged"}
    manager_items = HandoverService(morning).period(view.actor, period.day).items
    assert {i.acknowledged_by for i in manager_items} == {"Daniel Okafor"}

    qtbot.keyClick(view.table, Qt.Key.Key_Home)  # just the first item
    first = view.current_item()
    with qtbot.waitSignal(view.open_contact) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_M, CTRL)
    contact_id = opened.args[0]
    window = view.window()
    assert window.stack.currentWidget() is window.contact  # the new contact is open
    press_view(qtbot, window, "handover")  # back to the handover, as a person does: Ctrl+3
    view.table.setFocus()
    assert _statuses(view)[0] == f"contact C-{contact_id:06d}"
    contact = ContactService(morning).get(view.actor, contact_id)
    assert contact.channel == "edt" and contact.concern == first.reported
    assert contact.received_at == first.call_at

    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        lambda *a, **k: ("Already open to the allocated social worker.", True))
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    qtbot.keyClick(view.table, Qt.Key.Key_X, CTRL | SHIFT)
    assert _statuses(view)[1] == "no action"
    assert "Already open to the allocated social worker." in view.detail.toPlainText()


def test_items_not_dealt_with_by_ten_show_as_breached(qtbot, morning, clock, views):
    clock.set_local(2026, 11, 23, 10, 5)
    view = _view(qtbot, morning, "demo.manager", views)
    assert set(_statuses(view)) == {"BREACHED"}
    assert view.table.item(0, 0).foreground().color().name() == "#c62828"
    assert "deadline passed" in view.heading.text()


def _sheet_events(ctx) -> list[AuditEvent]:
    with ctx.session_factory() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.entity == "handover").order_by(AuditEvent.id)))


def test_saving_the_sheet_records_the_file_and_its_fingerprint(qtbot, morning, monkeypatch, tmp_path, views):
    view = _view(qtbot, morning, "demo.manager", views)
    out = tmp_path / "sheet.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF (*.pdf)"))
    with qtbot.waitSignal(view.sheet_saved):
        qtbot.keyClick(view.table, Qt.Key.Key_S, CTRL | SHIFT)
    written = out.read_bytes()
    assert written.startswith(b"%PDF")
    [event] = _sheet_events(morning)
    assert event.action == "handover.save" and event.username == "demo.manager"
    assert event.summary == "saved the EDT handover sheet for 23 Nov 2026 to file sheet.pdf"
    assert event.detail["outcome"] == "saved to file" and event.detail["path"] == str(out)
    assert event.detail["sha256"] == hashlib.sha256(written).hexdigest()
    assert sorted(event.detail["entries"]) == sorted(i.id for i in view.period.items)


def test_a_sheet_is_not_saved_where_it_cannot_go(qtbot, morning, monkeypatch, tmp_path, views):
    view = _view(qtbot, morning, "demo.manager", views)
    out = tmp_path / "sheet.txt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF (*.pdf)"))
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    qtbot.keyClick(view.table, Qt.Key.Key_S, CTRL | SHIFT)
    assert warnings and "must end in .pdf" in warnings[0]
    assert not out.exists() and _sheet_events(morning) == []


def test_a_sheet_the_disk_cannot_take_is_told_and_recorded_as_not_saved(qtbot, morning, monkeypatch, tmp_path,
                                                                         views):
    import errno

    import mashdesk.documents.delivery as delivery

    def disk_full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    view = _view(qtbot, morning, "demo.manager", views)
    out = tmp_path / "sheet.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF (*.pdf)"))
    monkeypatch.setattr(delivery.os, "fsync", disk_full)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    qtbot.keyClick(view.table, Qt.Key.Key_S, CTRL | SHIFT)
    assert warnings == ["file: could not write sheet.pdf in " + str(tmp_path) + ": No space left on device; "
                        "the EDT handover sheet for 23 Nov 2026 was not saved"]
    assert not out.exists()
    [event] = _sheet_events(morning)
    assert (event.detail["outcome"], event.detail["error"]) == ("save failed", "ENOSPC")


def test_printing_the_sheet_records_the_printer(qtbot, morning, monkeypatch, tmp_path, views):
    printed = tmp_path / "printed.pdf"
    monkeypatch.setattr(printing, "QPrintDialog", fake_print_dialog(printed))
    view = _view(qtbot, morning, "demo.manager", views)
    qtbot.keyClick(view.table, Qt.Key.Key_P, CTRL)
    assert printed.stat().st_size > 0
    [event] = _sheet_events(morning)
    assert event.action == "handover.print"
    assert event.summary == f"printed the EDT handover sheet for 23 Nov 2026 on printer {printed}"
    assert event.detail["outcome"] == "printed" and event.detail["printer"] == str(printed)
    assert len(event.detail["sha256"]) == 64
    assert view.message.text() == f"Handover sheet printed on {printed}"


def test_the_main_window_opens_the_new_contact(qtbot, morning):
    manager = AuthService(morning).actor("demo.manager")
    window, view = open_view(qtbot, morning, manager, "handover")
    assert isinstance(view, HandoverView)
    view.table.setFocus()
    with qtbot.waitSignal(window.view_loaded, check_params_cb=lambda key: key == "contact"):
        qtbot.keyClick(view.table, Qt.Key.Key_M, CTRL)
    assert window.stack.currentWidget() is window.contact
    assert "EDT log" in window.contact.browser.toPlainText()


@pytest.fixture
def night(ctx, clock):
    """Sunday 22 Nov 2026 at 21:00: the EDT is on shift."""
    clock.set_local(2026, 11, 22, 21, 0)
    build_demo(ctx, 120, seed=5)
    return ctx


def test_edt_logs_a_call_by_keyboard_and_the_draft_survives(qtbot, night, clock, monkeypatch, views):
    view = _view(qtbot, night, "demo.edt", views)
    assert "Shift log" in view.heading.text()
    assert not view.acknowledge.isVisible()
    form = view.form
    before = view.table.rowCount()
    qtbot.keyClicks(form.caller_name, "PC Testcaller")
    qtbot.keyClicks(form.caller_agency, "Metropolitan Police")
    qtbot.keyClicks(form.children_text, "Ada Testkid (4)")
    qtbot.keyClicks(form.reported, "Child found wandering near the station.")
    view.autosaver.save_now()  # what the timer does every few seconds
    assert DraftService(night).load(view.actor, "edt_entry", "new") is not None

    # The desk closes without saving; the next one offers the entry back.
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    again = _view(qtbot, night, "demo.edt", views)
    assert again.form.reported.toPlainText() == "Child found wandering near the station."
    qtbot.keyClick(again.form.reported, Qt.Key.Key_Return, CTRL)
    assert again.table.rowCount() == before + 1
    assert DraftService(night).load(again.actor, "edt_entry", "new") is None
    saved = [i for i in again.items if i.reported == "Child found wandering near the station."]
    assert saved and saved[0].caller_name == "PC Testcaller" and saved[0].editable
