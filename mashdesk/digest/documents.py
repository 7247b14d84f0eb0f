"""The digest on paper (a PDF marked OFFICIAL-SENSITIVE on every page) and as a workbook."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib.units import mm

from mashdesk.clock import LONDON
from mashdesk.digest.views import Count, Digest
from mashdesk.digest.workflow import SECTIONS
from mashdesk.documents.base import MARKING, DocumentInfo, build_pdf, data_table, key_value_table, para, section

WIDTHS = (78 * mm, 34 * mm, 34 * mm, 28 * mm)
REASON_WIDTHS = (40 * mm, 118 * mm, 16 * mm)


def digest_pdf(digest: Digest) -> bytes:
    """Each section's figures, this period beside the one before, then the commonest override reasons."""
    now, then = digest.period.label(), digest.previous.label()
    story = [para("Performance digest", "Title")]
    story += section("Periods", key_value_table([
        ("This period", now), ("Compared with", then),
        ("As at", f"{digest.as_at.astimezone(LONDON):%d %b %Y %H:%M}"),
    ]))
    for key, title in SECTIONS.items():
        lines = digest.section(key)
        if not lines:
            continue
        rows = [[line.label, line.current.text(), line.previous.text(), line.change] for line in lines]
        story += section(title, data_table(("Figure", "This period", "Period before", "Change"), rows, WIDTHS))
    reasons = [[r.ruleset, r.reason, str(r.times)] for r in digest.reasons]
    story += section("Commonest reasons for overriding the threshold suggestion",
                     data_table(("Ruleset", "Reason", "Times"), reasons, REASON_WIDTHS) if reasons
                     else para("No decision in the period went otherwise than the ruleset suggested."))
    info = DocumentInfo(title=f"Performance digest — {now}", subject="Performance digest",
                        prepared_for=digest.prepared_for, printed_at=digest.as_at)
    return build_pdf(story, info)


def _cells(count: Count) -> list[int | float | None]:
    return [count.value, count.of, count.share]


def digest_workbook(digest: Digest) -> bytes:
    """One row a figure (value, what it is a share of, the percentage) for both periods; the override reasons."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Digest"
    sheet.append([MARKING])
    sheet.append([f"Performance digest {digest.period.label()}, compared with {digest.previous.label()}"])
    header = ["Section", "Figure", "Key", "This period", "Of", "%", "Period before", "Of", "%"]
    sheet.append(header)
    for line in digest.lines:
        sheet.append([line.section_title, line.label, line.key, *_cells(line.current), *_cells(line.previous)])
    reasons = book.create_sheet("Override reasons")
    reasons.append([MARKING])
    reasons.append(["Ruleset", "Reason", "Times"])
    for r in digest.reasons:
        reasons.append([r.ruleset, r.reason, r.times])
    for ws, row in ((sheet, 3), (reasons, 2)):
        for cell in ws[row]:
            cell.font = Font(bold=True)
        ws["A1"].font = Font(bold=True, color="8A1C1C")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
