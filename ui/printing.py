"""Preview, print and save a document: the one way the window does each.

The document itself is built by a service (outside any write transaction); saving and printing are
recorded by the service too (``mashdesk.documents.delivery``). This module only asks the person
where it should go, shows it, and renders its pages for the printer with QtPdf.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from mashdesk.errors import MashDeskError


def pdf_document(pdf: bytes, parent: QWidget | None = None) -> QPdfDocument:
    """``pdf`` loaded for showing or printing (kept in memory: nothing is written to disk)."""
    data = QByteArray(pdf)
    buffer = QBuffer(parent)
    buffer.setData(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(parent)
    document.load(buffer)
    document.setProperty("_buffer", buffer)  # the buffer lives as long as the document
    buffer.setParent(document)
    return document


def print_pages(pdf: bytes, printer: QPrinter) -> int:
    """Print every page of ``pdf`` on ``printer``; returns the number of pages printed."""
    document = pdf_document(pdf)
    try:
        painter = QPainter()
        if not painter.begin(printer):
            raise MashDeskError("The printer could not be started")
        try:
            area = printer.pageRect(QPrinter.Unit.DevicePixel).size()
            for page in range(document.pageCount()):
                if page:
                    printer.newPage()
                size = document.pagePointSize(page).scaled(area, Qt.AspectRatioMode.KeepAspectRatio).toSize()
                painter.drawImage(0, 0, document.render(page, QSize(size.width(), size.height())))
        finally:
            painter.end()
        return document.pageCount()
    finally:
        document.close()
        document.deleteLater()


def printer_name(printer: QPrinter) -> str:
    return printer.printerName() or printer.outputFileName() or "the default printer"


def save_document(parent: QWidget, caption: str, suggested_name: str, build: Callable[[], bytes | None],
                  save: Callable[[bytes, str], Path]) -> Path | None:
    """Ask where to save, build, then save through the service (which checks, writes and audits)."""
    path, _ = QFileDialog.getSaveFileName(parent, caption, suggested_name, "PDF (*.pdf)")
    if not path:
        return None
    pdf = build()
    if pdf is None:
        return None
    try:
        return save(pdf, path)
    except MashDeskError as exc:
        QMessageBox.warning(parent, "Cannot save", str(exc))
        return None


def print_document(parent: QWidget, build: Callable[[], bytes | None],
                   printed: Callable[[bytes, str], None]) -> str | None:
    """Ask for a printer, build, print every page, then record the printing through the service.

    Returns the printer's name, or ``None`` when nothing was printed.
    """
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if QPrintDialog(printer, parent).exec() != QPrintDialog.DialogCode.Accepted:
        return None
    pdf = build()
    if pdf is None:
        return None
    try:
        print_pages(pdf, printer)
    except MashDeskError as exc:
        QMessageBox.warning(parent, "Cannot print", str(exc))
        return None
    name = printer_name(printer)
    try:
        printed(pdf, name)
    except MashDeskError as exc:
        QMessageBox.warning(parent, "Printed, but not recorded", str(exc))
    return name
