"""Saving and printing a built document: one service call each, checked, written and audited.

A document is laid out outside any write transaction (by its capability's ``documents.py``).
Saving checks the permission and the file a person chose, then writes the file (a hidden
``.part`` beside it, flushed to disk, then renamed into place), and only then records in the
audit trail "saved to file F" with the document's SHA-256: the trail never says a document was
saved that is not on disk. A write that fails (a folder the desk may not write in, a full disk)
leaves no file and records the failure instead, "could not save to file F" with the reason, and
the person is told in one sentence. Printing records "printed on printer P" the same way.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mashdesk import permissions, validators
from mashdesk.context import Actor, Service
from mashdesk.documents.output import file_target, fingerprint
from mashdesk.errors import InputError, MashDeskError


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


#: Write failures caused by the file chosen (another file or folder is the answer): bad input,
#: naming the file. Any other (a full disk, a failing device) is a failure of the desk's machine.
_CHOSEN_BADLY = frozenset({errno.EACCES, errno.EPERM, errno.ENOENT, errno.EISDIR, errno.ENOTDIR,
                           errno.ENAMETOOLONG, errno.EROFS, errno.EINVAL, errno.EEXIST})


class DocumentDelivery(Service):
    """Where documents go: to a file or a printer, each audited with the document's fingerprint."""

    def save(self, actor: Actor, doc: DocumentOf, pdf: bytes, path: str | Path,
             suffixes: tuple[str, ...] = (".pdf",)) -> Path:
        """Write ``pdf`` (or another document's bytes) to ``path``: refused, naming the file, unless it ends in
        one of ``suffixes`` in a folder that exists."""
        return self.save_file(actor, doc, pdf, file_target(path, suffixes))

    def save_file(self, actor: Actor, doc: DocumentOf, data: bytes, target: Path) -> Path:
        """Write ``data`` to ``target`` (already checked), then record it saved; or record why it was not."""
        permissions.require(actor.role, doc.save_action, actor.username)
        try:
            if not target.name:
                raise ValueError("give a file name")
            validators.plain_text(str(target))
        except ValueError as exc:
            raise InputError(f"file: {validators.shown(str(target))}: {exc}", "out") from None
        digest = fingerprint(data)
        try:
            write_file(target, data)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            with self.write(actor, doc.save_action, doc.entity) as w:
                w.audit(doc.entity, doc.entity_id,
                        f"could not save {doc.title} to file {target.name}: {reason}", outcome="save failed",
                        path=str(target), bytes=len(data), sha256=digest,
                        error=errno.errorcode.get(exc.errno or 0, reason), **doc.detail)
            where = f"{validators.cut(target.name)} in {validators.cut(str(target.parent))}"
            message = f"file: could not write {where}: {reason}; {doc.title} was not saved"
            if exc.errno in _CHOSEN_BADLY:
                raise InputError(message, "out") from None
            raise MashDeskError(message) from None
        try:
            with self.write(actor, doc.save_action, doc.entity) as w:
                w.audit(doc.entity, doc.entity_id, f"saved {doc.title} to file {target.name}",
                        outcome="saved to file", path=str(target), bytes=len(data), sha256=digest,
                        **doc.detail)
        except BaseException:
            target.unlink(missing_ok=True)  # a saved document is always in the trail: none it does not list
            raise
        return target

    def printed(self, actor: Actor, doc: DocumentOf, pdf: bytes, printer: str) -> None:
        """Record that ``pdf`` was printed on ``printer``."""
        with self.write(actor, doc.print_action, doc.entity) as w:
            w.audit(doc.entity, doc.entity_id, f"printed {doc.title} on printer {printer}",
                    outcome="printed", printer=printer, bytes=len(pdf), sha256=fingerprint(pdf), **doc.detail)


def write_file(target: Path, data: bytes) -> None:
    """``data`` on disk at ``target``, whole or not at all: written beside it, flushed, renamed into place."""
    part = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        with open(part, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)
