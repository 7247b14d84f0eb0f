"""The letter to a professional referrer telling them what the MASH decided."""

from __future__ import annotations

from datetime import datetime

from reportlab.platypus import Spacer

from db.models import Contact, ReferrerFeedback
from mashdesk import codes
from mashdesk.documents.base import DocumentInfo, build_pdf, key_value_table, para, section

from mashdesk.clock import LONDON


def build_feedback_letter(contact: Contact, feedback: ReferrerFeedback, now: datetime, signed_by: str) -> bytes:
    referrer = contact.referrer
    to = [referrer.name if referrer else "", referrer.role if referrer else None,
          referrer.organisation if referrer else None, referrer.email if referrer else None]
    story = [
        para("\n".join(line for line in to if line)),
        Spacer(1, 12),
        para(f"{now.astimezone(LONDON):%d %B %Y}"),
        *section(f"Your contact {contact.reference} about {contact.children_display}",
                 para(f"Dear {referrer.name if referrer and referrer.name else 'colleague'},", "BodyText")),
        para(feedback.text, "BodyText"),
        Spacer(1, 8),
        key_value_table([
            ("Received", f"{contact.received_at.astimezone(LONDON):%d %b %Y %H:%M}"),
            ("Outcome", codes.OUTCOMES.get(contact.outcome or "", contact.outcome or "")),
            ("Decided", f"{contact.closed_at.astimezone(LONDON):%d %b %Y}" if contact.closed_at else ""),
        ]),
        Spacer(1, 8),
        para("If you remain worried about a child, or the situation changes, contact the MASH again at once. "
             "If a child is in immediate danger, call the police on 999.", "BodyText"),
        Spacer(1, 14),
        para(f"{signed_by}\nMulti-Agency Safeguarding Hub", "BodyText"),
    ]
    return build_pdf(story, DocumentInfo(title=f"Feedback to referrer — {contact.reference}",
                                         subject="MASH decision feedback", printed_at=now))
