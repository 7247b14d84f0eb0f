"""The Early Help receiving teams: read once from ``resources/config/early_help.toml``.

Every place that names a Children and Family Centre — the step-down service, its form, the demo data,
the window's filters — asks here, so the list is data, not code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

_DEFAULT_FILE = "early_help.toml"
_CENTRE_KEYS = ("code", "name", "short", "address", "email")
_MASH_KEYS = ("name", "phone", "email")


class EarlyHelpConfigError(ValueError):
    """The Early Help configuration is invalid; the message names the file and the key."""


@dataclass(frozen=True)
class Centre:
    """A receiving team or Children and Family Centre."""

    code: str
    name: str
    #: A short name for lists and filters ("Blenheim").
    short: str
    address: str
    email: str


@dataclass(frozen=True)
class MashContact:
    """The MASH as the step-down form names it, for the receiving team to call back."""

    name: str
    phone: str
    email: str


@dataclass(frozen=True)
class EarlyHelpConfig:
    mash: MashContact
    centres: tuple[Centre, ...]

    def centre(self, code: str | None) -> Centre | None:
        return next((c for c in self.centres if c.code == code), None)

    def centre_name(self, code: str | None, short: bool = False) -> str:
        """The centre's name (or short name); an unknown (retired) code is shown as it was stored."""
        found = self.centre(code)
        if found is None:
            return code or ""
        return found.short if short else found.name


def load_early_help_config(path: Path | None = None) -> EarlyHelpConfig:
    """Read the receiving teams (default: the packaged ``early_help.toml``).

    Raises:
        EarlyHelpConfigError: not valid TOML, an unknown or missing key, an empty value or a duplicate code.
    """
    if path is None:
        name = _DEFAULT_FILE
        raw = resources.files("resources.config").joinpath(_DEFAULT_FILE).read_bytes()
    else:
        name, raw = str(path), path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise EarlyHelpConfigError(f"{name}: not valid TOML: {exc}") from exc
    for key in data:
        if key not in ("mash", "centres"):
            raise EarlyHelpConfigError(f"{name}: {key}: unknown key")
    mash = _table(name, "mash", data.get("mash"), _MASH_KEYS)
    listed = data.get("centres")
    if not isinstance(listed, list) or not listed:
        raise EarlyHelpConfigError(f"{name}: centres: list at least one [[centres]] table")
    centres: list[Centre] = []
    for i, raw_centre in enumerate(listed, start=1):
        values = _table(name, f"centres[{i}]", raw_centre, _CENTRE_KEYS)
        if any(c.code == values["code"] for c in centres):
            raise EarlyHelpConfigError(f"{name}: centres[{i}].code: {values['code']!r} is listed twice")
        centres.append(Centre(**values))
    return EarlyHelpConfig(mash=MashContact(**mash), centres=tuple(centres))


def _table(name: str, where: str, value: Any, keys: tuple[str, ...]) -> dict[str, str]:
    if not isinstance(value, dict):
        raise EarlyHelpConfigError(f"{name}: {where}: missing, or not a table")
    for key in value:
        if key not in keys:
            raise EarlyHelpConfigError(f"{name}: {where}.{key}: unknown key")
    out = {}
    for key in keys:
        text = value.get(key)
        if not isinstance(text, str) or not text.strip():
            raise EarlyHelpConfigError(f"{name}: {where}.{key}: give a non-empty text")
        out[key] = text.strip()
    return out


@cache
def early_help_config() -> EarlyHelpConfig:
    """The packaged configuration, read once."""
    return load_early_help_config()


__all__ = [
    "Centre",
    "EarlyHelpConfig",
    "EarlyHelpConfigError",
    "MashContact",
    "early_help_config",
    "load_early_help_config",
]
