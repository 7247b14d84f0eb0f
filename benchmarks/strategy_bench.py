"""Strategy meeting pack: a ~20-page pack from a generated discussion with a long chronology, beside the
same story laid out by plain ReportLab platypus (``SimpleDocTemplate``, no marking, no "page x of y") in the
same run.

``python benchmarks/strategy_bench.py`` prints the medians as JSON; the target is the pack within 2× of bare
platypus.
"""

from __future__ import annotations

import io
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.platypus import SimpleDocTemplate  # noqa: E402

from mashdesk.documents.base import MARGIN  # noqa: E402
from mashdesk.strategy.documents import build_strategy_pack, pack_story  # noqa: E402
from mashdesk.strategy.views import (  # noqa: E402
    ChronologyEvent,
    PackAction,
    PackAssessment,
    PackAttendee,
    PackCheck,
    PackChild,
    PackPerson,
    StrategyPack,
)

SEED = 20261222
EVENTS = 220
RUNS = 5
KINDS = ["Contact", "Outcome", "Decision", "EDT call", "Step-down", "Strategy"]
WORDS = (
    "school nursery police health visitor mother father grandmother bruise injury neglect attendance "
    "incident domestic abuse missing night call referral concern visit safety plan agreed refused"
).split()


def generated_pack(events: int = EVENTS, seed: int = SEED) -> StrategyPack:
    """A held discussion about three siblings with ``events`` chronology entries (synthetic, no database)."""
    rng = random.Random(seed)
    start = datetime(2022, 1, 3, 9, 0, tzinfo=UTC)
    names = ["Ava Testchild", "Ben Testchild", "Cara Testchild"]

    def sentence(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."

    chronology = sorted(
        (
            ChronologyEvent(
                start + timedelta(hours=rng.randrange(4 * 365 * 24)),
                rng.choice(KINDS),
                rng.choice(names),
                sentence(rng.randint(8, 40)),
            )
            for _ in range(events)
        ),
        key=lambda e: e.at,
    )
    children = [
        PackChild(
            name=n,
            born=f"0{i + 1} Mar 201{i + 4}",
            sex="F",
            nhs_number="9434765919",
            school="Example Primary",
            gp="Example Surgery",
            address="1 Example Road, Bromley BR1 1AA",
            notes="Previous CP plan",
            decision="s47_joint",
            s47_started_on=date(2026, 12, 22),
            icpc_due=date(2027, 1, 15),
        )
        for i, n in enumerate(names)
    ]
    return StrategyPack(
        reference="ST-000001",
        contact_reference="C-000001",
        stage="after",
        convened_at=datetime(2026, 12, 21, 15, 0, tzinfo=UTC),
        due_at=datetime(2026, 12, 22, 15, 0, tzinfo=UTC),
        scheduled_for=datetime(2026, 12, 22, 10, 0, tzinfo=UTC),
        held_at=datetime(2026, 12, 22, 10, 0, tzinfo=UTC),
        mode="video",
        chair="Test Manager",
        reason=sentence(30),
        concern=sentence(60),
        referrer="PC Example",
        immediate_protection="yes",
        child_location="With grandmother",
        reader="Test Police, Metropolitan Police",
        children=children,
        household=[
            PackPerson("Dana Testparent", "mother", True, "01 Jan 1990"),
            PackPerson("Eli Testparent", "father", True, "01 Jan 1988"),
        ],
        attendees=[
            PackAttendee(f"Attendee {i}", "Role", "Agency", True, True, "phone", sentence(20))
            for i in range(6)
        ],
        previous_involvement=[
            f"{n}: 4 earlier contacts and 2 referrals in the 12 months before." for n in names
        ],
        chronology=chronology,
        checks=[PackCheck("Agency", start, start, "answered", sentence(40), False, i == 0) for i in range(5)],
        assessments=[
            PackAssessment(
                n,
                "Level 4 Acute",
                "Strategy discussion (s47)",
                "red",
                ["immediate"],
                [sentence(6) for _ in range(4)],
                ["max_level", "strategy_required"],
                [sentence(25) for _ in range(3)],
                "bromley-ton 2026.1",
                "Level 4 (authorised)",
            )
            for n in names
        ],
        immediate_actions=sentence(30),
        further_information=sentence(20),
        criminal_investigation=sentence(20),
        legal_advice=sentence(10),
        actions=[PackAction(sentence(8), "Owner", date(2026, 12, 24), None) for _ in range(8)],
    )


def _median_ms(build: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        build()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _bare(pack: StrategyPack) -> bytes:
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=22 * mm, bottomMargin=20 * mm
    ).build(pack_story(pack))
    return buffer.getvalue()


def pack_pages(pack: StrategyPack | None = None) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(build_strategy_pack(pack or generated_pack()))).pages)


def strategy_pack_20p_ms() -> float:
    """Median milliseconds to build the marked, numbered pack (story included)."""
    pack = generated_pack()
    build_strategy_pack(pack)  # warm up fonts and imports
    return _median_ms(lambda: build_strategy_pack(pack))


def bare_platypus_20p_ms() -> float:
    """Median milliseconds for the same story with plain ``SimpleDocTemplate``."""
    pack = generated_pack()
    _bare(pack)
    return _median_ms(lambda: _bare(pack))


if __name__ == "__main__":
    pack_ms, bare_ms = strategy_pack_20p_ms(), bare_platypus_20p_ms()
    print(
        json.dumps(
            {
                "strategy_pack_20p_ms": round(pack_ms, 1),
                "bare_platypus_20p_ms": round(bare_ms, 1),
                "ratio": round(pack_ms / bare_ms, 2),
                "pages": pack_pages(),
            }
        )
    )
