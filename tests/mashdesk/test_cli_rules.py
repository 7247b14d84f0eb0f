"""``mashdesk rules replay`` and ``mashdesk rules consistency`` exactly as interfaces.md says."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from mashdesk.cli import run
from mashdesk.demo import build_demo
from rules import DATA_DIR


@pytest.fixture
def demo_db(ctx, db_url, monkeypatch):  # type: ignore[no-untyped-def]
    build_demo(ctx, 120, seed=5)
    monkeypatch.setenv("MASHDESK_PASSWORD", "demo")
    return db_url


def _period(ctx):  # type: ignore[no-untyped-def]
    today = ctx.now().date()
    return ["--from", (today - timedelta(days=365)).isoformat(), "--to", today.isoformat()]


def test_replay_prints_the_changed_children_and_the_matrix(ctx, demo_db, capsys):  # type: ignore[no-untyped-def]
    code = run(["rules", "replay", "--ruleset", str(DATA_DIR / "bromley-ton-2027.1.toml"), *_period(ctx),
                "--as", "demo.manager", "--db", demo_db, "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    level = out["matrix"]["level"]
    assert out["changed"] == sum(c["children"] for c in level if c["old"] != c["new"])
    assert out["children"] == sum(c["children"] for c in level) > 0
    assert out["proposed"] == "bromley-ton 2027.1"


def test_consistency_prints_override_rates(ctx, demo_db, capsys):  # type: ignore[no-untyped-def]
    assert run(["rules", "consistency", *_period(ctx), "--as", "demo.admin", "--db", demo_db]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["decisions"] == sum(line["decisions"] for line in out["by_practitioner"]) > 0


@pytest.mark.parametrize("args, field", [
    (["--ruleset", "missing.toml", "--from", "2026-01-01", "--to", "2026-02-01"], "--ruleset"),
    (["--ruleset", str(DATA_DIR / "bromley-ton-2027.1.toml"), "--from", "2026-13-01", "--to", "2026-02-01"],
     "--from"),
    (["--ruleset", str(DATA_DIR / "bromley-ton-2027.1.toml"), "--from", "2026-03-01", "--to", "2026-02-01"],
     "to:"),
])
def test_bad_input_exits_2_naming_the_field(demo_db, capsys, args, field):  # type: ignore[no-untyped-def]
    assert run(["rules", "replay", *args, "--as", "demo.admin", "--db", demo_db]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and field in err[0]


def test_a_malformed_ruleset_exits_2_naming_file_and_line(demo_db, capsys, tmp_path):  # type: ignore[no-untyped-def]
    bad = tmp_path / "bromley-ton-2027.1.toml"
    bad.write_text((DATA_DIR / "bromley-ton-2027.1.toml").read_text(encoding="utf-8").replace(
        "min_domains = 2", "min_domains = 2\nmax_domains = 5"), encoding="utf-8")
    assert run(["rules", "replay", "--ruleset", str(bad), "--from", "2026-01-01", "--to", "2026-02-01",
                "--as", "demo.admin", "--db", demo_db]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--ruleset: bromley-ton-2027.1.toml, line " in err[0]
    assert "rules.cumulative_needs.max_domains: unknown key" in err[0]


def test_practitioners_may_not_replay(demo_db, capsys):  # type: ignore[no-untyped-def]
    code = run(["rules", "replay", "--ruleset", str(DATA_DIR / "bromley-ton-2027.1.toml"), "--from", "2026-01-01",
                "--to", "2026-02-01", "--as", "demo.practitioner", "--db", demo_db])
    assert code != 0 and "may not" in capsys.readouterr().err
