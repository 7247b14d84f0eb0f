"""Loading and validating Threshold of Need ruleset files.

A ruleset is a TOML file in ``rules/data`` named ``<id>-<version>.toml``. It is the only place where levels,
outcomes and indicators are defined; the engine reads everything it needs from the :class:`Ruleset` built
here. Validation is strict: an unknown key, a duplicate id or a reference to something that does not exist
raises :class:`~rules.errors.RulesetError` naming the file, the key or indicator, and the line when found.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path

from rules.builder import RulesetBuilder
from rules.errors import RulesetError
from rules.model import Ruleset

DATA_DIR = Path(__file__).parent / "data"

_FILE_NAME = re.compile(r"^(?P<id>[a-z0-9][a-z0-9-]*?)-(?P<version>\d+(?:\.\d+)*)\.toml$")
_TOML_LINE = re.compile(r"at line (\d+)")


def version_key(version: str) -> tuple[int, ...]:
    """Sort key of a dotted version such as ``2026.1``."""
    return tuple(int(part) for part in version.split("."))


def available_rulesets(directory: Path | None = None) -> list[Path]:
    """The ruleset files in ``directory`` (default ``rules/data``), oldest version first."""
    folder = directory or DATA_DIR
    found: list[tuple[tuple[int, ...], Path]] = []
    for path in folder.glob("*.toml"):
        match = _FILE_NAME.match(path.name)
        if not match:
            raise RulesetError(
                path, None, "a ruleset file must be named <id>-<version>.toml, e.g. ton-2026.1.toml"
            )
        found.append((version_key(match["version"]), path))
    found.sort()
    for (older, older_path), (newer, newer_path) in zip(found, found[1:], strict=False):
        if older == newer:
            raise RulesetError(newer_path, None, f"same version as {older_path.name}")
    return [path for _, path in found]


def load_ruleset(name: str | None = None, *, directory: Path | None = None) -> Ruleset:
    """Load the ruleset file ``name`` (with or without ``.toml``) or, by default, the highest version that
    is not a draft (``draft = true`` under ``[ruleset]``: a proposal to replay, never used unasked)."""
    folder = directory or DATA_DIR
    if name is None:
        files = available_rulesets(folder)
        for path in reversed(files):
            ruleset = load_ruleset_file(path)
            if not ruleset.draft:
                return ruleset
        raise RulesetError(folder, None, "no ruleset file (*.toml) that is not a draft in this folder")
    return load_ruleset_file(folder / (name if name.endswith(".toml") else f"{name}.toml"))


def read_ruleset_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesetError(path, None, f"cannot be read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise RulesetError(path, None, f"is not UTF-8 text: {exc.reason}") from exc


def load_ruleset_file(path: Path) -> Ruleset:
    return parse_ruleset(read_ruleset_text(path), path)


def text_sha256(text: str) -> str:
    """The SHA-256 of a ruleset file's text, as stored with a version."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_ruleset(text: str, path: Path) -> Ruleset:
    """Build a ruleset from a file's ``text`` (a stored version's, or one just read); ``path`` names it in
    errors and must be named ``<id>-<version>.toml`` as the text says."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _TOML_LINE.search(str(exc))
        raise RulesetError(path, None, f"not valid TOML: {exc}", int(line[1]) if line else None) from exc
    return RulesetBuilder(path, text).build(data)
