"""The chosen agenda item, the meeting's attendance and addenda, as HTML for the detail pane."""

from __future__ import annotations

from html import escape

from mashdesk.clock import LONDON
from mashdesk.meeting.views import ActionRow, AgendaRow, MeetingDetail

#: Agency codes as the agenda's "brings" column says them.
BRINGS = {"mash": "MASH", "police": "Police", "health": "Health", "education": "Education", "atlas": "Atlas",
          "edt": "EDT", "early_help": "Early Help"}


def brings(code: str) -> str:
    return BRINGS.get(code, code.replace("_", " ").capitalize())


def _action(a: ActionRow) -> str:
    due = a.due.strftime("%a %d %b") if a.due else "no date"
    state = ("<b style='color:#b00020'>overdue</b>" if a.overdue else a.status) if a.status == "open" else \
        f"done: {escape(a.done_note or '')}"
    extra = " <i>(addendum)</i>" if a.addendum else ""
    return f"<li>{a.reference}{extra}: {escape(a.text)} — <b>{escape(a.owner)}</b>, due {due}, {state}</li>"


def item_html(d: MeetingDetail, it: AgendaRow | None) -> str:
    parts = [f"<h3>{escape(d.status_label)}</h3>"]
    if it is not None:
        ref = f"<a href='contact:{it.record_id}'>{it.reference}</a>" if it.kind == "contact" and it.record_id \
            else escape(it.reference)
        parts.append(f"<h2>{ref} {escape(it.title)}</h2>")
        parts.append(f"<p><b>{escape(it.section_title)}</b> — brought by {brings(it.brought_by)}</p>")
        parts.append(f"<p>{escape(it.reason)}</p>")
        if it.atlas:
            parts.append("<p style='color:#6a1b9a'><b>" + "<br/>".join(escape(x) for x in it.atlas) + "</b></p>")
        if it.decision_label or it.note:
            parts.append(f"<p><b>Decision:</b> {escape(it.decision_label or 'none yet')}"
                         + (f" ({escape(it.decided_by)})" if it.decided_by else "")
                         + f"<br/><b>Note:</b> {escape(it.note or '—')}</p>")
        if it.actions:
            parts.append("<p><b>Actions</b></p><ul>" + "".join(_action(a) for a in it.actions) + "</ul>")
    present = [f"{escape(name)}: {escape(names)}" for _, name, names in d.attendance if names]
    if d.meeting_id is not None:
        parts.append("<p><b>Attendance</b><br/>" + ("<br/>".join(present) or "not yet taken") + "</p>")
    if d.addenda:
        parts.append("<p><b>Addenda</b></p><ul>" + "".join(
            f"<li>{x.at.astimezone(LONDON).strftime('%d %b %H:%M')} {escape(x.by)}"
            f"{' on ' + x.item_reference if x.item_reference else ''}: {escape(x.text)}</li>" for x in d.addenda)
            + "</ul>")
    return "".join(parts)
