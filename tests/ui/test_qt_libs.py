"""The system-package check behind scripts/desk and scripts/test (no Qt, no apt-get run for real)."""

from __future__ import annotations

import subprocess

import pytest

from ui import qt_libs


@pytest.fixture
def machine(monkeypatch: pytest.MonkeyPatch, tmp_path):  # type: ignore[no-untyped-def]
    """A machine with no xcb libraries missing, no test tools, apt lists present, and apt-get recorded."""
    state = {"apt": [], "root": True, "tools": set(), "languages": "osd", "stale": False,
             "libs": {"xcb": ["libxcb-icccm4"], "offscreen": []}}
    (tmp_path / "deb.example_dists_main_binary-amd64_Packages.lz4").touch()
    monkeypatch.setattr(qt_libs, "APT_LISTS", tmp_path)
    monkeypatch.setattr(qt_libs, "missing_libraries", lambda platform="xcb": list(state["libs"][platform]))
    monkeypatch.setattr(qt_libs.shutil, "which", lambda name: f"/usr/bin/{name}" if name in state["tools"] else None)
    monkeypatch.setattr(qt_libs.os, "geteuid", lambda: 0 if state["root"] else 1000)

    def run(args, **kwargs):  # type: ignore[no-untyped-def]
        if args[0] == "tesseract":
            return subprocess.CompletedProcess(args, 0, f"List of available languages:\n{state['languages']}\n", "")
        state["apt"].append(args[1:])
        if args[1] == "update":
            state["stale"] = False
        elif state["stale"]:
            return subprocess.CompletedProcess(args, 100)
        if args[1] == "install":  # what is installed is there afterwards
            state["libs"] = {"xcb": [], "offscreen": []}
            state["tools"] |= set(qt_libs.TEST_TOOLS)
            state["languages"] = "eng\nosd"
        return subprocess.CompletedProcess(args, 0)

    monkeypatch.setattr(qt_libs.subprocess, "run", run)
    return state


def test_the_test_tools_are_checked_only_when_asked_for(machine) -> None:
    assert qt_libs.missing_packages([]) == ["libxcb-icccm4"]
    assert qt_libs.missing_packages(["--offscreen"]) == []
    assert qt_libs.missing_packages(["--offscreen", "--window", "--test-tools"]) == [
        "libxcb-icccm4", "poppler-utils", "tesseract-ocr", "tesseract-ocr-eng", "xdotool", "xvfb"]


def test_as_root_it_installs_without_fetching_lists_it_already_has(machine, capsys) -> None:
    machine["tools"] = {"tesseract"}  # without its English data
    machine["libs"]["xcb"] = []
    assert qt_libs.main(["--window", "--install", "--test-tools"]) == 0
    assert machine["apt"] == [["install", "-y", "-qq", "poppler-utils", "tesseract-ocr-eng", "xdotool", "xvfb"]]
    assert "installed: poppler-utils tesseract-ocr-eng xdotool xvfb" in capsys.readouterr().err


def test_without_root_it_prints_the_exact_line_and_fails(machine, capsys) -> None:
    machine["root"] = False
    assert qt_libs.main(["--offscreen", "--window", "--test-tools", "--install"]) == 1
    assert machine["apt"] == []
    assert ("  sudo apt-get install -y libxcb-icccm4 poppler-utils tesseract-ocr tesseract-ocr-eng xdotool xvfb"
            in capsys.readouterr().err)


def test_nothing_missing_is_quick_and_silent(machine, capsys) -> None:
    machine["libs"]["xcb"] = []
    assert qt_libs.main(["--install"]) == 0
    assert machine["apt"] == [] and capsys.readouterr().err == ""


def test_lists_are_fetched_first_on_a_machine_that_has_none(machine, tmp_path) -> None:
    for listing in tmp_path.iterdir():
        listing.unlink()
    assert qt_libs.main(["--window", "--install"]) == 0
    assert machine["apt"] == [["update", "-qq"], ["install", "-y", "-qq", "libxcb-icccm4"]]


def test_out_of_date_lists_are_fetched_once_when_installing_from_them_fails(machine) -> None:
    machine["stale"] = True
    assert qt_libs.main(["--install"]) == 0
    install = ["install", "-y", "-qq", "libxcb-icccm4"]
    assert machine["apt"] == [install, ["update", "-qq"], install]
