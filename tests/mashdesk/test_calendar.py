from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mashdesk.calendar import (
    CalendarConfigError,
    Timescale,
    WorkingCalendar,
    load_calendar_config,
)

LONDON = ZoneInfo("Europe/London")
CAL = WorkingCalendar()
PROPERTIES = settings(max_examples=200, deadline=None)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=LONDON)


def iso(moment: datetime | date) -> str:
    return moment.isoformat()


# -- configuration ---------------------------------------------------------------------------------


def test_default_configuration_holds_the_documented_timescales() -> None:
    config = load_calendar_config()
    assert (config.timezone, config.office_opens, config.office_closes) == (
        "Europe/London",
        time(8, 30),
        time(17),
    )
    assert config.working_weekdays == {1, 2, 3, 4, 5}
    assert config.due_soon_fraction == 0.25
    assert config.timescales["decision_red"] == Timescale("working_hours", 4)
    assert config.timescales["icpc"] == Timescale("working_days_after_date", 15)
    assert config.timescales["early_help_review"] == Timescale("weeks", 12)
    assert config.timescales["edt_handover"] == Timescale("working_day_at", at=time(10))
    assert set(config.timescales) == {
        "decision_red",
        "decision_amber",
        "decision_green",
        "agency_check_red",
        "agency_check_amber",
        "agency_check_green",
        "referrer_feedback",
        "edt_handover",
        "strategy_discussion",
        "missing_from_care_strategy",
        "missing_escalation",
        "missing_return_interview",
        "icpc",
        "assessment",
        "early_help_first_contact",
        "early_help_review",
        "meeting",
        "meeting_agenda_ready",
        "meeting_action",
    }
    assert config.timescales["meeting"] == Timescale("working_day_at", at=time(9, 30))
    assert config.timescales["meeting_agenda_ready"] == Timescale("working_day_at", at=time(9, 15))
    assert config.timescales["meeting_action"] == Timescale("working_days_after_date", 1)


def test_overrides_replace_configured_values() -> None:
    config = load_calendar_config(closure_days=frozenset({date(2026, 12, 24)}))
    calendar = WorkingCalendar(config)
    assert not calendar.is_working_day(date(2026, 12, 24))
    assert iso(calendar.due("decision_red", local(2026, 12, 24, 16, 30))) == "2026-12-29T12:30:00+00:00"


def test_timescales_and_office_hours_come_from_configuration() -> None:
    config = load_calendar_config()
    calendar = WorkingCalendar(
        replace(
            config,
            office_opens=time(9),
            office_closes=time(17, 30),
            timescales={**config.timescales, "decision_red": Timescale("working_hours", 2)},
        )
    )
    assert iso(calendar.due("decision_red", local(2026, 12, 24, 16, 30))) == "2026-12-29T10:00:00+00:00"


