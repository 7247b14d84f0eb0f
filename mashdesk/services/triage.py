"""Moved to :mod:`mashdesk.triage`; these names stay importable here for modules not yet moved."""

from mashdesk.triage.service import ChildDecisionInput, ThresholdInput, TriageService  # noqa: F401
