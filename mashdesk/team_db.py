"""A team database on PostgreSQL: remembered without its password, the password kept in the system keyring.

``mashdesk connect postgresql://USER@HOST/DB`` (or File > Connect to a team database… in the window)
asks for the password once, checks it against the server, keeps it in the system keyring
(``keyring``) and remembers the URL in ``team-database.json`` in the data folder. Neither that
file, the window's settings nor any URL the desk shows ever holds the password: it is put into the
connection only in memory (:func:`connect_url`). Where the computer has no keyring the desk says
so and asks for the password each time it opens the database.

TLS is libpq's: ``sslmode`` and ``sslrootcert`` ride in the URL's query, and :func:`tls_label` says
what they mean in the status bar.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from mashdesk.errors import InputError, MashDeskError
from mashdesk.paths import data_dir, default_db_url

#: The keyring "service" the passwords are kept under; the keyring user is ``user@host:port/db``.
KEYRING_SERVICE = "MASH Desk team database"
#: libpq's TLS modes, weakest first.
SSLMODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
REMEMBERED_FILE = "team-database.json"
_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


@dataclass(frozen=True)
class TeamDatabase:
    """A PostgreSQL database named by a URL that holds no password."""

    user: str
    host: str
    port: int | None
    database: str
    sslmode: str | None = None
    sslrootcert: str | None = None

    @property
    def url(self) -> str:
        """``postgresql://user@host[:port]/db[?sslmode=…&sslrootcert=…]``: safe to show and to store."""
        return self._url(None)

    def _url(self, password: str | None) -> str:
        who = quote(self.user, safe="") + (":" + quote(password, safe="") if password is not None else "")
        netloc = f"{who}@{self.host}" + (f":{self.port}" if self.port else "")
        tls = (("sslmode", self.sslmode), ("sslrootcert", self.sslrootcert))
        query = urlencode([(k, v) for k, v in tls if v])
        return urlunsplit(("postgresql", netloc, "/" + quote(self.database, safe=""), query, ""))

    @property
    def key(self) -> str:
        """Who the password belongs to, in the keyring."""
        return f"{self.user}@{self.host}:{self.port or 5432}/{self.database}"

    @property
    def label(self) -> str:
        return f"{self.host}/{self.database}"

    def with_password(self, password: str | None) -> str:
        """The URL to connect with, the password in it (held in memory only, never stored or shown)."""
        return self._url(password)


def parse(url: str, *, sslmode: str | None = None, sslrootcert: str | None = None) -> TeamDatabase:
    """Check a team database URL (no password in it) and its TLS settings; bad input names its field."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in _SCHEMES:
        raise InputError("URL: a team database URL starts postgresql:// "
                         "(postgresql://USER@HOST/DATABASE)", "url")
    if parts.password is not None:
        raise InputError("URL: leave the password out of the URL; it is asked for once and kept in the "
                         "system keyring", "url")
    if not parts.username:
        raise InputError("URL: name the database user (postgresql://USER@HOST/DATABASE)", "url")
    if not parts.hostname:
        raise InputError("URL: name the server (postgresql://USER@HOST/DATABASE)", "url")
    database = unquote(parts.path.lstrip("/"))
    if not database or "/" in database:
        raise InputError("URL: name the database (postgresql://USER@HOST/DATABASE)", "url")
    try:
        port = parts.port
    except ValueError:
        raise InputError("URL: the port is not a number", "url") from None
    query = dict(parse_qsl(parts.query))
    unknown = sorted(set(query) - {"sslmode", "sslrootcert"})
    if unknown:
        raise InputError(f"URL: {unknown[0]!r} is not a setting the desk takes "
                         "(only sslmode and sslrootcert)",
                         "url")
    mode = sslmode or query.get("sslmode")
    if mode is not None and mode not in SSLMODES:
        raise InputError(f"sslmode: {mode!r} is not one of {', '.join(SSLMODES)}", "sslmode")
    root = sslrootcert or query.get("sslrootcert")
    if root:
        root = str(Path(root).expanduser().resolve())
        if not Path(root).is_file():
            raise InputError(f"sslrootcert: no file {root}", "sslrootcert")
    return TeamDatabase(unquote(parts.username), parts.hostname, port, database, mode, root or None)


def strip_password(url: str) -> str:
    """``url`` without the password it holds (if any)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.netloc.split('@', 1)[0].split(':', 1)[1]}@", "@", 1)
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def is_team_url(url: str) -> bool:
    return urlsplit(url).scheme.lower() in _SCHEMES


