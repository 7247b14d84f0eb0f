"""Database failures said plainly: a lock wait that timed out, a server that went away.

The drivers raise their own exceptions (psycopg, sqlite3, and SQLAlchemy's wrappers of both);
:func:`explain` turns the ones a person can act on into :class:`~mashdesk.errors.DatabaseBusy` or
:class:`~mashdesk.errors.DatabaseUnavailable`, so the window and the CLI say one clear line
instead of a traceback. Nothing here imports a driver or SQLAlchemy at module level.
"""

from __future__ import annotations

from mashdesk.errors import DatabaseBusy, DatabaseUnavailable, MashDeskError

#: SQLSTATEs of a wait or a statement that ran out of time (lock_timeout, statement_timeout, deadlock).
_BUSY_STATES = {
    "55P03": "another desk is holding the record",
    "57014": "the database took too long to answer",
    "40P01": "two desks changed the same records at once",
    "40001": "two desks changed the same records at once",
}
#: SQLSTATE classes of a lost connection: 08 connection exception, 57P01-57P03 shutdown, 25P03 idle timeout.
_GONE_PREFIXES = ("08", "57P", "25P03")

BUSY_HINT = "Nothing was saved: try again in a moment."
UNAVAILABLE_HINT = ("Nothing was saved; what you typed is kept as a draft. The desk reconnects by itself: "
                    "try again when the status bar says the database is back.")


def _driver_error(exc: BaseException) -> BaseException:
    return getattr(exc, "orig", None) or exc


def explain(exc: BaseException) -> MashDeskError | None:
    """The error to show a person for a database failure; ``None`` for anything else."""
    if isinstance(exc, MashDeskError):
        return exc
    orig = _driver_error(exc)
    state = getattr(orig, "sqlstate", None) or ""
    if state in _BUSY_STATES:
        return DatabaseBusy(f"The database is busy: {_BUSY_STATES[state]}. {BUSY_HINT}")
    if state.startswith(_GONE_PREFIXES) or getattr(exc, "connection_invalidated", False):
        return DatabaseUnavailable(f"The database is unreachable: {_first_line(orig)}. {UNAVAILABLE_HINT}")
    module = type(orig).__module__
    name = type(orig).__name__
    if module.startswith("psycopg") and name in ("OperationalError", "InterfaceError"):
        return DatabaseUnavailable(f"The database is unreachable: {_first_line(orig)}. {UNAVAILABLE_HINT}")
    if module == "sqlite3" and name == "OperationalError":
        text = str(orig)
        if "locked" in text or "busy" in text:
            return DatabaseBusy(f"The database is busy: another desk is saving. {BUSY_HINT}")
        if "unable to open" in text or "disk I/O" in text:
            return DatabaseUnavailable(f"The database file cannot be reached: {text}. {UNAVAILABLE_HINT}")
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0].rstrip(".") if text else type(exc).__name__
