"""``mashdesk connect``: a team database remembered without its password, the password in the keyring."""

from __future__ import annotations

import json

import pytest
from keyring.backends import fail

from mashdesk import team_db
from mashdesk.cli import run
from mashdesk.paths import data_dir
from tests.helpers import keyring_in_use, memory_keyring


@pytest.fixture
def keyring():  # type: ignore[no-untyped-def]
    with keyring_in_use(memory_keyring()) as backend:
        yield backend


@pytest.fixture
def team_url(pg_database):  # type: ignore[no-untyped-def]
    """The test server's database as a person would type it: postgresql://USER@HOST/DB, no password."""
    return "postgresql://" + pg_database.split("://", 1)[1]


def _exit_code(argv: list[str]) -> int:
    try:
        return run(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


def test_connect_keeps_the_password_in_the_keyring_and_nowhere_else(team_url, keyring, monkeypatch, capsys):
    monkeypatch.setenv("PGPASSWORD", "correct horse battery")
    assert run(["connect", team_url, "--sslmode", "prefer"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown == {"database": f"{team_url}?sslmode=prefer", "password": "kept in the system keyring",
                     "tls": "TLS if the server offers it (sslmode=prefer)"}
    db = team_db.parse(team_url)
    assert keyring.passwords == {(team_db.KEYRING_SERVICE, db.key): "correct horse battery"}
    for path in data_dir().rglob("*"):  # the remembered URL, any settings: no password anywhere on disk
        if path.is_file():
            assert "correct horse" not in path.read_text(encoding="utf-8", errors="replace"), path

    # The desk now opens the team database by default, its password filled in from the keyring.
    monkeypatch.delenv("PGPASSWORD")
    assert team_db.default_url() == f"{team_url}?sslmode=prefer"
    assert "correct%20horse%20battery@" in team_db.connect_url(team_db.default_url())
    assert run(["init"]) == 0
    assert json.loads(capsys.readouterr().out)["database"] == (  # opened with the kept password, never shown
        f"postgresql+psycopg://{db.user}:***@{db.host}:{db.port}/{db.database}?sslmode=prefer")


def test_a_password_in_the_url_is_refused_and_nothing_is_kept(team_url, keyring, capsys):
    with_password = team_url.replace("postgres@", "postgres:hunter2@")
    assert _exit_code(["connect", with_password]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["mashdesk: URL: leave the password out of the URL; it is asked for once and kept in the "
                   "system keyring"]
    assert keyring.passwords == {}
    assert team_db.remembered() is None


@pytest.mark.parametrize(("extra", "start"), [
    (["--sslrootcert", "/no/such/root.crt"], "mashdesk: sslrootcert: no file /no/such/root.crt"),
    (["--db", "sqlite:///x"], "mashdesk: --db: connect takes the team database as its URL"),
])
def test_bad_tls_settings_name_their_field(team_url, keyring, monkeypatch, capsys, extra, start):
    monkeypatch.setenv("PGPASSWORD", "x")
    assert _exit_code(["connect", team_url, *extra]) == 2
    assert capsys.readouterr().err.strip() == start


def test_no_password_and_no_terminal_is_bad_input(team_url, keyring, monkeypatch, capsys):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert _exit_code(["connect", team_url]) == 2
    assert capsys.readouterr().err.strip() == (
        "mashdesk: password: none given; run on a terminal to be asked, or set PGPASSWORD")


def test_an_unreachable_server_is_one_line_and_nothing_is_kept(keyring, monkeypatch, capsys):
    monkeypatch.setenv("PGPASSWORD", "x")
    assert _exit_code(["connect", "postgresql://mash@127.0.0.1:1/team"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("mashdesk: cannot connect to 127.0.0.1/team:")
    assert keyring.passwords == {} and team_db.remembered() is None


def test_without_a_keyring_the_desk_says_so_and_keeps_no_password(team_url, monkeypatch, capsys):
    monkeypatch.setenv("PGPASSWORD", "s3cret")
    with keyring_in_use(fail.Keyring()):
        assert not team_db.keyring_available()
        assert run(["connect", team_url]) == 0
        captured = capsys.readouterr()
        assert json.loads(captured.out)["password"] == (
            "not kept: this computer has no system keyring, so it is asked for each time")
        assert "no system keyring" in captured.err
        assert team_db.connect_url(team_db.default_url()) == team_url  # nothing to fill in: asked each time


def test_tls_label_says_what_the_settings_mean():
    assert team_db.tls_label("postgresql://u@h/d?sslmode=disable") == "TLS off (sslmode=disable)"
    assert team_db.tls_label("postgresql://u@h/d?sslmode=verify-full&sslrootcert=/etc/mash/root.crt") == (
        "TLS, server certificate and name checked (sslmode=verify-full, root root.crt)")
    assert team_db.tls_label("postgresql://u@h/d") == "TLS if the server offers it (sslmode=prefer)"
