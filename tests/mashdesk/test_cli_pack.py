"""``mashdesk pack strategy --discussion ID --as USERNAME --out FILE.pdf`` exactly as interfaces.md says."""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from db.models import AuditEvent
from mashdesk.cli import run
from mashdesk.demo import build_demo


@pytest.fixture
def demo_db(ctx, db_url, monkeypatch):  # type: ignore[no-untyped-def]
    build_demo(ctx, 120, seed=5)
    monkeypatch.setenv("MASHDESK_PASSWORD", "demo")
    return db_url


def test_pack_strategy_saves_the_pack_as_the_user_may_see_it(ctx, demo_db, tmp_path, capsys):  # type: ignore[no-untyped-def]
    out = tmp_path / "pack.pdf"
    code = run(
        [
            "pack",
            "strategy",
            "--discussion",
            "1",
            "--as",
            "demo.education",
            "--out",
            str(out),
            "--db",
            demo_db,
        ]
    )
    assert code == 0
    assert json.loads(capsys.readouterr().out) == {
        "discussion": 1,
        "out": str(out),
        "bytes": out.stat().st_size,
    }
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages).split())
    assert "Answer withheld: restricted to Metropolitan Police" in text and "Do not disclose" not in text
    assert "Prepared for Tom Whitfield, Education" in text  # demo.education, on every page
    with ctx.session_factory() as s:
        actions = list(s.scalars(select(AuditEvent.action).where(AuditEvent.username == "demo.education")))
    assert {"pack.build", "pack.save"} <= set(actions)


def test_bad_input_exits_2_naming_the_field_and_a_role_without_packs_exits_1(
    actors,
    db_url,
    tmp_path,
    capsys,  # type: ignore[no-untyped-def]
    monkeypatch,
):
    monkeypatch.setenv("MASHDESK_PASSWORD", "secret")
    out = tmp_path / "pack.pdf"
    for discussion in ("9999", "one"):
        assert (
            run(
                [
                    "pack",
                    "strategy",
                    "--discussion",
                    discussion,
                    "--as",
                    "test.police",
                    "--out",
                    str(out),
                    "--db",
                    db_url,
                ]
            )
            == 2
        )
        assert capsys.readouterr().err.startswith("mashdesk: --discussion")
    assert (
        run(["pack", "strategy", "--discussion", "1", "--as", "test.edt", "--out", str(out), "--db", db_url])
        == 1
    )
    assert "may not" in capsys.readouterr().err
    assert not out.exists()
