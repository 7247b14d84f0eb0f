from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from rules import DATA_DIR, ThresholdEngine, load_ruleset

SHIPPED = DATA_DIR / "bromley-ton-2026.1.toml"

#: Writes a copy of the shipped ruleset with each ``(old, new)`` text replacement made; returns its path.
VariantWriter = Callable[..., Path]


@pytest.fixture(scope="session")
def engine() -> ThresholdEngine:
    return ThresholdEngine(load_ruleset())


@pytest.fixture
def ruleset_variant(tmp_path: Path) -> VariantWriter:
    def write(*replacements: tuple[str, str], name: str = SHIPPED.name) -> Path:
        text = SHIPPED.read_text(encoding="utf-8")
        for old, new in replacements:
            assert text.count(old) == 1, f"{old!r} must occur exactly once in the shipped ruleset"
            text = text.replace(old, new)
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
