"""The document template every printed page of the desk uses.

``build_pdf`` lays out a platypus story on A4 with OFFICIAL-SENSITIVE at the top and
bottom of every page, "Page x of y" in the footer, the document's title in the
header and, for documents prepared for one reader (redacted packs), who it was
prepared for.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Table, TableStyle
from reportlab.platypus.flowables import KeepTogether

MARKING = "OFFICIAL-SENSITIVE"
from mashdesk.clock import LONDON
MARGIN = 18 * mm


@dataclass(frozen=True)
class DocumentInfo:
    title: str
    subject: str = ""
    author: str = "MASH Desk"
    #: "Prepared for …" line in the footer, for documents redacted for one reader.
    prepared_for: str | None = None
    printed_at: datetime | None = None


def styles() -> StyleSheet1:
    sheet = getSampleStyleSheet()
    sheet.add(ParagraphStyle("Small", parent=sheet["BodyText"], fontSize=8, leading=10))
    sheet.add(ParagraphStyle("Cell", parent=sheet["BodyText"], fontSize=9, leading=11))
    sheet.add(ParagraphStyle("CellBold", parent=sheet["BodyText"], fontSize=9, leading=11,
                             fontName="Helvetica-Bold"))
    sheet.add(ParagraphStyle("Withheld", parent=sheet["BodyText"], fontSize=9, leading=11,
                             textColor=colors.HexColor("#8a1c1c"), fontName="Helvetica-Oblique"))
    sheet.add(ParagraphStyle("Marking", parent=sheet["BodyText"], alignment=TA_CENTER,
                             fontName="Helvetica-Bold", fontSize=10))
    return sheet


STYLES = styles()


def para(text: str, style: str = "Cell") -> Paragraph:
    """A paragraph of plain text (escaped), line breaks kept."""
    from xml.sax.saxutils import escape

    return Paragraph(escape(text or "—").replace("\n", "<br/>"), STYLES[style])


def key_value_table(rows: Sequence[tuple[str, str]], widths: tuple[float, float] = (45 * mm, 129 * mm)) -> Table:
    table = Table([[para(k, "CellBold"), para(v)] for k, v in rows], colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def data_table(header: Sequence[str], rows: Sequence[Sequence[str | Flowable]],
               widths: Sequence[float] | None = None) -> Table:
    """A table whose header row repeats on every page it runs onto."""
    body = [[para(h, "CellBold") for h in header]]
    body += [[c if isinstance(c, Flowable) else para(str(c)) for c in row] for row in rows]
    table = Table(body, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf3")),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0b7c0")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def section(title: str, *flowables: Flowable) -> list[Flowable]:
    """A heading kept on the same page as what follows it."""
    heading = Paragraph(title, STYLES["Heading2"])
    if not flowables:
        return [heading]
    return [KeepTogether([heading, flowables[0]]), *flowables[1:]]


class _NumberedCanvas(Canvas):
    """Holds pages back until the end so every footer can say "Page x of y"."""

    def __init__(self, *args: Any, info: DocumentInfo, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._info = info
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._decorate(number, total)
            super().showPage()
        super().save()

    def _decorate(self, number: int, total: int) -> None:
        width, height = A4
        info = self._info
        self.saveState()
        self.setFont("Helvetica-Bold", 10)
        self.setFillColor(colors.HexColor("#8a1c1c"))
        self.drawCentredString(width / 2, height - 10 * mm, MARKING)
        self.drawCentredString(width / 2, 8 * mm, MARKING)
        self.setFillColor(colors.black)
        self.setFont("Helvetica", 8)
        self.drawString(MARGIN, height - 14.5 * mm, info.title)
        if info.printed_at is not None:  # the time the service's clock gave; none given, none shown
            printed = info.printed_at.astimezone(LONDON)
            self.drawRightString(width - MARGIN, height - 14.5 * mm, f"Printed {printed:%d %b %Y %H:%M}")
        footer = f"Page {number} of {total}"
        self.drawRightString(width - MARGIN, 13 * mm, footer)
        if info.prepared_for:
            self.drawString(MARGIN, 13 * mm, f"Prepared for {info.prepared_for}: do not pass on")
        self.restoreState()


def build_pdf(story: list[Flowable], info: DocumentInfo) -> bytes:
    """Lay out ``story`` with the desk's page furniture; returns the PDF's bytes."""
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=22 * mm,
                          bottomMargin=20 * mm, title=info.title, author=info.author, subject=info.subject)
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="marked", frames=[frame])])
    doc.build(story, canvasmaker=lambda *a, **k: _NumberedCanvas(*a, info=info, **k))
    return buffer.getvalue()