def test_configuration_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "calendar.toml"
    path.write_text(
        "working_weekdays = [1, 2, 3, 4, 5, 6]\nclosure_days = [2027-01-04]\n"
        "[deadlines]\nquick = { working_hours = 0.5 }\n"
    )
    calendar = WorkingCalendar(load_calendar_config(path))
    assert calendar.is_working_day(date(2027, 1, 2))  # a Saturday
    assert not calendar.is_working_day(date(2027, 1, 4))
    assert calendar.kinds == ("quick",)
    assert iso(calendar.due("quick", local(2027, 1, 2, 16, 45))) == "2027-01-05T08:45:00+00:00"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 'blue'\n", "colour: unknown key"),
        ("office_opens = '08:30'\n", "office_opens: has the wrong type"),
        ("office_opens = 17:00:00\noffice_closes = 08:30:00\n", "office_opens: must be before office_closes"),
        ("timezone = 'Europe/Atlantis'\n", "timezone: unknown time zone"),
        ("working_weekdays = [0, 1]\n", "working_weekdays: must list ISO weekdays"),
        ("working_weekdays = []\n", "working_weekdays: must list ISO weekdays"),
        ("closure_days = ['2026-12-24']\n", "closure_days: must list dates"),
        ("due_soon_fraction = 1.5\n", "due_soon_fraction: must be between 0 and 1"),
        ("[deadlines]\nx = { fortnights = 1 }\n", "deadlines.x: unknown unit 'fortnights'"),
        ("[deadlines]\nx = { working_days = 1.5 }\n", "deadlines.x: working_days needs a whole number"),
        ("[deadlines]\nx = { clock_hours = -1 }\n", "deadlines.x: clock_hours needs a number of at least 0"),
        (
            "[deadlines]\nx = { working_days = 1, weeks = 2 }\n",
            "deadlines.x: must be one { unit = amount } pair",
        ),
        ("[deadlines]\nx = { working_day_at = 10 }\n", "deadlines.x: working_day_at needs a time"),
        ("timezone = \n", "not valid TOML"),
    ],
)
def test_bad_configuration_names_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "calendar.toml"
    path.write_text(text)
    with pytest.raises(CalendarConfigError, match=message) as caught:
        load_calendar_config(path)
    assert str(caught.value).startswith(str(path))


# -- working days ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 12, 24), True),
        (date(2026, 12, 25), False),  # Christmas
        (date(2026, 12, 28), False),  # Boxing Day (Saturday) moves to Monday
        (date(2026, 12, 29), True),
        (date(2027, 1, 1), False),
        (date(2027, 1, 2), False),  # Saturday
        (date(2027, 3, 26), False),  # Good Friday
        (date(2027, 3, 29), False),  # Easter Monday
        (date(2027, 3, 30), True),
        (date(2027, 5, 3), False),  # Early May bank holiday
        (date(2027, 5, 31), False),  # Spring bank holiday
        (date(2027, 6, 1), True),
        (date(2027, 12, 27), False),  # Christmas Day (Saturday) moves to Monday
        (date(2027, 12, 28), False),
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


def test_working_days_after_a_date_does_not_count_the_date() -> None:
    assert CAL.due("icpc", date(2026, 12, 22)) == date(2027, 1, 15)
    assert CAL.working_days_after(date(2027, 1, 1), 1) == date(2027, 1, 4)
    # 45 working days from Friday 19 March 2027 skip Easter and the Early May bank holiday.
    assert CAL.due("assessment", date(2027, 3, 19)) == date(2027, 5, 26)


def test_a_date_kind_given_a_datetime_counts_from_its_local_date() -> None:
    # 23:30 UTC on 21 December is still the 21st in London (GMT); 23:30 UTC on 21 June is the 22nd (BST).
    assert CAL.due("icpc", datetime(2026, 12, 21, 23, 30, tzinfo=UTC)) == CAL.due("icpc", date(2026, 12, 21))
    assert CAL.due("icpc", datetime(2027, 6, 21, 23, 30, tzinfo=UTC)) == CAL.due("icpc", date(2027, 6, 22))


# -- start of the clock and office hours -----------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "start"),
    [
        (datetime(2026, 12, 24, 16, 59, 59), "2026-12-24T16:59:59+00:00"),
        (datetime(2026, 12, 24, 17, 0), "2026-12-29T08:30:00+00:00"),  # 17:00 is out of hours
        (datetime(2026, 12, 24, 8, 29), "2026-12-24T08:30:00+00:00"),
        (datetime(2026, 12, 24, 8, 30), "2026-12-24T08:30:00+00:00"),
        (datetime(2027, 1, 9, 10, 0), "2027-01-11T08:30:00+00:00"),  # Saturday
        (datetime(2026, 3, 29, 1, 30), "2026-03-30T08:30:00+01:00"),  # inside the spring-forward gap
    ],
)
def test_start_of_clock(moment: datetime, start: str) -> None:
    assert iso(CAL.start_of_clock(moment)) == start


