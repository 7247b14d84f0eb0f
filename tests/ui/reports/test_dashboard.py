"""The Dashboard driven from the keyboard as a manager: F7, the figures beside the period before, a period typed
in and worked out on a worker, Enter on a figure for the records behind it, Enter on a record for its contact."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from mashdesk.digest.service import DigestService
from mashdesk.services.auth import AuthService
from tests.ui.driving import Keys, press_view, signed_in_window, when_modal
from ui.view_registry import VIEWS

pytestmark = pytest.mark.qt
ALT = Qt.KeyboardModifier.AltModifier


def _row_of(view, label: str) -> int:  # type: ignore[no-untyped-def]
    """The row of the figures a person reads ``label`` on."""
    return [view.figures.item(r, 0).text() for r in range(view.figures.rowCount())].index(label)


def test_a_manager_reads_the_figures_and_opens_the_records_behind_one(qtbot, demo_ctx):
    actor = AuthService(demo_ctx).actor("demo.manager")
    window = signed_in_window(qtbot, demo_ctx, actor)
    view = press_view(qtbot, window, "dashboard", timeout=30_000)
    keys = Keys(qtbot)
    assert view.figures.hasFocus()
    # A period typed in: From (Alt+M), a year back; Go (Alt+G) works it out while the window stays free.
    keys.press(Qt.Key.Key_M, ALT)
    assert view.start.hasFocus()
    first, last = view._period()
    view.start.setSelectedSection(view.start.sectionAt(view.start.sectionCount() - 1))
    keys.press(Qt.Key.Key_Down)
    assert view._period()[0] == first.replace(year=first.year - 1)
    with qtbot.waitSignal(view.loaded, timeout=30_000):
        with qtbot.waitSignal(view.working, timeout=5_000):
            keys.press(Qt.Key.Key_G, ALT)
        assert view.progress.isVisible() and not view.show_button.isEnabled()
    expected = DigestService(demo_ctx).digest(actor, first.replace(year=first.year - 1), last)
    assert view.digest.lines == expected.lines and view.digest.period == expected.period
    shown = [tuple(view.figures.item(r, c).text() for c in range(3)) for r in range(view.figures.rowCount())]
    figures = [(f.label, f.current.text(), f.previous.text()) for f in expected.lines]
    assert [row for row in shown if row[1]] == figures  # under a heading row for each section
    assert shown[0] == ("Contacts by source", "", "") and view.figures.currentRow() == 1
    assert view.records.rowCount() == 0

    # Down to the red decisions: the chart shows the section, this period beside the one before.
    view.figures.setFocus()
    row = _row_of(view, "Red: decided within timescale")
    for _ in range(row - 1):
        keys.press(Qt.Key.Key_Down)
    assert view.figures.currentRow() == row
    section = expected.section("timescale")
    assert view.chart.chart().title() == "Decisions within timescale, by RAG"
    assert [bar[0] for bar in view.chart.bars] == ["Red", "Amber", "Green"]
    assert view.chart.bars[0][1:] == (section[0].current.share or 0.0, section[0].previous.share or 0.0)

    with qtbot.waitSignal(view.drilled, timeout=30_000):
        keys.press(Qt.Key.Key_Return)
    drill = DigestService(demo_ctx).drill(actor, view.digest, "timescale:red")
    assert drill.total == section[0].current.of and view.records.rowCount() == len(drill.records) > 0
    assert view.records.hasFocus()
    assert [view.records.item(r, 0).text() for r in range(view.records.rowCount())] == \
        [r.reference for r in drill.records]
    counted = [view.records.item(r, 2).text() for r in range(view.records.rowCount())]
    assert counted.count("Yes") == section[0].current.value
    assert f"{drill.total:,} records" in view.records_heading.text()

    with qtbot.waitSignal(window.view_loaded, timeout=10_000, check_params_cb=lambda k: k == "contact"):
        keys.press(Qt.Key.Key_Return)
    assert drill.records[0].reference in window.views["contact"].browser.toPlainText()


def test_an_administrator_sees_what_the_list_knows_of_a_contact_it_may_not_open(qtbot, demo_ctx):
    actor = AuthService(demo_ctx).actor("demo.admin")
    window = signed_in_window(qtbot, demo_ctx, actor)
    view = press_view(qtbot, window, "dashboard", timeout=30_000)
    assert view.save_button.isEnabled()
    with qtbot.waitSignal(view.drilled, timeout=30_000):
        Keys(qtbot).press(Qt.Key.Key_Return)  # the first figure: every contact received
    told: list[str] = []

    def read_and_close(box) -> None:  # type: ignore[no-untyped-def]
        told.append(box.informativeText())
        box.done(0)

    when_modal(QMessageBox, read_and_close)
    Keys(qtbot).press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(told), timeout=20_000)
    assert "may not open contacts" in told[0] and window.current_key == "dashboard"
    assert QApplication.activeModalWidget() is None


def test_roles_without_the_digest_are_not_offered_the_dashboard(qtbot, demo_ctx):
    actor = AuthService(demo_ctx).actor("demo.practitioner")
    window = signed_in_window(qtbot, demo_ctx, actor)
    row = [k for k, _, _ in VIEWS].index("dashboard")
    qtbot.keyClick(window, Qt.Key.Key_F7)
    assert window.current_key == "queue" and window.nav.item(row).isHidden()
