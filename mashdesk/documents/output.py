"""Where a printed document goes: checks on the file a user chose, and the fingerprint the audit keeps."""

from __future__ import annotations

import hashlib
from pathlib import Path

from mashdesk import validators
from mashdesk.errors import InputError


def pdf_target(path: str | Path) -> Path:
    """The file a PDF is to be saved as; refused (naming the field) unless it ends in .pdf in a folder that exists."""
    return file_target(path, (".pdf",))


def file_target(path: str | Path, suffixes: tuple[str, ...]) -> Path:
    """The file a document is to be saved as; refused (naming the field) unless it ends in one of ``suffixes``
    in a folder that exists."""
    target = Path(path)
    if target.suffix.lower() not in suffixes:
        raise InputError(f"file: {validators.cut(target.name)} must end in {' or '.join(suffixes)}", "out")
    if not target.parent.is_dir():
        raise InputError(f"file: the folder {validators.cut(str(target.parent))} does not exist", "out")
    return target


def fingerprint(pdf: bytes) -> str:
    """The SHA-256 of a document as saved or printed, so the audit trail names exactly which one."""
    return hashlib.sha256(pdf).hexdigest()
