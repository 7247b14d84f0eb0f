"""The desk's main views: their order, shortcuts and permissions, and how each is built on first show.

One line per view in each table; ``ui/main_window.py`` shows them (see "a new main view" in
docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from mashdesk.context import Actor, AppContext
from ui.rulesets import ruleset_view

#: Main views in navigation order: key, title, shortcut.
VIEWS: list[tuple[str, str, str]] = [
    ("queue", "Queue", "Ctrl+1"),
    ("contact", "Contact", "Ctrl+2"),
    ("handover", "EDT handover", "Ctrl+3"),
    ("stepdowns", "Step-downs", "Ctrl+4"),
    ("strategy", "Strategy", "Ctrl+5"),
    ("meeting", "Daily meeting", "Ctrl+6"),
    ("people", "People", "Ctrl+7"),
    ("missing", "Missing", "Ctrl+8"),
    ("consultations", "Consultations", "Ctrl+9"),
    ("ruleset", "Ruleset", "Ctrl+0"),
    ("dashboard", "Dashboard", "F7"),
    ("returns", "Returns", "F8"),
    ("users", "Users", "F9"),
]
#: The permission (``mashdesk.permissions``) a person needs to open each main view.
VIEW_ACTIONS: dict[str, str] = {
    "queue": "queue.read",
    "contact": "contact.read",
    "handover": "handover.read",
    "stepdowns": "stepdown.read",
    "strategy": "strategy.read",
    "meeting": "meeting.read",
    "people": "person.match",
    "missing": "missing.read",
    "consultations": "consultation.read",
    "ruleset": "ruleset.read",
    "dashboard": "digest.read",
    "returns": "export.returns",
    "users": "user.manage",
}


def _contact_view(ctx: AppContext, actor: Actor) -> QWidget:
    from mashdesk.contacts.service import ContactService
    from ui.contacts.contact_view import ContactView

    return ContactView(ContactService(ctx), actor)


def _handover_view(ctx: AppContext, actor: Actor) -> QWidget:
    from mashdesk.drafts import DraftService
    from mashdesk.handover.service import HandoverService
    from mashdesk.people.service import PeopleService
    from ui.handover.view import HandoverView

    return HandoverView(HandoverService(ctx), actor, PeopleService(ctx), DraftService(ctx))


def _stepdowns_view(ctx: AppContext, actor: Actor) -> QWidget:
    from mashdesk.stepdown.service import StepDownService
    from ui.stepdown.view import StepDownsView

    return StepDownsView(StepDownService(ctx), actor)


def _strategy_view(ctx: AppContext, actor: Actor) -> QWidget:
    from mashdesk.strategy.service import StrategyService
    from ui.strategy.view import StrategyView

    return StrategyView(StrategyService(ctx), actor)


def _meeting_view(ctx: AppContext, actor: Actor) -> QWidget:
    from mashdesk.meeting.service import MeetingService
    from ui.meeting.view import MeetingView

    return MeetingView(MeetingService(ctx), actor)


def _people_view(ctx: AppContext, actor: Actor) -> QWidget:
    from ui.people.people_view import PeopleView

    return PeopleView.for_context(ctx, actor)


def _missing_view(ctx: AppContext, actor: Actor) -> QWidget:
    from ui.missing.view import build_view

    return build_view(ctx, actor)


def _consultations_view(ctx: AppContext, actor: Actor) -> QWidget:
    from ui.consultations.view import build_view

    return build_view(ctx, actor)


def _dashboard_view(ctx: AppContext, actor: Actor) -> QWidget:
    from ui.reports.dashboard_view import build_view

    return build_view(ctx, actor)


def _users_view(ctx: AppContext, actor: Actor) -> QWidget:
    from mashdesk.accounts.service import UserService
    from ui.accounts.users_view import UsersView

    return UsersView(UserService(ctx), actor)


def _returns_view(ctx: AppContext, actor: Actor) -> QWidget:
    from ui.reports.returns_view import returns_view

    return returns_view(ctx, actor)


#: How each main view but the queue is built, on first show. One line per view. A view with a
#: ``loaded`` signal reports when its data is on screen; one with a ``refresh()`` method is
#: refreshed each time it is shown; one with an ``open_contact(id)`` signal opens that contact.
VIEW_FACTORIES: dict[str, Callable[[AppContext, Actor], QWidget]] = {
    "contact": _contact_view,
    "handover": _handover_view,
    "stepdowns": _stepdowns_view,
    "strategy": _strategy_view,
    "meeting": _meeting_view,
    "people": _people_view,
    "missing": _missing_view,
    "consultations": _consultations_view,
    "ruleset": ruleset_view,
    "dashboard": _dashboard_view,
    "users": _users_view,
    "returns": _returns_view,
}
#: Modules the views but the queue need: loaded behind the first paint (see ``MainWindow.load_rest``).
REST_MODULES = (
    "mashdesk.contacts.service", "mashdesk.drafts", "mashdesk.handover.service",
    "mashdesk.people.service", "mashdesk.stepdown.service", "mashdesk.strategy.service",
    "mashdesk.triage.service", "mashdesk.scheduler", "ui.contacts.contact_view", "ui.handover.view",
    "ui.stepdown.view", "ui.strategy.view", "ui.people.people_view", "ui.meeting.view", "mashdesk.meeting.service",
    "ui.contacts.contact_form", "mashdesk.rulesets.service", "ui.rulesets.view", "ui.missing.view",
    "ui.consultations.view", "mashdesk.digest.service", "ui.reports.dashboard_view",
    "ui.accounts.users_view", "ui.reports.returns_view",
)
