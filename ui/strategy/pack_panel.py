"""The strategy meeting pack beside the record: its preview, and printing and saving it.

The service builds the pack on a worker thread, or hands back the one it built while nothing the pack
shows has changed; the panel shows it through ``ui.printing.pdf_document`` and prints and saves it through
``ui.printing`` and ``DocumentDelivery`` (each audited with the pack's SHA-256).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal
from PySide6.QtPdf import QPdfDocument, QPdfPageRenderer
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from mashdesk.context import Actor
from mashdesk.documents.delivery import DocumentDelivery
from mashdesk.strategy.service import StrategyService, pack_of
from ui.printing import pdf_document, print_document, save_document


class _Signals(QObject):
    #: generation, discussion id, PDF bytes or None, error message or None
    built = Signal(int, int, object, object)


def _build_job(
    build: Callable[[], bytes], generation: int, discussion_id: int, signals: _Signals
) -> Callable[[], None]:
    """One pack build for the thread pool; it only emits, it never touches a widget."""

    def run() -> None:
        try:
            signals.built.emit(generation, discussion_id, build(), None)
        except Exception as exc:  # shown beside the preview
            signals.built.emit(generation, discussion_id, None, str(exc))

    return run


class PackPanel(QWidget):
    """Emits ``ready(id)`` once a discussion's pack is rendered in the preview, ``settled`` once a build
    has ended either way."""

    ready = Signal(int)
    settled = Signal()

    def __init__(self, service: StrategyService, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service, self.actor = service, actor
        self.delivery = DocumentDelivery(service.ctx)
        self.pdf: bytes | None = None
        self.discussion_id: int | None = None
        self.reference = ""
        self._generation = 0
        self._rendered_for = 0
        #: The build whose pack is on the preview, and the one last announced as painted.
        self._arrived = 0
        self._painted = 0
        # Owned by the panel, so they never fire after it is gone.
        self._painter = QTimer(self, singleShot=True, interval=0)
        self._painter.timeout.connect(self._preview_painted)
        self._fallback = QTimer(self, singleShot=True, interval=1500)
        self._fallback.timeout.connect(lambda: self._page_rendered(0))
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.built.connect(self._built)

        self.preview = QPdfView()
        self.preview.setObjectName("packPreview")
        self.preview.setAccessibleName("Strategy meeting pack preview")
        self.preview.setPageMode(QPdfView.PageMode.MultiPage)
        self.preview.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.document: QPdfDocument = QPdfDocument(self)
        self.preview.setDocument(self.document)
        renderer = self.preview.findChild(QPdfPageRenderer)
        if renderer is not None:
            renderer.pageRendered.connect(self._page_rendered)
        self.status = QLabel("No pack yet.")
        self.status.setObjectName("packStatus")
        self.status.setWordWrap(True)
        self.build_button = QPushButton("Re&build (Ctrl+B)")
        self.print_button = QPushButton("&Print… (Ctrl+P)")
        self.save_button = QPushButton("Sa&ve… (Ctrl+S)")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        for b in (self.build_button, self.print_button, self.save_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.preview, 1)
        self._set_buttons(False)
        self.build_button.clicked.connect(self.rebuild)
        self.print_button.clicked.connect(self.print_pack)
        self.save_button.clicked.connect(self.save_pack)

    def focus_chain(self) -> list[QWidget]:
        return [self.build_button, self.print_button, self.save_button, self.preview]

    # -- building -------------------------------------------------------------------------------------
    def show_pack(self, discussion_id: int, reference: str, *, fresh: bool = False) -> None:
        """The discussion's pack for the signed-in reader, from a worker thread: built only when what it
        shows has changed (or, with ``fresh``, on request)."""
        self._generation += 1
        self.discussion_id, self.reference = discussion_id, reference
        self.status.setText("Building the pack…")
        self._set_buttons(False)
        self.pool.start(
            _build_job(
                lambda: self.service.build_pack(self.actor, discussion_id, fresh=fresh),
                self._generation,
                discussion_id,
                self._signals,
            )
        )

    def rebuild(self) -> None:
        """Build the pack on screen again (Ctrl+B)."""
        if self.discussion_id is not None:
            self.show_pack(self.discussion_id, self.reference, fresh=True)

    def _built(self, generation: int, discussion_id: int, pdf: bytes | None, error: str | None) -> None:
        if generation != self._generation:
            return  # a newer build is on its way
        if pdf is None:
            self.status.setText(f"The pack could not be built: {error}")
            self.settled.emit()
            return
        same = pdf == self.pdf and discussion_id == self._rendered_for
        self.pdf, self._rendered_for, self._arrived = pdf, discussion_id, generation
        if not same:
            old, self.document = self.document, pdf_document(pdf, self)
            self.preview.setDocument(self.document)
            old.close()
            old.deleteLater()
        pages = self.document.pageCount()
        self.status.setText(
            f"Pack {self.reference}: {pages} page{'s' if pages != 1 else ''}, prepared for "
            f"{self.actor.display_name}. OFFICIAL-SENSITIVE."
        )
        self._set_buttons(True)
        if same or self.preview.findChild(QPdfPageRenderer) is None or not self.preview.isVisible():
            self._page_rendered(0)  # nothing new to render
        else:  # should the view have the page cached already, it renders nothing new: do not wait for it
            self._fallback.start()

    def _page_rendered(self, page: int, *_: object) -> None:
        if page != 0 or self.pdf is None or self._arrived != self._generation:
            return  # a page of the pack before, repainted while the new one is on its way
        # The page is in the view's cache; let the view paint it before saying the preview is ready.
        self._fallback.stop()
        self._painter.start()

    def _preview_painted(self) -> None:
        if self._painted == self._generation:
            return
        self._painted = self._generation
        self.preview.viewport().update()
        self.ready.emit(self._rendered_for)
        self.settled.emit()

    def _set_buttons(self, enabled: bool) -> None:
        self.print_button.setEnabled(enabled and self.actor.may("pack.print"))
        self.save_button.setEnabled(enabled and self.actor.may("pack.save"))

    # -- printing and saving --------------------------------------------------------------------------
    def print_pack(self) -> None:
        """Print the pack on the preview (recorded with the printer and the pack's SHA-256)."""
        if self.pdf is None or self.discussion_id is None or not self.print_button.isEnabled():
            return
        doc = pack_of(self.discussion_id)
        printer = print_document(self, lambda: self.pdf,
                                 lambda pdf, name: self.delivery.printed(self.actor, doc, pdf, name))
        if printer is not None:
            self.status.setText(f"Printed {self.reference} on {printer}.")

    def save_pack(self) -> None:
        """Save the pack on the preview as a PDF file (recorded with the file and the pack's SHA-256)."""
        if self.pdf is None or self.discussion_id is None or not self.save_button.isEnabled():
            return
        doc = pack_of(self.discussion_id)
        saved = save_document(self, "Save the strategy meeting pack", f"{self.reference}-pack.pdf",
                              lambda: self.pdf, lambda pdf, path: self.delivery.save(self.actor, doc, pdf, path))
        if saved is not None:
            self.status.setText(f"Saved {saved.name}.")

    def stop(self) -> None:
        """Forget any build on its way and wait for the worker (before the panel goes)."""
        self._generation += 1
        self.pool.waitForDone()
