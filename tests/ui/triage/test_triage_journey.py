"""A police notification from "new contact" to "decision submitted", by keyboard alone.

Modal dialogs run their own event loop, so each step that opens one first schedules
the code that drives it. Every key press goes through ``Keys``, which counts them.
Each journey runs at several fixed moments (a weekday morning, a Saturday night, a bank
holiday, the Sunday the clocks go back, New Year's Eve): none depends on the real date.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from db.models import AuditEvent, Contact, Decision
from mashdesk.paths import data_dir
from ui.contacts.contact_form import ContactForm
from ui.people.person_picker import PersonPickerDialog
from ui.triage.threshold_dialog import ThresholdDialog
from ui.triage.triage_dialogs import ScreenDialog
from tests.conftest import FakeClock
from tests.helpers import fake_print_dialog
from tests.ui.driving import CTRL, SHIFT, Keys, reactivate, when_modal
from ui import printing
from ui.main_window import MainWindow

pytestmark = pytest.mark.qt

#: London local times the journeys run at.
MOMENTS = {
    "weekday-morning": (2026, 11, 23, 10, 0),
    "saturday-night": (2027, 2, 13, 23, 15),
    "bank-holiday": (2026, 12, 25, 11, 30),
    "clocks-go-back": (2026, 10, 25, 1, 30),
    "new-years-eve": (2026, 12, 31, 23, 59),
}


@pytest.fixture(params=list(MOMENTS.values()), ids=list(MOMENTS))
def clock(request) -> FakeClock:  # type: ignore[no-untyped-def]
    moment = FakeClock()
    moment.set_local(*request.param)
    return moment


@pytest.fixture
def window(qtbot, ctx, actors, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    settings = QSettings(str(data_dir() / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(ctx, actors["manager"], "test", settings)
    qtbot.addWidget(w)
    w.show()
    w.start()
    w.warnings = warnings
    return w


def test_police_notification_to_decision_by_keyboard(qtbot, window, ctx):
    keys = Keys(qtbot)

    def picker(dialog: PersonPickerDialog) -> None:
        keys.type("Ava")
        keys.press(Qt.Key.Key_Tab)
        keys.type("Testchild")
        keys.press(Qt.Key.Key_Tab)
        keys.type("04/05/2019")
        with qtbot.waitSignal(dialog.search.searched, timeout=10_000):
            keys.press(Qt.Key.Key_Return)
        assert dialog.search.create.isEnabled()  # nobody known: creating is offered, terms carried over
        for _ in range(3):  # past postcode and the (empty) results to "Create new person"
            keys.press(Qt.Key.Key_Tab)
        keys.press(Qt.Key.Key_Space)
        assert (dialog.first.text(), dialog.last.text(), dialog.dob.text()) == ("Ava", "Testchild", "04/05/2019")
        keys.press(Qt.Key.Key_Return)  # add the new person

    def form(dialog: ContactForm) -> None:
        keys.type("po")  # channel: Police notification (agency and CIN source 6 follow)
        assert dialog.channel.currentData() == "police_notification" and dialog.source.currentData() == "6"
        for _ in range(3):  # agency and source follow the channel: on to the referrer's name
            keys.press(Qt.Key.Key_Tab)
        keys.type("PC Khan")
        assert dialog.ref_name.text() == "PC Khan"
        when_modal(PersonPickerDialog, picker)
        keys.press(Qt.Key.Key_C, CTRL | SHIFT)  # add a child; then the focus is on the concern
        reactivate(qtbot, dialog)
        keys.type("Missing overnight")
        keys.press(Qt.Key.Key_S, CTRL)  # save to the queue

    when_modal(ContactForm, form)
    with qtbot.waitSignal(window.view_loaded, timeout=20_000, check_params_cb=lambda k: k == "contact"):
        keys.press(Qt.Key.Key_N, CTRL)
    contact_id = window.contact.contact_id
    assert window.contact.detail.status == "new"
    reactivate(qtbot, window)

    when_modal(ScreenDialog, lambda d: keys.press(Qt.Key.Key_Return))  # accept the suggested RAG
    with qtbot.waitSignal(window.contact.loaded, timeout=10_000):
        keys.press(Qt.Key.Key_R, CTRL)
    assert window.contact.detail.status == "screened"
    reactivate(qtbot, window)

    def threshold(dialog: ThresholdDialog) -> None:
        keys.type("gone missing")
        keys.press(Qt.Key.Key_Return)  # to the first indicator found
        with qtbot.waitSignal(dialog.suggested, timeout=5000):
            keys.press(Qt.Key.Key_Space)  # tick it: the suggestion updates
        assert dialog.result.children[0].level == 3
        keys.press(Qt.Key.Key_Return, CTRL)  # propose the decision

    when_modal(ThresholdDialog, threshold)
    with qtbot.waitSignal(window.contact.loaded, timeout=10_000):
        keys.press(Qt.Key.Key_T, CTRL)

    assert window.warnings == []
    with ctx.session_factory() as s:
        contact = s.get(Contact, contact_id)
        decision = s.scalar(select(Decision).where(Decision.contact_id == contact_id))
    assert contact.status == "awaiting_authorisation" and contact.cin_source == "6"
    assert contact.children_display == "Ava Testchild"
    assert (decision.level, decision.outcome, decision.status) == (3, "assessment", "proposed")
    print(f"\nkey presses from 'new contact' to 'decision submitted': {keys.count} "
          f"({keys.typed} of them typed text)")
    assert keys.count - keys.typed <= 20


def _awaiting_authorisation(ctx, actors, clock):
    """A police notification screened green and decided NFA, waiting for a manager: (triage, id, version)."""
    from mashdesk.contacts.service import ContactService
    from mashdesk.triage.service import ChildDecisionInput, ThresholdInput, TriageService
    from tests.helpers import police_notification

    contact_id = ContactService(ctx).create_contact(actors["practitioner"], police_notification(clock()))
    triage = TriageService(ctx)
    child = triage.child_facts(actors["manager"], contact_id)[0].person_id
    triage.assess(actors["practitioner"], contact_id, ThresholdInput())
    with ctx.session_factory() as s:
        version = s.get(Contact, contact_id).version
    version = triage.screen(actors["manager"], contact_id, version, "green")
    version = triage.propose(actors["practitioner"], contact_id, version,
                             [ChildDecisionInput(child, 1, "nfa_advice", "N9")])
    return triage, contact_id, version


def test_manager_authorises_by_keyboard_and_the_queue_follows(qtbot, window, ctx, actors, clock):
    _, contact_id, _ = _awaiting_authorisation(ctx, actors, clock)
    with qtbot.waitSignal(window.view_loaded, check_params_cb=lambda k: k == "contact"):
        window.open_contact(contact_id)
    assert window.contact.actions["authorise"].isVisible()
    with qtbot.waitSignal(window.queue.loaded):
        qtbot.keyClick(window.contact, Qt.Key.Key_A, CTRL | SHIFT)
    assert window.contact.detail.status == "closed" and window.contact.detail.outcome == "nfa_advice"
    assert not window.contact.actions["authorise"].isVisible()


def test_feedback_letter_is_saved_and_printed_from_the_contact(qtbot, window, ctx, actors, clock, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    triage, contact_id, version = _awaiting_authorisation(ctx, actors, clock)
    triage.authorise(actors["manager"], contact_id, version)
    with qtbot.waitSignal(window.view_loaded, check_params_cb=lambda k: k == "contact"):
        window.open_contact(contact_id)
    target = tmp_path / "letter.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    with qtbot.waitSignal(window.contact.loaded, timeout=10_000):
        qtbot.keyClick(window.contact, Qt.Key.Key_S, CTRL | SHIFT)
    assert target.read_bytes().startswith(b"%PDF") and window.warnings == []
    printed = tmp_path / "printed.pdf"
    monkeypatch.setattr(printing, "QPrintDialog", fake_print_dialog(printed))
    with qtbot.waitSignal(window.contact.loaded, timeout=10_000):
        qtbot.keyClick(window.contact, Qt.Key.Key_P, CTRL)
    assert printed.read_bytes().startswith(b"%PDF") and window.warnings == []
    with ctx.session_factory() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.entity == "referrer_feedback")
                           .order_by(AuditEvent.id)).all()
        summaries = [e.summary for e in events]
        fingerprints = [e.detail.get("sha256") for e in events]
    assert any(x.endswith("to file letter.pdf") for x in summaries)
    assert any(x.startswith("printed the feedback letter") and " on printer " in x for x in summaries)
    assert all(fingerprints) and not any(x.startswith("printed") and " to file " in x for x in summaries)
