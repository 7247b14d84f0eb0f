from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mashdesk.cli import run
from rules import load_ruleset

EXAMPLE: dict[str, Any] = {
    "received_at": "2026-12-24T16:30:00",
    "household_indicators": ["family.domestic_abuse_current"],
    "children": [
        {
            "ref": "A",
            "date_of_birth": "2026-09-01",
            "disabled": False,
            "previous_cp_plan": False,
            "previous_contacts_12m": 0,
            "previous_referrals_12m": 0,
            "indicators": ["harm.injury_non_mobile_infant"],
        },
        {"ref": "B", "expected_date_of_birth": "2027-04-01", "indicators": []},
    ],
}


def triage(tmp_path: Path, capsys: pytest.CaptureFixture[str], contact: object) -> tuple[int, str, str]:
    path = tmp_path / "contact.json"
    path.write_text(contact if isinstance(contact, str) else json.dumps(contact), encoding="utf-8")
    code = run(["triage", str(path)])
    out, err = capsys.readouterr()
    return code, out, err


def with_child(**changes: Any) -> dict[str, Any]:
    """The example with child A changed (a value of None removes the field)."""
    child = {**EXAMPLE["children"][0], **changes}
    return {
        **EXAMPLE,
        "children": [{k: v for k, v in child.items() if v is not None}, EXAMPLE["children"][1]],
    }


