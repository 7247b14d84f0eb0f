"""Two desks on one database see each other's changes as they happen (SQLite and PostgreSQL).

Desk A and desk B are two main windows in this test, each with its own connection pool and its
own listener, on the same database, as two people in the MASH would have them.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QTextCursor

from mashdesk.app import open_database
from mashdesk.consultations.service import ConsultationService
from mashdesk.consultations.views import ConsultationInput
from mashdesk.contacts.service import ContactService
from mashdesk.paths import data_dir
from mashdesk.services.auth import AuthService
from mashdesk.strategy.service import StrategyService
from mashdesk.triage.service import TriageService
from tests.helpers import police_notification
from ui.main_window import MainWindow

pytestmark = pytest.mark.qt

#: What the issue asks for: a desk shows another desk's change within 2 seconds.
WITHIN_MS = 2000


def _desk(qtbot, ctx, actor, name: str) -> MainWindow:  # type: ignore[no-untyped-def]
    settings = QSettings(str(data_dir() / f"{name}.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ctx, actor, "test database", settings)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.view_loaded, check_params_cb=lambda key: key == "queue"):
        window.start()
    with qtbot.waitSignal(window.live.listening, timeout=10_000):
        window.start_live()
    return window


def _references(window: MainWindow) -> list[str]:
    model = window.queue.model
    return [model.row_at(r).reference for r in range(model.rowCount())]


@pytest.fixture
def desks(qtbot, demo_ctx, manager, db_url, clock):  # type: ignore[no-untyped-def]
    other, _ = open_database(db_url, clock=clock)  # desk B: its own engine and pool
    practitioner = AuthService(other).actor("demo.practitioner")
    a = _desk(qtbot, demo_ctx, manager, "desk-a")
    b = _desk(qtbot, other, practitioner, "desk-b")
    yield a, b
    for window in (a, b):
        window.close()
    other.engine.dispose()


def test_two_desks_see_each_others_changes(qtbot, desks, demo_ctx, manager, clock):
    a, b = desks
    # Desk B has chosen a contact further down its queue, and scrolled there.
    b.queue.table.selectRow(5)
    chosen = b.queue.model.row_at(5).reference
    b.queue.table.verticalScrollBar().setValue(3)
    scrolled = b.queue.table.verticalScrollBar().value()

    # Desk A records a contact: desk B's queue shows it without anyone pressing F5.
    started = time.monotonic()
    new_id = ContactService(a.ctx).create_contact(manager, police_notification(clock.now))
    reference = ContactService(a.ctx).get(manager, new_id).reference
    qtbot.waitUntil(lambda: reference in _references(b), timeout=WITHIN_MS)
    print(f"desk B's queue showed desk A's new contact after {time.monotonic() - started:.2f} s")
    b_row = b.queue.model.row_at(b.queue.table.currentIndex().row())
    assert b_row.reference == chosen, "the refresh kept desk B's chosen contact"
    assert b.queue.table.verticalScrollBar().value() == scrolled, "and where desk B had scrolled to"
    # Desk A hears of its own write too (the contact it opens next is there).
    qtbot.waitUntil(lambda: reference in _references(a), timeout=WITHIN_MS)

    # Desk B opens it; desk A screens it (red, allocated to desk B's person): B is told who changed it.
    b.queue.table.selectRow(_references(b).index(reference))
    b.queue.table.setFocus()
    with qtbot.waitSignal(b.view_loaded, check_params_cb=lambda key: key == "contact"):
        qtbot.keyClick(b.queue.table, Qt.Key.Key_Return)
    assert b.contact.detail.id == new_id
    banner = b.contact.changed_banner
    assert not banner.isVisible()
    version = b.contact.detail.version
    TriageService(a.ctx).screen(manager, new_id, version, "red", "Police report of injuries",
                                allocate_to=b.actor.user_id)
    qtbot.waitUntil(banner.isVisible, timeout=WITHIN_MS)
    assert "Changed by Daniel Okafor" in banner.label.text()
    assert b.contact.detail.version == version, "the contact is not redrawn under the reader's eyes"

    qtbot.mouseClick(banner.reload_button, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()
    assert b.contact.detail.rag == "red"
    assert b.contact.detail.allocated_to == b.actor.display_name

    # Desk B's own change reaches desk A's queue the same way.
    b_contact = ContactService(b.ctx).create_contact(b.actor, police_notification(clock.now))
    b_reference = ContactService(b.ctx).get(b.actor, b_contact).reference
    qtbot.waitUntil(lambda: b_reference in _references(a), timeout=WITHIN_MS)


def test_a_refresh_keeps_what_the_person_typed(qtbot, desks, clock):
    """Desk A is writing up a strategy discussion when desk B adds an action to it: desk A's record shows the
    new action, and the meeting notes desk A was typing (not yet saved) are still there, cursor and all."""
    a, b = desks
    a.activateWindow()
    qtbot.waitUntil(a.isActiveWindow)
    with qtbot.waitSignal(a.view_loaded, check_params_cb=lambda key: key == "strategy"):
        qtbot.keyClick(a, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    record = a.views["strategy"].record
    assert record.detail is not None, "the demo has a strategy discussion to write up"
    actions_before = record.actions.rowCount()
    notes = next(iter(record.meeting.values()))
    notes.setFocus()
    notes.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(notes, " Police to share the body-map")
    typed = notes.toPlainText()
    manager_b = AuthService(b.ctx).actor("demo.manager")
    StrategyService(b.ctx).add_action(manager_b, record.detail.id, "Visit the school", "Social worker", None)
    qtbot.waitUntil(lambda: record.actions.rowCount() == actions_before + 1, timeout=WITHIN_MS)
    assert notes.toPlainText() == typed
    assert notes.textCursor().position() == len(typed)
    assert notes.hasFocus()


def test_a_new_call_on_the_consultation_line_keeps_the_call_chosen(qtbot, desks, clock):
    """Desk A has a call open on the consultation line when desk B logs another: the list grows, the
    call desk A chose stays chosen and shown."""
    a, b = desks
    a.activateWindow()
    qtbot.waitUntil(a.isActiveWindow)
    with qtbot.waitSignal(a.view_loaded, check_params_cb=lambda key: key == "consultations"):
        qtbot.keyClick(a, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)
    view = a.views["consultations"]
    listed = view.table.rowCount()
    ConsultationService(b.ctx).log(b.actor, _call(clock.now - timedelta(minutes=20), "Sam Nurse"))
    qtbot.waitUntil(lambda: view.table.rowCount() == listed + 1, timeout=WITHIN_MS)
    view.table.selectRow([r.caller.split(" (")[0] for r in view.rows].index("Sam Nurse"))
    ConsultationService(b.ctx).log(b.actor, _call(clock.now - timedelta(minutes=10), "Ali Health Visitor"))
    qtbot.waitUntil(lambda: view.table.rowCount() == listed + 2, timeout=WITHIN_MS)
    assert view.current_row().caller.startswith("Sam Nurse")
    assert "Sam Nurse" in view.detail.toPlainText()


def _call(at, caller: str):  # type: ignore[no-untyped-def]
    return ConsultationInput(
        at=at, caller_name=caller, caller_role="Designated safeguarding lead",
        organisation="Hayes Primary School", from_school=True, phone="020 7946 0000",
        question="A pupil says her stepfather hits her mum; should I refer?",
        advice="Speak to the pupil calmly, record her words, make a referral today.",
        outcome="referral_asked", minutes=12)
