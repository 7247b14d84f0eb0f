"""``mashdesk user``: refusals a person at the terminal meets, each in one line naming the field."""

from __future__ import annotations

import json
import re

import pytest

from mashdesk.cli import run


@pytest.fixture
def admin(actors, db_url, monkeypatch):
    monkeypatch.setenv("MASHDESK_PASSWORD", "secret")
    return ["--db", db_url, "--as", "test.admin"]


def test_only_administrators_manage_users(actors, db_url, monkeypatch, capsys):
    monkeypatch.setenv("MASHDESK_PASSWORD", "secret")
    assert run(["user", "list", "--db", db_url, "--as", "test.manager"]) == 1
    assert "may not user: manage" in capsys.readouterr().err


@pytest.mark.parametrize("argv, field", [
    (["user", "add", "x y", "--name", "X Y", "--role", "health"], "username"),
    (["user", "add", "x.y", "--name", "X Y", "--role", "wizard"], "role"),
    (["user", "add", "x.y", "--name", "X Y", "--role", "health", "--agency", "mars"], "agency"),
    (["user", "role", "test.edt", "wizard"], "role"),
    (["user", "deactivate", "test.admin"], "user"),  # the last active administrator, and oneself
])
def test_bad_input_is_one_line_naming_the_field(admin, argv, field, capsys):
    assert run([*argv, *admin]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"mashdesk: {field}: ") and err.count("\n") == 1


def test_a_reset_password_is_refused_at_the_command_line_until_changed_in_the_window(admin, db_url, monkeypatch,
                                                                                       capsys):
    assert run(["user", "reset", "test.manager", *admin]) == 0
    temporary = json.loads(capsys.readouterr().out)["temporary_password"]
    monkeypatch.setenv("MASHDESK_PASSWORD", temporary)
    assert run(["audit", "verify", "--db", db_url, "--as", "test.manager"]) == 1
    err = capsys.readouterr().err
    assert "reset this password" in err and "window to choose a new one" in err and err.count("\n") == 1


def test_five_wrong_passwords_lock_a_command_line_user_too(actors, db_url, monkeypatch, capsys):
    monkeypatch.setenv("MASHDESK_PASSWORD", "wrong wrong")
    for _ in range(5):
        assert run(["audit", "verify", "--db", db_url, "--as", "test.manager"]) == 1
    monkeypatch.setenv("MASHDESK_PASSWORD", "secret")
    assert run(["audit", "verify", "--db", db_url, "--as", "test.manager"]) == 1
    assert re.search(r"locked until \d\d:\d\d\. Try again then", capsys.readouterr().err)  # the real clock
    monkeypatch.setenv("MASHDESK_PASSWORD", "secret")
    assert run(["user", "unlock", "test.manager", "--db", db_url, "--as", "test.admin"]) == 0
    assert run(["audit", "verify", "--db", db_url, "--as", "test.manager"]) == 0
