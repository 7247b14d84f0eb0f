"""A saved document is in the audit trail only once it is on disk; a failed write is recorded as failed."""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

import mashdesk.documents.delivery as delivery
from db.models import AuditEvent
from mashdesk.context import WriteScope
from mashdesk.documents.delivery import DocumentDelivery, DocumentOf
from mashdesk.errors import InputError, MashDeskError, PermissionDenied

PDF = b"%PDF-1.4\n% a handover sheet\n%%EOF\n"
SHEET = DocumentOf("handover", None, "the EDT handover sheet for 20 Nov 2026", save_action="handover.save",
                   print_action="handover.print", detail={"day": "2026-11-20"})


def _events(ctx) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    with ctx.session_factory() as s:
        query = select(AuditEvent).where(AuditEvent.entity == "handover").order_by(AuditEvent.id)
        return list(s.scalars(query))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty folder to save in (the SQLite database lives in ``tmp_path``)."""
    out = tmp_path / "documents"
    out.mkdir()
    return out


@pytest.fixture
def unwritable(tmp_path: Path) -> Iterator[Path]:
    """A folder the desk may not write in (a read-only folder; /proc where the tests run as root)."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    yield folder if not os.access(folder, os.W_OK) else Path("/proc")
    folder.chmod(0o755)


def test_the_save_is_recorded_after_the_file_is_on_disk(ctx, actors, folder, monkeypatch):  # type: ignore[no-untyped-def]
    target = folder / "handover.pdf"
    on_disk_when_recorded = []
    record = WriteScope.audit

    def audit(scope, entity, entity_id, summary="", **detail):  # type: ignore[no-untyped-def]
        on_disk_when_recorded.append(target.exists() and target.read_bytes() == PDF)
        record(scope, entity, entity_id, summary, **detail)

    monkeypatch.setattr(WriteScope, "audit", audit)
    assert DocumentDelivery(ctx).save(actors["manager"], SHEET, PDF, target) == target
    assert on_disk_when_recorded == [True]
    assert target.read_bytes() == PDF
    assert [p.name for p in folder.iterdir()] == ["handover.pdf"]  # no .part left behind
    (event,) = _events(ctx)
    assert event.summary == "saved the EDT handover sheet for 20 Nov 2026 to file handover.pdf"
    assert event.detail["outcome"] == "saved to file"
    assert event.detail["path"] == str(target)
    assert event.detail["sha256"] == hashlib.sha256(target.read_bytes()).hexdigest()


def test_a_folder_that_cannot_be_written_records_the_failure_not_a_save(ctx, actors, unwritable):  # type: ignore[no-untyped-def]
    target = unwritable / "handover.pdf"
    with pytest.raises(InputError) as refused:
        DocumentDelivery(ctx).save(actors["manager"], SHEET, PDF, target)
    message = str(refused.value)
    assert message.startswith("file: could not write handover.pdf in ")
    assert message.endswith("the EDT handover sheet for 20 Nov 2026 was not saved")
    assert refused.value.field == "out"
    assert not target.exists()
    (event,) = _events(ctx)
    assert event.detail["outcome"] == "save failed"
    assert event.summary.startswith(f"could not save {SHEET.title} to file handover.pdf")
    assert event.detail["path"] == str(target) and event.detail["error"] in ("EACCES", "ENOENT", "EPERM")
    assert event.detail["sha256"] == hashlib.sha256(PDF).hexdigest()


def test_a_full_disk_records_the_failure_leaves_no_file_and_says_so(ctx, actors, folder, monkeypatch):  # type: ignore[no-untyped-def]
    def disk_full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(delivery.os, "fsync", disk_full)
    target = folder / "handover.pdf"
    with pytest.raises(MashDeskError) as failed:
        DocumentDelivery(ctx).save(actors["manager"], SHEET, PDF, target)
    assert not isinstance(failed.value, InputError)  # not the person's doing: exit 1 from a command
    assert "No space left on device" in str(failed.value) and "was not saved" in str(failed.value)
    assert list(folder.iterdir()) == []  # neither the document nor its .part
    (event,) = _events(ctx)
    assert (event.detail["outcome"], event.detail["error"]) == ("save failed", "ENOSPC")


def test_a_save_the_trail_cannot_record_leaves_no_file(ctx, actors, folder, monkeypatch):  # type: ignore[no-untyped-def]
    def trail_down(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("the database went away")

    monkeypatch.setattr(WriteScope, "audit", trail_down)
    target = folder / "handover.pdf"
    with pytest.raises(RuntimeError):
        DocumentDelivery(ctx).save(actors["manager"], SHEET, PDF, target)
    assert list(folder.iterdir()) == []


def test_a_refused_save_leaves_neither_a_file_nor_an_entry(ctx, actors, folder):  # type: ignore[no-untyped-def]
    target = folder / "handover.pdf"
    with pytest.raises(PermissionDenied):
        DocumentDelivery(ctx).save(actors["police"], SHEET, PDF, target)
    assert list(folder.iterdir()) == [] and _events(ctx) == []
