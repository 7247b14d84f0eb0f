"""The director's daily list of missing children: a PDF marked OFFICIAL-SENSITIVE with "Page x of y"."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from mashdesk.clock import LONDON
from mashdesk.documents.base import STYLES, DocumentInfo, build_pdf, data_table, key_value_table, para, section
from mashdesk.missing.views import MissingList, MissingRow
from mashdesk.missing.workflow import MISSING_FROM, RISKS

WIDTHS = (25 * mm, 32 * mm, 25 * mm, 12 * mm, 44 * mm, 36 * mm)
HEADER = ("Ref / police", "Child", "Looked after / risk", "Hours", "Clocks", "Last update")


def _clocks(r: MissingRow) -> Paragraph:
    """Each clock on its line; a breached one in bold red, one due soon in bold."""
    lines = []
    for c in r.clocks:
        text = escape(c.label)
        if c.state == "breached":
            text = f'<font color="#b71c1c"><b>{text}</b></font>'
        elif c.state == "due_soon":
            text = f"<b>{text}</b>"
        lines.append(text)
    return Paragraph("<br/>".join(lines) or "—", STYLES["Cell"])


def _row(r: MissingRow) -> list[str | Paragraph]:
    child = r.child + (f" ({r.age})" if r.age is not None else "") + (" — ATLAS REVIEW" if r.atlas_review else "")
    seen = r.last_seen_at.astimezone(LONDON)
    status = f"{'Looked after' if r.looked_after else 'Not looked after'}\nRisk {RISKS[r.risk].lower()}\n" \
             f"From {MISSING_FROM[r.missing_from].lower()}"
    hours = f"{r.hours_missing}"
    update = r.last_update + (f"\n{r.last_update_at.astimezone(LONDON):%d %b %H:%M}" if r.last_update_at else "")
    return [f"{r.reference}\n{r.police_reference}", f"{child}\nLast seen {seen:%a %d %b %H:%M}", status,
            hours, _clocks(r), update]


def build_missing_list(lst: MissingList) -> bytes:
    """The list as a PDF: children missing now, then those returned without a return home interview."""
    as_at = lst.as_at.astimezone(LONDON)
    breached = sum(any(c.state == "breached" for c in r.clocks) for r in lst.rows)
    story = [para(f"Missing children: {lst.day:%a %d %b %Y}", "Title")]
    story += section("Summary", key_value_table([
        ("As at", f"{as_at:%a %d %b %Y %H:%M}"),
        ("Missing now", f"{len(lst.missing)} ({sum(r.looked_after for r in lst.missing)} looked after, "
                        f"{sum(r.risk == 'high' for r in lst.missing)} high risk)"),
        ("Returned, no return home interview yet", str(len(lst.returned))),
        ("With a clock breached", str(breached)),
    ]))
    for title, rows, empty in (
        ("Missing now", lst.missing, "No child is missing."),
        ("Returned in the last 72 hours without a return home interview", lst.returned,
         "Every child returned in the last 72 hours has had a return home interview."),
    ):
        story += section(title, data_table(HEADER, [_row(r) for r in rows], WIDTHS) if rows else para(empty))
    info = DocumentInfo(title=f"Missing children — {lst.day:%d %b %Y}", subject="Daily list of missing children",
                        prepared_for=lst.prepared_for, printed_at=lst.as_at)
    return build_pdf(story, info)
