"""Where the desk keeps its files: the embedded database, the demo database, settings."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "MASH Desk"
APP_AUTHOR = "MASH Desk"


def data_dir() -> Path:
    """The per-user data folder (``MASHDESK_DATA_DIR`` overrides it, e.g. in tests)."""
    override = os.environ.get("MASHDESK_DATA_DIR")
    path = Path(override) if override else user_data_path(APP_NAME, APP_AUTHOR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_url() -> str:
    """``MASHDESK_DB`` if set, else the embedded SQLite database in the data folder."""
    env = os.environ.get("MASHDESK_DB")
    if env:
        return env
    return f"sqlite:///{data_dir() / 'mashdesk.sqlite3'}"


def demo_db_url() -> str:
    """The demo database: its own folder, never the real one."""
    folder = data_dir() / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'mashdesk-demo.sqlite3'}"

