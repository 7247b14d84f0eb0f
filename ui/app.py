"""Starting the desk: arguments, the database, signing in, the main window, screenshots."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from mashdesk.errors import MashDeskError
from mashdesk.paths import data_dir, demo_db_url

if TYPE_CHECKING:
    from mashdesk.context import AppContext

VIEW_NAMES = ("queue", "contact", "handover", "stepdowns", "strategy", "meeting", "people", "missing",
              "consultations", "ruleset", "users", "dashboard", "returns")
DEMO_CONTACTS = 6000
#: When the process started (``main.py`` sets it before the heavy imports).
STARTED = time.perf_counter()


def build_parser() -> argparse.ArgumentParser:
    from mashdesk.cli import COMMAND_NAMES

    p = argparse.ArgumentParser(prog="mashdesk", description="Open MASH Desk.",
                                epilog=f"Command-line tools: {', '.join(COMMAND_NAMES)}. "
                                "Run 'mashdesk COMMAND --help' for one of them; "
                                "--db and --as go before or after the command.")
    p.add_argument("--db", metavar="URL", help="SQLAlchemy URL (default: $MASHDESK_DB or the embedded database)")
    p.add_argument("--demo", action="store_true", help="open a demo database of synthetic data")
    p.add_argument("--as", dest="as_user", metavar="USERNAME", help="sign in as this user")
    p.add_argument("--screenshot", metavar="FILE.png", help="save the window as a PNG once loaded, then exit")
    p.add_argument("--view", choices=VIEW_NAMES, default="queue", help="the view to open")
    return p


def _needs_offscreen(args: argparse.Namespace) -> bool:
    return bool(args.screenshot) and sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if _needs_offscreen(args):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if not args.screenshot and sys.platform.startswith("linux") and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        from ui.qt_libs import missing_xcb_libraries

        missing = missing_xcb_libraries()
        if missing:
            print("The Qt window needs system libraries this machine lacks. Install them with:\n"
                  f"  sudo apt-get install -y {' '.join(missing)}", file=sys.stderr)
            return 1

    from mashdesk import team_db

    # A team database's password comes from the keyring, into the connection only (never stored or shown).
    url = demo_db_url() if args.demo else team_db.connect_url(args.db or team_db.default_url())
    password = None
    if args.as_user and not args.demo:
        from mashdesk.cli.common import password_from_env_or_prompt

        try:
            password = password_from_env_or_prompt(f"Password for {args.as_user}: ")
        except MashDeskError as exc:
            print(f"mashdesk: {exc}", file=sys.stderr)
            return 1
    elif args.screenshot and not args.demo:
        print("mashdesk: --as USERNAME is needed for a screenshot of a real database", file=sys.stderr)
        return 2

    # A database already at this version's schema is opened without SQLAlchemy, and the
    # password is checked on a worker thread (argon2 releases the GIL) while Qt loads.
    from mashdesk.app import open_at_head
    from mashdesk.services.auth import AuthService

    ctx = open_at_head(url)
    pending = None
    if ctx is not None and args.as_user and password is not None:
        try:
            pending = AuthService(ctx).begin_sign_in(args.as_user, password)
        except Exception:  # noqa: BLE001 - the full path below opens the database and says what is wrong
            ctx = None

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QMessageBox

    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("MASH Desk")
    app.setOrganizationName("MASH Desk")
    if ctx is None:  # new, to migrate, too new, or unreachable: the full path migrates or explains
        try:
            ctx = _open_fully(url) if args.screenshot else _open_asking_password(url)
        except MashDeskError as exc:
            if args.screenshot:
                print(f"mashdesk: {exc}", file=sys.stderr)
            else:
                QMessageBox.critical(None, "MASH Desk cannot open the database", str(exc))
            return 1
    if args.demo:
        _ensure_fresh_demo(ctx)

    try:
        if pending is not None:
            actor = pending.result()
        elif args.demo:
            actor = AuthService(ctx).sign_in(args.as_user or "demo.manager", "demo")
        elif args.as_user and password is not None:
            actor = AuthService(ctx).sign_in(args.as_user, password)
        else:
            from ui.dialogs.sign_in import SignInDialog

            dialog = SignInDialog(AuthService(ctx), _label(url))
            if not dialog.exec() or dialog.actor is None:
                return 0
            actor = dialog.actor
    except MashDeskError as exc:
        print(f"mashdesk: {exc}", file=sys.stderr)
        return 1

    settings = QSettings(str(data_dir() / "settings.ini"), QSettings.Format.IniFormat)
    label = _label(url) + (" (demo)" if args.demo else "")
    window = MainWindow(ctx, actor, label, settings)
    if args.screenshot:
        window.resize(1400, 820)  # the same picture whatever size the desk was left at
    window.show()
    if args.screenshot:
        return _screenshot(app, window, args.view, args.screenshot)
    window.start()
    window.start_live()
    window.load_rest(then=window.start_scheduler)
    if args.view != "queue":
        _open_view(window, args.view)
    from ui.accounts.session import Desk

    # After a sign-out, the next person's window.
    desk = Desk(window, label, lambda next_actor: MainWindow(ctx, next_actor, label, settings))  # noqa: F841
    return app.exec()


def _open_fully(url: str) -> AppContext:
    """Open with SQLAlchemy, migrating first if need be; any failure becomes a plain message."""
    from db.migrate import SchemaRefused
    from mashdesk.app import open_database

    try:
        ctx, _ = open_database(url)
    except (SchemaRefused, MashDeskError) as exc:
        raise MashDeskError(str(exc)) from exc
    except Exception as exc:  # noqa: BLE001 - an unreachable server, a file that is not a database
        raise MashDeskError(f"{type(exc).__name__}: {exc}") from exc
    return ctx


def _open_asking_password(url: str) -> AppContext:
    """:func:`_open_fully`; a team database that refuses us for want of a password is asked for it (and the
    password is kept in the keyring once it worked, where there is one)."""
    from mashdesk import team_db

    try:
        return _open_fully(url)
    except MashDeskError as exc:
        if not team_db.password_refused(exc) or not team_db.is_team_url(url):
            raise
    url = _ask_and_retry(url)
    ctx = _open_fully(url)
    team_db.store_password(team_db.parse(team_db.strip_password(url)), _password_of(url))
    return ctx


def _ask_and_retry(url: str) -> str:
    """The team database's password, asked for (no keyring, or the kept one is refused): the URL to open."""
    from mashdesk import team_db
    from ui.dialogs.connect_team import ask_database_password

    db = team_db.parse(team_db.strip_password(url))
    password = ask_database_password(db)
    if password is None:
        raise MashDeskError(f"no password given for the team database {db.label}")
    return db.with_password(password)


