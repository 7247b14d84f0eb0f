"""The Annex A workbook as Ofsted's template lays it out: a sheet per list, the headings in the first row.

Written in openpyxl's write-only mode, row by row, so a year's return of hundreds of thousands of rows
is written quickly and without holding every cell in memory.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from mashdesk.documents.base import MARKING
from mashdesk.returns.annex_a_codes import HEADINGS, TITLES, AnnexA

DATE_FORMAT = "dd/mm/yyyy"


def _cell(sheet: Worksheet, value: Any) -> Any:
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = DATE_FORMAT
        return cell
    return value


def annex_a_workbook(annex: AnnexA) -> bytes:
    book = Workbook(write_only=True)
    book.properties.title = f"Annex A {annex.first:%d/%m/%Y} - {annex.last:%d/%m/%Y}"
    book.properties.subject = MARKING
    for name, headings in HEADINGS.items():
        sheet = book.create_sheet(name)
        for column, heading in enumerate(headings, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = max(14, len(heading) + 2)
        sheet.freeze_panes = "A2"
        sheet.oddHeader.center.text = f"{MARKING} — {TITLES[name]}"
        sheet.oddFooter.center.text = MARKING
        bold = []
        for heading in headings:
            cell = WriteOnlyCell(sheet, heading)
            cell.font = Font(bold=True)
            bold.append(cell)
        sheet.append(bold)
        for row in annex.lists[name]:
            sheet.append([_cell(sheet, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
