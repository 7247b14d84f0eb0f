"""Keyboard journeys on the Person page: open a person from People and from a contact, edit, see the history."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mashdesk.contacts.service import ContactService
from mashdesk.people.record import PersonRecordService
from mashdesk.people.service import PeopleService, PersonInput
from tests.helpers import police_notification
from tests.ui.driving import CTRL, SHIFT, Keys, open_view
from ui.people.people_view import PeopleView

pytestmark = pytest.mark.qt
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def lily(ctx, actors):  # type: ignore[no-untyped-def]
    return PeopleService(ctx).create_person(actors["practitioner"], PersonInput(
        first_name="Lily", last_name="Morgan", date_of_birth=date(2019, 5, 3), sex="F", postcode="BR1 3UH",
        address_line1="1 High Street", town="Bromley"))


def _find(qtbot, keys: Keys, view: PeopleView, first: str, last: str) -> None:  # type: ignore[no-untyped-def]
    """Type the names into the search, go down to the first result and press Enter."""
    assert keys.focus() is view.search.first
    keys.type(first)
    keys.press(Qt.Key.Key_Tab)
    with qtbot.waitSignal(view.search.searched, timeout=5000):
        keys.type(last)
        keys.press(Qt.Key.Key_Return)
    keys.press(Qt.Key.Key_Down)


def _open_lily(qtbot, ctx, actor):  # type: ignore[no-untyped-def]
    """Ctrl+7, find Lily Morgan, Enter: the People view with her page open, and the keys."""
    window, view = open_view(qtbot, ctx, actor, "people")
    keys = Keys(qtbot)
    _find(qtbot, keys, view, "Lily", "Morgan")
    with qtbot.waitSignal(view.person_shown):
        keys.press(Qt.Key.Key_Return)
    return view, keys


def test_a_practitioner_completes_and_corrects_a_person_by_keyboard(qtbot, ctx, actors, lily):  # type: ignore[no-untyped-def]
    view, keys = _open_lily(qtbot, ctx, actors["practitioner"])
    page = view.page
    assert keys.focus() is page.form.first and "Lily Morgan" in page.header.text()

    keys.press(Qt.Key.Key_G, ALT)  # religion
    assert keys.focus() is page.form.religion
    keys.type("Mus")
    for _ in range(3):  # disability, immigration status, NHS number
        keys.press(Qt.Key.Key_Tab)
    assert keys.focus() is page.form.nhs
    keys.type("123")
    keys.press(Qt.Key.Key_S, CTRL)
    assert "NHS number: an NHS number has 10 digits" in page.status.text()
    assert keys.focus() is page.form.nhs  # the field at fault, its text selected to type over
    keys.type("943 476 5919")
    keys.press(Qt.Key.Key_S, CTRL)
    assert page.status.text() == "Saved: details."
    saved = PersonRecordService(ctx).open(actors["manager"], lily).details
    assert (saved.religion, saved.nhs_number) == ("Muslim", "9434765919")

    keys.press(Qt.Key.Key_Y, ALT)  # the history: who changed what, and when
    assert page.tabs.currentWidget() is page.history
    newest = page.history.rows.item(0).text()
    assert "Test Practitioner (test.practitioner)" in newest and "religion: — → Muslim" in newest
    assert "NHS number: — → 9434765919" in newest

    keys.press(Qt.Key.Key_N, ALT)  # other names
    assert page.tabs.currentWidget() is page.names
    page.names.kind.setFocus()
    keys.type("former")
    for text in ("Lily", "Price", "03/05/2019"):
        keys.press(Qt.Key.Key_Tab)
        keys.type(text)
    keys.press(Qt.Key.Key_A, ALT)  # Add name (a button's Alt key clicks it a moment later)
    qtbot.waitUntil(lambda: page.names.rows.count() == 1)
    assert page.names.rows.item(0).text() == "Lily Price (former, from 03/05/2019)"
    assert page.status.text() == "Saved: name added."


def test_the_person_page_keeps_a_draft_and_offers_it_back(qtbot, ctx, actors, lily):  # type: ignore[no-untyped-def]
    view, keys = _open_lily(qtbot, ctx, actors["practitioner"])
    view.page.form.gp.setFocus()
    keys.type("Elm House Surgery")
    with qtbot.waitSignal(view.page.autosave.saved, timeout=5000):
        pass  # the autosave runs every few seconds
    view.page.form.gp.clear()
    view.search.first.setFocus()
    keys.press(Qt.Key.Key_Down)
    with qtbot.waitSignal(view.person_shown):
        keys.press(Qt.Key.Key_Return)
    assert view.page.form.gp.text() == "Elm House Surgery"
    assert "Recovered changes you typed" in view.page.status.text()


def test_a_restricted_person_shows_the_name_only_in_the_window(qtbot, ctx, actors, lily):  # type: ignore[no-untyped-def]
    record = PersonRecordService(ctx)
    record.set_restricted(actors["manager"], lily, record.open(actors["manager"], lily).version, True,
                          "Father works in the local authority")
    window, view = open_view(qtbot, ctx, actors["practitioner"], "people")
    keys = Keys(qtbot)
    _find(qtbot, keys, view, "Lily", "Morgan")
    assert view.search.results.item(0).text() == "Lily Morgan\nrestricted record, ask a MASH manager"
    keys.press(Qt.Key.Key_Return)
    assert view.search.status.text() == "Lily Morgan: restricted record, ask a MASH manager."
    assert view.current is None and not view.page.isEnabled()


def test_ctrl_shift_p_on_a_contact_opens_the_childs_person_page(qtbot, ctx, actors, clock, lily):  # type: ignore[no-untyped-def]
    ContactService(ctx).create_contact(actors["practitioner"], police_notification(clock(), lily))
    window, queue = open_view(qtbot, ctx, actors["practitioner"], "queue")
    keys = Keys(qtbot)
    queue.table.setFocus()
    with qtbot.waitSignal(window.view_loaded, timeout=5000, check_params_cb=lambda k: k == "contact"):
        keys.press(Qt.Key.Key_Return)
    with qtbot.waitSignal(window.view_loaded, timeout=5000, check_params_cb=lambda k: k == "people"):
        keys.press(Qt.Key.Key_P, CTRL | SHIFT)
    people = window.views["people"]
    qtbot.waitUntil(lambda: people.current is not None)
    assert people.current.person_id == lily and QApplication.focusWidget() is people.page.form.first


def test_a_manager_opening_a_restricted_person_is_audited_once(qtbot, ctx, actors, lily):  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from db.models import AuditEvent

    record = PersonRecordService(ctx)
    record.set_restricted(actors["manager"], lily, record.open(actors["manager"], lily, audit_open=False).version,
                          True, "Father works in the local authority")
    view, keys = _open_lily(qtbot, ctx, actors["manager"])
    assert "Restricted record" in view.page.header.text()
    with ctx.session_factory() as s:
        opened = s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.entity_id == lily, AuditEvent.summary == "opened the restricted record"))
    assert opened == 1


def test_a_manager_restricts_a_person_from_the_keyboard(qtbot, ctx, actors, lily):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QInputDialog

    from tests.ui.driving import when_modal

    view, keys = _open_lily(qtbot, ctx, actors["manager"])

    def give_reason(dialog: QInputDialog) -> None:
        qtbot.keyClicks(QApplication.focusWidget(), "Stepfather works in the MASH")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    when_modal(QInputDialog, give_reason)
    keys.press(Qt.Key.Key_L, CTRL | SHIFT)
    qtbot.waitUntil(lambda: view.page.status.text() == "Saved: record restricted.")
    assert "Restricted record</b>: Stepfather works in the MASH" in view.page.header.text()
    from mashdesk.people.scoring import MatchQuery

    found = PeopleService(ctx).search(actors["practitioner"], MatchQuery("Lily", "Morgan"))
    assert found[0].masked


def test_the_atlas_markers_tab_shows_the_teams_intelligence_as_each_reader_may_see_it(qtbot, ctx, actors, lily):  # type: ignore[no-untyped-def]
    from mashdesk.atlas.service import AtlasService, MarkerInput

    atlas = AtlasService(ctx)
    atlas.add(actors["atlas"], MarkerInput(person_id=lily, kind="cce", level="high", source="Police intelligence",
                                           noted_on=date(2026, 11, 2), review_on=date(2027, 2, 2)))
    atlas.add(actors["atlas"], MarkerInput(person_id=lily, kind="cse", level="medium", source="Youth worker",
                                           noted_on=date(2026, 11, 9), review_on=date(2027, 2, 9), restricted=True))
    view, _ = _open_lily(qtbot, ctx, actors["manager"])
    tab = view.page.tabs.indexOf(view.page.atlas)
    assert view.page.tabs.isTabVisible(tab) and view.page.tabs.tabText(tab) == "Atlas markers (2)"
    text = view.page.atlas.text()
    assert "Child criminal exploitation: high concern, from Police intelligence" in text
    assert "Child sexual exploitation: detail restricted" in text and "Youth worker" not in text
    QApplication.closeAllWindows()
    # Police open the people of the contacts they referred or were asked about (mashdesk.access).
    ContactService(ctx).create_contact(actors["practitioner"], police_notification(ctx.now(), lily))
    view, _ = _open_lily(qtbot, ctx, actors["police"])
    assert "Youth worker" in view.page.atlas.text()  # police may read the restricted detail
