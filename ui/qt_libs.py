"""Which system libraries Qt's X11 (xcb) platform plugin needs and this machine lacks.

``python -m ui.qt_libs [--offscreen] [--install]`` checks the libraries for a real
window (or, with ``--offscreen``, for the offscreen platform the tests use); with
``--install`` it installs what is missing when it can (as root, or with password-less
sudo) and otherwise prints the exact ``apt-get install`` line. It never imports Qt.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

#: Shared library → Debian package, for those whose package name is not derived by rule.
KNOWN_PACKAGES = {
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libICE.so.6": "libice6",
    "libSM.so.6": "libsm6",
    "libXrender.so.1": "libxrender1",
    "libXext.so.6": "libxext6",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
}
_SONAME = re.compile(r"^(?P<stem>lib[\w+-]+?)\.so\.(?P<major>\d+)$")


def package_for(soname: str) -> str:
    """Debian package that ships ``soname`` (``libxcb-icccm.so.4`` → ``libxcb-icccm4``)."""
    if soname in KNOWN_PACKAGES:
        return KNOWN_PACKAGES[soname]
    match = _SONAME.match(soname)
    if not match:
        return soname
    stem, major = match["stem"].lower(), match["major"]
    return f"{stem}-{major}" if stem[-1].isdigit() else f"{stem}{major}"


def _qt_dir() -> Path:
    # Found from the installed package without importing PySide6 (which needs these libraries).
    import importlib.util

    spec = importlib.util.find_spec("PySide6")
    assert spec is not None and spec.origin is not None, "PySide6 is not installed"
    return Path(spec.origin).parent / "Qt"


def qt_binaries(platform: str) -> list[Path]:
    """The Qt libraries a window on ``platform`` ("xcb" or "offscreen") loads."""
    qt = _qt_dir()
    files = [qt / "plugins" / "platforms" / f"libq{platform}.so", qt / "lib" / "libQt6Widgets.so.6"]
    return [f for f in files if f.exists()]


def missing_libraries(platform: str = "xcb") -> list[str]:
    """Debian packages for the libraries ``ldd`` reports as not found for ``platform``."""
    if not sys.platform.startswith("linux") or not shutil.which("ldd"):
        return []
    missing: set[str] = set()
    for binary in qt_binaries(platform):
        out = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, check=False).stdout
        missing |= {line.split("=>")[0].strip() for line in out.splitlines() if "not found" in line}
    return sorted({package_for(name) for name in missing})


def missing_xcb_libraries() -> list[str]:
    return missing_libraries("xcb")


def install(packages: list[str]) -> bool:
    """Install with apt-get when this user can; returns whether it did."""
    if os.geteuid() == 0:
        prefix: list[str] = []
    elif shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        prefix = ["sudo", "-n"]
    else:
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run([*prefix, "apt-get", "update", "-qq"], check=False, env=env)
    return subprocess.run([*prefix, "apt-get", "install", "-y", "-qq", *packages], env=env).returncode == 0


def main(argv: list[str]) -> int:
    platform = "offscreen" if "--offscreen" in argv else "xcb"
    packages = missing_libraries(platform)
    if not packages:
        return 0
    if "--install" in argv and install(packages) and not missing_libraries(platform):
        print(f"installed: {' '.join(packages)}", file=sys.stderr)
        return 0
    print("The Qt window needs system libraries this machine lacks. Install them with:\n"
          f"  sudo apt-get install -y {' '.join(packages)}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
