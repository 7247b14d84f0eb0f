"""The meeting's tests build their desk with :class:`tests.meeting_builders.Builder`."""

from __future__ import annotations

import pytest

from tests.meeting_builders import Builder


@pytest.fixture
def build(ctx, actors, clock) -> Builder:  # type: ignore[no-untyped-def]
    return Builder(ctx, actors, clock)