def _password_of(url: str) -> str:
    from urllib.parse import unquote, urlsplit

    return unquote(urlsplit(url).password or "")


def _label(url: str) -> str:
    from urllib.parse import urlsplit

    from db.direct import dialect_of, sqlite_file

    if dialect_of(url) == "sqlite":
        return f"embedded ({os.path.basename(sqlite_file(url) or 'memory')})"
    parts = urlsplit(url)
    return f"{parts.hostname}/{parts.path.lstrip('/')}"


def _open_view(window, view: str) -> None:  # type: ignore[no-untyped-def]
    """Reach ``view`` as a person does: its shortcut; the contact view by Enter on the queue's newest contact."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ui.view_registry import VIEWS

    def press(target, sequence: str) -> None:  # type: ignore[no-untyped-def]
        combo = QKeySequence(sequence)[0]
        QTest.keyClick(target, combo.key(), combo.keyboardModifiers())

    window.activateWindow()
    QApplication.processEvents()
    if view == "contact":
        press(window, "Ctrl+1")
        window.queue.table.setFocus()
        QTest.keyClick(window.queue.table, Qt.Key.Key_Return)
        return
    press(window, dict((key, shortcut) for key, _, shortcut in VIEWS)[view])


def _screenshot(app, window, view: str, path: str) -> int:  # type: ignore[no-untyped-def]
    """Load the view, wait until it has painted its data, save the window, exit."""
    from PySide6.QtCore import QTimer

    result = {"code": 1}

    def save(key: str) -> None:
        if key != view:
            return
        window.view_loaded.disconnect(save)

        def grab() -> None:
            picture = window.grab()
            if os.environ.get("MASHDESK_TIMING"):  # painted: saving the PNG is the screenshot's own work
                _print_timing()
            ok = picture.save(path)
            result["code"] = 0 if ok else 1
            app.quit()

        QTimer.singleShot(0, grab)

    window.view_loaded.connect(save)
    window.start()
    QTimer.singleShot(0, lambda: _open_view(window, view))
    app.exec()
    return result["code"]


def _print_timing() -> None:
    """For benchmarks/run.py: time from process start to the view painted, and memory then."""
    import json

    rss_kb = 0
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                rss_kb = int(line.split()[1])
    print(json.dumps({"painted_ms": round((time.perf_counter() - STARTED) * 1000, 1),
                      "rss_mb": round(rss_kb / 1024, 1),
                      # The queue is meant to paint before SQLAlchemy is imported at all.
                      "sqlalchemy_loaded": "sqlalchemy" in sys.modules}), file=sys.stderr)


def _ensure_fresh_demo(ctx) -> None:  # type: ignore[no-untyped-def]
    from mashdesk.demo import build_demo, demo_is_fresh

    if demo_is_fresh(ctx):
        return
    from ui.progress import run_with_progress

    run_with_progress("Preparing the demo desk with synthetic data…",
                      lambda progress: build_demo(ctx, DEMO_CONTACTS, seed=1, progress=progress))


def main() -> None:
    sys.exit(run())
