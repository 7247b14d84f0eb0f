"""A real X display, the desk running on it, keys pressed and the screen read, as a person would.

Xvfb gives the display, xdotool presses the keys, Pillow takes the picture of the screen and
tesseract reads it. Nothing here reads what the desk itself writes: only what is on the screen.
"""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCREEN = "1600x1000x24"
#: How long a view may take to show what is expected of it after a key.
VIEW_DEADLINE_S = 15.0


def missing_packages() -> list[str]:
    """Debian packages this test needs and the machine lacks: a real Qt window's libraries and the tools."""
    from ui.qt_libs import missing_libraries, missing_tools

    return sorted(set(missing_libraries("xcb")) | set(missing_tools()))


def screen_grab_works() -> bool:
    from PIL import features

    return bool(features.check("xcb"))


@contextmanager
def started(args: Sequence[str], **popen: object) -> Iterator[subprocess.Popen[bytes]]:
    """Run a process for the block; it is stopped (terminated, then killed) however the block ends."""
    process = subprocess.Popen(list(args), **popen)  # type: ignore[call-overload]
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


@contextmanager
def x_display(deadline_s: float = 15.0) -> Iterator[str]:
    """A virtual X server on a free display (Xvfb picks it and tells it through a pipe): ``":N"``."""
    read_fd, write_fd = os.pipe()
    try:
        with started(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", SCREEN, "-nolisten", "tcp"],
                     pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as xvfb:
            os.close(write_fd)
            write_fd = -1
            number = b""
            end = time.monotonic() + deadline_s
            while not number.endswith(b"\n"):
                left = end - time.monotonic()
                if left <= 0 or xvfb.poll() is not None:
                    raise RuntimeError(f"Xvfb did not start (exit status {xvfb.poll()})")
                ready, _, _ = select.select([read_fd], [], [], left)
                if ready:
                    chunk = os.read(read_fd, 16)
                    if not chunk:
                        raise RuntimeError(f"Xvfb closed its display pipe (exit status {xvfb.poll()})")
                    number += chunk
            yield f":{int(number)}"
    finally:
        os.close(read_fd)
        if write_fd >= 0:
            os.close(write_fd)


def desk_environment(home: Path) -> dict[str, str]:
    """The desk's environment: Qt's real X platform, every folder it keeps inside ``home``; no display yet."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "MASHDESK_DB", "MASHDESK_TIMING")}
    folders = {"HOME": home, "MASHDESK_DATA_DIR": home / "data", "XDG_CONFIG_HOME": home / "config",
               "XDG_DATA_HOME": home / "share", "XDG_CACHE_HOME": home / "cache", "XDG_RUNTIME_DIR": home / "run"}
    for name, folder in folders.items():
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    (home / "run").chmod(0o700)
    env["MASHDESK_PASSWORD"] = "demo"
    return env


def build_demo_database(path: Path, contacts: int, seed: int, env: dict[str, str]) -> dict[str, int]:
    """A demo database made with ``mashdesk demo``; returns what it made (the command's JSON)."""
    import json

    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "demo", "--db", f"sqlite:///{path}",
                           "--contacts", str(contacts), "--seed", str(seed)],
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


class Output:
    """Collects a process's output on a thread (so its pipe never fills), for failure messages."""

    def __init__(self, stream: object) -> None:
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:  # type: ignore[no-untyped-def]
        with stream:
            for line in stream:
                self.lines.append(line.decode(errors="replace").rstrip())

    def tail(self, n: int = 30) -> str:
        self._thread.join(timeout=1)
        return "\n".join(self.lines[-n:])


def for_reading(picture):  # type: ignore[no-untyped-def]
    """The screen as tesseract reads it best: grey, twice the size, dark text on light everywhere.

    A selected row or menu item has white text on the highlight colour; those blocks are found by
    colour (closed over the text inside them) and turned to black on white, like the rest.
    """
    from PIL import Image, ImageChops, ImageFilter

    red, _, blue = picture.convert("RGB").split()
    highlight = ImageChops.multiply(blue.point(lambda v: 255 if v > 150 else 0),
                                    red.point(lambda v: 255 if v < 110 else 0))
    # Closing (grow by 4 px, then shrink by 4 px) fills the text inside a highlighted block.
    highlight = highlight.filter(ImageFilter.BoxBlur(4)).point(lambda v: 255 if v > 0 else 0)
    highlight = highlight.filter(ImageFilter.BoxBlur(4)).point(lambda v: 255 if v > 250 else 0)
    grey = picture.convert("L")
    # White (255) on the highlight (grey 119) becomes black on white.
    grey = Image.composite(grey.point(lambda v: max(0, min(255, (255 - v) * 2))), grey, highlight)
    return grey.resize((grey.width * 2, grey.height * 2), Image.Resampling.LANCZOS)


@dataclass
class Expect:
    """What a person should see: each text (a regular expression) present, each of ``absent`` gone."""

    texts: Sequence[str]
    absent: Sequence[str] = field(default_factory=tuple)

    def missing(self, seen: str) -> list[str]:
        gone = [t for t in self.texts if not re.search(t, seen)]
        return gone + [f"(should be gone) {t}" for t in self.absent if re.search(t, seen)]


class Screen:
    """Keys pressed on the X display and the text read back from it."""

    def __init__(self, display: str, shots: Path) -> None:
        self.display = display
        self.shots = shots
        self.env = dict(os.environ, DISPLAY=display)
        self.taken = 0

    def xdotool(self, *args: str) -> str:
        done = subprocess.run(["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=20,
                              check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    def wait_for_window(self, title: str, process: subprocess.Popen[bytes], output: Output,
                        deadline_s: float = 60.0) -> str:
        """The id of the visible window whose title matches ``title``, given the keyboard focus."""
        end = time.monotonic() + deadline_s
        while time.monotonic() < end:
            if process.poll() is not None:
                raise AssertionError(f"the desk exited with status {process.returncode}:\n{output.tail()}")
            found = self.xdotool("search", "--onlyvisible", "--name", title).split()
            if found:
                window = found[0]
                # No window manager runs on the display: give the window the keyboard as a click would.
                self.xdotool("windowfocus", "--sync", window)
                return window
            time.sleep(0.2)
        raise AssertionError(f"no window titled {title!r} within {deadline_s:.0f} s:\n{output.tail()}")

    def key(self, *keys: str) -> None:
        subprocess.run(["xdotool", "key", "--clearmodifiers", *keys], env=self.env, check=True, timeout=20)

    def grab(self, name: str):  # type: ignore[no-untyped-def]
        """A picture of what is on the screen (kept as ``name``.png)."""
        from PIL import ImageGrab

        picture = ImageGrab.grab(xdisplay=self.display)
        picture = picture.crop(picture.getbbox())  # the windows, without the bare screen around them
        picture.save(self.shots / f"{name}.png")
        return picture

    @staticmethod
    def read(picture, layout: str) -> str:  # type: ignore[no-untyped-def]
        """The text tesseract reads in ``picture`` with page layout ``layout`` (3 columns, 11 sparse)."""
        png = BytesIO()
        for_reading(picture).save(png, format="PNG")
        done = subprocess.run(["tesseract", "stdin", "stdout", "-l", "eng", "--psm", layout], input=png.getvalue(),
                              capture_output=True, timeout=60, check=True,
                              env=dict(os.environ, OMP_THREAD_LIMIT="1"))  # threads only slow it down here
        return " ".join(done.stdout.decode(errors="replace").split())

    def expect(self, name: str, expect: Expect, deadline_s: float = VIEW_DEADLINE_S) -> str:
        """Read the screen until it shows what is expected (or the deadline passes); returns the text."""
        self.taken += 1
        name = f"{self.taken:02d}-{name}"
        end = time.monotonic() + deadline_s
        while True:
            picture = self.grab(name)
            seen = self.read(picture, "3")
            missing = expect.missing(seen)
            if missing:  # the same picture read as sparse text finds what columns of text hide (menus)
                seen += " | " + self.read(picture, "11")
                missing = expect.missing(seen)
            if not missing:
                return seen
            if time.monotonic() >= end:
                raise AssertionError(f"{name}: after {deadline_s:.0f} s the screen does not show {missing}; "
                                     f"it reads: {seen!r} (picture: {self.shots / name}.png)")
            time.sleep(0.3)

    def press(self, keys: str, name: str, expect: Expect, deadline_s: float = VIEW_DEADLINE_S) -> str:
        self.key(*keys.split())
        return self.expect(name, expect, deadline_s)

