"""One handover item as the detail pane shows it (HTML for a QTextBrowser)."""

from __future__ import annotations

from html import escape

from mashdesk.handover.views import HandoverItem
from ui.formatting import local_time


def item_html(item: HandoverItem) -> str:
    """One item in full, as the detail pane shows it."""
    def row(label: str, value: str | None) -> str:
        return f"<tr><th align=left valign=top>{escape(label)}</th><td>{escape(value or '—')}</td></tr>"

    status = escape(item.status_label)
    if item.breached:
        status = f"<span style='color:#c62828;font-weight:bold'>{status}</span>"
    rows = [
        row("Call", local_time(item.call_at)), row("Urgency", item.urgency),
        row("Caller", item.caller + (f" · {item.phone}" if item.phone else "")),
        row("Children", item.children),
        *([row("As logged", item.children_text)] if item.people and item.children_text else []),
        row("Address", item.address_text), row("Emergency services", "yes" if item.emergency_services else "no"),
        row("Logged by", (item.recorded_by or "") + (f", completed {local_time(item.completed_at)}"
                                                     if item.completed_at else ", not completed")),
        row("Acknowledged", f"{item.acknowledged_by} at {local_time(item.acknowledged_at)}"
            if item.acknowledged else "not yet"),
        row("Became", item.became), row("Handover due", local_time(item.deadline)),
    ]
    notes = "".join(f"<li>{escape(local_time(n.at))} <b>{escape(n.by)}</b>: {escape(n.text)}</li>"
                    for n in item.notes) or "<li>none</li>"
    return (f"<h3>{status} — {escape(item.children)}</h3><table cellspacing=3>{''.join(rows)}</table>"
            f"<h4>Reported</h4><p>{escape(item.reported)}</p><h4>Action taken</h4><p>{escape(item.action_taken or '—')}"
            f"</p><h4>Outstanding for the day service</h4><p>{escape(item.outstanding or '—')}</p>"
            f"<h4>Notes</h4><ul>{notes}</ul>")
