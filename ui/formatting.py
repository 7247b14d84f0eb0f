"""How dates and times are shown: local (Europe/London) wall time."""

from __future__ import annotations

from datetime import date, datetime

from mashdesk.clock import LONDON


def local_time(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(LONDON).strftime("%a %d %b %Y %H:%M")


def local_date(value: date | None) -> str:
    return value.strftime("%d %b %Y") if value else ""