def test_naive_times_are_local_and_aware_times_are_converted() -> None:
    assert CAL.due("decision_red", datetime(2026, 12, 24, 16, 30)) == CAL.due(
        "decision_red", datetime(2026, 12, 24, 16, 30, tzinfo=UTC)
    )
    # 15:30 UTC in July is 16:30 in London.
    assert (
        iso(CAL.due("decision_red", datetime(2027, 7, 1, 15, 30, tzinfo=UTC))) == "2027-07-02T12:00:00+01:00"
    )
    assert CAL.in_office_hours(datetime(2027, 7, 1, 15, 59, tzinfo=UTC))
    assert not CAL.in_office_hours(datetime(2027, 7, 1, 16, 0, tzinfo=UTC))


# -- the worked examples and the holidays ----------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "start", "deadline"),
    [
        # timescales.md and interfaces.md
        ("decision_red", datetime(2026, 12, 24, 16, 30), "2026-12-29T12:00:00+00:00"),
        ("decision_amber", datetime(2026, 12, 24, 16, 30), "2026-12-29T16:30:00+00:00"),
        ("decision_green", datetime(2027, 1, 9, 10, 0), "2027-01-14T08:30:00+00:00"),
        # New Year
        ("decision_green", datetime(2026, 12, 31, 11, 0), "2027-01-06T11:00:00+00:00"),
        ("agency_check_amber", datetime(2026, 12, 31, 15, 0), "2027-01-04T10:30:00+00:00"),
        ("agency_check_red", datetime(2026, 12, 23, 16, 0), "2026-12-24T09:30:00+00:00"),
        # Easter 2027 and the spring clock change (Sunday 28 March 2027) in one weekend
        ("decision_red", datetime(2027, 3, 25, 15, 0), "2027-03-30T10:30:00+01:00"),
        ("referrer_feedback", datetime(2027, 3, 25, 9, 15), "2027-03-30T09:15:00+01:00"),
        # spring clock change 2026 (Sunday 29 March)
        ("decision_red", datetime(2026, 3, 27, 16, 0), "2026-03-30T11:30:00+01:00"),
        ("decision_green", datetime(2026, 3, 26, 12, 0), "2026-03-31T12:00:00+01:00"),
        # autumn clock changes (Sunday 25 October 2026, Sunday 31 October 2027)
        ("decision_amber", datetime(2026, 10, 23, 15, 0), "2026-10-26T15:00:00+00:00"),
        ("decision_red", datetime(2027, 10, 29, 16, 0), "2027-11-01T11:30:00+00:00"),
        # May 2027 bank holidays
        ("decision_green", datetime(2027, 4, 30, 12, 0), "2027-05-06T12:00:00+01:00"),
        ("decision_amber", datetime(2027, 5, 28, 9, 0), "2027-06-01T09:00:00+01:00"),
        ("early_help_first_contact", datetime(2027, 5, 25, 14, 0), "2027-06-02T14:00:00+01:00"),
        ("strategy_discussion", datetime(2027, 4, 30, 18, 0), "2027-05-05T08:30:00+01:00"),
        # clock hours are elapsed time across a clock change
        ("missing_from_care_strategy", datetime(2026, 3, 28, 12, 0), "2026-03-29T13:00:00+01:00"),
        ("missing_from_care_strategy", datetime(2026, 10, 24, 12, 0), "2026-10-25T11:00:00+00:00"),
        ("missing_escalation", datetime(2027, 10, 29, 20, 0), "2027-11-01T19:00:00+00:00"),
        # weeks keep the local clock time across a clock change
        ("early_help_review", datetime(2026, 3, 2, 9, 0), "2026-05-25T09:00:00+01:00"),
        ("early_help_review", datetime(2027, 9, 20, 14, 0), "2027-12-13T14:00:00+00:00"),
        # the handover of a period ending at an office opening
        ("edt_handover", datetime(2027, 1, 4, 8, 30), "2027-01-04T10:00:00+00:00"),
        ("edt_handover", datetime(2027, 3, 27, 9, 0), "2027-03-30T10:00:00+01:00"),
    ],
)
def test_deadlines(kind: str, start: datetime, deadline: str) -> None:
    assert iso(CAL.due(kind, start)) == deadline


