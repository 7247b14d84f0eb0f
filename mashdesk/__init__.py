"""MASH Desk: the application layer (services, calendar, matching, documents, CLI)."""

__version__ = "0.1.0"
