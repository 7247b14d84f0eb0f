"""Saving and printing a built document: one service call each, checked, written and audited.

A document is laid out outside any write transaction (by its capability's ``documents.py``).
Saving then checks the file a person chose, writes it, and records in the audit trail exactly
what happened, "saved to file F" or "printed on printer P", with the document's SHA-256; the
file is moved into place only in the transaction that records it, so a refused save leaves
neither a file nor an entry.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mashdesk.context import Actor, Service
from mashdesk.documents.output import file_target, fingerprint


@dataclass(frozen=True)
class DocumentOf:
    """Which record a document is of, as the audit trail names it."""

    #: The audit's entity kind ("strategy_discussion", "step_down", "contact", "handover").
    entity: str
    entity_id: int | None
    #: What the document is called in a sentence ("the strategy meeting pack").
    title: str
    #: The permission to save it and the one to print it (``mashdesk.permissions``).
    save_action: str
    print_action: str
    #: What else the audit event keeps about it (the items a handover sheet showed).
    detail: Mapping[str, Any] = field(default_factory=dict)


class DocumentDelivery(Service):
    """Where documents go: to a file or a printer, each audited with the document's fingerprint."""

    def save(self, actor: Actor, doc: DocumentOf, pdf: bytes, path: str | Path,
             suffixes: tuple[str, ...] = (".pdf",)) -> Path:
        """Write ``pdf`` (or another document's bytes) to ``path``: refused, naming the file, unless it ends in
        one of ``suffixes`` in a folder that exists. The audit entry is made once the bytes are on disk, and
        the file is removed again if that entry cannot be committed."""
        target = file_target(path, suffixes)
        part = target.with_name(f".{target.name}.{os.getpid()}.part")
        placed = False
        try:
            with self.write(actor, doc.save_action, doc.entity) as w:
                part.write_bytes(pdf)
                w.audit(doc.entity, doc.entity_id, f"saved {doc.title} to file {target.name}",
                        outcome="saved to file", path=str(target), bytes=len(pdf), sha256=fingerprint(pdf),
                        **doc.detail)
                os.replace(part, target)
                placed = True
        except BaseException:
            if placed:
                target.unlink(missing_ok=True)
            raise
        finally:
            part.unlink(missing_ok=True)
        return target

    def printed(self, actor: Actor, doc: DocumentOf, pdf: bytes, printer: str) -> None:
        """Record that ``pdf`` was printed on ``printer``."""
        with self.write(actor, doc.print_action, doc.entity) as w:
            w.audit(doc.entity, doc.entity_id, f"printed {doc.title} on printer {printer}",
                    outcome="printed", printer=printer, bytes=len(pdf), sha256=fingerprint(pdf), **doc.detail)
