"""The audit trail proves itself: the database refuses changes, and verify finds each kind of tampering
done by someone who got round that refusal but does not hold the audit key."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from db.models import AuditEvent
from mashdesk import audit, audit_checkpoints
from mashdesk.services.audit_trail import AuditTrailService
from mashdesk.services.auth import AuthService
from tests.helpers import guard_lifted


def _entries(ctx, n: int) -> None:
    with ctx.direct() as conn, conn.writing():
        for i in range(n):
            audit.write(conn, keys=ctx.audit_keys, at=ctx.now() + timedelta(seconds=i), user_id=None,
                        username="test.manager", action="contact.read", entity="contact", entity_id=i,
                        summary=f"opened contact {i}")


@pytest.fixture
def trail(ctx, actors):
    """A checkpointed trail of 1,200 entries, with the database's guard lifted as an intruder would."""
    _entries(ctx, 1200)
    AuditTrailService(ctx).checkpoint("test")
    with guard_lifted(ctx):
        yield ctx


def _verify(ctx, actors) -> audit.VerifyResult:
    """As `mashdesk audit verify` does it: sign in (a new entry), then check against the checkpoint."""
    AuthService(ctx).sign_in("test.admin", "secret")
    return AuditTrailService(ctx).verify(actors["admin"])


def _ids(ctx) -> list[int]:
    with ctx.session_factory() as s:
        return list(s.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


def _recompute_from(ctx, first_id: int, **changes) -> None:
    """Rewrite the chain from ``first_id`` on as someone without the key can: plain SHA-256."""
    with ctx.session_factory.begin() as s:
        before = s.scalar(select(AuditEvent.hash).where(AuditEvent.id < first_id).order_by(AuditEvent.id.desc())
                          .limit(1)) or audit.GENESIS
        for event in s.scalars(select(AuditEvent).where(AuditEvent.id >= first_id).order_by(AuditEvent.id)):
            if event.id == first_id:
                for name, value in changes.items():
                    setattr(event, name, value)
            event.prev_hash = before
            event.hash = audit._digest(before, {name: getattr(event, name) for name in audit._FIELDS})
            s.flush()
            before = event.hash


def test_the_database_refuses_to_change_or_delete_an_entry(ctx, actors):
    _entries(ctx, 3)
    for statement in ("UPDATE audit_events SET summary = 'nothing happened'", "DELETE FROM audit_events"):
        with pytest.raises(DatabaseError, match="audit trail cannot be changed"):
            with ctx.session_factory.begin() as s:
                s.execute(text(statement))
    assert len(_ids(ctx)) == 3


def test_an_intact_trail_is_verified_and_checkpointed_again(ctx, actors):
    _entries(ctx, 20)
    first = _verify(ctx, actors)
    assert first.ok and first.checked == 21 and "MACs verified" in first.summary()
    second = _verify(ctx, actors)
    assert second.ok and second.checkpoint is not None and second.checkpoint.count == 21


def test_deleting_the_last_50_entries_is_found(trail, actors):
    with trail.session_factory.begin() as s:
        s.execute(text("DELETE FROM audit_events WHERE id > :k"), {"k": _ids(trail)[-51]})
    result = _verify(trail, actors)
    assert not result.ok
    assert "50 of them are gone: entries 1151 to 1200 were deleted" in result.problem


def test_a_wiped_trail_is_found(trail, actors):
    with trail.session_factory.begin() as s:
        s.execute(text("DELETE FROM audit_events"))
    result = _verify(trail, actors)
    assert not result.ok and result.checked == 1
    assert "recorded 1200 entries" in result.problem and "were deleted" in result.problem


@pytest.mark.parametrize("scheme", [audit.KEYED, audit.LEGACY])
def test_an_entry_edited_and_the_chain_recomputed_is_found(trail, actors, scheme):
    target = _ids(trail)[600]
    _recompute_from(trail, target, summary="nothing to see", scheme=scheme)
    result = _verify(trail, actors)
    assert not result.ok and result.first_broken_id == target
    assert ("MAC does not match" if scheme == audit.KEYED else "forged") in result.problem


def test_1000_entries_deleted_and_the_chain_recomputed_is_found(trail, actors):
    ids = _ids(trail)
    with trail.session_factory.begin() as s:
        s.execute(text("DELETE FROM audit_events WHERE id >= :a AND id < :b"), {"a": ids[100], "b": ids[1100]})
    _recompute_from(trail, ids[1100])
    result = _verify(trail, actors)
    assert not result.ok and result.first_broken_id == ids[1100]


def test_a_forged_entry_appended_is_found(trail, actors):
    with trail.session_factory.begin() as s:
        last = s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
        forged = {"at": last.at, "user_id": None, "username": "test.manager", "action": "decision.authorise",
                  "entity": "contact", "entity_id": 1, "summary": "authorised", "detail": {}}
        event = AuditEvent(**forged, prev_hash=last.hash, hash=audit._digest(last.hash, forged), scheme=audit.KEYED)
        s.add(event)
        s.flush()
        forged_id = event.id
    result = _verify(trail, actors)
    assert not result.ok and result.first_broken_id == forged_id and "MAC does not match" in result.problem


def test_an_entry_backdated_and_the_chain_recomputed_is_found(trail, actors):
    target = _ids(trail)[900]
    with trail.session_factory() as s:
        at = s.get(AuditEvent, target).at
    _recompute_from(trail, target, at=at - timedelta(days=40))
    result = _verify(trail, actors)
    assert not result.ok and result.first_broken_id == target


def test_an_edited_checkpoint_is_not_trusted(ctx, actors):
    _entries(ctx, 5)
    AuditTrailService(ctx).checkpoint("test")
    path = audit_checkpoints.folder() / f"{audit_checkpoints.trail_name(ctx.url)}.jsonl"
    line = json.loads(path.read_text().splitlines()[-1])
    line["count"] = 2
    path.write_text(path.read_text() + json.dumps(line) + "\n")
    result = _verify(ctx, actors)
    assert not result.ok and "signature does not hold" in result.problem


def test_the_audit_key_is_outside_the_database(ctx, actors):
    _entries(ctx, 1)
    key = ctx.audit_keys.path.read_bytes()
    assert ctx.audit_keys.path.stat().st_mode & 0o077 == 0
    with ctx.session_factory() as s:
        stored = json.dumps([list(r) for r in s.execute(select(AuditEvent.hash, AuditEvent.detail)).all()])
    assert hashlib.sha256(key).hexdigest() not in stored and json.loads(key)["mac_key"] not in stored


def test_the_daily_job_writes_a_checkpoint_that_later_catches_a_cut(ctx, actors):
    from mashdesk.scheduler import run_jobs_now

    _entries(ctx, 10)
    assert run_jobs_now(ctx, actors["police"]) == []  # every desk signs the daily checkpoint
    assert audit_checkpoints.latest(ctx.audit_keys, ctx.url).checkpoint.count == 10
    with guard_lifted(ctx):
        with ctx.session_factory.begin() as s:
            s.execute(text("DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)"))
        assert not _verify(ctx, actors).ok


def test_an_export_is_signed_audited_and_checkpointed(ctx, actors, tmp_path, clock):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    _entries(ctx, 4)
    out = tmp_path / "extract.json"
    today = clock().date()
    result = AuditTrailService(ctx).export(actors["manager"], today, today, out)
    extract = json.loads(out.read_text())
    assert result["entries"] == len(extract["entries"]) == 4
    signature = bytes.fromhex(extract.pop("signature"))
    message = json.dumps(extract, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    Ed25519PublicKey.from_public_bytes(bytes.fromhex(extract["public_key"])).verify(signature, message)
    with ctx.session_factory() as s:
        last = s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
    assert last.action == "audit.export" and last.detail["sha256"] == result["sha256"]
    assert audit_checkpoints.latest(ctx.audit_keys, ctx.url).checkpoint.count == 5
    with pytest.raises(Exception, match="may not"):
        AuditTrailService(ctx).export(actors["police"], today, today, tmp_path / "no.json")
