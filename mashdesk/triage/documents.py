"""The letter to a professional referrer telling them what the MASH decided (laid out from plain facts)."""

from __future__ import annotations

from reportlab.platypus import Spacer

from mashdesk import codes
from mashdesk.clock import LONDON
from mashdesk.documents.base import DocumentInfo, build_pdf, key_value_table, para, section
from mashdesk.triage.views import FeedbackLetterFacts


def build_feedback_letter(f: FeedbackLetterFacts) -> bytes:
    to = [f.referrer_name or "", f.referrer_role, f.referrer_organisation, f.referrer_email]
    story = [
        para("\n".join(line for line in to if line)),
        Spacer(1, 12),
        para(f"{f.written_at.astimezone(LONDON):%d %B %Y}"),
        *section(f"Your contact {f.reference} about {f.children}",
                 para(f"Dear {f.referrer_name or 'colleague'},", "BodyText")),
        para(f.text, "BodyText"),
        Spacer(1, 8),
        key_value_table([
            ("Received", f"{f.received_at.astimezone(LONDON):%d %b %Y %H:%M}"),
            ("Outcome", codes.OUTCOMES.get(f.outcome or "", f.outcome or "")),
            ("Decided", f"{f.closed_at.astimezone(LONDON):%d %b %Y}" if f.closed_at else ""),
        ]),
        Spacer(1, 8),
        para("If you remain worried about a child, or the situation changes, contact the MASH again at once. "
             "If a child is in immediate danger, call the police on 999.", "BodyText"),
        Spacer(1, 14),
        para(f"{f.signed_by}\nMulti-Agency Safeguarding Hub", "BodyText"),
    ]
    return build_pdf(story, DocumentInfo(title=f"Feedback to referrer — {f.reference}",
                                         subject="MASH decision feedback", printed_at=f.written_at))
