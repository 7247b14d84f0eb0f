"""The account rules as pure functions: when wrong passwords lock an account, and for how long.

No database here: the sign-in (``mashdesk.services.auth``) and user administration
(``mashdesk.accounts.service``) apply them inside their units of work, with times from ``ctx.now()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from mashdesk.clock import LONDON

#: Wrong passwords in a row that lock an account...
MAX_FAILURES = 5
#: ...and for how long.
LOCK_FOR = timedelta(minutes=15)
#: Minutes without a key or mouse press before the desk locks itself (``security/idle_lock_minutes``).
IDLE_LOCK_MINUTES = 10.0
#: The longest idle time a desk may be set to wait before it locks.
IDLE_LOCK_MAX_MINUTES = 60.0


@dataclass(frozen=True)
class Lockout:
    """An account's count of wrong passwords and the time it is locked until (if it is)."""

    failures: int = 0
    locked_until: datetime | None = None

    def locked_at(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def after_failure(self, now: datetime) -> Lockout:
        """The state after one more wrong password at ``now``.

        A lock that has run out starts the count again; the fifth failure in a row locks the
        account for :data:`LOCK_FOR`. A failure while locked changes nothing (the lock is not
        lengthened, so nobody can keep someone else's account locked for ever by hand).
        """
        if self.locked_at(now):
            return self
        failures = 1 if self.locked_until is not None else self.failures + 1
        if failures >= MAX_FAILURES:
            return Lockout(failures, now + LOCK_FOR)
        return Lockout(failures, None)


CLEARED = Lockout()


def locked_message(username: str, until: datetime) -> str:
    """What a person is told about a locked account: when it opens again, in London time."""
    local = until.astimezone(LONDON)
    return (f"The account {username} is locked after {MAX_FAILURES} wrong passwords: locked until "
            f"{local:%H:%M}. Try again then, or ask an administrator to unlock it.")


def idle_lock_minutes(value: object) -> float:
    """The idle time set in the desk's settings, or the default when it is missing or not a positive number."""
    try:
        minutes = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return IDLE_LOCK_MINUTES
    if not 0 < minutes <= IDLE_LOCK_MAX_MINUTES:
        return IDLE_LOCK_MINUTES
    return minutes