def tls_label(url: str) -> str:
    """What the status bar says of a PostgreSQL URL's TLS settings."""
    query = dict(parse_qsl(urlsplit(url).query))
    mode = query.get("sslmode", "prefer")
    root = query.get("sslrootcert")
    what = {"disable": "TLS off", "allow": "TLS only if the server insists",
            "prefer": "TLS if the server offers it",
            "require": "TLS required (server not verified)", "verify-ca": "TLS, server certificate checked",
            "verify-full": "TLS, server certificate and name checked"}.get(mode, f"TLS {mode}")
    return f"{what} (sslmode={mode}" + (f", root {os.path.basename(root)})" if root else ")")


# -- the keyring --------------------------------------------------------------------------------------
def keyring_available() -> bool:
    """Whether this computer has a keyring to keep the password in (not keyring's fail or null backend)."""
    try:
        import keyring
        from keyring.backends import fail, null

        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - a broken keyring set-up is no keyring
        return False
    return not isinstance(backend, (fail.Keyring, null.Keyring))


def stored_password(db: TeamDatabase) -> str | None:
    if not keyring_available():
        return None
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, db.key)
    except KeyringError:
        return None


def store_password(db: TeamDatabase, password: str) -> bool:
    """Keep the password in the keyring; False where there is none (the desk then asks each time)."""
    if not keyring_available():
        return False
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, db.key, password)
    except KeyringError:
        return False
    return True


# -- remembering the team database ---------------------------------------------------------------------
def _remembered_path() -> Path:
    return data_dir() / REMEMBERED_FILE


def remember(db: TeamDatabase) -> None:
    _remembered_path().write_text(json.dumps({"url": db.url}, indent=1) + "\n", encoding="utf-8")


def remembered() -> TeamDatabase | None:
    """The team database ``mashdesk connect`` remembered, if any (a damaged file counts as none)."""
    path = _remembered_path()
    if not path.is_file():
        return None
    try:
        return parse(json.loads(path.read_text(encoding="utf-8"))["url"])
    except (ValueError, KeyError, TypeError, InputError):
        return None


def default_url() -> str:
    """The database to open when none is named: ``MASHDESK_DB``, else the remembered team database,
    else the embedded one."""
    if os.environ.get("MASHDESK_DB"):
        return default_db_url()
    team = remembered()
    return team.url if team is not None else default_db_url()


def password_refused(error: BaseException | str) -> bool:
    """Whether a connection failed for want of the right password (so asking for it may help)."""
    text = str(error).lower()
    return "password" in text and ("no password supplied" in text or "authentication failed" in text)


# -- connecting ----------------------------------------------------------------------------------------
def check(db: TeamDatabase, password: str) -> None:
    """Connect once with ``password``; a failure says plainly what the server said."""
    from db.direct import connect

    try:
        conn = connect(db.with_password(password))
    except Exception as exc:  # noqa: BLE001 - any driver error becomes one line
        raise MashDeskError(f"cannot connect to {db.label}: {_first_line(exc)}") from None
    conn.close()


@dataclass(frozen=True)
class Connected:
    database: TeamDatabase
    in_keyring: bool

    @property
    def password_note(self) -> str:
        return ("kept in the system keyring" if self.in_keyring
                else "not kept: this computer has no system keyring, so it is asked for each time")


def connect(url: str, password: str, *, sslmode: str | None = None,
            sslrootcert: str | None = None) -> Connected:
    """Check the team database and the password, keep the password in the keyring, remember the URL."""
    db = parse(url, sslmode=sslmode, sslrootcert=sslrootcert)
    if not password:
        raise InputError("password: the team database's password is needed", "password")
    check(db, password)
    kept = store_password(db, password)
    remember(db)
    return Connected(db, kept)


def connect_url(url: str, ask: Callable[[TeamDatabase], str | None] | None = None) -> str:
    """The URL to open: a team database's password filled in, in memory, from the keyring (or ``ask``).

    A URL of another kind, one that already holds a password, or one whose password is neither in
    the keyring nor asked for is returned as it is (libpq may still find ``.pgpass`` or ``PGPASSWORD``).
    """
    if not is_team_url(url) or urlsplit(url).password is not None:
        return url
    try:
        db = parse(url)
    except InputError:
        return url
    password = stored_password(db)
    if password is None and ask is not None:
        password = ask(db)
    return url if password is None else db.with_password(password)


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
