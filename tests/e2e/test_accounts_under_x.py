"""End to end, as a person: wrong passwords typed into the real sign-in dialog lock the account, and the
signed-in desk locks itself when left alone, hides the records and opens again with the password.

The desk runs on a virtual X server; xdotool types, tesseract reads the screen (see test_desk_under_x).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.test_desk_under_x import CONTACT_REF, QUEUE_COUNT, _need_tools
from tests.e2e.xdesk import (
    ROOT,
    Expect,
    Output,
    Screen,
    build_demo_database,
    desk_environment,
    started,
    x_display,
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240, method="signal")]
#: Seconds the desk is left alone before it locks (the desk's settings take minutes).
IDLE_S = 20


def _type(screen: Screen, text: str) -> None:
    subprocess.run(["xdotool", "type", "--delay", "40", text], env=screen.env, check=True, timeout=30)


def test_lockout_in_the_sign_in_dialog_and_the_idle_lock(tmp_path: Path) -> None:
    _need_tools()
    shots = tmp_path / "shots"
    shots.mkdir()
    env = desk_environment(tmp_path / "home")
    database = tmp_path / "demo.sqlite3"
    build_demo_database(database, 60, 3, env)
    env.pop("MASHDESK_PASSWORD")  # nobody signed in: the dialog asks
    (Path(env["MASHDESK_DATA_DIR"]) / "settings.ini").write_text(
        f"[security]\nidle_lock_minutes={IDLE_S / 60}\n", encoding="utf-8")

    command = [sys.executable, str(ROOT / "main.py"), "--db", f"sqlite:///{database}"]
    with x_display() as display, started(command, env=dict(env, DISPLAY=display), stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as desk:
        output = Output(desk.stderr)
        screen = Screen(display, shots)
        screen.wait_for_window("^Sign in to MASH Desk", desk, output)
        _type(screen, "demo.police")
        screen.key("Tab")
        for attempt in range(5):  # after each refusal the password is selected: typing replaces it
            _type(screen, f"guess{attempt}guess")
            screen.key("Return")
            if attempt < 4:
                screen.expect(f"refused-{attempt}", Expect(["Wrong user name or password"]))
        screen.expect("locked", Expect([r"locked until \d\d[:.]\d\d", "Try again then"]))
        _type(screen, "demo")  # the right password, while locked
        screen.key("Return")
        screen.expect("still-locked", Expect([r"locked until \d\d[:.]\d\d"], absent=[QUEUE_COUNT]))

        screen.key("shift+Tab", "ctrl+a")
        _type(screen, "demo.manager")
        screen.key("Tab", "ctrl+a")
        _type(screen, "demo")
        screen.key("Return")
        screen.wait_for_window("^MASH Desk — ", desk, output)
        screen.expect("queue", Expect([QUEUE_COUNT, CONTACT_REF]))

        # Left alone, the desk locks: the records are covered and it asks for the password.
        screen.expect("idle-locked", Expect(["The desk locked itself", "Type your password"],
                                            absent=[CONTACT_REF, QUEUE_COUNT]), deadline_s=IDLE_S + 30)
        screen.wait_for_window("^MASH Desk is locked", desk, output)
        _type(screen, "demo")
        screen.key("Return")
        screen.expect("unlocked", Expect([QUEUE_COUNT, CONTACT_REF], absent=["Type your password"]))

        screen.wait_for_window("^MASH Desk — ", desk, output)
        screen.key("ctrl+q")
        try:
            status = desk.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the desk was still running 20 s after Ctrl+Q:\n{output.tail()}")
        assert status == 0, output.tail()