def test_working_hours_that_fill_a_day_end_at_its_closing_time() -> None:
    assert iso(CAL.add_working_hours(local(2027, 1, 4, 8, 30), 8.5)) == "2027-01-04T17:00:00+00:00"
    assert iso(CAL.add_working_hours(local(2027, 1, 4, 8, 30), 8.75)) == "2027-01-05T08:45:00+00:00"
    assert iso(CAL.add_working_hours(local(2027, 1, 4, 8, 30), 0)) == "2027-01-04T08:30:00+00:00"


def test_negative_working_hours_are_refused() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        CAL.add_working_hours(local(2027, 1, 4, 9), -1)


def test_unknown_kind_and_a_date_for_a_datetime_kind_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown deadline kind 'decision_purple'"):
        CAL.due("decision_purple", local(2027, 1, 4, 9))
    with pytest.raises(ValueError, match="decision_red counts from a date and time"):
        CAL.due("decision_red", date(2027, 1, 4))
    with pytest.raises(ValueError, match="icpc is a date deadline"):
        CAL.due_datetime("icpc", local(2027, 1, 4, 9))


# -- EDT periods -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (date(2027, 1, 5), "2027-01-04T17:00:00+00:00", "2027-01-05T08:30:00+00:00"),  # a weeknight
        (date(2027, 1, 4), "2026-12-31T17:00:00+00:00", "2027-01-04T08:30:00+00:00"),  # New Year weekend
        (date(2026, 12, 29), "2026-12-24T17:00:00+00:00", "2026-12-29T08:30:00+00:00"),  # Christmas
        (date(2026, 3, 30), "2026-03-27T17:00:00+00:00", "2026-03-30T08:30:00+01:00"),  # clock change
        (date(2027, 3, 30), "2027-03-25T17:00:00+00:00", "2027-03-30T08:30:00+01:00"),  # Easter
    ],
)
def test_edt_period_ending(day: date, start: str, end: str) -> None:
    begin, finish = CAL.edt_period_ending(day)
    assert (iso(begin), iso(finish)) == (start, end)
    assert iso(CAL.edt_handover(finish)) == f"{day.isoformat()}T10:00:00{end[-6:]}"


def test_edt_period_must_end_on_a_working_day() -> None:
    with pytest.raises(ValueError, match="2027-01-02 is not a working day"):
        CAL.edt_period_ending(date(2027, 1, 2))


def test_edt_handover_after_ten_is_the_next_working_day() -> None:
    assert iso(CAL.edt_handover(local(2027, 1, 8, 11))) == "2027-01-11T10:00:00+00:00"
    assert iso(CAL.edt_handover(local(2027, 1, 8, 10))) == "2027-01-08T10:00:00+00:00"


# -- time left and status --------------------------------------------------------------------------


RED_START = local(2026, 12, 24, 16, 30)
RED_DUE = local(2026, 12, 29, 12, 0)


def test_working_time_between() -> None:
    assert CAL.working_time_between(RED_START, RED_DUE) == timedelta(hours=4)
    assert CAL.working_time_between(RED_DUE, RED_START) == timedelta()
    # Across the spring clock change, a working week is still 5 × 8.5 hours.
    assert CAL.working_time_between(local(2026, 3, 27, 8, 30), local(2026, 4, 3, 8, 30)) == timedelta(
        hours=42.5
    )


