"""Moved to :mod:`mashdesk.contacts`; these names stay importable here for modules not yet moved."""

from mashdesk.contacts.queue import QueueService  # noqa: F401
from mashdesk.contacts.views import QueueQuery, due_label  # noqa: F401
