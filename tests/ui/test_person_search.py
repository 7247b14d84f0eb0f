"""The search-before-create panel, by keyboard alone."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from mashdesk.people.service import PeopleService, PersonInput
from ui.people.person_search import PersonSearchPanel, parse_dob

pytestmark = pytest.mark.qt


@pytest.fixture
def panel(qtbot, ctx, actors):  # type: ignore[no-untyped-def]
    people = PeopleService(ctx)
    a = actors["practitioner"]
    ids = [people.create_person(a, PersonInput("Muhammad", "Khan", date(2015, 4, 3), postcode="BR1 3UH")),
           people.create_person(a, PersonInput("Mohamed", "Khan", date(2015, 3, 6)))]
    w = PersonSearchPanel(people, a, debounce_ms=50)
    w.ids = ids  # type: ignore[attr-defined]
    qtbot.addWidget(w)
    w.show()
    return w


def test_results_as_you_type_then_choose_by_keyboard(qtbot, panel):  # type: ignore[no-untyped-def]
    panel.first.setFocus()
    assert not panel.create.isEnabled()
    qtbot.keyClicks(panel.first, "Mohammed")
    qtbot.keyClick(panel.first, Qt.Key.Key_Tab)
    with qtbot.waitSignal(panel.searched, timeout=5000) as found:
        qtbot.keyClicks(panel.focusWidget(), "Khan")
    assert found.args == [2]
    with qtbot.waitSignal(panel.searched, timeout=5000):
        qtbot.keyClick(panel.last, Qt.Key.Key_Tab)
        qtbot.keyClicks(panel.focusWidget(), "04/03/2015")
        qtbot.keyClick(panel.dob, Qt.Key.Key_Return)
    top = panel.results.item(0).text()
    assert "LIKELY" in top and "day and month swapped" in top and "0 contacts in 12 months" in top
    qtbot.keyClick(panel.dob, Qt.Key.Key_Down)
    assert panel.results.hasFocus() and panel.results.currentRow() == 0
    qtbot.keyClick(panel.results, Qt.Key.Key_Down)
    assert panel.results.currentRow() == 1
    qtbot.keyClick(panel.results, Qt.Key.Key_Up)
    with qtbot.waitSignal(panel.person_chosen) as chosen:
        qtbot.keyClick(panel.results, Qt.Key.Key_Return)
    assert chosen.args == [panel.ids[0]]
    qtbot.keyClick(panel.results, Qt.Key.Key_Up)
    assert panel.last.hasFocus()


def test_create_new_person_only_after_a_search_with_the_terms_carried_over(qtbot, panel):  # type: ignore[no-untyped-def]
    panel.first.setFocus()
    qtbot.keyClicks(panel.first, "Xanthe")
    qtbot.keyClick(panel.first, Qt.Key.Key_Tab)
    qtbot.keyClicks(panel.last, "Quirke")
    assert not panel.create.isEnabled()
    with qtbot.waitSignal(panel.searched, timeout=5000) as found:
        qtbot.keyClick(panel.last, Qt.Key.Key_Return)
    assert found.args == [0] and "No one found" in panel.status.text()
    assert panel.create.isEnabled()
    panel.create.setFocus()
    with qtbot.waitSignal(panel.create_requested) as requested:
        qtbot.keyClick(panel.create, Qt.Key.Key_Space)
    assert requested.args == [{"first_name": "Xanthe", "last_name": "Quirke", "date_of_birth": None,
                               "postcode": None}]
    qtbot.keyClicks(panel.last, "s")
    assert not panel.create.isEnabled()


def test_dates_as_typed():
    assert parse_dob("4/3/2015") == date(2015, 3, 4) and parse_dob("2015-03-04") == date(2015, 3, 4)
    assert parse_dob(" ") is None
    with pytest.raises(ValueError):
        parse_dob("31/02/2015")
