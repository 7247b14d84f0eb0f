"""``mashdesk import persons`` and ``mashdesk match`` exactly as interfaces.md says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, Person
from mashdesk.cli import run

HEADER = "external_id,first_name,last_name,date_of_birth,sex,postcode,nhs_number,aliases\n"


@pytest.fixture
def signed_in(ctx, actors, db_url, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MASHDESK_PASSWORD", "secret")
    return db_url


def _csv(tmp_path: Path, body: str) -> str:
    path = tmp_path / "people.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return str(path)


def test_import_then_match_prints_the_contracted_json(ctx, signed_in, tmp_path, capsys):  # type: ignore[no-untyped-def]
    path = _csv(tmp_path, "P000123,Muhammad,Khan,2015-04-03,M,BR1 3UH,,Mo Ahmed\n"
                          "P000124,Zoë,Smith-Jones,2018-11-02,F,,,\n")
    assert run(["import", "persons", path, "--db", signed_in, "--as", "test.manager"]) == 0
    assert json.loads(capsys.readouterr().out) == {"created": 2, "updated": 0}

    code = run(["match", "--db", signed_in, "--as", "test.practitioner", "--first-name", "Mohammed",
                "--last-name", "Khan", "--dob", "2015-03-04", "--postcode", "br13uh"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    (candidate,) = out["candidates"]
    assert set(candidate) == {"person_id", "external_id", "score", "band", "reasons"}
    assert candidate["external_id"] == "P000123" and candidate["band"] == "likely"
    assert candidate["score"] == round(candidate["score"], 1) and 85 <= candidate["score"] <= 100
    assert "date of birth with day and month swapped" in candidate["reasons"]

    assert run(["match", "--db", signed_in, "--as", "test.practitioner", "--first-name", "Zoe",
                "--last-name", "Jones", "--limit", "1"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [c["external_id"] for c in out["candidates"]] == ["P000124"]
    with ctx.session_factory() as s:
        actions = list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions.count("person.match") == 2 and actions.count("person.import") == 1


def test_match_lists_nothing_below_60(signed_in, capsys):  # type: ignore[no-untyped-def]
    assert run(["match", "--db", signed_in, "--as", "test.practitioner", "--first-name", "Nobody",
                "--last-name", "Known"]) == 0
    assert json.loads(capsys.readouterr().out) == {"candidates": []}


def test_a_bad_import_exits_2_naming_the_line_and_imports_nothing(ctx, signed_in, tmp_path, capsys):  # type: ignore[no-untyped-def]
    path = _csv(tmp_path, "A1,Ann,Lee,2015-01-01,F,,,\nA2,Bob,Lee,2015-01-01,M,,12345,\n")
    assert run(["import", "persons", path, "--db", signed_in, "--as", "test.manager"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == "mashdesk: line 3: nhs_number: an NHS number has 10 digits"
    with ctx.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 0


@pytest.mark.parametrize(("args", "message"), [
    (["--dob", "2015-13-01"], "--dob: not a real date"),
    (["--limit", "0"], "--limit: 1 to 1,000"),
])
def test_bad_match_input_exits_2(signed_in, capsys, args, message):  # type: ignore[no-untyped-def]
    code = run(["match", "--db", signed_in, "--as", "test.practitioner", "--first-name", "A", "--last-name", "B",
                *args])
    assert code == 2 and message in capsys.readouterr().err


def test_a_role_without_the_permission_exits_1(signed_in, tmp_path, capsys):  # type: ignore[no-untyped-def]
    path = _csv(tmp_path, "A1,Ann,Lee,2015-01-01,F,,,\n")
    assert run(["import", "persons", path, "--db", signed_in, "--as", "test.practitioner"]) == 1
    assert "may not" in capsys.readouterr().err
