"""The strategy meeting pack's layout: what goes to the attendees of a strategy discussion.

``pack.gather_pack`` gathers a :class:`StrategyPack` for one reader (restricted agency answers already left
out for anyone outside the answering agency); this module only lays it out, outside any transaction. Before
the meeting the pack holds the cover, the child and family, the reason, previous involvement with a
chronology, the agency check answers and the threshold analysis; after the meeting it adds the decisions and
actions.
"""

from __future__ import annotations

from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer

from mashdesk.clock import LONDON
from mashdesk.documents.base import (
    STYLES,
    DocumentInfo,
    build_pdf,
    data_table,
    key_value_table,
    para,
    section,
)
from mashdesk.strategy.views import PackAttendee, StrategyPack
from mashdesk.strategy.workflow import DECISIONS, MODES

TITLE = "Strategy meeting pack"


def when(value: datetime | None) -> str:
    return value.astimezone(LONDON).strftime("%a %d %b %Y %H:%M") if value else "—"


def day(value: date | None) -> str:
    return value.strftime("%a %d %b %Y") if value else "—"


def withheld_line(agency: str) -> str:
    """What a reader outside the answering agency sees in place of a restricted answer."""
    return f"Answer withheld: restricted to {agency}. Only that agency's readers see it."


def _attended(a: PackAttendee) -> str:
    if a.attended is None:
        return "Invited" if a.invited else "—"
    if not a.attended:
        return "Did not attend"
    return f"Attended ({MODES.get(a.joined_by or '', a.joined_by or 'how not recorded').lower()})"


def _cover(p: StrategyPack) -> list[Flowable]:
    stage = "After the meeting: record, decisions and actions" if p.stage == "after" else "Before the meeting"
    children = "; ".join(f"{c.name} ({c.born})" for c in p.children)
    meeting = p.held_at or p.scheduled_for
    rows = [
        ("Discussion", f"{p.reference} (contact {p.contact_reference})"),
        ("Child" if len(p.children) == 1 else "Children", children or "—"),
        (
            "Date and time",
            "Not yet set" if meeting is None else when(meeting) + ("" if p.held_at else " (planned)"),
        ),
        ("How", MODES.get(p.mode, p.mode)),
        ("Chair", p.chair or "—"),
        ("Convened", f"{when(p.convened_at)}; to be held by {when(p.due_at)}"),
        ("Prepared for", p.reader),
    ]
    attendees = [[a.name, a.role, a.agency, _attended(a)] for a in p.attendees]
    return [
        Paragraph(TITLE, STYLES["Title"]),
        Paragraph(stage, STYLES["Heading3"]),
        key_value_table(rows),
        Spacer(0, 4 * mm),
        *section(
            "Attendees",
            data_table(
                ["Name", "Role", "Agency", "Attendance"],
                attendees or [["—"] * 4],
                [44 * mm, 48 * mm, 48 * mm, 34 * mm],
            ),
        ),
    ]


def _family(p: StrategyPack) -> list[Flowable]:
    kids = [[c.name, c.born, c.sex, c.nhs_number, c.school, c.gp, c.address, c.notes] for c in p.children]
    adults = [
        [a.name, a.relationship, "Yes" if a.parental_responsibility else "No", a.born] for a in p.household
    ]
    return [
        *section(
            "Child and family details",
            data_table(
                ["Child", "Born", "Sex", "NHS no.", "School", "GP", "Address", "Notes"],
                kids,
                [25 * mm, 19 * mm, 11 * mm, 20 * mm, 24 * mm, 21 * mm, 30 * mm, 24 * mm],
            ),
        ),
        Spacer(0, 3 * mm),
        *section(
            "Household and significant adults",
            data_table(
                ["Name", "Relationship to the child", "Parental responsibility", "Born"],
                adults or [["None recorded", "", "", ""]],
                [50 * mm, 50 * mm, 40 * mm, 34 * mm],
            ),
        ),
    ]


def _reason(p: StrategyPack) -> list[Flowable]:
    return section(
        "Reason for the strategy discussion",
        key_value_table(
            [
                ("Reason", p.reason),
                ("Concern (referrer's words)", p.concern),
                ("Referrer", p.referrer),
                ("Immediate protection needed", p.immediate_protection),
                ("Where the child is", p.child_location),
            ]
        ),
    )


def _chronology(p: StrategyPack) -> list[Flowable]:
    rows = [[when(e.at), e.kind, e.children, e.summary] for e in p.chronology]
    return [
        *section(
            "Previous involvement", *[para(line) for line in p.previous_involvement] or [para("None known.")]
        ),
        Spacer(0, 3 * mm),
        *section(
            "Chronology of significant events",
            data_table(
                ["When", "Event", "Child", "What happened"],
                rows or [["—", "", "", "No earlier events on record."]],
                [30 * mm, 22 * mm, 30 * mm, 92 * mm],
            ),
        ),
    ]


