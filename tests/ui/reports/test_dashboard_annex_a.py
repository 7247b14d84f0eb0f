"""Annex A exported from the Dashboard as a person does it: F7, Alt+A, a file name typed, Enter; the workbook
written on the worker with a progress bar and audited as ``mashdesk export annex-a`` audits it."""

from __future__ import annotations

import hashlib

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLineEdit
from sqlalchemy import select

from db.models import AuditEvent
from mashdesk.returns.annex_a import AnnexAService
from mashdesk.returns.annex_a_codes import HEADINGS
from mashdesk.services.auth import AuthService
from mashdesk.validators import cut
from tests.ui.driving import Keys, press_view, signed_in_window, when_modal

pytestmark = pytest.mark.qt
ALT = Qt.KeyboardModifier.AltModifier


def _exports(ctx) -> list[AuditEvent]:
    with ctx.session_factory() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == "export.returns")))


@pytest.fixture
def home(tmp_path, monkeypatch):
    """The person's home folder, where the save dialog opens."""
    monkeypatch.setenv("HOME", str(tmp_path))
    return tmp_path


def test_a_manager_exports_annex_a_for_the_period_shown(qtbot, demo_ctx, home):
    actor = AuthService(demo_ctx).actor("demo.manager")
    window = signed_in_window(qtbot, demo_ctx, actor)
    view = press_view(qtbot, window, "dashboard", timeout=30_000)
    first, last = view._period()
    keys = Keys(qtbot)
    out = home / "annex-a-october"
    offered: list[str] = []

    def name_the_file(dialog: QFileDialog) -> None:
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        offered.append(name.text())
        name.setFocus()
        name.selectAll()
        keys.type(out.name)  # in the home folder the dialog opens in
        keys.press(Qt.Key.Key_Return)

    when_modal(QFileDialog, name_the_file)
    with qtbot.waitSignal(view.exported, timeout=60_000) as written:
        with qtbot.waitSignal(view.working, timeout=10_000):
            keys.press(Qt.Key.Key_A, ALT)
        assert view.progress.isVisible() and not view.annex_button.isEnabled()
    assert offered == [f"annex-a-{first:%Y%m%d}-{last:%Y%m%d}.xlsx"]
    saved = out.with_suffix(".xlsx")  # the dialog adds the workbook's suffix
    assert written.args == [saved] and saved.exists()
    assert not view.progress.isVisible() and view.annex_button.isEnabled()

    expected = AnnexAService(demo_ctx).build(actor, first, last)
    book = load_workbook(saved, read_only=True)
    for name, headings in HEADINGS.items():
        rows = list(book[name].iter_rows(values_only=True))
        assert rows[0] == headings and len(rows) - 1 == len(expected.lists[name])
    assert sum(len(r) for r in expected.lists.values()) > 0
    assert f"Annex A saved to {saved.name}" in view.status.text()
    assert f"List 1 {len(expected.lists['List 1']):,} rows" in view.status.text()

    [event] = _exports(demo_ctx)
    assert event.username == "demo.manager" and saved.name in event.summary
    assert event.detail["sha256"] == hashlib.sha256(saved.read_bytes()).hexdigest()
    assert (event.detail["from"], event.detail["to"]) == (first.isoformat(), last.isoformat())
    assert event.detail["list_1"] == len(expected.lists["List 1"])


def test_a_file_that_cannot_be_written_is_refused_and_nothing_is_audited(qtbot, demo_ctx, home):
    actor = AuthService(demo_ctx).actor("demo.admin")
    window = signed_in_window(qtbot, demo_ctx, actor)
    view = press_view(qtbot, window, "dashboard", timeout=30_000)
    keys = Keys(qtbot)

    def name_the_file(dialog: QFileDialog) -> None:
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        name.setFocus()
        name.selectAll()
        keys.type("no-such-folder/annex.xlsx")
        keys.press(Qt.Key.Key_Return)

    when_modal(QFileDialog, name_the_file)
    with qtbot.waitSignal(view.loaded, timeout=60_000):
        keys.press(Qt.Key.Key_A, ALT)
    assert view.status.text() == f"file: the folder {cut(str(home / 'no-such-folder'))} does not exist"
    assert not (home / "no-such-folder").exists()
    assert _exports(demo_ctx) == [] and view.annex_button.isEnabled()
