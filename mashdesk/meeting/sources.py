"""The one list of the agenda's sources. A capability adds a section by offering a source
(:data:`mashdesk.agenda.AgendaSource`, in its own ``agenda.py``) and adding one line here."""

from __future__ import annotations

from mashdesk.agenda import AgendaSource
from mashdesk.atlas.agenda import atlas_items
from mashdesk.contacts.agenda import new_contact_items, overdue_check_items
from mashdesk.handover.agenda import handover_items
from mashdesk.meeting.agenda import earlier_action_items
from mashdesk.missing.agenda import missing_items
from mashdesk.stepdown.agenda import step_down_items
from mashdesk.strategy.agenda import strategy_items

SOURCES: tuple[AgendaSource, ...] = (
    handover_items,
    new_contact_items,
    overdue_check_items,
    strategy_items,
    missing_items,
    atlas_items,
    step_down_items,
    earlier_action_items,
)
