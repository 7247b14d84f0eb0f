"""Qt fixtures: a small demo desk to drive."""

from __future__ import annotations

import pytest

from mashdesk.demo import build_demo

pytestmark = pytest.mark.qt


@pytest.fixture
def demo_ctx(ctx):
    """The shared ``ctx`` (SQLite and PostgreSQL) filled with a small demo desk."""
    build_demo(ctx, 120, seed=5)
    return ctx


@pytest.fixture
def manager(demo_ctx):
    from mashdesk.services.auth import AuthService

    return AuthService(demo_ctx).actor("demo.manager")
