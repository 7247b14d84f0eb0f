"""The one clock: every "now" in MASH Desk comes from here through the context (``ctx.now()``).

Product code never asks the operating system for the time itself; it is given a clock
(the system clock in the desk, a fixed one in tests). A test fails if a wall-clock call
appears anywhere else in product code.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

#: The borough's time zone: everything is stored in UTC and shown in London time.
LONDON = ZoneInfo("Europe/London")

#: A clock returns an aware datetime (UTC).
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The operating system's time, in UTC: the desk's clock outside tests."""
    return datetime.now(UTC)


def london(moment: datetime) -> datetime:
    """``moment`` in London time."""
    return moment.astimezone(LONDON)
