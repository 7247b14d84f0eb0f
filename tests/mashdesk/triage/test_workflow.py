"""The contact's transition table: pure, so every status and role is checked without a database."""

from __future__ import annotations

import pytest

from mashdesk import permissions
from mashdesk.errors import InputError
from mashdesk.triage import workflow


def _may(role):
    return lambda action: permissions.allowed(role, action)


def test_every_action_names_a_known_permission_status_and_a_unique_shortcut():
    known = set(permissions.PERMISSIONS)
    offered = [a for a in workflow.ACTIONS if a.offered]
    assert len({a.shortcut for a in offered}) == len(offered)
    for a in workflow.ACTIONS:
        assert a.permission in known
        assert a.statuses <= set(workflow.STATUSES)
        assert a.to is None or a.to in workflow.STATUSES


def test_a_closed_contact_offers_only_the_feedback():
    keys = {a.key for a in workflow.allowed("closed", _may("manager"))}
    assert keys == {"letter", "save_letter", "sent"}


def test_agency_checks_are_asked_while_the_work_goes_on_and_not_while_a_decision_waits():
    may = _may("practitioner")
    assert all("checks" in {a.key for a in workflow.allowed(s, may)} for s in workflow.WORKING)
    assert "checks" not in {a.key for a in workflow.allowed("awaiting_authorisation", may)}
    with pytest.raises(InputError, match="awaiting authorisation"):
        workflow.require("checks", "awaiting_authorisation", "C-000001")


def test_answering_needs_a_check_of_ones_own_agency():
    may = _may("police")
    assert "answer" not in {a.key for a in workflow.allowed("in_progress", may)}
    assert "answer" in {a.key for a in workflow.allowed("in_progress", may, own_check=True)}


def test_each_step_leaves_the_contact_where_the_table_says():
    status = "new"
    for key in ("screen", "checks", "decide", "return", "decide", "authorise"):
        workflow.require(key, status, "C-000001")
        status = workflow.after(key, status)
    assert status == "closed"
