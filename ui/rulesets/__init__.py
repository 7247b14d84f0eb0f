"""The Ruleset view: Threshold of Need versions, their differences, what-if replay and consistency."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from mashdesk.context import Actor, AppContext


def ruleset_view(ctx: AppContext, actor: Actor) -> QWidget:
    """The main view, built on first show (its modules load behind the queue's first paint)."""
    from mashdesk.rulesets.service import RulesetService
    from ui.rulesets.view import RulesetView

    return RulesetView(RulesetService(ctx), actor)
