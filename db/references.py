"""How records are referred to, shared by the models and the paths that run before the ORM loads."""

from __future__ import annotations


def contact_reference(contact_id: int) -> str:
    """The reference people quote for a contact ("C-000123")."""
    return f"C-{contact_id:06d}"
