"""The step-down form: what the receiving Early Help team needs to start work with a family."""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.units import mm

from mashdesk import codes
from mashdesk.documents.base import DocumentInfo, build_pdf, data_table, key_value_table, para, section
from mashdesk.clock import LONDON
from mashdesk.stepdown.centres import EarlyHelpConfig
from mashdesk.stepdown.views import StepDownDetail, milestones
from mashdesk.stepdown.workflow import CONSENT_ANSWERS, STATUSES


def _when(value: datetime | None) -> str:
    return value.astimezone(LONDON).strftime("%d %b %Y %H:%M") if value else "—"


def build_step_down_form(
    d: StepDownDetail,
    config: EarlyHelpConfig,
    *,
    printed_at: datetime | None = None,
    prepared_for: str | None = None,
) -> bytes:
    """The form as a PDF (marked OFFICIAL-SENSITIVE, "Page x of y" on every page).

    Agency answers withheld from the reader of ``d`` are left out and marked as withheld.
    """
    centre = config.centre(d.centre_code)
    story = [para(f"Step-down to Early Help {d.reference} — {STATUSES.get(d.status, d.status)}", "Title")]
    story += section(
        "Receiving team",
        key_value_table(
            [
                ("Team", centre.name if centre else d.centre),
                ("Address", centre.address if centre else "—"),
                ("Email", centre.email if centre else "—"),
                *milestones(d, _when),
            ]
        ),
    )
    people = [
        [
            m.name,
            m.role.replace("_", " ") + (f" ({m.relationship})" if m.relationship else ""),
            m.date_of_birth.strftime("%d %b %Y") if m.date_of_birth else "—",
            m.sex,
        ]
        for m in d.family
    ]
    story += section(
        "The family",
        data_table(
            ["Name", "Role", "Date of birth", "Sex"], people, widths=(60 * mm, 55 * mm, 35 * mm, 24 * mm)
        ),
    )
    story += section(
        "Consent",
        key_value_table(
            [
                ("To the step-down", CONSENT_ANSWERS.get(d.consent_step_down, d.consent_step_down)),
                (
                    "To information sharing",
                    CONSENT_ANSWERS.get(d.consent_info_sharing, d.consent_info_sharing),
                ),
                *[
                    (f"Recorded {_when(e.at)}", f"{e.note} — {e.by}")
                    for e in d.events
                    if e.kind in ("consent", "consent_refused")
                ],
            ]
        ),
    )
    story += section("What the family needs help with", para(d.needs or "Not recorded yet."))
    story += section("MASH decision", para(d.decision_summary))
    if d.decisions:
        rows = [
            [
                c.child,
                str(c.level)
                + (
                    f" (suggested {c.suggested_level})"
                    if c.suggested_level is not None and c.suggested_level != c.level
                    else ""
                ),
                c.outcome,
                f"{c.primary_need} {codes.PRIMARY_NEEDS.get(c.primary_need, '')}" if c.primary_need else "—",
                "\n".join(c.reasons) + (f"\nOverride: {c.override_reason}" if c.override_reason else ""),
            ]
            for c in d.decisions
        ]
        story += section(
            "Threshold of Need, per child",
            data_table(
                ["Child", "Level", "Outcome", "Primary need", "Why"],
                rows,
                widths=(34 * mm, 20 * mm, 32 * mm, 30 * mm, 58 * mm),
            ),
        )
    story += section(
        "The contact to the MASH",
        key_value_table(
            [
                ("Contact", f"{d.contact_reference}, received {_when(d.contact_received_at)}"),
                ("Concern", d.concern),
            ]
        ),
    )
    checks = [
        [
            c.agency,
            para("Withheld: an answer restricted to this agency exists.", "Withheld")
            if c.withheld
            else c.answer or "—",
        ]
        for c in d.checks
    ]
    story += section(
        "What partner agencies said",
        data_table(["Agency", "Answer"], checks, widths=(50 * mm, 124 * mm))
        if checks
        else para("No agency answers."),
    )
    story += section(
        "Contacts",
        key_value_table(
            [
                ("The MASH", f"{config.mash.name} — {config.mash.phone} — {config.mash.email}"),
                (
                    "To step a family back up",
                    "Use Step up on this step-down in MASH Desk, or call the MASH on "
                    f"{config.mash.phone}. The MASH sees the step-down's history at once.",
                ),
            ]
        ),
    )
    story += section(
        "History",
        data_table(
            ["When", "Who", "What"],
            [[_when(e.at), e.by, f"{e.kind.replace('_', ' ')}: {e.note}"] for e in d.events],
            widths=(32 * mm, 40 * mm, 102 * mm),
        ),
    )
    return build_pdf(
        story,
        DocumentInfo(
            title=f"Step-down {d.reference} to {d.centre}",
            subject="Step-down to Early Help",
            printed_at=printed_at,
            prepared_for=prepared_for,
        ),
    )
