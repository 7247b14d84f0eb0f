"""Code lists of the front door (domain.md): statutory codes and the desk's own vocabularies."""

from __future__ import annotations

CIN_REFERRAL_SOURCES: dict[str, str] = {
    "1A": "Individual: family member, relative or carer",
    "1B": "Individual: acquaintance",
    "1C": "Individual: self",
    "1D": "Individual: other",
    "2A": "Schools",
    "2B": "Education services",
    "3A": "Health: GP",
    "3B": "Health: health visitor",
    "3C": "Health: school nurse",
    "3D": "Health: other primary health",
    "3E": "Health: A&E",
    "3F": "Health: other",
    "4": "Housing",
    "5A": "LA: social care",
    "5B": "LA: other internal",
    "5C": "LA: external (another LA)",
    "5D": "LA: early help",
    "6": "Police",
    "7": "Other legal agency",
    "8": "Other",
    "9": "Anonymous",
    "10": "Unknown",
}

PRIMARY_NEEDS: dict[str, str] = {
    "N1": "Abuse or neglect",
    "N2": "Child's disability",
    "N3": "Parental disability or illness",
    "N4": "Family in acute stress",
    "N5": "Family dysfunction",
    "N6": "Socially unacceptable behaviour",
    "N7": "Low income",
    "N8": "Absent parenting",
    "N9": "Cases other than children in need",
    "N0": "Not stated",
}

CHANNELS: dict[str, str] = {
    "phone": "Phone",
    "email": "Email",
    "online_form": "Online referral form",
    "police_notification": "Police notification",
    "other_la": "Another local authority",
    "edt": "EDT log",
    "consultation": "Consultation line",
    "step_up": "Step-up from Early Help",
}

CONTACT_STATUSES: dict[str, str] = {
    "new": "New — to screen",
    "screened": "Screened",
    "in_progress": "In progress",
    "awaiting_authorisation": "Awaiting authorisation",
    "returned": "Returned by manager",
    "closed": "Closed",
}

#: Statuses of a contact still being worked (everything but closed).
OPEN_STATUSES = ("new", "screened", "in_progress", "awaiting_authorisation", "returned")

#: The agency a channel's referrers usually come from (the contact form's default; editable).
CHANNEL_AGENCY = {"police_notification": "police", "other_la": "other_la", "edt": "edt"}

OUTCOMES: dict[str, str] = {
    "nfa_advice": "No further action / advice",
    "early_help": "Step-down to Early Help",
    "assessment": "Single assessment (s17)",
    "strategy_discussion": "Strategy discussion (s47)",
    "pass_to_allocated_worker": "Pass to allocated worker",
    "transfer_other_la": "Transfer to another LA",
}

CONSENT: dict[str, str] = {"given": "Given", "refused": "Refused", "not_sought": "Not sought"}

RAG = ("red", "amber", "green")

#: Agencies of the MASH: code → (name, CIN source suggested for its referrers, takes agency checks).
AGENCIES: dict[str, tuple[str, str | None, bool]] = {
    "mash": ("Bromley MASH (children's social care)", "5A", False),
    "edt": ("Emergency Duty Team", "5A", False),
    "police": ("Metropolitan Police (South East BCU)", "6", True),
    "health": ("Health (NHS safeguarding)", "3F", True),
    "education": ("Education", "2A", True),
    "probation": ("Probation Service", "7", True),
    "housing": ("Housing", "4", True),
    "youth_offending": ("Youth Offending Service", "5B", True),
    "early_help": ("Early Intervention and Family Support", "5D", True),
    "adult_social_care": ("Adult Social Care", "5B", True),
    "atlas": ("Atlas team (missing and exploited children)", "5B", True),
    "other_la": ("Another local authority", "5C", False),
    "voluntary": ("Voluntary sector", "8", False),
}

#: Contact outcomes that make a contact a referral to children's social care (for re-referrals).
REFERRAL_OUTCOMES = frozenset({"assessment", "strategy_discussion"})
