"""How records are referred to, shared by the models and the paths that run before the ORM loads."""

from __future__ import annotations


def contact_reference(contact_id: int) -> str:
    """The reference people quote for a contact ("C-000123")."""
    return f"C-{contact_id:06d}"


def step_down_reference(step_down_id: int) -> str:
    """The reference people quote for a step-down to Early Help ("SD-000042")."""
    return f"SD-{step_down_id:06d}"


def discussion_reference(discussion_id: int) -> str:
    """The reference people quote for a strategy discussion ("ST-000042"; never a step-down's "SD-")."""
    return f"ST-{discussion_id:06d}"



def person_reference(person_id: int) -> str:
    """The reference of a person (a child on the meeting's agenda: "P-000042")."""
    return f"P-{person_id:06d}"


def meeting_action_reference(action_id: int) -> str:
    """The reference people quote for an action agreed at the daily MASH meeting ("MA-000042")."""
    return f"MA-{action_id:06d}"


def edt_entry_reference(entry_id: int) -> str:
    """The reference of an EDT log entry on the meeting's agenda ("EDT-000042")."""
    return f"EDT-{entry_id:06d}"


def missing_reference(episode_id: int) -> str:
    """The reference people quote for a missing episode ("MP-000042")."""
    return f"MP-{episode_id:06d}"


def consultation_reference(consultation_id: int) -> str:
    """The reference people quote for a call to the consultation line ("CL-000042")."""
    return f"CL-{consultation_id:06d}"
