"""The demo's ruleset versions: the reference ruleset in force since before the demo year, and the 2027.1
consultation draft loaded by the administrator, ready to compare and replay."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from db.models import RulesetVersion
from mashdesk.clock import LONDON
from rules import DATA_DIR, load_ruleset, load_ruleset_file, read_ruleset_text, text_sha256

DRAFT_FILE = "bromley-ton-2027.1.toml"


def seed_demo(session: Session, *, rng: random.Random, now: datetime, calendar: Any = None,
              user_ids: dict[str, int]) -> None:
    del rng, calendar  # deterministic without them
    admin = user_ids["demo.admin"]
    shipped = load_ruleset()
    first_day = (now.astimezone(LONDON) - timedelta(days=400)).date().replace(day=1)
    in_force = datetime.combine(first_day, time(0), LONDON)
    for path, effective in ((shipped.path, in_force), (DATA_DIR / DRAFT_FILE, None)):
        text, ruleset = read_ruleset_text(path), load_ruleset_file(path)
        loaded = in_force if effective else now - timedelta(days=2)
        session.add(RulesetVersion(
            ruleset_id=ruleset.id, ruleset_version=ruleset.version, title=ruleset.title, file_name=path.name, text=text,
            sha256=text_sha256(text), loaded_at=loaded, loaded_by_id=admin, effective_from=effective,
            activated_at=loaded if effective else None, activated_by_id=admin if effective else None,
            updated_by_id=admin))
    session.flush()

