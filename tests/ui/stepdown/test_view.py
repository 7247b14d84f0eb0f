"""The step-downs view by keyboard: the Early Help inbox, the MASH's filters, step-up, the form."""

from __future__ import annotations

import hashlib
import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QUrl
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox
from sqlalchemy import select

from db.models import Agency, AgencyCheck, AuditEvent
from mashdesk.documents.base import MARKING
from mashdesk.stepdown.centres import early_help_config
from mashdesk.services.auth import AuthService
from mashdesk.contacts.service import ContactService
from mashdesk.people.service import PersonInput
from mashdesk.contacts.queue import QueueService
from mashdesk.contacts.views import QueueQuery
from mashdesk.stepdown.service import StepDownService
from tests.helpers import fake_print_dialog, police_notification
from tests.ui.driving import open_view
from ui import printing
from ui.printing import print_pages
from ui.stepdown.view import STATUS_FILTERS, StepDownsView

pytestmark = pytest.mark.qt
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
SECRET = "Intelligence links the father to a local gang. Do not disclose."


@pytest.fixture
def sent(ctx, actors, clock) -> list[int]:
    """Two step-downs sent to Blenheim and Mottingham; the first family has a police-restricted answer."""
    service = StepDownService(ctx)
    ids = []
    for first, centre in (("Ava", "blenheim"), ("Zed", "mottingham")):
        cid = ContactService(ctx).create_contact(
            actors["practitioner"],
            police_notification(clock(), PersonInput(first, "Family", date(2018, 1, 1))),
        )
        sd = service.create(actors["manager"], cid, needs="Help with routines.")
        v = service.record_consent(
            actors["manager"],
            sd,
            service.get(actors["manager"], sd).version,
            step_down="given",
            info_sharing="given",
        )
        service.send(actors["manager"], sd, v, centre=centre, needs="Help with routines.")
        ids.append(sd)
    with ctx.session_factory.begin() as s:
        police = s.scalar(select(Agency.id).where(Agency.code == "police"))
        s.add(
            AgencyCheck(
                contact_id=1,
                agency_id=police,
                requested_at=clock(),
                due_at=clock(),
                status="answered",
                response=SECRET,
                responded_at=clock(),
                restricted=True,
            )
        )
    return ids


def _view(qtbot, ctx, actor) -> StepDownsView:  # type: ignore[no-untyped-def]
    return open_view(qtbot, ctx, actor, "stepdowns")[1]  # Ctrl+4, as a person reaches it


def _column(view: StepDownsView, col: int) -> list[str]:
    return [view.table.item(r, col).text() for r in range(view.table.rowCount())]