@pytest.mark.parametrize(
    ("now", "status", "left"),
    [
        (local(2026, 12, 24, 16, 45), "ok", timedelta(hours=3, minutes=45)),
        (local(2026, 12, 28, 12, 0), "ok", timedelta(hours=3, minutes=30)),  # bank holiday: no time passes
        (local(2026, 12, 29, 10, 59), "ok", timedelta(hours=1, minutes=1)),
        (local(2026, 12, 29, 11, 0), "due_soon", timedelta(hours=1)),
        (local(2026, 12, 29, 12, 0), "due_soon", timedelta()),
        (local(2026, 12, 29, 12, 0, 1), "breached", -timedelta(seconds=1)),
        (local(2026, 12, 29, 18, 0), "breached", -timedelta(hours=6)),
    ],
)
def test_status_and_time_left_of_a_working_time_deadline(now: datetime, status: str, left: timedelta) -> None:
    assert CAL.status(RED_DUE, RED_START, now, kind="decision_red") == status
    assert CAL.time_left(RED_DUE, now, kind="decision_red") == left


def test_status_in_clock_time() -> None:
    start = local(2026, 3, 28, 12)
    due = CAL.due("missing_from_care_strategy", start)
    assert isinstance(due, datetime)
    # 17 hours later (local 06:00 after the clock change) 7 hours are left: ok; one hour later, due soon.
    assert CAL.status(due, start, local(2026, 3, 29, 6), kind="missing_from_care_strategy") == "ok"
    assert CAL.time_left(due, local(2026, 3, 29, 6)) == timedelta(hours=7)
    assert CAL.status(due, start, local(2026, 3, 29, 7), kind="missing_from_care_strategy") == "due_soon"
    assert CAL.status(due, start, local(2026, 3, 29, 14)) == "breached"


def test_status_of_a_date_deadline_runs_to_the_end_of_its_day() -> None:
    due = CAL.due("icpc", date(2026, 12, 22))
    assert isinstance(due, date)
    # 15 working days are 127.5 office hours; the last quarter (31.875 h) starts at 10:37:30 on 12 January.
    assert CAL.status(due, date(2026, 12, 22), local(2027, 1, 12, 10, 30), kind="icpc") == "ok"
    assert CAL.status(due, date(2026, 12, 22), local(2027, 1, 13, 9), kind="icpc") == "due_soon"
    assert CAL.status(due, date(2026, 12, 22), local(2027, 1, 15, 23, 59), kind="icpc") == "due_soon"
    assert CAL.status(due, date(2026, 12, 22), local(2027, 1, 16, 0, 0, 1), kind="icpc") == "breached"
    assert CAL.time_left(due, local(2027, 1, 15, 16), kind="icpc") == timedelta(hours=1)


# -- properties ------------------------------------------------------------------------------------


moments = st.datetimes(min_value=datetime(2025, 12, 1), max_value=datetime(2028, 1, 31))
hours = st.integers(min_value=0, max_value=200).map(lambda quarters: quarters / 4)


@PROPERTIES
@given(moments, hours)
def test_working_hours_deadline_is_in_office_hours_and_counts_exactly(start: datetime, amount: float) -> None:
    deadline = CAL.add_working_hours(start, amount)
    wall = deadline.replace(tzinfo=None)
    assert CAL.is_working_day(wall.date())
    assert time(8, 30) <= wall.time() <= time(17)
    assert deadline >= CAL.localize(start)
    assert CAL.working_time_between(start, deadline) == timedelta(hours=amount)


@PROPERTIES
@given(moments, st.integers(min_value=0, max_value=20))
def test_working_days_deadline_keeps_the_clock_time(start: datetime, days: int) -> None:
    clock = CAL.start_of_clock(start)
    deadline = CAL.add_working_days(start, days)
    assert deadline >= CAL.localize(start)
    assert deadline.time() == clock.time()
    assert CAL.in_office_hours(deadline)