def _checks(p: StrategyPack) -> list[Flowable]:
    rows: list[list[str | Flowable]] = []
    for c in p.checks:
        if c.withheld:
            answer: str | Flowable = para(withheld_line(c.agency), "Withheld")
        elif c.response is None:
            answer = "Not yet answered"
        elif c.restricted:
            answer = para(f"{c.response}\n[Restricted to {c.agency}: left out of other agencies' packs.]")
        else:
            answer = c.response
        rows.append([c.agency, when(c.requested_at), when(c.responded_at), answer])
    return section(
        "Agency check answers",
        data_table(
            ["Agency", "Requested", "Answered", "Answer"],
            rows or [["No checks requested", "", "", ""]],
            [36 * mm, 28 * mm, 28 * mm, 82 * mm],
        ),
    )


def _threshold(p: StrategyPack) -> list[Flowable]:
    out: list[Flowable] = list(section("Threshold analysis"))
    if not p.assessments:
        out.append(para("The Threshold of Need has not been applied to this contact yet."))
    for a in p.assessments:
        out.append(
            KeepTogether(
                [
                    Paragraph(a.child, STYLES["Heading4"]),
                    key_value_table(
                        [
                            ("Suggested", f"{a.level} — {a.outcome} ({a.rag.upper()})"),
                            ("Decision", a.decision),
                            ("Indicators", "\n".join(a.indicators) or "—"),
                            ("Flags", ", ".join(a.flags) or "—"),
                            ("Rules that applied", ", ".join(a.rules) or "—"),
                            ("Reasons", "\n".join(f"• {r}" for r in a.reasons) or "—"),
                            ("Ruleset", a.ruleset),
                        ]
                    ),
                ]
            )
        )
    return out


def _after(p: StrategyPack) -> list[Flowable]:
    shared = [[a.agency, a.name, a.information_shared or "—"] for a in p.attendees if a.attended]
    decisions = [
        [
            c.name,
            DECISIONS.get(c.decision or "", "Not yet decided"),
            c.no_s47_reason or "",
            day(c.s47_started_on),
            day(c.icpc_due),
        ]
        for c in p.children
    ]
    actions = [[a.action, a.owner, day(a.due), when(a.done_at) if a.done_at else "Open"] for a in p.actions]
    return [
        PageBreak(),
        *section(
            "The meeting",
            key_value_table(
                [("Held", when(p.held_at)), ("How", MODES.get(p.mode, p.mode)), ("Chair", p.chair or "—")]
            ),
        ),
        Spacer(0, 3 * mm),
        *section(
            "Information shared by each agency",
            data_table(
                ["Agency", "Who", "Information shared"],
                shared or [["—", "", "No attendance recorded."]],
                [40 * mm, 36 * mm, 98 * mm],
            ),
        ),
        Spacer(0, 3 * mm),
        *section(
            "Decision for each child",
            data_table(
                ["Child", "Decision", "Reason (no section 47)", "Section 47 from", "ICPC due by"],
                decisions,
                [32 * mm, 50 * mm, 40 * mm, 26 * mm, 26 * mm],
            ),
        ),
        Spacer(0, 3 * mm),
        *section(
            "Safety, information, investigation and legal advice",
            key_value_table(
                [
                    ("Immediate safety actions", p.immediate_actions),
                    ("Further information needed", p.further_information),
                    ("Criminal investigation and timing", p.criminal_investigation),
                    ("Legal advice", p.legal_advice),
                ]
            ),
        ),
        Spacer(0, 3 * mm),
        *section(
            "Actions",
            data_table(
                ["Action", "Owner", "Due", "Done"],
                actions or [["None agreed", "", "", ""]],
                [80 * mm, 40 * mm, 27 * mm, 27 * mm],
            ),
        ),
    ]


def pack_story(p: StrategyPack) -> list[Flowable]:
    """The pack's content as a platypus story (the benchmark lays it out without the page furniture too)."""
    gap = Spacer(0, 4 * mm)
    story = [
        *_cover(p),
        PageBreak(),
        *_family(p),
        gap,
        *_reason(p),
        gap,
        *_chronology(p),
        gap,
        *_checks(p),
        gap,
        *_threshold(p),
    ]
    if p.stage == "after":
        story += _after(p)
    return story


def build_strategy_pack(p: StrategyPack, printed_at: datetime | None = None) -> bytes:
    """The marked PDF of the pack, prepared for ``p.reader``."""
    info = DocumentInfo(
        title=f"{TITLE} {p.reference}",
        subject=f"Strategy discussion {p.reference}",
        prepared_for=p.reader,
        printed_at=printed_at,
    )
    return build_pdf(pack_story(p), info)
