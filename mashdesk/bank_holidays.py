"""England and Wales bank holidays from the ``holidays`` package, kept in a small file for a fast start."""

from __future__ import annotations

import json
import os
from datetime import date
from importlib.util import find_spec
from pathlib import Path

from mashdesk.clock import LONDON, Clock, system_clock


def _holidays_version() -> str | None:
    """The installed ``holidays`` package's version, read from its metadata folder without importing it."""

    try:
        spec = find_spec("holidays")
        origin = spec.origin if spec else None
        if origin is None:
            return None
        package = Path(origin).parent
        found = sorted(package.parent.glob("holidays-*.dist-info"))
    except (OSError, ImportError, ValueError):
        return None
    if len(found) != 1:  # none, or leftovers of several installs: do not guess
        return None
    return found[0].name.removeprefix("holidays-").removesuffix(".dist-info")


class BankHolidays:
    """The bank holidays of one country and subdivision, from the ``holidays`` package.

    Importing ``holidays`` loads every country it knows, about a tenth of a second, which
    would hold up the desk's first paint. So the dates of the years around today are kept
    in a small JSON file (in the desk's data folder), under the country, the subdivision
    and the package's version: a new ``holidays`` release, or a year outside the file,
    asks the package again. A file that cannot be read or written is simply not used.
    """

    #: Years either side of today whose dates are kept in the file.
    KEEP_YEARS = 10

    def __init__(self, country: str, subdivision: str | None, cache_file: Path | None = None,
                 clock: Clock = system_clock) -> None:
        self.country, self.subdivision = country, subdivision
        self._file = cache_file
        self._clock = clock
        self._dates: set[date] = set()
        self._years: set[int] = set()
        self._key: str | None = None
        self._loaded_file = False

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date):
            return False
        if day.year not in self._years:
            self._add_year(day.year)
        return day in self._dates

    def _add_year(self, year: int) -> None:
        if not self._loaded_file:
            self._loaded_file = True
            self._read_file()
            if year in self._years:
                return
        import holidays

        found = holidays.country_holidays(self.country, subdiv=self.subdivision, years=year)
        self._dates.update(d for d in found if d.year == year)
        self._years.add(year)
        if abs(year - self._this_year()) <= self.KEEP_YEARS:
            self._write_file()

    def _this_year(self) -> int:
        return self._clock().astimezone(LONDON).year

    def _cache_key(self) -> str | None:
        if self._key is None and self._file is not None:
            version = _holidays_version()
            self._key = f"{self.country}/{self.subdivision or ''}/holidays {version}" if version else None
        return self._key

    def _read_file(self) -> None:
        key = self._cache_key()
        if key is None or self._file is None:
            return
        try:
            saved = json.loads(self._file.read_text(encoding="utf-8"))
            years = saved[key]
            dates = {int(y): [date.fromisoformat(d) for d in ds] for y, ds in years.items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return
        for year, days in dates.items():
            self._years.add(year)
            self._dates.update(days)

    def _write_file(self) -> None:
        key = self._cache_key()
        if key is None or self._file is None:
            return
        today = self._this_year()
        years = {str(y): sorted(d.isoformat() for d in self._dates if d.year == y)
                 for y in sorted(self._years) if abs(y - today) <= self.KEEP_YEARS}
        try:
            saved = json.loads(self._file.read_text(encoding="utf-8")) if self._file.exists() else {}
            if not isinstance(saved, dict):
                saved = {}
        except (OSError, ValueError):
            saved = {}
        saved = {k: v for k, v in saved.items() if not k.startswith(f"{self.country}/{self.subdivision or ''}/")}
        saved[key] = years
        try:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            part = self._file.with_name(f"{self._file.name}.{os.getpid()}.part")
            part.write_text(json.dumps(saved, indent=1), encoding="utf-8")
            os.replace(part, self._file)
        except OSError:
            return


def default_holiday_cache() -> Path | None:
    try:
        from mashdesk.paths import data_dir

        return data_dir() / "bank-holidays.json"
    except Exception:  # noqa: BLE001 - no data folder: the package is asked every time
        return None
