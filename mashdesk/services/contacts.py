"""Moved to :mod:`mashdesk.contacts`; these names stay importable here for modules not yet moved."""

from mashdesk.contacts.service import (  # noqa: F401
    REFERRAL_OUTCOMES,
    ContactChildInput,
    ContactInput,
    ContactService,
    ReferrerInput,
    previous_contacts,
    record_contact,
)
