"""Is the database there? A cheap check on a worker thread, so the window can say so and never wait.

:class:`DatabaseHealth` runs ``SELECT 1`` over a connection of its own every second. A check that
has not succeeded for :data:`STALE_S` seconds (the server refused, the link dropped, or the check
itself hangs in a dead link) makes the database *unreachable*: the window says so, and the services
refuse reads and writes at once rather than wait for a connection timeout on the window's thread
(``mashdesk.context``). While unreachable it retries with back-off (1, 2, 4, 8, then every 10 s),
and the first check that succeeds makes the database reachable again; a pooled connection broken
meanwhile is replaced on its next use (``pool_pre_ping``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

#: Seconds between checks while the database answers.
INTERVAL_S = 1.0
#: Seconds without a good check after which the database is unreachable (the window shows it within 5 s).
STALE_S = 3.5
#: Seconds to wait before each retry while it is unreachable.
BACKOFF_S = (1.0, 2.0, 4.0, 8.0, 10.0)


@dataclass(frozen=True)
class Health:
    reachable: bool
    #: The driver's last complaint while unreachable ("" when reachable).
    problem: str = ""
    #: Outages seen since the desk started (the window says "back" when this grows and it is reachable).
    outages: int = 0


class DatabaseHealth:
    """Checks the database on a daemon thread; :attr:`health` is safe to read from any thread."""

    def __init__(self, probe: Callable[[], None], close: Callable[[], None] = lambda: None,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._probe, self._close, self._monotonic = probe, close, monotonic
        self._last_ok: float | None = None
        self._problem = ""
        self._outages = 0
        self._down = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._last_ok = self._monotonic()  # reachable at start: the desk has just signed in through it
        self._thread = threading.Thread(target=self._run, name="database-health", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    @property
    def reachable(self) -> bool:
        last = self._last_ok
        return last is not None and self._monotonic() - last <= STALE_S

    @property
    def failed(self) -> bool:
        """Whether the last check failed with an answer (refused, broken, timed out by the driver).

        Only then are saves refused at once: a check that merely has not run for a while (the desk's own
        thread busy printing, say) shows in the status bar but never refuses a save by itself.
        """
        return self._last_ok is None

    @property
    def health(self) -> Health:
        reachable = self.reachable
        if not reachable and not self._down:  # a check hangs: count the outage now
            self._down, self._outages = True, self._outages + 1
            self._problem = self._problem or "no answer from the database server"
        return Health(reachable, "" if reachable else self._problem, self._outages)

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                self._probe()
            except Exception as exc:  # noqa: BLE001 - any failure means "not reachable now"
                self._failed(exc)
                wait = BACKOFF_S[min(failures, len(BACKOFF_S) - 1)]
                failures += 1
            else:
                self._last_ok, self._down, self._problem = self._monotonic(), False, ""
                failures, wait = 0, INTERVAL_S
            self._stop.wait(wait)
        self._close()

    def _failed(self, exc: BaseException) -> None:
        lines = str(exc).strip().splitlines()
        self._problem = lines[0] if lines else type(exc).__name__
        self._last_ok = None
        if not self._down:
            self._down, self._outages = True, self._outages + 1
        try:
            self._close()
        except Exception:  # noqa: BLE001 - the connection is being thrown away
            pass


def for_url(url: str) -> DatabaseHealth:
    """A health check over a plain connection of its own to ``url`` (reopened after each failure)."""
    from db.direct import Direct, connect

    held: list[Direct] = []

    def probe() -> None:
        if not held:
            held.append(connect(url))
        conn = held[0]
        conn.scalar("SELECT 1")
        conn.finish_read()

    def close() -> None:
        while held:
            held.pop().close()

    return DatabaseHealth(probe, close)
