"""Which system packages the desk and its tests need and this machine lacks.

``python -m ui.qt_libs [--window] [--offscreen] [--test-tools] [--install]`` checks the
libraries Qt's X11 (xcb) platform plugin needs for a real window (``--window``, the
default), those of the offscreen platform (``--offscreen``), and with ``--test-tools``
the programs the end-to-end test runs (Xvfb, xdotool, tesseract with English, poppler's
pdftoppm). With ``--install`` it installs what is missing when it can (as root, or with
password-less sudo) and otherwise prints the exact ``apt-get install`` line. It never
imports Qt, and is quick when nothing is missing.
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
#: Programs the end-to-end test runs → the Debian package that ships each.
TEST_TOOLS = {
    "Xvfb": "xvfb",  # a virtual X server for a real window
    "xdotool": "xdotool",  # presses keys as a person does
    "tesseract": "tesseract-ocr",  # reads the screen
    "pdftoppm": "poppler-utils",  # renders printed PDFs to pictures
}
#: The language the screen is read in, and the package with its trained data.
OCR_LANGUAGE = ("eng", "tesseract-ocr-eng")
APT_LISTS = Path("/var/lib/apt/lists")
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


def missing_tools(tools: dict[str, str] | None = None) -> list[str]:
    """Debian packages for the programs in ``tools`` (default: the test tools) not on PATH."""
    tools = TEST_TOOLS if tools is None else tools
    packages = {package for program, package in tools.items() if shutil.which(program) is None}
    language, language_package = OCR_LANGUAGE
    if "tesseract" in tools and not ocr_has_language(language):
        packages.add(language_package)
    return sorted(packages)


def ocr_has_language(language: str) -> bool:
    """Whether tesseract is installed with the trained data for ``language``."""
    if shutil.which("tesseract") is None:
        return False
    done = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False)
    return language in (done.stdout + done.stderr).split()


def install(packages: list[str]) -> bool:
    """Install with apt-get when this user can; returns whether it did.

    The package lists are fetched (``apt-get update``) only when there are none, or when
    installing from the lists there are fails (they may be out of date).
    """
    if os.geteuid() == 0:
        prefix: list[str] = []
    elif shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        prefix = ["sudo", "-n"]
    else:
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")

    def apt_get(*args: str) -> bool:
        return subprocess.run([*prefix, "apt-get", *args], env=env, check=False).returncode == 0

    updated = not any(APT_LISTS.glob("*_Packages*"))
    if updated:
        apt_get("update", "-qq")
    if apt_get("install", "-y", "-qq", *packages):
        return True
    return not updated and apt_get("update", "-qq") and apt_get("install", "-y", "-qq", *packages)


def missing_packages(argv: list[str]) -> list[str]:
    """Every package the checks named in ``argv`` find missing (see the module's docstring)."""
    platforms = [p for flag, p in (("--window", "xcb"), ("--offscreen", "offscreen")) if flag in argv] or ["xcb"]
    packages = {package for platform in platforms for package in missing_libraries(platform)}
    if "--test-tools" in argv:
        packages |= set(missing_tools())
    return sorted(packages)


def main(argv: list[str]) -> int:
    packages = missing_packages(argv)
    installed: list[str] = []
    # A library found only once another is installed shows up on the next look: three rounds at most.
    for _ in range(3 if "--install" in argv else 0):
        if not packages or not install(packages):
            break
        installed += packages
        packages = missing_packages(argv)
    if installed and not packages:
        print(f"installed: {' '.join(installed)}", file=sys.stderr)
    if not packages:
        return 0
    needs = "The Qt window and the tests need" if "--test-tools" in argv else "The Qt window needs"
    print(f"{needs} system packages this machine lacks. Install them with:\n"
          f"  sudo apt-get install -y {' '.join(packages)}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
