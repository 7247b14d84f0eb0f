"""The working calendar: every deadline on the desk (timescales.md) is computed here.

Times are timezone-aware; a naive datetime given to this module is read as local time in the configured zone
(Europe/London). Working-time arithmetic is done on local wall-clock time, so a deadline across a clock change
keeps its local time; clock-hour timescales count elapsed time. Every number comes from a
:class:`CalendarConfig`, by default ``resources/config/calendar.toml``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mashdesk.bank_holidays import BankHolidays, default_holiday_cache
from mashdesk.clock import Clock, system_clock

#: Units of a timescale; see resources/config/calendar.toml.
WORKING_HOURS = "working_hours"
WORKING_DAYS = "working_days"
WORKING_DAYS_AFTER_DATE = "working_days_after_date"
CLOCK_HOURS = "clock_hours"
WEEKS = "weeks"
WORKING_DAY_AT = "working_day_at"
UNITS = (WORKING_HOURS, WORKING_DAYS, WORKING_DAYS_AFTER_DATE, CLOCK_HOURS, WEEKS, WORKING_DAY_AT)
#: Units whose time left is measured in office hours rather than elapsed time.
WORKING_UNITS = frozenset({WORKING_HOURS, WORKING_DAYS, WORKING_DAYS_AFTER_DATE, WORKING_DAY_AT})

Status = Literal["ok", "due_soon", "breached"]


class CalendarConfigError(ValueError):
    """The calendar configuration is invalid; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class Timescale:
    """How one kind of deadline is computed: ``amount`` of ``unit``, or ``at`` for ``working_day_at``."""

    unit: str
    amount: float = 0
    at: time | None = None


@dataclass(frozen=True, slots=True)
class CalendarConfig:
    timezone: str = "Europe/London"
    holiday_country: str = "GB"
    holiday_subdivision: str | None = "ENG"
    #: ISO weekdays (1 = Monday) that are working days, bank holidays and closures aside.
    working_weekdays: frozenset[int] = frozenset({1, 2, 3, 4, 5})
    office_opens: time = time(8, 30)
    #: The first moment out of hours: office hours run up to, not including, this time.
    office_closes: time = time(17, 0)
    closure_days: frozenset[date] = frozenset()
    due_soon_fraction: float = 0.25
    timescales: Mapping[str, Timescale] = field(default_factory=dict)


_DEFAULT_FILE = "calendar.toml"


def load_calendar_config(path: Path | None = None, **overrides: Any) -> CalendarConfig:
    """Read the calendar configuration (default: the packaged ``calendar.toml``), then apply ``overrides``.

    ``overrides`` are :class:`CalendarConfig` fields, e.g. ``closure_days=frozenset({date(2027, 1, 4)})``.

    Raises:
        CalendarConfigError: the file is not valid TOML, has an unknown key or a value of the wrong kind.
    """
    if path is None:
        name = _DEFAULT_FILE
        raw = resources.files("resources.config").joinpath(_DEFAULT_FILE).read_bytes()
    else:
        name = str(path)
        raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CalendarConfigError(f"{name}: not valid TOML: {exc}") from exc
    return replace(_parse_config(name, data), **overrides)


