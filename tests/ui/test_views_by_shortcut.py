"""Every main view, for every demo role that may open it, reached as a person reaches it: its shortcut.

Each view must put its data on screen however it is reached: the count a person reads and a first
row that is the service's first row. A view a role may not open is not offered to that role.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from mashdesk.demo import DEMO_USERS
from mashdesk.services.auth import AuthService
from mashdesk.contacts.queue import QueueService
from mashdesk.digest.service import DigestService
from mashdesk.consultations.service import ConsultationService
from mashdesk.handover.service import HandoverService
from mashdesk.meeting.service import MeetingService
from mashdesk.missing.service import MissingService
from mashdesk.returns.service import CensusService
from mashdesk.stepdown.service import StepDownService
from mashdesk.rulesets.service import RulesetService
from mashdesk.strategy.service import StrategyService
from mashdesk.strategy.workflow import GROUPS
from tests.ui.driving import press_view, signed_in_window, view_shortcut
from ui.view_registry import VIEW_ACTIONS, VIEWS

pytestmark = pytest.mark.qt


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' if n != 1 else ''}"


def check_queue(qtbot, window, ctx, actor) -> None:  # type: ignore[no-untyped-def]
    view = press_view(qtbot, window, "queue")
    service = QueueService(ctx)
    query = view.current_query()
    total = service.count(actor, query)
    assert view.count.text() == _plural(total, "contact")
    first = service.page(actor, query, 0, 1)
    assert view.model.rowCount() == min(total, view.model.rowCount()) and (total == 0) == (not first)
    if first:
        assert view.model.row_at(0).reference == first[0].reference
        assert view.model.index(0, 0).data() == first[0].reference


def check_contact(qtbot, window, ctx, actor) -> None:  # type: ignore[no-untyped-def]
    view = press_view(qtbot, window, "contact")
    if window.queue.model.rowCount() == 0:
        assert view.empty.isVisible() and "No contact open" in view.empty.text()
        return
    press_view(qtbot, window, "queue")
    reference = window.queue.model.row_at(window.queue.table.currentIndex().row()).reference
    window.queue.table.setFocus()
    with qtbot.waitSignal(window.view_loaded, check_params_cb=lambda k: k == "contact"):
        qtbot.keyClick(window.queue.table, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is view and reference in view.browser.toPlainText()
    press_view(qtbot, window, "queue")
    assert reference in press_view(qtbot, window, "contact").browser.toPlainText()  # still open on Ctrl+2


def check_handover(qtbot, window, ctx, actor) -> None:  # type: ignore[no-untyped-def]
    view = press_view(qtbot, window, "handover")
    service = HandoverService(ctx)
    period = service.period(actor, service.default_day(actor))
    assert view.table.rowCount() == len(period.items)
    if period.items:
        assert view.table.item(0, 3).text() == period.items[0].children
        assert period.summary in view.heading.text()
    else:
        assert "no calls logged" in view.heading.text()


def check_stepdowns(qtbot, window, ctx, actor) -> None:  # type: ignore[no-untyped-def]
    view = press_view(qtbot, window, "stepdowns")
    service = StepDownService(ctx)
    query = view.query()
    total = service.count(actor, query)
    assert total > 0, "the demo has step-downs for this list"
    assert view.count.text().startswith(_plural(total, "step-down"))
    assert view.table.item(0, 0).text() == service.page(actor, query, 1)[0].reference


def check_strategy(qtbot, window, ctx, actor) -> None:  # type: ignore[no-untyped-def]
    view = press_view(qtbot, window, "strategy", timeout=20_000)
    service = StrategyService(ctx)
    rows = [r for group in GROUPS for r in service.discussions(actor, group)]
    assert rows, "the demo has strategy discussions"
    assert view.count.text() == _plural(len(rows), "discussion")
    assert view.table.item(0, 0).text() == rows[0].reference


def check_meeting(qtbot, window, ctx, actor) -> None:  # type: ignore[no-untyped-def]
    view = press_view(qtbot, window, "meeting")
    service = MeetingService(ctx)
    agenda = service.agenda(actor, service.meeting_day())
    assert agenda.items, "the demo has today's agenda for this role"
    assert view.count.text() == _plural(len(agenda.items), "item")
    assert view.table.item(0, 0).text() == agenda.items[0].reference


def check_people(qtbot, window, ctx, actor) -> None:  # type: ignore[no-untyped-def]
    view = press_view(qtbot, window, "people")
    assert view.search.first.hasFocus() and view.search.first.isVisible()


def check_ruleset(qtbot, window, ctx, actor) -> None:  # type: ignore[no-untyped-def]
    view = press_view(qtbot, window, "ruleset")
    versions = RulesetService(ctx).versions(actor)
    assert view.table.rowCount() == len(versions) == 2
    assert view.table.item(0, 0).text() == versions[0].label and versions[0].status == "in force"
    assert "family.domestic_abuse_current" in view.browser.toPlainText()  # the draft's differences
    assert view.load_button.isVisible() == (actor.role == "admin")


def check_missing(qtbot, window, ctx, actor) -> None:  # type: ignore[no-untyped-def]
    view = press_view(qtbot, window, "missing")
    rows = MissingService(ctx).rows(actor, "daily")
    assert rows, "the demo has children missing now"
    missing = sum(r.status == "missing" for r in rows)
    assert view.count.text() == f"{missing} missing now · {len(rows)} listed"
    assert view.table.item(0, 0).text().startswith(rows[0].reference)
    assert view.table.item(0, 7).text() == " · ".join(c.label for c in rows[0].clocks)


def check_consultations(qtbot, window, ctx, actor) -> None:  # type: ignore[no-untyped-def]
    view = press_view(qtbot, window, "consultations")
    listed = ConsultationService(ctx).calls(actor, view.query())
    assert listed.rows, "the demo has calls this week"
    assert view.count.text().startswith(f"{len(listed.rows)} call")
    assert view.table.item(0, 0).text() == listed.rows[0].reference
    if actor.role == "education":
        assert all(r.from_school for r in listed.rows)


def check_users(qtbot, window, ctx, actor) -> None:  # type: ignore[no-untyped-def]
    from mashdesk.accounts.service import UserService

    view = press_view(qtbot, window, "users")
    listed = UserService(ctx).users(actor)
    assert view.table.rowCount() == len(listed) > 0
    assert view.table.item(0, 0).text() == listed[0].username


def check_dashboard(qtbot, window, ctx, actor) -> None:  # type: ignore[no-untyped-def]
    view = press_view(qtbot, window, "dashboard", timeout=30_000)
    digest = DigestService(ctx).digest(actor, *view._period())
    assert view.figures.rowCount() == len(digest.lines) + len({line.section for line in digest.lines})
    assert view.figures.item(0, 0).text() == digest.lines[0].section_title
    assert [view.figures.item(1, c).text() for c in range(3)] == \
        [digest.lines[0].label, digest.lines[0].current.text(), digest.lines[0].previous.text()]


def check_returns(qtbot, window, ctx, actor) -> None:  # type: ignore[no-untyped-def]
    view = press_view(qtbot, window, "returns")
    year = CensusService(ctx).default_year()
    assert view.year.value() == year and view.file.text().endswith(f"cin-census-{year}.xml")
    assert view.write_button.isEnabled() and view.table.rowCount() == 0


CHECKS = {"queue": check_queue, "contact": check_contact, "handover": check_handover,
          "stepdowns": check_stepdowns, "strategy": check_strategy, "meeting": check_meeting,
          "people": check_people, "ruleset": check_ruleset, "missing": check_missing,
          "consultations": check_consultations, "users": check_users,
          "dashboard": check_dashboard, "returns": check_returns}


def test_every_main_view_has_a_check() -> None:
    assert set(CHECKS) == {key for key, _, _ in VIEWS} == set(VIEW_ACTIONS)


@pytest.mark.parametrize("username", sorted(DEMO_USERS))
def test_each_role_sees_each_view_it_may_open_with_its_data(qtbot, demo_ctx, username):
    actor = AuthService(demo_ctx).actor(username)
    window = signed_in_window(qtbot, demo_ctx, actor)
    opened = []
    for key, _title, _shortcut in VIEWS:
        row = [k for k, _, _ in VIEWS].index(key)
        if actor.may(VIEW_ACTIONS[key]):
            CHECKS[key](qtbot, window, demo_ctx, actor)
            assert not window.nav.item(row).isHidden()
            assert window.nav.currentRow() == row  # the list on the left follows the shortcut
            opened.append(key)
        else:
            before = window.stack.currentWidget()
            qtbot.keyClick(window, *view_shortcut(key))
            assert window.stack.currentWidget() is before and window.nav.item(row).isHidden()
    assert "queue" in opened


def test_f5_refreshes_the_view_on_screen(qtbot, demo_ctx):
    actor = AuthService(demo_ctx).actor("demo.manager")
    window = signed_in_window(qtbot, demo_ctx, actor)
    press_view(qtbot, window, "stepdowns")
    with qtbot.waitSignal(window.views["stepdowns"].loaded, timeout=5000):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    with qtbot.assertNotEmitted(window.queue.loaded, wait=100):
        qtbot.keyClick(window, Qt.Key.Key_F5)
