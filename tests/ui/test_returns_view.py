"""The Returns view driven from the keyboard as demo.manager: F8, a file name typed, Alt+W writes and checks
the census on a worker (a progress bar, the window free), the DfE rules' findings listed with the child and
field, and Enter on one opens the record to put right."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from db import models as m
from mashdesk.services.auth import AuthService
from tests.mashdesk.returns.builders import need_validator
from tests.ui.driving import Keys, press_view, reactivate, signed_in_window, when_modal
from ui.reports.census_record import ConferenceDialog, EpisodeDialog

pytestmark = pytest.mark.qt
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def validator():
    need_validator()


def _census_written(qtbot, ctx, out, username="demo.manager"):  # type: ignore[no-untyped-def]
    """Signed in, F8, the file name typed, Alt+W, and the census written and checked."""
    window = signed_in_window(qtbot, ctx, AuthService(ctx).actor(username))
    view = press_view(qtbot, window, "returns")
    keys = Keys(qtbot)
    keys.press(Qt.Key.Key_S, ALT)  # Save to
    assert view.file.hasFocus()
    keys.press(Qt.Key.Key_A, CTRL)
    keys.type(str(out))
    with qtbot.waitSignal(view.checked, timeout=120_000):
        keys.press(Qt.Key.Key_W, ALT)
        qtbot.waitUntil(lambda: view.progress.isVisible() or view.result is not None)
    return window, view, keys


def _child_and_rule(view):  # type: ignore[no-untyped-def]
    table = view.table
    return [(table.item(r, 1).text(), table.item(r, 2).text()) for r in range(table.rowCount())]


def _break_two_records(ctx):
    """A child's ethnicity mistyped, and another child's assessment dated before their referral."""
    with ctx.session_factory.begin() as s:
        episodes = s.scalars(select(m.CinEpisode)
                             .where(m.CinEpisode.referral_on.between(date(2025, 4, 1), date(2026, 3, 31)))
                             .order_by(m.CinEpisode.id)).all()
        first, second = episodes[0], next(e for e in episodes if e.person_id != episodes[0].person_id)
        s.get(m.Person, first.person_id).ethnicity = "WXYZ"
        assessment = s.scalars(select(m.CinAssessment)
                               .where(m.CinAssessment.episode_id == second.id)).first()
        assessment.started_on = second.referral_on - timedelta(days=10)
        return first.person_id, second.contact_id


def test_a_manager_writes_the_census_sees_the_errors_and_opens_each_record(qtbot, demo_ctx, validator,
                                                                           tmp_path):
    person_id, contact_id = _break_two_records(demo_ctx)
    out = tmp_path / "census.xml"
    window, view, keys = _census_written(qtbot, demo_ctx, out)
    assert not view.progress.isVisible() and view.write_button.isEnabled()
    root = ET.parse(out).getroot()
    assert root.findtext("Header/CollectionDetails/Year") == "2026"
    children = len(root.findall("Children/Child"))
    assert f"{children:,} children" in view.status.text() and "DfE rules (cin2025_26)" in view.status.text()
    shown = [[view.table.item(r, c).text() for c in range(6)] for r in range(view.table.rowCount())]
    errors = [row for row in shown if row[0] == "error"]
    ethnicity = next(row for row in errors if row[3] == "ChildCharacteristics · Ethnicity")
    assert ethnicity[1] == f"P{person_id}" and ethnicity[4] == "WXYZ"
    assert view.result.errors == len(errors) and f"{len(errors)} errors" in view.status.text()
    assert view.table.hasFocus()

    view.table.setCurrentCell(shown.index(ethnicity), 0)
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_key == "people")
    assert window.people.current.person_id == person_id

    press_view(qtbot, window, "returns")
    assessment = next(r for r, row in enumerate(shown)
                      if row[0] == "error" and row[3].startswith("Assessments"))
    view.table.setCurrentCell(assessment, 0)
    view.table.setFocus()
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_key == "contact")
    assert window.contact.contact_id == contact_id


def _drop_factors(ctx):
    """The factors of an authorised assessment in the year left out, on a referral of one child."""
    with ctx.session_factory.begin() as s:
        single = (select(m.CinEpisode.contact_id).group_by(m.CinEpisode.contact_id)
                  .having(func.count() == 1))
        a, e = s.execute(select(m.CinAssessment, m.CinEpisode).join(m.CinEpisode)
                         .where(m.CinAssessment.authorised_on.between(date(2025, 4, 1), date(2026, 3, 31)),
                                m.CinEpisode.closed_on.is_(None), m.CinEpisode.contact_id.in_(single))
                         .order_by(m.CinAssessment.id)).first()
        a.factors = ""
        return e.person_id, e.contact_id


def test_a_query_is_put_right_on_the_contact_and_gone_from_the_next_census(qtbot, demo_ctx, validator,
                                                                           tmp_path):
    person_id, contact_id = _drop_factors(demo_ctx)
    window, view, keys = _census_written(qtbot, demo_ctx, tmp_path / "census.xml")
    rows = _child_and_rule(view)
    assert (f"P{person_id}", "8897Q") in rows  # factors missing from a completed assessment
    view.table.setCurrentCell(rows.index((f"P{person_id}", "8897Q")), 0)
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_key == "contact")
    assert window.contact.contact_id == contact_id and window.contact.census_button.isVisible()

    def record(dialog):  # type: ignore[no-untyped-def]
        keys.press(Qt.Key.Key_F, ALT)  # Factors identified
        assert dialog.factors.hasFocus()
        keys.type("3b 16a")
        keys.press(Qt.Key.Key_Return)

    when_modal(EpisodeDialog, record)
    keys.press(Qt.Key.Key_C, CTRL | Qt.KeyboardModifier.ShiftModifier)
    with demo_ctx.session_factory() as s:
        factors = s.scalars(select(m.CinAssessment.factors).join(m.CinEpisode)
                            .where(m.CinEpisode.contact_id == contact_id)).all()
    assert factors == ["3B 16A"]

    reactivate(qtbot, window)
    view = press_view(qtbot, window, "returns")
    with qtbot.waitSignal(view.checked, timeout=120_000):
        keys.press(Qt.Key.Key_W, ALT)
    assert (f"P{person_id}", "8897Q") not in _child_and_rule(view)


def _enquiry_awaiting_conference(ctx):
    """A strategy discussion's only child, section 47 started a week ago, the conference not yet held."""
    with ctx.session_factory.begin() as s:
        sc = s.scalars(select(m.StrategyChild).order_by(m.StrategyChild.id)).first()
        others = select(m.StrategyChild).where(m.StrategyChild.discussion_id == sc.discussion_id,
                                               m.StrategyChild.id != sc.id)
        for other in s.scalars(others):
            other.decision, other.s47_started_on, other.icpc_due = "no_s47", None, None
            other.no_s47_reason = "Not met."
        sc.decision, sc.s47_started_on, sc.icpc_due = "s47_joint", date(2026, 11, 16), date(2026, 12, 7)
        sc.icpc_held_on, sc.icpc_not_required = None, False
        d = s.get(m.StrategyDiscussion, sc.discussion_id)
        if s.scalar(select(m.CinEpisode.id).where(m.CinEpisode.person_id == sc.person_id,
                                                   m.CinEpisode.contact_id == d.contact_id)) is None:
            decision = s.scalars(select(m.Decision).where(m.Decision.contact_id == d.contact_id,
                                                          m.Decision.person_id == sc.person_id)).first()
            s.add(m.CinEpisode(person_id=sc.person_id, contact_id=d.contact_id, decision_id=decision.id,
                               referral_on=date(2026, 11, 13)))
        return d.id, sc.id


