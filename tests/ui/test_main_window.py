"""The desk by keyboard: navigation, filtering, opening a contact; window state kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from sqlalchemy import select

from db.models import AuditEvent
from mashdesk import audit
from mashdesk.paths import data_dir
from ui.main_window import MainWindow

pytestmark = pytest.mark.qt


@pytest.fixture
def window(qtbot, demo_ctx, manager):
    settings = QSettings(str(data_dir() / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(demo_ctx, manager, "test database", settings)
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.view_loaded, check_params_cb=lambda key: key == "queue"):
        w.start()
    return w


def test_queue_shows_open_contacts_first_and_status_bar_names_user(window):
    table = window.queue.table
    assert table.model().rowCount() > 0
    assert "Daniel Okafor" in window.user_label.text()
    assert "MASH team manager" in window.user_label.text()
    assert "open" in window.queue.status.currentText().lower()


def test_keyboard_opens_the_selected_contact(qtbot, window):
    table = window.queue.table
    table.setFocus()
    row = window.queue.model.row_at(table.currentIndex().row())
    with qtbot.waitSignal(window.view_loaded, check_params_cb=lambda key: key == "contact"):
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.contact
    assert row.reference in window.contact.browser.toPlainText()


def test_view_shortcuts_switch_views(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.views["handover"]
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.queue


def test_filter_by_rag_from_the_keyboard(qtbot, window):
    with qtbot.waitSignal(window.queue.loaded):
        window.queue.status.setCurrentIndex(window.queue.status.findText("All statuses"))
    combo = window.queue.rag
    combo.setFocus()
    with qtbot.waitSignal(window.queue.loaded):
        qtbot.keyClick(combo, Qt.Key.Key_Down)  # Any RAG -> Red
    model = window.queue.model
    assert model.rowCount() > 0
    assert {model.row_at(i).rag for i in range(model.rowCount())} == {"red"}


def test_window_state_is_kept_between_sessions(qtbot, demo_ctx, manager, window):
    # The offscreen screen is small and clamps widths, so check a height and a column width.
    window.resize(window.width(), 500)
    window.queue.table.setColumnWidth(1, 333)
    window.close()
    settings = QSettings(str(data_dir() / "settings.ini"), QSettings.Format.IniFormat)
    again = MainWindow(demo_ctx, manager, "test database", settings)
    qtbot.addWidget(again)
    assert again.size().height() == 500
    assert again.queue.table.columnWidth(1) == 333


def test_screenshot_command_saves_the_queue_painted_before_the_orm_loads(tmp_path, demo_ctx):
    out = tmp_path / "queue.png"
    env = dict(os.environ, MASHDESK_PASSWORD="demo", QT_QPA_PLATFORM="offscreen", MASHDESK_TIMING="1")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, str(root / "main.py"), "--db", demo_ctx.url, "--as", "demo.manager",
                           "--screenshot", str(out), "--view", "queue"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert image.width() >= 1000 and image.height() >= 600
    timing = json.loads([line for line in done.stderr.splitlines() if line.startswith("{")][-1])
    assert timing["sqlalchemy_loaded"] is False
    with demo_ctx.session_factory() as s:  # the sign-in was recorded before the queue was shown
        last = s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
        assert (last.action, last.username) == ("auth.sign_in", "demo.manager")
        assert audit.verify(s, demo_ctx.audit_keys).ok


def test_screenshot_with_a_wrong_password_is_refused_and_recorded(tmp_path, demo_ctx):
    env = dict(os.environ, MASHDESK_PASSWORD="not-the-password", QT_QPA_PLATFORM="offscreen")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, str(root / "main.py"), "--db", demo_ctx.url, "--as", "demo.manager",
                           "--screenshot", str(tmp_path / "q.png")], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1
    assert "Wrong user name or password" in done.stderr
    assert not (tmp_path / "q.png").exists()
    with demo_ctx.session_factory() as s:
        last = s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
        assert last.action == "auth.sign_in_failed"


def test_views_are_built_when_first_shown_and_the_rest_loads_behind(qtbot, window):
    built_before = "handover" in window._built
    done = []
    window.load_rest(then=lambda: done.append(True))
    qtbot.waitUntil(lambda: done == [True], timeout=20_000)
    assert not built_before
    window.show_view("strategy")
    assert window.stack.currentWidget() is window.views["strategy"]
    assert window.views["strategy"].isVisible()


def _fresh_window(qtbot, demo_ctx, manager, settings):  # type: ignore[no-untyped-def]
    w = MainWindow(demo_ctx, manager, "test database", settings)
    qtbot.addWidget(w)
    return w


def test_the_first_window_shows_the_work_centred(qtbot, demo_ctx, manager, tmp_path):
    from ui.window_place import FIRST_SIZE

    settings = QSettings(str(tmp_path / "first.ini"), QSettings.Format.IniFormat)
    w = _fresh_window(qtbot, demo_ctx, manager, settings)
    free = w.screen().availableGeometry()
    assert w.width() == min(FIRST_SIZE[0], int(free.width() * 0.85))
    assert w.height() == min(FIRST_SIZE[1], int(free.height() * 0.85))
    assert abs(w.geometry().center().x() - free.center().x()) <= 1
    assert abs(w.geometry().center().y() - free.center().y()) <= 1


@pytest.mark.parametrize("where", ["tiny", "off-screen"])
def test_a_saved_window_that_no_longer_fits_falls_back_to_the_first_size(qtbot, demo_ctx, manager, tmp_path, where):
    settings = QSettings(str(tmp_path / "saved.ini"), QSettings.Format.IniFormat)
    first = _fresh_window(qtbot, demo_ctx, manager, settings)
    expected = first.size()
    if where == "tiny":
        first.setGeometry(10, 10, 300, 120)
    else:
        first.setGeometry(20_000, 20_000, 900, 700)
    settings.setValue("mainWindow/geometry", first.saveGeometry())
    again = _fresh_window(qtbot, demo_ctx, manager, settings)
    free = again.screen().availableGeometry()
    if where == "tiny":
        assert again.size() == expected
    else:  # brought back onto the screen whole, at a size that fits it
        assert free.contains(again.geometry()) and again.width() <= free.width()
    assert free.contains(again.geometry().center())


def test_with_the_database_unreachable_f5_says_so_and_the_queue_keeps_its_rows(qtbot, window):
    from mashdesk.health import DatabaseHealth

    rows = window.queue.table.model().rowCount()
    down = DatabaseHealth(lambda: None, monotonic=lambda: 0.0)  # never checked: unreachable from the start
    window.ctx.health, kept = down, window.ctx.health
    try:
        qtbot.keyClick(window, Qt.Key.Key_F5)
        assert "The database is unreachable" in window.statusBar().currentMessage()
        assert window.queue.table.model().rowCount() == rows
    finally:
        window.ctx.health = kept
