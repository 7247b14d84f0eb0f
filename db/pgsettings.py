"""The settings every PostgreSQL connection of the desk gets: how long it waits, and for what.

A team shares one server, so no desk may wait on another for long, and a dead network link must
be noticed rather than waited on for ever. These go to libpq when a connection opens (the ORM's
engine and the plain connections of ``db.direct`` alike); README "A team on PostgreSQL" and
docs/team-database.md explain each value. Nothing here imports anything.
"""

from __future__ import annotations

#: Seconds to wait for the server to answer a new connection.
CONNECT_TIMEOUT_S = 5
#: TCP keepalives: first probe after 10 s of silence, then every 5 s; 3 lost probes drop the link.
KEEPALIVES_IDLE_S = 10
KEEPALIVES_INTERVAL_S = 5
KEEPALIVES_COUNT = 3
#: Milliseconds data sent may stay unacknowledged before the link is dropped (a save into a dead link).
TCP_USER_TIMEOUT_MS = 15_000
#: Milliseconds a statement waits for a row or table lock another desk holds, then gives up.
LOCK_TIMEOUT_MS = 4_000
#: Milliseconds any one statement may run.
STATEMENT_TIMEOUT_MS = 30_000
#: Milliseconds a connection may sit inside an open transaction doing nothing before the server ends it.
IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000

#: Server settings, sent as ``options`` when a connection opens.
SESSION_SETTINGS: dict[str, int] = {
    "lock_timeout": LOCK_TIMEOUT_MS,
    "statement_timeout": STATEMENT_TIMEOUT_MS,
    "idle_in_transaction_session_timeout": IDLE_IN_TRANSACTION_TIMEOUT_MS,
}


def connect_args() -> dict[str, object]:
    """libpq connection parameters (psycopg's ``connect`` keywords) with the desk's timeouts."""
    options = " ".join(f"-c {name}={value}" for name, value in SESSION_SETTINGS.items())
    return {
        "connect_timeout": CONNECT_TIMEOUT_S,
        "keepalives": 1,
        "keepalives_idle": KEEPALIVES_IDLE_S,
        "keepalives_interval": KEEPALIVES_INTERVAL_S,
        "keepalives_count": KEEPALIVES_COUNT,
        "tcp_user_timeout": TCP_USER_TIMEOUT_MS,
        "options": options,
        "application_name": "mashdesk",
    }