def test_the_conference_and_its_plan_are_recorded_from_the_strategy_view(qtbot, demo_ctx):
    discussion_id, child_id = _enquiry_awaiting_conference(demo_ctx)
    window = signed_in_window(qtbot, demo_ctx, AuthService(demo_ctx).actor("demo.manager"))
    view = press_view(qtbot, window, "strategy")
    keys = Keys(qtbot)
    view.table.setFocus()
    view.table.setCurrentCell([r.id for r in view.rows].index(discussion_id), 0)
    with qtbot.waitSignal(view.pack_ready, timeout=20_000):
        keys.press(Qt.Key.Key_Return)

    def record(dialog):  # type: ignore[no-untyped-def]
        assert dialog.has_held.isChecked() and dialog.held.date().toPython() == date(2026, 11, 23)
        keys.press(Qt.Key.Key_P, ALT)  # Child protection plan: neglect, the first category
        assert dialog.has_plan.isChecked()
        keys.press(Qt.Key.Key_Return)

    when_modal(ConferenceDialog, record)
    keys.press(Qt.Key.Key_C, CTRL | Qt.KeyboardModifier.ShiftModifier)
    with demo_ctx.session_factory() as s:
        sc = s.get(m.StrategyChild, child_id)
        plan = s.scalars(select(m.CpPlan).where(m.CpPlan.strategy_child_id == child_id)).one()
    assert (sc.icpc_held_on, sc.icpc_not_required) == (date(2026, 11, 23), False)
    assert (plan.started_on, plan.initial_category, plan.ended_on) == (date(2026, 11, 23), "NEG", None)


def test_an_administrator_who_may_not_open_the_record_is_told_what_is_wrong(qtbot, demo_ctx, validator,
                                                                            tmp_path):
    person_id, _ = _drop_factors(demo_ctx)
    window, view, keys = _census_written(qtbot, demo_ctx, tmp_path / "census.xml", "demo.admin")
    view.table.setCurrentCell(_child_and_rule(view).index((f"P{person_id}", "8897Q")), 0)
    seen = {}
    when_modal(QMessageBox, lambda box: (seen.update(title=box.windowTitle(), text=box.text()), box.accept()))
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "text" in seen, timeout=20_000)
    assert seen["title"] == f"8897Q: P{person_id}" and "may not open this record" in seen["text"]
    assert "factors at assessment" in seen["text"] and window.current_key == "returns"
