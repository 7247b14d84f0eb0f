"""Every printed page carries the marking and its page number."""

from __future__ import annotations

import io

from pypdf import PdfReader
from reportlab.platypus import PageBreak

from mashdesk.documents.base import MARKING, DocumentInfo, build_pdf, data_table, para, section


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_marking_and_page_x_of_y_on_every_page():
    rows = [[str(i), f"Row {i} of a long table"] for i in range(150)]
    story = [*section("A long table", data_table(["#", "What"], rows)), PageBreak(), para("The end.")]
    pages = _pages(build_pdf(story, DocumentInfo(title="Test document", prepared_for="A Reader (police)")))
    assert len(pages) >= 4
    for number, text in enumerate(pages, start=1):
        assert text.count(MARKING) == 2, f"page {number} lacks the marking top and bottom"
        assert f"Page {number} of {len(pages)}" in text
        assert "Prepared for A Reader (police)" in text


def test_long_table_repeats_its_header_on_each_page():
    rows = [[str(i), "x"] for i in range(150)]
    pages = _pages(build_pdf(section("T", data_table(["Number", "Value"], rows)), DocumentInfo(title="T")))
    assert all("Number" in text and "Value" in text for text in pages)
