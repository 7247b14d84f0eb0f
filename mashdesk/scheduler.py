"""Scheduled jobs: what runs when, and the APScheduler wiring that runs them.

A job computes :class:`Notice` objects on a worker thread and hands them to a
callback; it never touches a widget (the window turns them into status-bar and tray
messages). Jobs have fixed ids and are added with ``replace_existing``; coalescing and
a long misfire grace mean a desk that was closed catches up once, and every job also
runs once at start so what became due while the desk was closed is raised at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from apscheduler.schedulers.base import BaseScheduler

    from mashdesk.context import Actor, AppContext

from mashdesk.clock import LONDON
from mashdesk.notices import Job, Notice

log = logging.getLogger(__name__)


def desk_jobs() -> list[Job]:
    """Every scheduled job of the desk."""
    from mashdesk.contacts.notices import decision_deadline_notices
    from mashdesk.services.audit_trail import checkpoint_job
    from mashdesk.handover.notices import handover_breach_job, handover_reminder_notices
    from mashdesk.meeting.notices import agenda_ready_notices, overdue_action_notices
    from mashdesk.missing.notices import missing_deadline_notices
    from mashdesk.stepdown.notices import step_down_deadline_notices
    from mashdesk.strategy.notices import strategy_deadline_notices

    return [
        Job("decision-deadlines", "Decision clocks due soon or breached", "interval", {"minutes": 1},
            decision_deadline_notices, action="notice.decision_deadlines"),
        Job("strategy-deadlines", "Strategy discussions not yet held and ICPCs due soon or overdue", "interval",
            {"minutes": 5}, strategy_deadline_notices, action="notice.strategy_deadlines"),
        # Cron on weekdays; the jobs themselves skip bank holidays and closures (the calendar decides).
        Job("edt-handover-reminder", "EDT items not yet acknowledged before the handover", "cron",
            {"day_of_week": "mon-fri", "hour": 8, "minute": 45}, handover_reminder_notices,
            action="handover.remind"),
        # A second past 10:00, the handover deadline, so the deadline has passed when the job looks.
        Job("edt-handover-breaches", "EDT items not dealt with by the handover deadline", "cron",
            {"day_of_week": "mon-fri", "hour": 10, "minute": 0, "second": 1}, handover_breach_job,
            action="handover.mark_breached"),
        Job("stepdown-deadlines", "Early Help first contacts and reviews due soon or overdue", "interval",
            {"minutes": 15}, step_down_deadline_notices, action="notice.stepdown_deadlines"),
        Job("missing-deadlines", "Missing children: the 24-hour strategy, 72-hour escalation and return home "
            "interview clocks; breaches stored as they happen", "interval", {"minutes": 5},
            missing_deadline_notices, action="notice.missing_deadlines"),
        # Every desk signs a checkpoint of the audit trail when it starts and each morning.
        Job("audit-checkpoint", "A signed checkpoint of the audit trail, outside the database", "cron",
            {"hour": 7, "minute": 0}, checkpoint_job, action="audit.checkpoint"),
        # From 09:15 until the meeting (calendar.toml: meeting_agenda_ready, meeting); raised once a day.
        Job("meeting-agenda-ready", "The daily meeting's agenda is ready", "interval", {"minutes": 5},
            agenda_ready_notices, action="notice.meeting_agenda"),
        Job("meeting-actions-overdue", "Meeting actions past their due date", "interval", {"minutes": 30},
            overdue_action_notices, action="notice.meeting_actions"),
    ]


def run_jobs_now(ctx: AppContext, actor: Actor, now: datetime | None = None) -> list[Notice]:
    """Run every job for ``actor`` once, in this thread (for the catch-up at start and for tests)."""
    moment = now or ctx.now()
    notices: list[Notice] = []
    for job in desk_jobs():
        if actor.may(job.action):
            notices.extend(job.run(ctx, actor, moment))
    return notices


def start_scheduler(ctx: AppContext, actor: Actor, deliver: Callable[[list[Notice]], None]) -> BaseScheduler:
    """Start APScheduler's ``QtScheduler`` with the jobs for ``actor``'s role.

    ``deliver`` is called on a worker thread with each job's notices; the caller
    passes them to the GUI thread (a Qt signal does that).
    """
    from apscheduler.schedulers.qt import QtScheduler

    scheduler = QtScheduler(timezone=LONDON, job_defaults={"coalesce": True, "max_instances": 1,
                                                          "misfire_grace_time": 12 * 3600})
    for job in desk_jobs():
        if not actor.may(job.action):
            continue
        scheduler.add_job(_runner(ctx, actor, job, deliver), job.trigger, id=job.id, name=job.description,
                          replace_existing=True, next_run_time=ctx.now().astimezone(LONDON), **job.trigger_args)
    scheduler.start()
    return scheduler


def _runner(ctx: AppContext, actor: Actor, job: Job,
            deliver: Callable[[list[Notice]], None]) -> Callable[[], None]:
    def run() -> None:
        try:
            notices = job.run(ctx, actor, ctx.now())
        except Exception:  # a failing job must not stop the others; it is logged and retried next time
            log.exception("scheduled job %s failed", job.id)
            return
        if notices:
            deliver(notices)

    return run