# -- due ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "start", "printed"),
    [
        ("decision_red", "2026-12-24T16:30", "2026-12-29T12:00:00+00:00"),
        ("decision_amber", "2026-12-24T16:30", "2026-12-29T16:30:00+00:00"),
        ("decision_green", "2027-01-09T10:00:00", "2027-01-14T08:30:00+00:00"),
        ("decision_red", "2027-07-01T15:30:00+00:00", "2027-07-02T12:00:00+01:00"),
        ("decision_red", "2027-07-01T15:30:00Z", "2027-07-02T12:00:00+01:00"),
        ("missing_from_care_strategy", "2026-03-28T12:00", "2026-03-29T13:00:00+01:00"),
        ("edt_handover", "2027-01-04T08:30", "2027-01-04T10:00:00+00:00"),
        ("icpc", "2026-12-22", "2027-01-15"),
        ("icpc", "2026-12-22T15:00", "2027-01-15"),
        ("assessment", "2027-03-19", "2027-05-26"),
    ],
)
def test_due_prints_one_line(capsys: pytest.CaptureFixture[str], kind: str, start: str, printed: str) -> None:
    assert run(["due", kind, start]) == 0
    assert capsys.readouterr() == (printed + "\n", "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["due", "decision_purple", "2026-12-24T16:30"],
            "mashdesk: KIND: unknown deadline kind 'decision_purple'",
        ),
        (
            ["due", "decision_red", "Christmas Eve"],
            "mashdesk: START: 'Christmas Eve' is not an ISO date and time",
        ),
        (["due", "icpc", "2026-13-01"], "mashdesk: START: '2026-13-01' is not an ISO date and time"),
    ],
)
def test_due_bad_input_exits_2(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    assert run(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(message) and err.count("\n") == 1


# -- triage ------------------------------------------------------------------------------------------------


def test_triage_of_the_interfaces_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = triage(tmp_path, capsys, EXAMPLE)
    assert (code, err) == (0, "")
    result = json.loads(out)
    ruleset = load_ruleset()
    assert list(result) == ["ruleset", "rag", "decision_due", "children"]
    assert result["ruleset"] == {"id": ruleset.id, "version": ruleset.version}
    assert (result["rag"], result["decision_due"]) == ("red", "2026-12-29T12:00:00+00:00")
    a, b = result["children"]
    assert list(a) == ["ref", "level", "outcome", "rag", "rules", "flags", "reasons"]
    assert {k: v for k, v in a.items() if k != "reasons"} == {
        "ref": "A",
        "level": 4,
        "outcome": "strategy_discussion",
        "rag": "red",
        "rules": ["max_level", "strategy_required"],
        "flags": ["immediate", "strategy"],
    }
    assert len(a["reasons"]) == 2 and all(isinstance(r, str) and r.endswith(".") for r in a["reasons"])
    assert (b["ref"], b["level"], b["rules"], b["flags"]) == (
        "B",
        3,
        ["max_level", "pre_birth"],
        ["pre_birth_assessment"],
    )


def test_triage_reads_standard_input_and_writes_utf8(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    contact = {
        "received_at": "2027-07-01T09:00:00",
        "children": [{"ref": "Zoë", "date_of_birth": "2015-01-01"}],
    }
    monkeypatch.setattr(
        sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(contact, ensure_ascii=False).encode("utf-8")))
    )
    assert run(["triage", "-"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["children"][0]["ref"] == "Zoë"
    assert (result["rag"], result["decision_due"]) == ("green", "2027-07-06T09:00:00+01:00")


def test_received_at_with_an_offset_is_converted_to_local_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contact = {**EXAMPLE, "received_at": "2027-07-01T15:30:00+00:00"}
    code, out, _ = triage(tmp_path, capsys, contact)
    assert code == 0
    assert json.loads(out)["decision_due"] == "2027-07-02T12:00:00+01:00"


def test_an_amber_contact_is_due_in_one_working_day(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contact = {
        "received_at": "2027-03-25T09:15",
        "children": [{"ref": "C", "date_of_birth": "2012-06-01", "indicators": ["child.offending"]}],
    }
    code, out, _ = triage(tmp_path, capsys, contact)
    assert code == 0
    assert (json.loads(out)["rag"], json.loads(out)["decision_due"]) == ("amber", "2027-03-30T09:15:00+01:00")


@pytest.mark.parametrize(
    ("contact", "message"),
    [
        (with_child(indicators=["harm.unicorns"]), "child A: indicators: unknown indicator 'harm.unicorns'"),
        (
            with_child(indicators=["child.offending"]),
            "child A: indicators: child.offending does not apply to a child aged 0",
        ),
        (with_child(expected_date_of_birth="2027-01-01"), "child A: date_of_birth: give exactly one"),
        (with_child(date_of_birth=None), "child A: date_of_birth: give exactly one"),
        (with_child(date_of_birth="2026-12-25"), "child A: date_of_birth: 2026-12-25 is after the contact"),
        (with_child(date_of_birth="01/09/2026"), "child A: date_of_birth: '01/09/2026' is not an ISO date"),
        (with_child(date_of_birth=20260901), "child A: date_of_birth: 20260901 is not an ISO date"),
        (with_child(disabled="no"), "child A: disabled: must be true or false"),
        (with_child(previous_contacts_12m=-1), "child A: previous_contacts_12m: must be a whole number"),
        (with_child(previous_referrals_12m=1.5), "child A: previous_referrals_12m: must be a whole number"),
        (with_child(indicators="harm.fgm"), "child A: indicators: must be a list of indicator ids"),
        (with_child(colour="red"), "child A: colour: unknown field"),
        (with_child(ref=""), "children[0].ref: must be a non-empty string"),
        ({**EXAMPLE, "children": [EXAMPLE["children"][0]] * 2}, "child A: ref is used by two children"),
        ({**EXAMPLE, "children": []}, "children: a contact needs at least one child"),
        ({**EXAMPLE, "children": {"A": {}}}, "children: must be a list of children"),
        ({**EXAMPLE, "children": ["A"]}, "children[0]: must be an object"),
        (
            {
                **EXAMPLE,
                "household_indicators": ["parenting.missed_antenatal"],
                "children": [EXAMPLE["children"][0]],
            },
            "household_indicators: parenting.missed_antenatal does not fit any child",
        ),
        (
            {**EXAMPLE, "household_indicators": "family.poor_housing"},
            "household_indicators: must be a list of indicator ids",
        ),
        (
            {k: v for k, v in EXAMPLE.items() if k != "received_at"},
            "received_at: must be an ISO date and time",
        ),
        ({**EXAMPLE, "received_at": "yesterday"}, "received_at: 'yesterday' is not an ISO date and time"),
        ({**EXAMPLE, "referrer": "school"}, "referrer: unknown field"),
        ([EXAMPLE], "FILE: the contact must be a JSON object"),
        (
            '{"received_at": "2026-12-24T16:30:00",\n "children": [}',
            "FILE: not valid JSON at line 2, column 15",
        ),
    ],
)
def test_bad_triage_input_exits_2_with_one_line_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], contact: object, message: str
) -> None:
    code, out, err = triage(tmp_path, capsys, contact)
    assert (code, out) == (2, "")
    assert err.startswith(f"mashdesk: {message}")
    assert err.count("\n") == 1


def test_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["triage", str(tmp_path / "absent.json")]) == 2
    assert "FILE: cannot read" in capsys.readouterr().err


def test_the_installed_command(tmp_path: Path) -> None:
    command = Path(sys.executable).with_name("mashdesk")
    done = subprocess.run(
        [command, "triage", "-"],
        input=json.dumps(EXAMPLE).encode(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, b"")
    assert json.loads(done.stdout.decode("utf-8"))["decision_due"] == "2026-12-29T12:00:00+00:00"
    bad = subprocess.run(
        [command, "due", "decision_red", "soon"], capture_output=True, timeout=60, check=False
    )
    assert (bad.returncode, bad.stdout) == (2, b"")
    assert bad.stderr.decode() == "mashdesk: START: 'soon' is not an ISO date and time\n"
