"""The Ruleset view driven from the keyboard as demo.admin: Ctrl+0, load a file, its differences, a replay
with the window free meanwhile, and a changed child opened from the change matrix."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from mashdesk.rulesets.service import RulesetService
from mashdesk.services.auth import AuthService
from rules import DATA_DIR
from tests.ui.driving import Keys, press_view, signed_in_window, when_modal

pytestmark = pytest.mark.qt
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _proposal(tmp_path):  # type: ignore[no-untyped-def]
    """The 2027.1 draft as 2027.2, with parental conflict raised to level 3 as well."""
    text = (DATA_DIR / "bromley-ton-2027.1.toml").read_text(encoding="utf-8")
    text = text.replace('version = "2027.1"', 'version = "2027.2"').replace(
        'id = "family.parental_conflict"\nlevel = 2', 'id = "family.parental_conflict"\nlevel = 3')
    path = tmp_path / "bromley-ton-2027.2.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _file_chooser(monkeypatch, path):  # type: ignore[no-untyped-def]
    """The system's open-file dialog, answered with ``path``; returns the captions it was shown with."""
    asked: list[str] = []

    def choose(parent, caption, folder, filters):  # type: ignore[no-untyped-def]
        asked.append(caption)
        return str(path), filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(choose))
    return asked


def test_admin_loads_compares_replays_and_opens_a_changed_child(qtbot, demo_ctx, tmp_path, monkeypatch):
    actor = AuthService(demo_ctx).actor("demo.admin")
    window = signed_in_window(qtbot, demo_ctx, actor)
    view = press_view(qtbot, window, "ruleset")
    shown = [view.table.item(r, 0).text() for r in range(view.table.rowCount())]
    assert shown == ["bromley-ton 2026.1", "bromley-ton 2027.1 (draft)"]
    assert "family.domestic_abuse_current" in view.browser.toPlainText()  # the differences, on arrival
    keys = Keys(qtbot)
    chooser = _file_chooser(monkeypatch, _proposal(tmp_path))
    keys.press(Qt.Key.Key_L, CTRL_SHIFT)
    assert chooser == ["Load a ruleset file"] and view.table.rowCount() == 3
    assert view.new.currentText() == "bromley-ton 2027.2" and "not in force" in view.status.text()
    keys.press(Qt.Key.Key_D, CTRL_SHIFT)
    text = view.browser.toPlainText()
    assert "From bromley-ton 2026.1 to bromley-ton 2027.2" in text and "family.parental_conflict" in text

    with qtbot.waitSignal(view.replayed, timeout=60_000):
        keys.press(Qt.Key.Key_R, CTRL_SHIFT)
        assert view.progress.isVisible() and not view.replay_button.isEnabled()  # working, the window free
    expected = RulesetService(demo_ctx).replay_version(actor, "bromley-ton 2027.2", *view._period())
    panel = view.replay_panel
    assert view.tabs.currentWidget() is panel and not view.progress.isVisible()
    assert f"{expected.changed:,}</b> of {expected.children:,} children" in panel.summary.text()
    assert expected.changed > 0
    changed_cells = [(r, c) for r in range(4) for c in range(4) if r != c and panel.matrix.item(r, c).text() != "·"]
    assert changed_cells and (panel.matrix.currentRow(), panel.matrix.currentColumn()) == changed_cells[0]

    assert panel.matrix.hasFocus()  # the matrix first; Tab goes on to its children
    keys.press(Qt.Key.Key_Tab)
    assert panel.cases.hasFocus() and panel.cases.rowCount() > 0
    reference, seen = panel.cases.item(0, 0).text(), {}
    # an administrator may not read contacts: the child's threshold record instead
    when_modal(QMessageBox, lambda box: (seen.update(title=box.windowTitle(), text=box.text()), box.accept()))
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "text" in seen, timeout=20_000)
    assert seen["title"] == reference and "Under the proposal: level" in seen["text"]


def test_a_manager_replays_the_draft_and_opens_a_changed_contact(qtbot, demo_ctx):
    actor = AuthService(demo_ctx).actor("demo.manager")
    window = signed_in_window(qtbot, demo_ctx, actor)
    view = press_view(qtbot, window, "ruleset")
    assert not view.load_button.isVisible() and view.new.currentText() == "bromley-ton 2027.1"
    keys = Keys(qtbot)
    with qtbot.waitSignal(view.replayed, timeout=60_000):
        keys.press(Qt.Key.Key_R, CTRL_SHIFT)
    panel = view.replay_panel
    keys.press(Qt.Key.Key_Tab)
    if panel.cases.rowCount() == 0:
        pytest.skip("this small demo has no child the draft would change")
    assert panel.cases.hasFocus()
    reference = panel.cases.item(0, 0).text()
    with qtbot.waitSignal(window.view_loaded, timeout=10_000, check_params_cb=lambda k: k == "contact"):
        keys.press(Qt.Key.Key_Return)
    assert reference in window.contact.browser.toPlainText()


def test_a_malformed_file_is_refused_with_its_line(qtbot, demo_ctx, tmp_path, monkeypatch):
    actor = AuthService(demo_ctx).actor("demo.admin")
    window = signed_in_window(qtbot, demo_ctx, actor)
    view = press_view(qtbot, window, "ruleset")
    bad = tmp_path / "bromley-ton-2027.3.toml"
    bad.write_text((DATA_DIR / "bromley-ton-2027.1.toml").read_text(encoding="utf-8").replace(
        'version = "2027.1"', 'version = "2027.3"').replace("raise_to = 3\n", "raise_to = 9\n", 1))
    keys, seen = Keys(qtbot), {}
    _file_chooser(monkeypatch, bad)
    when_modal(QMessageBox, lambda box: (seen.update(text=box.text()), box.accept()))
    keys.press(Qt.Key.Key_L, CTRL_SHIFT)
    qtbot.waitUntil(lambda: "text" in seen, timeout=20_000)
    assert seen["text"].startswith("bromley-ton-2027.3.toml, line ") and "raise_to" in seen["text"]
    assert view.table.rowCount() == 2
