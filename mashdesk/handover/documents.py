"""The EDT handover sheet: every item of one out-of-hours period, what was done and what it became."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from mashdesk.documents.base import (
    LONDON,
    DocumentInfo,
    build_pdf,
    data_table,
    key_value_table,
    para,
    section,
)
from mashdesk.handover.views import HandoverItem, HandoverPeriod


def _t(moment) -> str:  # type: ignore[no-untyped-def]
    return f"{moment.astimezone(LONDON):%a %d %b %Y %H:%M}" if moment else "—"


def _short(moment) -> str:  # type: ignore[no-untyped-def]
    return f"{moment.astimezone(LONDON):%a %H:%M}"


def _item_rows(item: HandoverItem) -> list[tuple[str, str]]:
    rows = [
        ("Children", item.children + (f" (as logged: {item.children_text})"
                                       if item.people and item.children_text else "")),
        ("Address", item.address_text or "—"),
        ("Caller", item.caller + (f" · {item.phone}" if item.phone else "")),
        ("Reported", item.reported),
        ("Emergency services", "Yes" if item.emergency_services else "No"),
        ("Action taken", item.action_taken or "—"),
        ("Outstanding for the day service", item.outstanding or "—"),
        ("Logged by", f"{item.recorded_by or '—'}"
                      + (f" · completed {_t(item.completed_at)}" if item.completed_at else " · not completed")),
    ]
    for note in item.notes:
        rows.append(("Note", f"{_t(note.at)} {note.by}: {note.text}"))
    if item.acknowledged:
        rows.append(("Acknowledged", f"{item.acknowledged_by} at {_t(item.acknowledged_at)}"))
    else:
        rows.append(("Acknowledged", "Not yet acknowledged"))
    rows.append(("Became", item.became))
    if item.dealt_at:
        rows.append(("Dealt with", _t(item.dealt_at)))
    if item.breached:
        rows.append(("Handover deadline", f"BREACHED: not dealt with by {_t(item.deadline)}"))
    return rows


def build_handover_sheet(period: HandoverPeriod, printed_by: str) -> bytes:
    """The sheet of ``period`` as ``printed_by`` (who, in words) prints it: an overview, then each item in full."""
    title = f"EDT handover — period ending {_t(period.end)}"
    story: list[Flowable] = [
        para(title, "Title"),
        key_value_table([
            ("Period", f"{_t(period.start)} to {_t(period.end)}"),
            ("Handover due", _t(period.deadline)),
            ("Items", period.summary if period.items else "No calls were logged in this period."),
            ("Printed by", f"{printed_by} at {_t(period.now)}"),
        ]),
        Spacer(1, 4 * mm),
    ]
    if period.items:
        overview = [[str(n), _short(i.call_at), i.urgency.upper() if i.urgent else i.urgency, i.children,
                     i.caller, i.status_label.upper() if i.breached and not i.dealt_with else i.status_label]
                    for n, i in enumerate(period.items, start=1)]
        story += section("Items, urgent first", data_table(
            ["#", "Call", "Urgency", "Children", "Caller", "Status"], overview,
            widths=[8 * mm, 20 * mm, 18 * mm, 50 * mm, 48 * mm, 30 * mm]))
        for n, item in enumerate(period.items, start=1):
            heading = f"{n}. {'URGENT — ' if item.urgent else ''}{_t(item.call_at)} — {item.children}"
            story += section(heading.replace("&", "&amp;").replace("<", "&lt;"), key_value_table(_item_rows(item)))
    return build_pdf(story, DocumentInfo(title=title, subject="EDT handover sheet",
                                         prepared_for=None, printed_at=period.now))
