"""Moved to :mod:`mashdesk.contacts`; these names stay importable here for modules not yet moved."""

from mashdesk.contacts.queue import QueueQuery, QueueService, due_label  # noqa: F401