def _parse_config(name: str, data: dict[str, Any]) -> CalendarConfig:
    def bad(key: str, problem: str) -> CalendarConfigError:
        return CalendarConfigError(f"{name}: {key}: {problem}")

    expected: dict[str, type | tuple[type, ...]] = {
        "timezone": str,
        "holiday_country": str,
        "holiday_subdivision": str,
        "working_weekdays": list,
        "office_opens": time,
        "office_closes": time,
        "closure_days": list,
        "due_soon_fraction": (int, float),
        "deadlines": dict,
    }
    for key, value in data.items():
        if key not in expected:
            raise bad(key, "unknown key")
        if not isinstance(value, expected[key]) or isinstance(value, bool):
            raise bad(key, "has the wrong type")
    scalars = (
        "timezone",
        "holiday_country",
        "holiday_subdivision",
        "office_opens",
        "office_closes",
        "due_soon_fraction",
    )
    values: dict[str, Any] = {key: data[key] for key in scalars if key in data}
    if "timezone" in data:
        try:
            ZoneInfo(data["timezone"])
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise bad("timezone", f"unknown time zone {data['timezone']!r}") from exc
    if "working_weekdays" in data:
        days = data["working_weekdays"]
        if not days or not all(isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 7 for d in days):
            raise bad("working_weekdays", "must list ISO weekdays from 1 (Monday) to 7 (Sunday)")
        values["working_weekdays"] = frozenset(days)
    if "closure_days" in data:
        days = data["closure_days"]
        if not all(isinstance(d, date) and not isinstance(d, datetime) for d in days):
            raise bad("closure_days", "must list dates such as 2026-12-24")
        values["closure_days"] = frozenset(days)
    if not 0 < values.get("due_soon_fraction", 0.25) < 1:
        raise bad("due_soon_fraction", "must be between 0 and 1")
    timescales: dict[str, Timescale] = {}
    for kind, rule in data.get("deadlines", {}).items():
        if not isinstance(rule, dict) or len(rule) != 1:
            raise bad(f"deadlines.{kind}", "must be one { unit = amount } pair")
        ((unit, amount),) = rule.items()
        if unit not in UNITS:
            raise bad(f"deadlines.{kind}", f"unknown unit {unit!r}; use one of {', '.join(UNITS)}")
        if unit == WORKING_DAY_AT:
            if not isinstance(amount, time):
                raise bad(f"deadlines.{kind}", "working_day_at needs a time such as 10:00:00")
            timescales[kind] = Timescale(unit, at=amount)
            continue
        whole = unit in (WORKING_DAYS, WORKING_DAYS_AFTER_DATE, WEEKS)
        if isinstance(amount, bool) or not isinstance(amount, int if whole else (int, float)) or amount < 0:
            raise bad(f"deadlines.{kind}", f"{unit} needs a {'whole ' if whole else ''}number of at least 0")
        timescales[kind] = Timescale(unit, amount)
    values["timescales"] = timescales
    config = CalendarConfig(**values)
    if config.office_opens >= config.office_closes:
        raise bad("office_opens", "must be before office_closes")
    return config


