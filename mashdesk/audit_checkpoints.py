"""Signed checkpoints of the audit trail, kept outside the database.

A checkpoint records how many entries the trail had and the hash of the last one, signed with the
audit key's Ed25519 key (``mashdesk.audit_keys``). ``audit verify`` compares the trail with the latest
checkpoint, so entries deleted from the end, or the whole trail wiped, are found even though the
chain that remains is whole.

Checkpoints are one JSON line each in ``<folder>/<trail>.jsonl``: the folder is
``MASHDESK_AUDIT_CHECKPOINTS`` (for a team, a share the database server cannot write), else
``audit-checkpoints`` in the desk's data folder; the trail's name is a digest of the database URL
without its password. They are written every day by the scheduler, on every verify that finds the
trail intact, on every audit export, and by ``mashdesk audit checkpoint``.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from mashdesk import paths
from mashdesk.audit_keys import AuditKeys


@dataclass(frozen=True)
class Checkpoint:
    trail: str
    count: int
    head: str
    last_id: int | None
    at: str
    reason: str
    key: str
    signature: str = ""

    def message(self) -> bytes:
        body = {k: v for k, v in asdict(self).items() if k != "signature"}
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.at)


@dataclass(frozen=True)
class Latest:
    """The newest checkpoint whose signature holds, and what was wrong with any newer lines."""

    checkpoint: Checkpoint | None
    problem: str = ""


def folder() -> Path:
    configured = os.environ.get("MASHDESK_AUDIT_CHECKPOINTS")
    path = Path(configured) if configured else paths.data_dir() / "audit-checkpoints"
    path.mkdir(parents=True, exist_ok=True)
    return path


def trail_name(url: str) -> str:
    """A name for the database's trail that does not carry its password."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    if len(netloc) == 2:
        netloc[0] = netloc[0].split(":", 1)[0]
    clean = urlunsplit(parts._replace(netloc="@".join(netloc)))
    return hashlib.sha256(clean.encode("utf-8")).hexdigest()[:20]


def _file(url: str) -> Path:
    return folder() / f"{trail_name(url)}.jsonl"


def write(keys: AuditKeys, url: str, *, count: int, head: str, last_id: int | None, at: datetime,
          reason: str) -> Checkpoint:
    """Append a signed checkpoint of the trail as it is now (after the transactions that made it committed)."""
    unsigned = Checkpoint(trail=trail_name(url), count=count, head=head, last_id=last_id,
                          at=at.astimezone(UTC).isoformat(), reason=reason, key=keys.fingerprint)
    signed = Checkpoint(**{**asdict(unsigned), "signature": keys.sign(unsigned.message())})
    with _file(url).open("a", encoding="utf-8") as f:
        f.write(json.dumps(asdict(signed), sort_keys=True) + "\n")
        f.flush()
        os.fsync(f.fileno())
    return signed


def latest(keys: AuditKeys, url: str) -> Latest:
    """The newest checkpoint of ``url``'s trail; a newer line that is not properly signed is reported."""
    path = _file(url)
    if not path.exists():
        return Latest(None)
    problem = ""
    for number, line in reversed(list(enumerate(path.read_text(encoding="utf-8").splitlines(), start=1))):
        try:
            checkpoint = Checkpoint(**json.loads(line))
        except (ValueError, TypeError):
            problem = problem or f"checkpoint file {path}, line {number}: not a checkpoint"
            continue
        if checkpoint.trail != trail_name(url):
            continue
        if not keys.signed_by_me(checkpoint.message(), checkpoint.signature):
            problem = problem or (f"checkpoint file {path}, line {number}: its signature does not hold "
                                  "(the file was edited, or it was signed with another audit key)")
            continue
        return Latest(checkpoint, problem)
    return Latest(None, problem)


def start_afresh(url: str, at: datetime) -> None:
    """A demo database loaded again starts a new trail: set its checkpoints aside (never deleted)."""
    path = _file(url)
    if path.exists():
        path.rename(path.with_name(f"{path.stem}.until-{at.astimezone(UTC):%Y%m%dT%H%M%S%f}.jsonl"))