def test_early_help_works_the_inbox_by_keyboard_and_steps_a_family_up(qtbot, ctx, actors, sent, monkeypatch):
    view = _view(qtbot, ctx, actors["earlyhelp"])
    assert _column(view, 0) == ["SD-000001", "SD-000002"] and _column(view, 2) == ["Sent", "Sent"]
    assert _column(view, 4) == ["Blenheim", "Mottingham"]
    assert not view.buttons["decide_refusal"].isVisible()  # a manager's decision
    view.table.setFocus()
    with qtbot.waitSignal(view.step_down_shown, check_params_cb=lambda i: i == sent[1]):
        qtbot.keyClick(view.table, Qt.Key.Key_Down)
    assert "Zed Family" in view.detail.toPlainText()
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("Outside our area.", True))
    with qtbot.waitSignal(view.step_down_shown, check_params_cb=lambda i: i == sent[0]):
        qtbot.keyClick(view.table, Qt.Key.Key_D, CTRL_SHIFT)  # declined: it leaves the inbox
    assert view.message.text() == "SD-000002 — Declined by the centre (it has left this list)."
    assert _column(view, 0) == ["SD-000001"]
    assert StepDownService(ctx).get(actors["manager"], sent[1]).declined_reason == "Outside our area."
    qtbot.keyClick(view.table, Qt.Key.Key_A, CTRL_SHIFT)
    assert view.current.status == "accepted" and "First contact due Mon 30 Nov" in _column(view, 3)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Priya Shah", True))
    view.buttons["allocate"].click()
    assert view.current.allocated_worker == "Priya Shah" and _column(view, 5)[0] == "Priya Shah"
    assert "allocated Priya Shah" in view.detail.toPlainText()

    reason = "Mother disclosed new domestic abuse; children frightened."
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: (reason, True))
    qtbot.keyClick(view.table, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    new = QueueService(ctx).page(actors["manager"], QueueQuery(statuses=("new",)))[0]
    assert view.message.text() == (
        f"SD-000001 — Stepped up to the MASH: new contact {new.reference} is in "
        "the MASH queue (it has left this list)."
    )
    assert new.source.startswith("LA: early help") and "Blenheim" in new.source
    assert ContactService(ctx).get(actors["manager"], new.id).concern == reason
    assert view.table.rowCount() == 0 and not any(b.isEnabled() for b in view.buttons.values())
    with qtbot.waitSignal(view.loaded):
        view.status.setCurrentIndex([label for label, _ in STATUS_FILTERS].index("All statuses"))
    view.show_step_down(sent[0])
    assert f"to the MASH as {new.reference}" in view.detail.toPlainText()
    with qtbot.waitSignal(view.open_contact, check_params_cb=lambda i: i == new.id):
        view.detail.anchorClicked.emit(QUrl(f"contact:{new.id}"))  # the link to the step-up contact
    assert not any(b.isEnabled() for b in view.buttons.values())


def test_a_cancelled_dialog_changes_nothing(qtbot, ctx, actors, sent, monkeypatch):
    view = _view(qtbot, ctx, actors["earlyhelp"])
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("", False))
    view.buttons["decline"].click()
    assert view.current is not None and view.current.status == "sent"


def test_early_help_never_sees_a_police_restricted_answer(qtbot, ctx, actors, sent):
    for role in ("earlyhelp", "manager"):
        view = _view(qtbot, ctx, actors[role])
        view.show_step_down(sent[0])
        text = view.detail.toPlainText()
        assert "gang" not in text and "withheld from you" in text


def test_the_mash_filters_by_centre_status_and_overdue(qtbot, ctx, actors, clock, sent):
    service = StepDownService(ctx)
    service.accept(actors["earlyhelp"], sent[0], service.get(actors["manager"], sent[0]).version)
    view = _view(qtbot, ctx, actors["manager"])
    assert view.status.currentText().startswith("Open") and view.table.rowCount() == 2
    with qtbot.waitSignal(view.loaded):
        view.centre.setCurrentIndex(view.centre.findData("mottingham"))
    assert _column(view, 0) == ["SD-000002"] and view.count.text() == "1 step-down"
    with qtbot.waitSignal(view.loaded):
        view.centre.setCurrentIndex(0)
    labels = [label for label, _ in STATUS_FILTERS]
    with qtbot.waitSignal(view.loaded):
        view.status.setCurrentIndex(labels.index("To accept or decline"))
    assert _column(view, 0) == ["SD-000002"]
    with qtbot.waitSignal(view.loaded):
        view.status.setCurrentIndex(labels.index("All statuses"))
    clock.set_local(2026, 12, 3, 9, 0)
    view.overdue.setFocus()
    with qtbot.waitSignal(view.loaded):
        qtbot.keyClick(view.overdue, Qt.Key.Key_Space)
    assert _column(view, 0) == ["SD-000001"] and _column(view, 3)[0].startswith("First contact overdue")


