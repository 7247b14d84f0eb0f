"""The daily meeting by keyboard: open today's meeting, attendance, three items, an action, close; the
education lead's share and school actions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from db.models import MeetingAction, StrategyDiscussion
from mashdesk.atlas.service import AtlasService
from mashdesk.meeting.service import MeetingService
from mashdesk.meeting.workflow import Owner
from tests.ui.driving import CTRL, SHIFT, Keys, open_view, reactivate, when_modal
from ui.meeting.dialogs import ActionDialog, AttendanceDialog, NoteDialog, RecordDialog
from ui.meeting.marker_dialog import MarkerDialog, ReviewDialog

pytestmark = pytest.mark.qt
MONDAY = date(2026, 11, 23)


def _record(qtbot, keys, window, decision_key: str, note: str) -> None:  # type: ignore[no-untyped-def]
    def drive(dialog):  # type: ignore[no-untyped-def]
        assert dialog.decision.hasFocus()
        keys.type(decision_key)
        keys.press(Qt.Key.Key_Tab)
        keys.type(note)
        keys.press(Qt.Key.Key_Return)

    when_modal(RecordDialog, drive)
    keys.press(Qt.Key.Key_Return)  # on the agenda: record the chosen item
    reactivate(qtbot, window)


def test_a_meeting_held_by_keyboard_alone(qtbot, ctx, actors, build):
    red, amber, school = build.contact("Red", "red"), build.contact("Amber", "amber"), \
        build.contact("School", "amber", school=True)
    window, view = open_view(qtbot, ctx, actors["manager"], "meeting")
    assert view.count.text() == "3 items" and "Not opened yet" in view.heading.text()
    assert [view.table.item(r, 0).text() for r in range(3)] == [f"C-{red:06d}", f"C-{amber:06d}", f"C-{school:06d}"]
    keys = Keys(qtbot)
    view.table.setFocus()
    keys.press(Qt.Key.Key_O, CTRL)
    assert "Open" in view.heading.text() and view.table.hasFocus()

    def attendance(dialog):  # type: ignore[no-untyped-def]
        keys.press(Qt.Key.Key_Tab)
        keys.type("DC Hughes")
        keys.press(Qt.Key.Key_Tab)
        keys.press(Qt.Key.Key_Tab)
        keys.type("Tom Whitfield")
        keys.press(Qt.Key.Key_Return)

    when_modal(AttendanceDialog, attendance)
    keys.press(Qt.Key.Key_A, CTRL | SHIFT)
    reactivate(qtbot, window)
    assert "DC Hughes" in view.detail.toPlainText()

    _record(qtbot, keys, window, "m", "Known to police; monitor")
    assert view.table.currentRow() == 1  # on to the next item
    _record(qtbot, keys, window, "n", "Advice given to the referrer")
    _record(qtbot, keys, window, "s", "Convene today")
    assert [view.table.item(r, 5).text() for r in range(3)] == ["Monitor", "No further action", "Strategy discussion"]

    def action(dialog):  # type: ignore[no-untyped-def]
        keys.type("School to confirm attendance")
        keys.press(Qt.Key.Key_Tab)
        keys.type("Education")
        keys.press(Qt.Key.Key_Tab)
        assert dialog.school.text() == "Hayes Primary School"
        keys.press(Qt.Key.Key_Return)

    when_modal(ActionDialog, action)
    keys.press(Qt.Key.Key_J, CTRL)
    reactivate(qtbot, window)
    when_modal(QMessageBox, lambda box: keys.press(Qt.Key.Key_Return))
    keys.press(Qt.Key.Key_L, CTRL | SHIFT)
    reactivate(qtbot, window)
    assert "minutes are locked" in view.heading.text()
    assert not view.buttons["record"].isEnabled() and view.buttons["addendum"].isEnabled()
    assert view.actions.item(0, 2).text() == "School to confirm attendance"
    assert view.actions.item(0, 5).text() == "Tue 24 Nov"
    with ctx.session_factory() as s:
        assert s.scalars(select(StrategyDiscussion.contact_id)).all() == [school]
        (a,) = s.scalars(select(MeetingAction)).all()
    assert (a.owner, a.school, a.due) == ("education: Hayes Primary School", "Hayes Primary School",
                                          date(2026, 11, 24))
    assert keys.count - keys.typed < 25  # besides what was typed, a handful of keys per step


def test_the_education_lead_sees_its_share_and_marks_a_school_action_done(qtbot, ctx, actors, build):
    build.contact("Red", "red")
    school = build.contact("School", "amber", school=True)
    service = MeetingService(ctx)
    meeting = service.open(actors["manager"], MONDAY)
    item = [it for it in service.agenda(actors["manager"], MONDAY).items if it.record_id == school][0]
    service.add_action(actors["manager"], meeting, text="Confirm attendance", owner=Owner(agency="education"),
                       due=date(2026, 11, 24), item_id=item.item_id, school=item.school)
    window, view = open_view(qtbot, ctx, actors["education"], "meeting")
    assert view.count.text() == "1 item" and "your share" in view.heading.text()
    assert view.table.item(0, 0).text() == f"C-{school:06d}"
    assert view.which.currentText() == "Actions for schools"
    assert view.actions.item(0, 4).text() == "Hayes Primary School"
    assert not view.buttons["open"].isVisible() and not view.buttons["record"].isVisible()
    keys = Keys(qtbot)
    view.actions.setFocus()

    def done(dialog):  # type: ignore[no-untyped-def]
        keys.type("Attendance 96%, no concerns")
        keys.press(Qt.Key.Key_Return)

    when_modal(NoteDialog, done)
    keys.press(Qt.Key.Key_D, CTRL | SHIFT)
    reactivate(qtbot, window)
    assert view.actions.rowCount() == 0 and "marked done" in view.message.text()


def test_the_atlas_team_marks_a_child_from_the_agenda_and_the_marker_shows(qtbot, ctx, actors, build):
    build.contact("Red", "red")
    window, view = open_view(qtbot, ctx, actors["atlas"], "meeting")
    assert view.marker_button.isVisible() and view.marker_button.isEnabled()
    assert not view.buttons["open"].isVisible()
    keys = Keys(qtbot)
    view.table.setFocus()

    def marker(dialog):  # type: ignore[no-untyped-def]
        assert dialog.person.currentText() == "Red Testchild"
        keys.press(Qt.Key.Key_Tab)
        keys.type("County")  # the kind
        keys.press(Qt.Key.Key_Tab)
        keys.press(Qt.Key.Key_Tab)
        keys.type("Return home interview")
        keys.press(Qt.Key.Key_Return)

    when_modal(MarkerDialog, marker)
    keys.press(Qt.Key.Key_K, CTRL | SHIFT)
    reactivate(qtbot, window)
    assert "added to Red Testchild" in view.message.text()
    assert "Atlas: County lines, high" in view.detail.toPlainText()
    assert "Atlas: County lines, high" in view.table.item(0, 2).toolTip()


def test_the_atlas_team_reviews_a_marker_past_its_review_date(qtbot, ctx, actors, build):
    kid = build.person("Kai")
    build.marker(kid, "missing", "medium", review_on=MONDAY - timedelta(days=2))
    window, view = open_view(qtbot, ctx, actors["atlas"], "meeting")
    assert view.table.item(0, 0).text() == f"P-{kid:06d}" and "review due 21 Nov 2026" in view.table.item(0, 3).text()
    keys = Keys(qtbot)
    view.table.setFocus()

    def review(dialog):  # type: ignore[no-untyped-def]
        assert dialog.marker.currentText().startswith("Kai Testchild — Atlas: Missing, medium")
        keys.press(Qt.Key.Key_Tab)
        keys.type("High")
        keys.press(Qt.Key.Key_Return)

    when_modal(ReviewDialog, review)
    keys.press(Qt.Key.Key_R, CTRL | SHIFT)
    reactivate(qtbot, window)
    assert "Atlas marker reviewed" in view.message.text()
    assert view.count.text() == "0 items"  # reviewed: no longer due, so off the agenda
    (marker,) = AtlasService(ctx).markers(actors["atlas"], kid)
    assert (marker.level, marker.review_on) == ("high", date(2027, 2, 15))