@PROPERTIES
@given(
    st.dates(min_value=date(2025, 12, 1), max_value=date(2028, 1, 31)),
    st.sampled_from(["icpc", "assessment"]),
)
def test_date_deadlines_fall_on_working_days(start: date, kind: str) -> None:
    deadline = CAL.due(kind, start)
    assert isinstance(deadline, date) and not isinstance(deadline, datetime)
    assert CAL.is_working_day(deadline)
    days = (deadline - start).days
    counted = sum(CAL.is_working_day(start + timedelta(days=n)) for n in range(1, days + 1))
    assert counted == CAL.config.timescales[kind].amount


@PROPERTIES
@given(moments, st.sampled_from(sorted(CAL.kinds)))
def test_no_deadline_is_before_its_start(start: datetime, kind: str) -> None:
    deadline = CAL.due(kind, start)
    if isinstance(deadline, datetime):
        assert deadline >= CAL.localize(start)
        assert deadline.tzinfo is not None and deadline.astimezone(UTC).tzinfo is UTC
    else:
        assert deadline > CAL.localize(start).date()


# -- bank holidays: from the holidays package, kept in a small file ---------------------------------

_HOLIDAY_FILE = Path(__import__("tempfile").mkdtemp(prefix="mashdesk-bank-holidays-")) / "bank-holidays.json"


@PROPERTIES
@given(st.dates(min_value=date(1995, 1, 1), max_value=date(2045, 12, 31)))
def test_bank_holidays_agree_with_the_holidays_package_whether_remembered_or_not(day: date) -> None:
    import holidays

    from mashdesk.bank_holidays import BankHolidays

    expected = day in holidays.country_holidays("GB", subdiv="ENG")
    assert (day in BankHolidays("GB", "ENG", _HOLIDAY_FILE)) == expected  # fills or reads the file
    assert (day in BankHolidays("GB", "ENG", _HOLIDAY_FILE)) == expected  # reads it


def test_remembered_bank_holidays_need_no_import_of_the_package(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import holidays

    from mashdesk.bank_holidays import BankHolidays

    cache = tmp_path / "bank-holidays.json"
    assert date(2026, 12, 28) in BankHolidays("GB", "ENG", cache)  # Boxing Day is a Saturday: Monday instead

    def asked(*args: object, **kwargs: object) -> None:
        raise AssertionError("the package was asked although the year is in the file")

    monkeypatch.setattr(holidays, "country_holidays", asked)
    again = BankHolidays("GB", "ENG", cache)
    assert date(2026, 12, 28) in again and date(2026, 12, 29) not in again
    assert date(2026, 8, 31) in again  # the summer bank holiday


def test_a_new_holidays_release_or_a_damaged_file_asks_the_package_again(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    import mashdesk.bank_holidays as calendar
    from mashdesk.bank_holidays import BankHolidays

    cache = tmp_path / "bank-holidays.json"
    assert date(2026, 12, 25) in BankHolidays("GB", "ENG", cache)
    saved = json.loads(cache.read_text())
    (key,) = saved
    saved[key]["2026"] = []  # a file that says 2026 has none…
    cache.write_text(json.dumps(saved))
    assert date(2026, 12, 25) not in BankHolidays("GB", "ENG", cache)
    monkeypatch.setattr(calendar, "_holidays_version", lambda: "999.0")  # …is not trusted by a new release
    assert date(2026, 12, 25) in BankHolidays("GB", "ENG", cache)
    cache.write_text("{ not json")
    assert date(2026, 12, 25) in BankHolidays("GB", "ENG", cache)
    assert date(2026, 12, 25) in BankHolidays("GB", "ENG", tmp_path / "missing" / "folder" / "file.json")


def test_a_calendar_for_another_nation_is_not_given_englands_holidays(tmp_path: Path) -> None:
    from mashdesk.bank_holidays import BankHolidays

    cache = tmp_path / "bank-holidays.json"
    assert date(2026, 8, 31) in BankHolidays("GB", "ENG", cache)
    scotland = BankHolidays("GB", "SCT", cache)
    assert date(2026, 8, 3) in scotland and date(2026, 8, 31) not in scotland
    assert date(2026, 8, 31) in BankHolidays("GB", "ENG", cache)
