"""Triage: screening, allocation, agency checks, the threshold, decisions, authorisation, feedback.

``workflow`` is the contact's transition table (pure, no database): which actions each
status allows and the permission each needs. ``service`` runs them as units of work.
"""
