"""The Annex A workbook as Ofsted's template lays it out: a sheet per list, the headings in the first row."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from mashdesk.documents.base import MARKING
from mashdesk.returns.annex_a_codes import HEADINGS, TITLES, AnnexA

DATE_FORMAT = "dd/mm/yyyy"


def annex_a_workbook(annex: AnnexA) -> bytes:
    book = Workbook()
    book.remove(book.active)
    book.properties.title = f"Annex A {annex.first:%d/%m/%Y} - {annex.last:%d/%m/%Y}"
    book.properties.subject = MARKING
    for name, headings in HEADINGS.items():
        sheet = book.create_sheet(name)
        sheet.append(list(headings))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in annex.lists[name]:
            sheet.append(list(row))
        for column, heading in enumerate(headings, start=1):
            letter = get_column_letter(column)
            sheet.column_dimensions[letter].width = max(14, len(heading) + 2)
            if "Date" in heading or "date" in heading:
                for cell in sheet[letter][1:]:
                    cell.number_format = DATE_FORMAT
        sheet.freeze_panes = "A2"
        sheet.oddHeader.center.text = f"{MARKING} — {TITLES[name]}"
        sheet.oddFooter.center.text = MARKING
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
