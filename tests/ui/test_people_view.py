"""The People view: search, history, and a manager's merge and unmerge by keyboard."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from mashdesk.people.service import PeopleService, PersonInput
from tests.ui.driving import open_view
from ui.people.merge_dialog import DIFFERENT, MergeDialog
from ui.people.people_view import PeopleView

pytestmark = pytest.mark.qt


def open_people(qtbot, ctx, actor) -> PeopleView:  # type: ignore[no-untyped-def]
    """The People view as a person reaches it: Ctrl+7 on the main window."""
    return open_view(qtbot, ctx, actor, "people")[1]


def _choose(qtbot, view, first, last):  # type: ignore[no-untyped-def]
    panel = view.search
    panel.set_terms()
    with qtbot.waitSignal(panel.searched, timeout=5000):
        panel.set_terms(first, last)
        qtbot.keyClick(panel.last, Qt.Key.Key_Return)
    qtbot.keyClick(panel.last, Qt.Key.Key_Down)
    with qtbot.waitSignal(view.person_shown):
        qtbot.keyClick(panel.results, Qt.Key.Key_Return)


def test_manager_merges_then_undoes(qtbot, ctx, actors, monkeypatch):  # type: ignore[no-untyped-def]
    people = PeopleService(ctx)
    a = people.create_person(actors["practitioner"], PersonInput("Jack", "Smith", date(2015, 3, 4)))
    b = people.create_person(actors["practitioner"], PersonInput("Jak", "Smyth", date(2015, 3, 4)))
    view = open_people(qtbot, ctx, actors["manager"])
    _choose(qtbot, view, "Jak", "Smyth")
    assert view.current is not None and view.current.person_id == b
    assert "Jak Smyth" in view.detail.toPlainText()
    view.mark.click()
    _choose(qtbot, view, "Jack", "Smith")
    assert view.current is not None and view.current.person_id == a and view.merge.isEnabled()

    def confirm(dialog: MergeDialog) -> int:
        headers = [dialog.table.horizontalHeaderItem(c).text() for c in range(2)]
        assert headers == ["Keep this record", "Merge this duplicate into it"]
        assert dialog.differences == ["Name"] and not dialog.reason.isVisible()
        name_row = [dialog.table.verticalHeaderItem(r).text() for r in range(dialog.table.rowCount())].index("Name")
        assert dialog.table.item(name_row, 0).background().color() == DIFFERENT
        dialog.accept()
        return 1

    monkeypatch.setattr(MergeDialog, "exec", confirm)
    view.merge.click()
    assert "Jak Smyth (merged)" in view.detail.toPlainText() and view.unmerge.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    view.unmerge.click()
    assert "Jak Smyth" not in view.detail.toPlainText() and not view.unmerge.isEnabled()
    assert people.history(actors["manager"], b).merged_into_id is None


def test_practitioners_see_no_merge_buttons_and_can_create_after_search(qtbot, ctx, actors, monkeypatch):  # type: ignore[no-untyped-def]
    view = open_people(qtbot, ctx, actors["practitioner"])
    assert not view.merge.isVisible() and not view.mark.isVisible()
    with qtbot.waitSignal(view.search.searched, timeout=5000):
        view.search.set_terms("Xanthe", "Quirke", "07/07/2013")
        qtbot.keyClick(view.search.dob, Qt.Key.Key_Return)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(view.person_shown):
        view.search.create.click()
    assert view.current is not None and view.current.date_of_birth == date(2013, 7, 7)


def test_a_merge_of_dates_of_birth_years_apart_asks_for_a_reason(qtbot, ctx, actors, monkeypatch):  # type: ignore[no-untyped-def]
    people = PeopleService(ctx)
    a = people.create_person(actors["practitioner"], PersonInput("Sam", "Hill", date(2014, 5, 5)))
    b = people.create_person(actors["practitioner"], PersonInput("Sam", "Hill", date(2016, 5, 5)))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    dialog = MergeDialog(people, actors["manager"], people.history(actors["manager"], a),
                         people.history(actors["manager"], b))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.reason.isVisible() and "Date of birth" in dialog.differences
    dialog.accept()
    assert dialog.merge_id is None and "give a reason" in warnings[0]
    qtbot.keyClicks(dialog.reason, "Birth certificate seen")
    dialog.accept()
    assert dialog.merge_id is not None
    assert people.history(actors["manager"], b).merged_into_id == a
