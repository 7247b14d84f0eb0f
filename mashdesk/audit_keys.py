"""The audit trail's keys: the MAC key that chains the entries, and the Ed25519 key that signs checkpoints.

Neither key is in the database. They live in one administrator-held key file:

* ``MASHDESK_AUDIT_KEY`` names it. For a team on PostgreSQL the administrator makes it once
  (``mashdesk audit key --create``), gives every desk a read-only copy, and keeps one safe: someone who
  can rewrite the database but not read this file cannot forge an entry the chain accepts.
* Without the variable it is ``audit-key.json`` in the desk's data folder, made (mode 0600) the first
  time the desk writes to the trail. That suits one desk on its own database.

If the key file is missing where one was used before, the desk makes a new one, and ``audit verify``
reports the entries written under the old key as not verifiable from the first of them, with the day
the new key was made, until the administrator's copy is put back.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from mashdesk import paths
from mashdesk.errors import MashDeskError


class AuditKeyError(MashDeskError):
    """The key file cannot be read or is not a key file."""


@dataclass(frozen=True)
class AuditKeys:
    mac_key: bytes
    signing_key: Ed25519PrivateKey
    path: Path
    #: When this key file was made (aware, UTC).
    created_at: datetime

    @property
    def fingerprint(self) -> str:
        """A short name for the key pair (never the key): the SHA-256 of the public key and the MAC key's hash."""
        public = self.public_key.public_bytes_raw()
        return hashlib.sha256(public + hashlib.sha256(self.mac_key).digest()).hexdigest()[:16]

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.signing_key.public_key()

    def mac(self, message: str) -> str:
        return hmac.new(self.mac_key, message.encode("utf-8"), hashlib.sha256).hexdigest()

    def sign(self, message: bytes) -> str:
        return self.signing_key.sign(message).hex()

    def signed_by_me(self, message: bytes, signature: str) -> bool:
        try:
            self.public_key.verify(bytes.fromhex(signature), message)
        except (InvalidSignature, ValueError):
            return False
        return True


def key_path() -> Path:
    """``MASHDESK_AUDIT_KEY``, else ``audit-key.json`` in the data folder."""
    configured = os.environ.get("MASHDESK_AUDIT_KEY")
    return Path(configured) if configured else paths.data_dir() / "audit-key.json"


def create(path: Path, now: datetime) -> AuditKeys:
    """Make a new key file at ``path`` (refusing to replace one), readable by its owner only."""
    signing = Ed25519PrivateKey.generate()
    body = {
        "kind": "MASH Desk audit key",
        "created_at": now.astimezone(UTC).isoformat(),
        "mac_key": secrets.token_hex(32),
        "signing_key": signing.private_bytes_raw().hex(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return load(path)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(body, f, indent=1)
    return load(path)


def load(path: Path) -> AuditKeys:
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        return AuditKeys(
            mac_key=bytes.fromhex(body["mac_key"]),
            signing_key=Ed25519PrivateKey.from_private_bytes(bytes.fromhex(body["signing_key"])),
            path=path,
            created_at=datetime.fromisoformat(body["created_at"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise AuditKeyError(f"audit key: {path} is not a readable MASH Desk audit key file ({exc})") from exc


def load_or_create(now: datetime, path: Path | None = None) -> AuditKeys:
    path = path or key_path()
    return load(path) if path.exists() else create(path, now)
