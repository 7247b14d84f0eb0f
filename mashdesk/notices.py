"""What a scheduled job tells people (:class:`Notice`) and what a job is (:class:`Job`).

A leaf module: capabilities define their deadline sweeps with these, and ``mashdesk.scheduler``
gathers the sweeps; nothing here imports a capability.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mashdesk.context import Actor, AppContext


@dataclass(frozen=True)
class Notice:
    """Something a person should know now. ``key`` identifies it, so it is raised once."""

    key: str
    level: str  # "due_soon", "breached" or "info"
    title: str
    text: str
    entity: str | None = None
    entity_id: int | None = None


@dataclass(frozen=True)
class Job:
    id: str
    description: str
    #: APScheduler trigger name ("interval" or "cron") and its arguments.
    trigger: str
    trigger_args: dict[str, Any]
    run: Callable[[AppContext, Actor, datetime], list[Notice]]
    #: The permission (``mashdesk.permissions``) a person needs for their desk to run the job; the job
    #: runs as that person.
    action: str
