"""Which ruleset version is in force at a moment, and the engine for any stored version.

Triage asks here for the engine in force when a contact was received. A version an administrator loaded is
evaluated from its stored text (cached by its SHA-256), so the files on disk may change without changing
what a stored version means. Before any version is activated, the newest shipped ruleset that is not a
draft is in force.
"""

from __future__ import annotations

import threading
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import RulesetVersion
from rules import DATA_DIR, RulesetError, ThresholdEngine, load_ruleset, parse_ruleset, text_sha256

_ENGINES: dict[str, ThresholdEngine] = {}
_LOCK = threading.Lock()


def file_name(ruleset_id: str, version: str) -> str:
    return f"{ruleset_id}-{version}.toml"


@lru_cache(maxsize=1)
def default_engine() -> ThresholdEngine:
    """The engine of the newest shipped ruleset that is not a draft: in force until a version is activated."""
    return ThresholdEngine(load_ruleset())


def engine_of_text(text: str, name: str, sha256: str | None = None) -> ThresholdEngine:
    """The engine for a ruleset file's ``text`` (validated strictly; errors name ``name`` and the line)."""
    key = sha256 or text_sha256(text)
    engine = _ENGINES.get(key)
    if engine is None:
        engine = ThresholdEngine(parse_ruleset(text, Path(name)))
        with _LOCK:
            _ENGINES[key] = engine
    return engine


def engine_in_force(s: Session, at: datetime) -> ThresholdEngine:
    """The engine of the version in force at ``at`` (a contact's received time)."""
    row = s.execute(
        select(RulesetVersion.text, RulesetVersion.file_name, RulesetVersion.sha256)
        .where(RulesetVersion.effective_from.is_not(None), RulesetVersion.effective_from <= at)
        .order_by(RulesetVersion.effective_from.desc(), RulesetVersion.id.desc()).limit(1)).first()
    if row is None:
        return default_engine()
    return engine_of_text(row.text, row.file_name, row.sha256)


def engine_for(s: Session, ruleset_id: str, version: str) -> ThresholdEngine:
    """The engine of a stored assessment's version: its stored text, else the shipped file of that name."""
    row = s.execute(select(RulesetVersion.text, RulesetVersion.file_name, RulesetVersion.sha256).where(
        RulesetVersion.ruleset_id == ruleset_id, RulesetVersion.ruleset_version == version)).first()
    if row is not None:
        return engine_of_text(row.text, row.file_name, row.sha256)
    default = default_engine()
    if (default.ruleset.id, default.ruleset.version) == (ruleset_id, version):
        return default
    path = DATA_DIR / file_name(ruleset_id, version)
    if not path.is_file():
        raise RulesetError(path, None, "this ruleset version is neither stored nor shipped with the desk")
    return engine_of_text(path.read_text(encoding="utf-8"), path.name)
