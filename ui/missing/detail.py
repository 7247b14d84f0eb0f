"""One missing episode as the detail pane shows it (HTML for a QTextBrowser)."""

from __future__ import annotations

from datetime import datetime
from html import escape

from mashdesk.missing.views import MissingDetail
from mashdesk.missing.workflow import HARMED, MISSING_FROM, RHI_ANSWERS, RISKS, STATUSES, UPDATE_KINDS
from ui.formatting import local_time

CLOCK_COLOURS = {"breached": "#c62828", "due_soon": "#b26a00", "ok": "#2e7d32", "met": "#2e7d32",
                 "met_late": "#8e24aa", "stopped": "#455a64"}


def _when(value: datetime | None) -> str:
    return local_time(value) if value else "—"


def episode_html(d: MissingDetail) -> str:
    r = d.row

    def row(label: str, value: str | None) -> str:
        return f"<tr><th align=left valign=top>{escape(label)}</th><td>{escape(value or '—')}</td></tr>"

    clocks = "".join(f"<p style='color:{CLOCK_COLOURS.get(c.state or '', '#455a64')};font-weight:bold;margin:0'>"
                     f"{escape(c.label)}</p>" for c in r.clocks)
    age = f", {r.age}" if r.age is not None else ""
    parts = [
        f"<h2>{r.reference} — {escape(r.child)}{age} — {escape(STATUSES[r.status])}</h2>",
        "<p style='color:#c62828;font-weight:bold'>Repeat missing: Atlas review "
        f"({r.recent_episodes} episodes in 90 days)</p>" if r.atlas_review else "",
        clocks, "<table cellspacing=4>",
        row("Hours missing", str(r.hours_missing)),
        row("Looked after", "Yes" if r.looked_after else "No"),
        row("Risk", RISKS[r.risk]), row("Missing from", MISSING_FROM[r.missing_from]),
        row("Last seen", _when(r.last_seen_at)), row("Reported", _when(r.reported_at)),
        row("Police reference", r.police_reference),
        row("Circumstances", d.circumstances), row("Associates / locations", d.associates),
    ]
    if r.returned_at:
        parts += [row("Returned", f"{_when(r.returned_at)} at {d.returned_where} (by {d.returned_by})"),
                  row("Harmed", HARMED.get(d.harmed or "", "—") + (f": {d.harm_notes}" if d.harm_notes else ""))]
    if d.escalated_at:
        parts.append(row("Escalated", f"{_when(d.escalated_at)} to {d.escalated_to}"))
    if d.rhi_offered_at:
        answer = RHI_ANSWERS.get(d.rhi_response or "", "no answer yet")
        parts.append(row("Return home interview", f"offered {_when(d.rhi_offered_at)}; {answer.lower()}"))
    if d.rhi_done_at:
        parts.append(row("Interview done", f"{_when(d.rhi_done_at)} by {d.rhi_done_by}: {d.rhi_findings}"))
    links = []
    if d.contact_id:
        links.append(f"<a href='contact:{d.contact_id}'>{d.contact_reference}</a> (contact)")
    if d.strategy_reference:
        links.append(f"{d.strategy_reference} (strategy discussion, in the Strategy view)")
    parts.append("</table>" + (f"<p>Linked: {' · '.join(links)}</p>" if links else "") + "<h3>Updates</h3><ul>")
    for u in d.updates:
        text = "(police detail withheld)" if u.withheld else u.text
        happened = f" (at {_when(u.happened_at)})" if u.happened_at and u.happened_at != u.at else ""
        parts.append(f"<li><b>{escape(UPDATE_KINDS.get(u.kind, u.kind))}</b> {_when(u.at)}{happened}, "
                     f"{escape(u.by)}: {escape(text)}</li>")
    parts.append("</ul>")
    return "".join(parts)
