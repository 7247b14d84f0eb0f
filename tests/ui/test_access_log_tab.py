"""The Person page's Access log tab, reached by keyboard from the People view (Ctrl+7, search, Enter, Alt+L)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from mashdesk.people.record import PersonRecordService
from tests.ui.test_person_page import ALT, _open_lily, lily  # noqa: F401  (the fixture)

pytestmark = pytest.mark.qt


def test_a_manager_sees_who_opened_the_record_and_when(qtbot, ctx, actors, lily):  # type: ignore[no-untyped-def]  # noqa: F811
    PersonRecordService(ctx).open(actors["practitioner"], lily)
    view, keys = _open_lily(qtbot, ctx, actors["manager"])
    page = view.page
    keys.press(Qt.Key.Key_L, ALT)
    assert page.tabs.currentWidget() is page.access_log
    table = page.access_log.table
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    assert rows[0][1:3] == ["Test Manager (test.manager)", "opened the record of Lily Morgan"]
    opened = [r for r in rows if r[2] == "opened the record of Lily Morgan"]
    assert {r[1] for r in opened} == {"Test Manager (test.manager)", "Test Practitioner (test.practitioner)"}
    assert all(r[4] == "looked" for r in opened)
    assert "Lily Morgan (P-" in page.access_log.summary.text()
    keys.press(Qt.Key.Key_Y, ALT)
    keys.press(Qt.Key.Key_L, ALT)  # read again: the first reading is in it
    assert table.item(0, 2).text() == "read the access log of Lily Morgan"


def test_the_access_log_tab_is_not_there_for_a_practitioner(qtbot, ctx, actors, lily):  # type: ignore[no-untyped-def]  # noqa: F811
    view, keys = _open_lily(qtbot, ctx, actors["practitioner"])
    assert view.page.access_log is None
    titles = [view.page.tabs.tabText(i) for i in range(view.page.tabs.count())]
    assert not any("Access" in t for t in titles)
