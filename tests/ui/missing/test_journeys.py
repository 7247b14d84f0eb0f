"""Keyboard journeys: reporting a missing child and taking the episode on in the Missing view (Ctrl+8), and
logging a consultation call that becomes a contact through the prefilled contact form (Ctrl+9)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from db.models import Consultation, Contact, MissingEpisode
from mashdesk.missing.service import MissingService
from mashdesk.people.service import PersonInput, add_person
from tests.ui.driving import CTRL, SHIFT, Keys, press_view, reactivate, signed_in_window, when_modal
from ui.consultations.form import CallForm
from ui.contacts.contact_form import ContactForm
from ui.missing.forms import ReportForm
from ui.people.person_picker import PersonPickerDialog
from ui.widgets.step_form import StepForm

pytestmark = pytest.mark.qt
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def child(ctx, clock) -> int:
    with ctx.session_factory.begin() as s:
        person = add_person(s, PersonInput("Kai", "Testmissing", date(2011, 3, 2), sex="M"), None, clock())
        s.flush()
        return person.id


@pytest.fixture(autouse=True)
def _no_warning_boxes(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    return shown


def _pick(qtbot, keys: Keys, first: str, last: str):  # type: ignore[no-untyped-def]
    def picker(dialog: PersonPickerDialog) -> None:
        keys.type(first)
        keys.press(Qt.Key.Key_Tab)
        keys.type(last)
        with qtbot.waitSignal(dialog.search.searched, timeout=10_000):
            keys.press(Qt.Key.Key_Return)
        keys.press(Qt.Key.Key_Down)  # to the child found
        keys.press(Qt.Key.Key_Return)  # choose them

    return picker


def test_report_a_missing_child_then_a_sighting_and_the_return_by_keyboard(qtbot, ctx, actors, child):
    window = signed_in_window(qtbot, ctx, actors["manager"])
    view = press_view(qtbot, window, "missing")
    assert view.count.text() == "0 missing now · 0 listed"
    keys = Keys(qtbot)

    def refused(dialog: ReportForm) -> None:
        keys.press(Qt.Key.Key_S, CTRL)  # nothing filled in: refused, naming the child
        assert dialog.error.text().startswith("Child: find the child first")
        assert dialog.child.hasFocus()
        dialog.reject()

    when_modal(ReportForm, refused)
    keys.press(Qt.Key.Key_M, CTRL | SHIFT)
    reactivate(qtbot, window)

    def report(dialog: ReportForm) -> None:
        when_modal(PersonPickerDialog, _pick(qtbot, keys, "Kai", "Testmissing"))
        keys.press(Qt.Key.Key_C, CTRL | SHIFT)  # the known-child search
        reactivate(qtbot, dialog)
        assert "Kai Testmissing" in dialog.child_note.text() and dialog.last_seen.hasFocus()
        keys.press(Qt.Key.Key_Tab)  # reported: now
        keys.press(Qt.Key.Key_Tab)
        keys.type("c")  # missing from: care placement (looked after follows)
        assert dialog.looked_after.isChecked()
        keys.press(Qt.Key.Key_Tab)
        keys.press(Qt.Key.Key_Tab)
        keys.type("MPS-26-7777")
        keys.press(Qt.Key.Key_Tab)
        keys.type("h")  # risk: high
        keys.press(Qt.Key.Key_Tab)
        keys.type("Did not return to the placement after school")
        keys.press(Qt.Key.Key_S, CTRL)

    when_modal(ReportForm, report)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        keys.press(Qt.Key.Key_M, CTRL | SHIFT)
    reactivate(qtbot, window)
    assert view.count.text() == "1 missing now · 1 listed"
    assert view.table.item(0, 1).text() == "Kai Testmissing" and view.table.item(0, 4).text() == "Looked after"
    assert view.table.item(0, 5).text() == "High"
    assert view.table.item(0, 7).text().startswith("Strategy 24h: 24h 00m left")
    with ctx.session_factory() as s:
        e = s.scalar(select(MissingEpisode))
        assert e.police_reference == "MPS-26-7777" and e.risk == "high" and e.looked_after

    def sighting(dialog: StepForm) -> None:
        keys.type("s")  # a sighting
        keys.press(Qt.Key.Key_Tab)
        keys.press(Qt.Key.Key_Tab)
        keys.type("Seen at Bromley South station")
        keys.press(Qt.Key.Key_S, CTRL)

    view.table.setFocus()
    when_modal(StepForm, sighting)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        keys.press(Qt.Key.Key_U, CTRL)
    reactivate(qtbot, window)
    assert view.table.item(0, 8).text() == "Sighting: Seen at Bromley South station"

    def returned(dialog: StepForm) -> None:
        keys.press(Qt.Key.Key_Tab)  # when: now
        keys.type("Foster placement")
        keys.press(Qt.Key.Key_Tab)
        keys.type("Police")
        keys.press(Qt.Key.Key_S, CTRL)

    view.table.setFocus()
    when_modal(StepForm, returned)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        keys.press(Qt.Key.Key_R, CTRL)
    reactivate(qtbot, window)
    assert view.table.item(0, 3).text() == "Returned" and "RHI 72h: 3d 0h left" in view.table.item(0, 7).text()
    assert view.buttons["rhi_offer"].isEnabled() and not view.buttons["returned"].isEnabled()
    (row,) = MissingService(ctx).daily_list(actors["manager"]).returned
    assert row.child == "Kai Testmissing"


def test_log_a_call_that_becomes_a_contact_through_the_prefilled_form(qtbot, ctx, actors, child):
    window = signed_in_window(qtbot, ctx, actors["practitioner"])
    view = press_view(qtbot, window, "consultations")
    keys = Keys(qtbot)

    def contact(form: ContactForm) -> None:
        assert form.channel.currentData() == "consultation" and form.ref_org.text() == "Hayes Primary School"
        assert form.ref_name.text() == "Jo Teacher" and form.agency.currentData() == "education"
        assert "hits her mum" in form.concern.toPlainText() and "Refer today" in form.concern.toPlainText()
        assert form.people[0].person_id == child
        keys.press(Qt.Key.Key_W, ALT)  # why consent was not sought
        keys.type("Could place the child at risk")
        keys.press(Qt.Key.Key_S, CTRL)

    def call(form: CallForm) -> None:
        keys.type("Jo Teacher")
        keys.press(Qt.Key.Key_Tab)
        keys.type("DSL")
        keys.press(Qt.Key.Key_Tab)
        keys.type("Hayes Primary School")
        assert form.from_school.isChecked()
        keys.press(Qt.Key.Key_Tab)
        keys.press(Qt.Key.Key_Tab)
        keys.type("020 7946 0000")
        keys.press(Qt.Key.Key_Tab)
        keys.type("A pupil says her stepfather hits her mum")
        when_modal(PersonPickerDialog, _pick(qtbot, keys, "Kai", "Testmissing"))
        keys.press(Qt.Key.Key_C, CTRL | SHIFT)
        reactivate(qtbot, form)
        assert form.advice.hasFocus() and form.children.count() == 1
        keys.type("Refer today")
        keys.press(Qt.Key.Key_Tab)
        keys.type("so")  # outcome: the social worker makes a contact now
        assert form.outcome.currentData() == "contact_now"
        when_modal(ContactForm, contact)
        keys.press(Qt.Key.Key_S, CTRL)

    when_modal(CallForm, call)
    with qtbot.waitSignal(window.view_loaded, timeout=20_000, check_params_cb=lambda k: k == "contact"):
        keys.press(Qt.Key.Key_L, CTRL | SHIFT)
    with ctx.session_factory() as s:
        consultation = s.scalar(select(Consultation))
        contact_ = s.scalar(select(Contact))
        assert contact_.consultation_id == consultation.id and consultation.became_contact
        assert consultation.outcome == "contact_now" and consultation.minutes == 1
        assert contact_.referrer.phone == "020 7946 0000" and contact_.referrer.role == "DSL"
        assert contact_.children_display == "Kai Testmissing"
    assert window.contact.contact_id == contact_.id
    reactivate(qtbot, window)
    press_view(qtbot, window, "consultations")
    assert view.table.item(0, 7).text() == f"C-{contact_.id:06d}"


def test_a_manager_convenes_and_makes_a_contact_from_an_episode_by_keyboard(qtbot, ctx, actors, clock, child):
    from PySide6.QtWidgets import QInputDialog

    from tests.mashdesk.missing.conftest import report

    MissingService(ctx).record(actors["atlas"], report(child, clock()))
    window = signed_in_window(qtbot, ctx, actors["manager"])
    view = press_view(qtbot, window, "missing")
    keys = Keys(qtbot)
    when_modal(QInputDialog, lambda d: keys.press(Qt.Key.Key_Return))  # the reason: "missing from care"
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        keys.press(Qt.Key.Key_D, CTRL | SHIFT)
    reactivate(qtbot, window)
    assert view.message.text().startswith("Strategy discussion ST-") and "Strategy 24h: done" in \
        view.table.item(0, 7).text()
    assert not view.buttons["convene"].isEnabled() and "ST-" in view.detail.toPlainText()
    # The contact was made for the discussion: the episode links it, and Ctrl+M is no longer offered.
    assert not view.buttons["make_contact"].isEnabled() and "C-" in view.detail.toPlainText()


def test_education_reads_the_list_without_police_detail_and_cannot_report(qtbot, ctx, actors, clock, child):
    from tests.mashdesk.missing.conftest import report

    ident = MissingService(ctx).record(actors["atlas"], report(child, clock()))
    MissingService(ctx).add_update(actors["atlas"], ident, 1, "police", "ANPR hit near the station")
    window = signed_in_window(qtbot, ctx, actors["education"])
    view = press_view(qtbot, window, "missing")
    assert view.table.rowCount() == 1 and view.report.isHidden()
    text = view.detail.toPlainText()
    assert "withheld" in text and "MPS-26-0001" not in text and "ANPR" not in text
    assert all(b.isHidden() for b in view.buttons.values())
