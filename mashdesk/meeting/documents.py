"""The minutes of the daily MASH meeting: attendees, the items with their notes and decisions, the actions,
and the addenda after the minutes locked; prepared for one reader, whose share it shows (restricted detail
left out and marked as withheld, as in the strategy pack)."""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.units import mm

from mashdesk.clock import LONDON
from mashdesk.documents.base import DocumentInfo, build_pdf, data_table, key_value_table, para, section
from mashdesk.meeting.views import ActionRow, MeetingDetail

TITLE = "Daily MASH meeting: minutes"


def _when(value: datetime | None) -> str:
    return value.astimezone(LONDON).strftime("%d %b %Y %H:%M") if value else "—"


def _action(a: ActionRow) -> list[str]:
    status = "done" + (f" {_when(a.done_at)}: {a.done_note}" if a.done_at else "") if a.status == "done" else (
        "OVERDUE" if a.overdue else "open")
    return [a.reference + (" (addendum)" if a.addendum else ""), a.item_reference or "—", a.text, a.owner,
            a.due.strftime("%a %d %b %Y") if a.due else "—", status]


def build_minutes(d: MeetingDetail, *, printed_at: datetime | None = None) -> bytes:
    """The minutes as a PDF, OFFICIAL-SENSITIVE and "Page x of y" on every page."""
    story = [para(f"Daily MASH meeting — {d.day.strftime('%A %d %B %Y')}", "Title")]
    story += section("The meeting", key_value_table([
        ("Started", _when(d.starts_at)),
        ("Status", d.status_label),
        ("Chair", d.chair or "—"),
        ("Closed", f"{_when(d.closed_at)} by {d.closed_by}" if d.closed_at else "Not yet closed"),
        ("Prepared for", d.reader + (": the items that involve schools, pupils or education checks"
                                     if d.partial else "")),
    ]))
    story += section("Attendance", data_table(
        ["Agency", "Attended"], [[name, names or "Not present"] for _, name, names in d.attendance],
        widths=(80 * mm, 94 * mm)))
    rows = []
    for it in d.items:
        about = para("Withheld: detail restricted to other agencies.", "Withheld") if it.withheld else (
            f"{it.title}\n{it.reason}" + ("\n" + "; ".join(it.atlas) if it.atlas else ""))
        rows.append([it.reference or "—", it.section_title, about,
                     it.decision_label or "—", para(it.note or "—") if not it.withheld else "—"])
    story += section("Items", data_table(
        ["Ref", "Section", "About", "Decision", "Note"], rows,
        widths=(22 * mm, 30 * mm, 60 * mm, 26 * mm, 36 * mm)) if rows else para("No items."))
    story += section("Actions", data_table(
        ["Action", "Item", "What", "Owner", "Due", "Status"], [_action(a) for a in d.actions],
        widths=(24 * mm, 22 * mm, 52 * mm, 32 * mm, 22 * mm, 22 * mm)) if d.actions else para("No actions."))
    if d.addenda:
        story += section("Addenda (after the minutes were locked)", data_table(
            ["When", "Who", "Item", "Addendum"],
            [[_when(x.at), x.by, x.item_reference or "—", x.text] for x in d.addenda],
            widths=(30 * mm, 36 * mm, 22 * mm, 86 * mm)))
    return build_pdf(story, DocumentInfo(title=f"{TITLE} {d.day.isoformat()}", subject="Daily MASH meeting",
                                         printed_at=printed_at, prepared_for=d.reader))
