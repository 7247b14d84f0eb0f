"""One step-down as the detail pane shows it (HTML for a QTextBrowser)."""

from __future__ import annotations

from datetime import datetime
from html import escape

from mashdesk.stepdown.views import StepDownDetail, milestones
from mashdesk.stepdown.workflow import CONSENT_ANSWERS, STATUSES
from ui.formatting import local_date, local_time

CLOCK_COLOURS = {"breached": "#c62828", "due_soon": "#b26a00"}

def _when(value: datetime | None) -> str:
    return local_time(value) if value else "—"


def step_down_html(d: StepDownDetail) -> str:
    """One step-down as the detail pane shows it: family, consent, clocks, decision, checks, history."""

    def row(label: str, value: str | None) -> str:
        return f"<tr><th align=left valign=top>{escape(label)}</th><td>{escape(value or '—')}</td></tr>"

    colour = CLOCK_COLOURS.get(d.clock.state or "", "#2e7d32" if d.clock.state == "ok" else "#455a64")
    clock = f"<p style='color:{colour};font-weight:bold'>{escape(d.clock.label)}</p>" if d.clock.label else ""
    parts = [
        f"<h2>{d.reference} — {escape(STATUSES.get(d.status, d.status))}</h2>",
        clock,
        "<table cellspacing=4>",
        row("Receiving team", d.centre),
        row("From contact", f"{d.contact_reference}, received {_when(d.contact_received_at)}"),
        row("Consent to step-down", CONSENT_ANSWERS.get(d.consent_step_down, d.consent_step_down)),
        row("Consent to sharing", CONSENT_ANSWERS.get(d.consent_info_sharing, d.consent_info_sharing)),
    ]
    parts += [row(label, value) for label, value in milestones(d, _when)]
    links = [f"<a href='contact:{d.contact_id}'>{d.contact_reference}</a> (the contact it came from)"]
    if d.stepped_up_contact_id:
        links.append(f"<a href='contact:{d.stepped_up_contact_id}'>{d.stepped_up_reference}</a> (the step-up)")
    parts.append(f"</table><p>Open: {' · '.join(links)}</p><h3>Family</h3><ul>")
    for m in d.family:
        role = m.role.replace("_", " ") + (f", {m.relationship}" if m.relationship else "")
        born = f", born {local_date(m.date_of_birth)}" if m.date_of_birth else ""
        parts.append(f"<li>{escape(m.name)} ({escape(role)}{born})</li>")
    parts += [
        "</ul><h3>What the family needs help with</h3>",
        f"<p>{escape(d.needs or 'Not recorded yet.')}</p>",
        "<h3>MASH decision</h3>",
        f"<p>{escape(d.decision_summary)}</p>",
        "<h3>Concern, in the referrer's words</h3>",
        f"<p>{escape(d.concern)}</p>",
        "<h3>Agency checks</h3>",
    ]
    for c in d.checks:
        answer = (
            f"<i>An answer restricted to {escape(c.agency)} exists; it is withheld from you.</i>"
            if c.withheld
            else escape(c.answer or "—")
        )
        parts.append(f"<p><b>{escape(c.agency)}</b><br>{answer}</p>")
    if not d.checks:
        parts.append("<p>No agency answers.</p>")
    parts.append("<h3>History</h3><table cellspacing=3>")
    for e in d.events:
        parts.append(
            f"<tr><td>{escape(_when(e.at))}</td><td>{escape(e.by)}</td>"
            f"<td><b>{escape(e.kind.replace('_', ' '))}</b> {escape(e.note)}</td></tr>"
        )
    parts.append("</table>")
    return "".join(parts)