class WorkingCalendar:
    """Working days, office hours and deadlines for one :class:`CalendarConfig`."""

    def __init__(self, config: CalendarConfig | None = None, holiday_cache: Path | None = None,
                 clock: Clock = system_clock) -> None:
        self.config = config or load_calendar_config()
        self.tz = ZoneInfo(self.config.timezone)
        self._holidays = BankHolidays(self.config.holiday_country, self.config.holiday_subdivision,
                                      holiday_cache or default_holiday_cache(), clock)
        self._working: dict[date, bool] = {}

    # -- days and hours ----------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        working = self._working.get(day)
        if working is None:
            working = (
                day.isoweekday() in self.config.working_weekdays
                and day not in self.config.closure_days
                and day not in self._holidays
            )
            self._working[day] = working
        return working

    def next_working_day(self, day: date) -> date:
        """The first working day after ``day``."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def previous_working_day(self, day: date) -> date:
        """The last working day before ``day``."""
        day -= timedelta(days=1)
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def working_days_after(self, day: date, days: int) -> date:
        """The ``days``-th working day after ``day`` (which itself is not counted)."""
        for _ in range(days):
            day = self.next_working_day(day)
        return day

    def localize(self, moment: datetime) -> datetime:
        """``moment`` as an aware local time; a naive one is read as local wall-clock time."""
        if moment.tzinfo is None:
            return self._aware(moment)
        return moment.astimezone(self.tz)

    def in_office_hours(self, moment: datetime) -> bool:
        local = self._wall(moment)
        config = self.config
        return (
            self.is_working_day(local.date()) and config.office_opens <= local.time() < config.office_closes
        )

    def start_of_clock(self, moment: datetime) -> datetime:
        """``moment`` if it is in office hours, otherwise the next office opening."""
        return self._aware(self._start(self._wall(moment)))

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """Count ``hours`` of office time from the start of the clock.

        A deadline that uses up a day's office hours exactly falls at that day's closing time (17:00), so
        every result lies on a working day between opening and closing time, both included.
        """
        if hours < 0:
            raise ValueError("hours must not be negative")
        moment = self._start(self._wall(start))
        left = timedelta(hours=hours)
        while True:
            available = datetime.combine(moment.date(), self.config.office_closes) - moment
            if left <= available:
                return self._aware(moment + left)
            left -= available
            moment = datetime.combine(self.next_working_day(moment.date()), self.config.office_opens)

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The clock time of the start of the clock, on the ``days``-th working day after it."""
        moment = self._start(self._wall(start))
        return self._aware(datetime.combine(self.working_days_after(moment.date(), days), moment.time()))

    def add_clock_hours(self, start: datetime, hours: float) -> datetime:
        """Elapsed time: across a clock change the local time shown moves by the hour gained or lost."""
        return (self.localize(start).astimezone(UTC) + timedelta(hours=hours)).astimezone(self.tz)

    def add_weeks(self, start: datetime, weeks: int) -> datetime:
        """The same local clock time ``weeks`` weeks later."""
        return self._aware(self._wall(start) + timedelta(weeks=weeks))

    def working_day_at(self, start: datetime, at: time) -> datetime:
        """``at`` on the first working day whose ``at`` is not before ``start``."""
        local = self._wall(start)
        day = local.date()
        if not self.is_working_day(day) or local.time() > at:
            day = self.next_working_day(day)
        return self._aware(datetime.combine(day, at))

    def edt_period_ending(self, day: date) -> tuple[datetime, datetime]:
        """The out-of-hours (EDT) period that ends at the office opening of working day ``day``.

        It starts at the close of office hours on the previous working day, so it covers the night, or the
        weekend and any bank holidays or closures in between.
        """
        if not self.is_working_day(day):
            raise ValueError(f"{day.isoformat()} is not a working day")
        start = datetime.combine(self.previous_working_day(day), self.config.office_closes)
        return self._aware(start), self._aware(datetime.combine(day, self.config.office_opens))

    def edt_handover(self, period_end: datetime) -> datetime:
        """When the handover of the EDT period ending at ``period_end`` is due (10:00 by default)."""
        return self.due_datetime("edt_handover", period_end)

    # -- deadlines ---------------------------------------------------------------------------------

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(self.config.timescales)

    def timescale(self, kind: str) -> Timescale:
        try:
            return self.config.timescales[kind]
        except KeyError:
            raise ValueError(f"unknown deadline kind {kind!r}; use one of {', '.join(self.kinds)}") from None

    def is_date_kind(self, kind: str) -> bool:
        """Whether ``kind``'s deadline is a date (its start is a date too)."""
        return self.timescale(kind).unit == WORKING_DAYS_AFTER_DATE

    def due(self, kind: str, start: datetime | date) -> datetime | date:
        """The deadline of ``kind`` from ``start``: a date for date kinds, else an aware local datetime.

        For a date kind, a datetime ``start`` counts from its local date.

        Raises:
            ValueError: ``kind`` is unknown, or a datetime kind was given a plain date.
        """
        if self.is_date_kind(kind):
            day = self.localize(start).date() if isinstance(start, datetime) else start
            return self.working_days_after(day, int(self.timescale(kind).amount))
        if not isinstance(start, datetime):
            raise ValueError(f"{kind} counts from a date and time, not a date")
        return self.due_datetime(kind, start)

    def due_datetime(self, kind: str, start: datetime) -> datetime:
        """The deadline of a datetime ``kind``."""
        scale = self.timescale(kind)
        if scale.unit == WORKING_HOURS:
            return self.add_working_hours(start, scale.amount)
        if scale.unit == WORKING_DAYS:
            return self.add_working_days(start, int(scale.amount))
        if scale.unit == CLOCK_HOURS:
            return self.add_clock_hours(start, scale.amount)
        if scale.unit == WEEKS:
            return self.add_weeks(start, int(scale.amount))
        if scale.unit == WORKING_DAY_AT and scale.at is not None:
            return self.working_day_at(start, scale.at)
        raise ValueError(f"{kind} is a date deadline; it counts from a date")

    def working_time_between(self, earlier: datetime, later: datetime) -> timedelta:
        """Office time between two moments (zero if ``later`` is not after ``earlier``)."""
        begin, end = self._wall(earlier), self._wall(later)
        total = timedelta()
        day = begin.date()
        while day <= end.date():
            if self.is_working_day(day):
                opens = max(begin, datetime.combine(day, self.config.office_opens))
                closes = min(end, datetime.combine(day, self.config.office_closes))
                if closes > opens:
                    total += closes - opens
            day += timedelta(days=1)
        return total

    def time_left(self, deadline: datetime | date, now: datetime, kind: str | None = None) -> timedelta:
        """Time from ``now`` until ``deadline``; negative once breached.

        Before the deadline it is office time for a working-time ``kind`` and elapsed time otherwise (or
        without a kind); once breached it is always minus the elapsed time since the deadline. A date
        deadline runs to the end of that day.
        """
        end = self._deadline_moment(deadline)
        now = self.localize(now)
        if now > end:
            return -(now.astimezone(UTC) - end.astimezone(UTC))
        return self._measure(now, end, kind)

    def status(
        self, deadline: datetime | date, start: datetime | date, now: datetime, kind: str | None = None
    ) -> Status:
        """``"breached"`` once ``deadline`` has passed, ``"due_soon"`` in its last quarter (configurable) of
        the time from ``start`` (office time for a working-time ``kind``), otherwise ``"ok"``.

        For a date deadline give the start date: the time runs from the end of that day to the end of the
        deadline day.
        """
        end = self._deadline_moment(deadline)
        now = self.localize(now)
        if now > end:
            return "breached"
        begin = self._deadline_moment(start) if not isinstance(start, datetime) else self.localize(start)
        total = self._measure(begin, end, kind)
        if self._measure(now, end, kind) <= total * self.config.due_soon_fraction:
            return "due_soon"
        return "ok"

    # -- helpers -----------------------------------------------------------------------------------

    def _measure(self, earlier: datetime, later: datetime, kind: str | None) -> timedelta:
        if kind is not None and self.timescale(kind).unit in WORKING_UNITS:
            return self.working_time_between(earlier, later)
        return max(timedelta(), later.astimezone(UTC) - earlier.astimezone(UTC))

    def _deadline_moment(self, value: datetime | date) -> datetime:
        """A datetime as local time; a date as the end of that local day."""
        if isinstance(value, datetime):
            return self.localize(value)
        return self._aware(datetime.combine(value + timedelta(days=1), time()))

    def _wall(self, moment: datetime) -> datetime:
        """Naive local wall-clock time of ``moment``."""
        if moment.tzinfo is None:
            return moment
        return moment.astimezone(self.tz).replace(tzinfo=None)

    def _aware(self, wall: datetime) -> datetime:
        """Aware local time for a wall-clock time; one in the spring-forward gap moves on by the hour lost."""
        return wall.replace(tzinfo=self.tz).astimezone(UTC).astimezone(self.tz)

    def _start(self, wall: datetime) -> datetime:
        day = wall.date()
        if self.is_working_day(day):
            if wall.time() < self.config.office_opens:
                return datetime.combine(day, self.config.office_opens)
            if wall.time() < self.config.office_closes:
                return wall
        return datetime.combine(self.next_working_day(day), self.config.office_opens)