def test_the_form_is_saved_from_the_keyboard(qtbot, ctx, actors, sent, tmp_path: Path, monkeypatch):
    target = tmp_path / "form.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    view = _view(qtbot, ctx, actors["earlyhelp"])
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(target.read_bytes())).pages]
    assert all(t.count(MARKING) == 2 for t in pages)
    assert "Blenheim Children and Family Centre" in pages[0] and "gang" not in "".join(pages)
    assert view.message.text() == "Saved form.pdf."
    saved = _form_events(ctx, "stepdown.form_save")
    assert len(saved) == 1 and saved[0].username == "test.earlyhelp"
    assert saved[0].detail["sha256"] == hashlib.sha256(target.read_bytes()).hexdigest()


def test_a_form_is_not_saved_where_it_cannot_go(qtbot, ctx, actors, sent, tmp_path: Path, monkeypatch):
    target = tmp_path / "no-such-folder" / "form.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append((title, text)))
    view = _view(qtbot, ctx, actors["earlyhelp"])
    view.save_pdf()
    assert warnings and "does not exist" in warnings[0][1]
    assert not target.exists() and _form_events(ctx, "stepdown.form_save") == []


def test_printing_the_form_from_the_view_is_recorded(qtbot, ctx, actors, sent, tmp_path: Path, monkeypatch):
    printed = tmp_path / "printed.pdf"

    monkeypatch.setattr(printing, "QPrintDialog", fake_print_dialog(printed))
    view = _view(qtbot, ctx, actors["manager"])
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert printed.stat().st_size > 0
    events = _form_events(ctx, "stepdown.form_print")
    assert len(events) == 1 and events[0].detail["printer"] == str(printed)
    assert view.message.text().startswith("Printed the form for SD-")


def _form_events(ctx, action: str) -> list:
    with ctx.session_factory() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_the_form_prints_every_page(qtbot, ctx, actors, sent, tmp_path: Path):
    pdf = StepDownService(ctx).form_pdf(actors["manager"], sent[0])
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert print_pages(pdf, printer) == len(PdfReader(io.BytesIO(pdf)).pages)
    assert len(PdfReader(str(tmp_path / "printed.pdf")).pages) == len(PdfReader(io.BytesIO(pdf)).pages)


def test_demo_early_help_inbox_in_the_window(qtbot, demo_ctx):
    actor = AuthService(demo_ctx).actor("demo.earlyhelp")
    window, view = open_view(qtbot, demo_ctx, actor, "stepdowns")
    assert isinstance(view, StepDownsView) and view.table.rowCount() > 0
    shorts = {c.short for c in early_help_config().centres}
    assert set(_column(view, 4)) <= shorts
    statuses = _column(view, 2)
    assert statuses == sorted(statuses, key=lambda s: s != "Sent")  # the inbox first
    assert view.current is not None and view.current.family


def test_a_manager_records_consent_and_sends_or_decides_after_a_refusal(
    qtbot, ctx, actors, clock, monkeypatch
):
    service = StepDownService(ctx)
    ids = []
    for first in ("Ava", "Zed"):
        cid = ContactService(ctx).create_contact(
            actors["practitioner"],
            police_notification(clock(), PersonInput(first, "Family", date(2018, 1, 1))),
        )
        ids.append(service.create(actors["manager"], cid))
    view = _view(qtbot, ctx, actors["manager"])
    assert view.current is not None and view.current.id == ids[0]
    assert not view.buttons["send"].isEnabled()  # no consent yet
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Given", True))
    view.buttons["record_consent"].click()
    assert view.current.consent_info_sharing == "given" and view.buttons["send"].isEnabled()
    centre = early_help_config().centre("cotmandene")
    assert centre is not None
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (centre.name, True))
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("Help with routines.", True))
    view.buttons["send"].click()
    assert (view.current.status, view.current.centre) == ("sent", centre.name)

    view.show_step_down(ids[1])
    answers = iter([("Refused", True), ("Given", True)])
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: next(answers))
    view.buttons["record_consent"].click()
    assert view.current.status == "consent_refused" and view.buttons["decide_refusal"].isEnabled()
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Close: no further action", True))
    view.buttons["decide_refusal"].click()
    assert StepDownService(ctx).get(actors["manager"], ids[1]).closure_reason == "no_further_action"
