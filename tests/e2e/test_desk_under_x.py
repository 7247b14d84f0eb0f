"""End to end, as a person: the real desk in a real X window, driven from the keyboard, read off the screen.

The desk runs as its own process on a virtual X server (Xvfb) on a small demo database; xdotool
presses the keys a person presses and tesseract reads the screen after each one. The test reads
nothing the desk writes: only what a person would see.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.xdesk import (
    ROOT,
    Expect,
    Output,
    Screen,
    build_demo_database,
    desk_environment,
    missing_packages,
    screen_grab_works,
    started,
    x_display,
)

# Signal, not thread: a timeout raises here, so Xvfb and the desk are still stopped on the way out.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(180, method="signal")]

CONTACTS, SEED = 300, 12
CONTACT_REF = r"C-\d{6}"
STEP_DOWN_REF = r"SD-\d{6}"
DISCUSSION_REF = r"ST-\d{6}"
QUEUE_COUNT = r"\b\d[\d,]* contacts?\b"


def shortcut(key: str) -> str:
    """A shortcut as read off the screen ("Ctrl+4"; tesseract sometimes reads "Ctri+4" or "ctr+4")."""
    return rf"(?i)\bct\w{{0,3}}\+{re.escape(key)}"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _need_tools() -> None:
    """Install what is missing when this user can; otherwise skip, except in CI, where it fails."""
    missing = missing_packages()
    if missing:
        from ui.qt_libs import install

        if install(missing):
            missing = missing_packages()
    reason = ""
    if missing:
        reason = ("the end-to-end test needs a real X display and its tools; install them with: "
                  f"sudo apt-get install -y {' '.join(missing)}")
    elif not screen_grab_works():
        reason = "Pillow here cannot take a picture of an X screen (it was built without XCB)"
    if reason:
        if _in_ci():
            pytest.fail(reason)
        pytest.skip(reason)


def test_a_person_reaches_every_view_by_keyboard_opens_a_contact_and_quits(tmp_path: Path) -> None:
    _need_tools()
    shots = Path(os.environ.get("MASHDESK_E2E_SHOTS") or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    env = desk_environment(tmp_path / "home")
    database = tmp_path / "demo.sqlite3"
    made = build_demo_database(database, CONTACTS, SEED, env)
    assert made["strategy_discussions"] >= 1 and made["step_downs"] >= 1

    desk_command = [sys.executable, str(ROOT / "main.py"), "--db", f"sqlite:///{database}", "--as", "demo.manager"]
    with x_display() as display, started(desk_command, env=dict(env, DISPLAY=display), stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as desk:
        output = Output(desk.stderr)
        screen = Screen(display, shots)
        screen.wait_for_window("^MASH Desk — ", desk, output)

        queue = screen.expect("queue", Expect([QUEUE_COUNT, "Children", "Received", "Decision due",
                                               "Allocated to", CONTACT_REF]))
        first_contact = re.findall(CONTACT_REF, queue)[0]  # the top row, selected when the queue opens

        screen.press("ctrl+2", "contact-none", Expect(["No contact open", r"Choose one in the queue"]))
        screen.press("ctrl+3", "handover", Expect(["Period ending the morning of", "Morning handover",
                                                   r"\b\d+ items?\b|no calls logged", "Acknowledge"]))
        screen.press("ctrl+4", "stepdowns", Expect([r"\b\d+ step-downs?\b", STEP_DOWN_REF, "Family", "Clock"]))
        discussions = made["strategy_discussions"]
        screen.press("ctrl+5", "strategy", Expect([rf"\b{discussions} discussions?\b", DISCUSSION_REF,
                                                   "ICPC due", "Convene from a contact"]))
        screen.press("ctrl+6", "meeting", Expect(["Daily MASH meeting", r"\b\d+ items?\b", "Section", "Brings",
                                                  "Save minutes"]))
        screen.press("ctrl+7", "people", Expect(["First name", "Postcode",
                                                 "Type a name to search for people the MASH already knows"]))
        screen.press("ctrl+8", "missing", Expect([r"\b\d+ missing now\b", "Clocks", "Looked after",
                                                  "Report a missing child"]))
        screen.press("ctrl+9", "consultations", Expect([r"\b\d+ calls?\b", "Caller", "Outcome", "School"]))
        screen.press("ctrl+0", "ruleset", Expect(["Threshold of Need rulesets", "in force", "Show differences"]))
        screen.press("F7", "dashboard", Expect(["Performance dashboard", "This period", "Period before",
                                                "Contacts by source"]))
        screen.press("ctrl+1", "queue-again", Expect([QUEUE_COUNT, first_contact]))
        # Enter opens the selected contact: its reference heads the contact view.
        in_contact = Expect([first_contact, "Concern, in the referrer.s words", "Threshold of Need"],
                            absent=[QUEUE_COUNT])
        screen.press("Return", "contact", in_contact)

        # The menus open from their Alt+letter mnemonics and close with Escape.
        screen.press("alt+f", "menu-file", Expect(["New contact", "Take next contact", "Refresh", shortcut("Q")]))
        screen.press("Escape", "menu-file-closed", Expect(in_contact.texts, absent=["Take next contact"]))
        screen.press("alt+v", "menu-view", Expect([shortcut("1"), shortcut("4"), shortcut("7"), "Step-downs"]))
        screen.press("Escape", "menu-view-closed", Expect(in_contact.texts, absent=[shortcut("7")]))
        screen.press("alt+h", "menu-help", Expect(["About MASH Desk"]))
        screen.press("Escape", "menu-help-closed", Expect(in_contact.texts, absent=["About MASH Desk"]))

        screen.key("ctrl+q")
        try:
            status = desk.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the desk was still running 20 s after Ctrl+Q:\n{output.tail()}")
        assert status == 0, f"the desk exited with status {status} after Ctrl+Q:\n{output.tail()}"
