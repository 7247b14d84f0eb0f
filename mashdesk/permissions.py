"""Who may do what: the one role × action table, and the one check that reads it."""

from __future__ import annotations

from mashdesk.errors import PermissionDenied

#: The roles of the desk, with the names shown to people.
ROLES: dict[str, str] = {
    "practitioner": "MASH practitioner",
    "manager": "MASH team manager",
    "police": "Police officer (MASH)",
    "health": "Health officer (MASH)",
    "education": "Education safeguarding lead",
    "edt": "Emergency Duty Team social worker",
    "earlyhelp": "Early Help manager",
    "admin": "Administrator",
    "atlas": "Atlas team (missing and exploited children)",
}

MASH = frozenset({"practitioner", "manager"})
AGENCY = frozenset({"police", "health", "education"})
EVERYONE = frozenset(ROLES)

#: action → roles that may perform it.
PERMISSIONS: dict[str, frozenset[str]] = {
    "queue.read": MASH | AGENCY | {"edt", "earlyhelp", "admin", "atlas"},
    "contact.read": MASH | AGENCY | {"edt", "earlyhelp", "atlas"},
    "contact.create": MASH | {"edt"},
    "contact.update": MASH,
    "contact.screen": frozenset({"manager"}),
    "contact.allocate": frozenset({"manager"}),
    "contact.take_next": MASH,
    "check.request": MASH,
    "check.answer": AGENCY | {"atlas"},
    "decision.propose": MASH,
    "decision.authorise": frozenset({"manager"}),
    "feedback.send": MASH,
    "person.read": MASH | AGENCY | {"edt", "earlyhelp", "atlas"},
    #: Searching for a person (the known-child search); administrators check imports with it.
    "person.match": MASH | AGENCY | {"edt", "earlyhelp", "admin", "atlas"},
    "person.create": MASH | {"edt"},
    "person.import": frozenset({"admin", "manager"}),
    "person.merge": frozenset({"manager"}),
    #: Correcting and completing a person's record (the Person page).
    "person.update": MASH,
    #: Marking a person restricted, or lifting it; and opening a restricted person's record.
    "person.restrict": frozenset({"manager"}),
    "person.restricted": frozenset({"manager"}),
    "edt.log": frozenset({"edt"}),
    "handover.read": MASH | {"edt"},
    "handover.acknowledge": frozenset({"manager"}),
    #: Turning a handover item into a contact, or "no action for the day service".
    "handover.deal": frozenset({"manager"}),
    #: The scheduled sweep that marks items not dealt with by the handover deadline.
    "handover.mark_breached": frozenset({"manager"}),
    "handover.print": MASH | {"edt"},
    "handover.save": MASH | {"edt"},
    #: The 08:45 reminder of EDT items not yet acknowledged.
    "handover.remind": frozenset({"manager"}),
    #: Notes appended to an EDT entry (the one change after handover).
    "edt.note": MASH | {"edt"},
    "stepdown.read": MASH | {"earlyhelp"},
    "stepdown.manage": frozenset({"manager", "earlyhelp"}),
    #: Opening a step-down by hand from a contact, and deciding what follows a family's consent refusal.
    "stepdown.create": frozenset({"manager"}),
    "stepdown.decide_refusal": frozenset({"manager"}),
    #: Stepping a family up from Early Help: a new contact in the MASH queue.
    "stepdown.step_up": frozenset({"manager", "earlyhelp"}),
    #: Saving or printing the step-down form (who may read a step-down may print it; both are audited).
    "stepdown.form_save": MASH | {"earlyhelp"},
    "stepdown.form_print": MASH | {"earlyhelp"},
    "strategy.read": MASH | AGENCY,
    "strategy.manage": MASH,
    "strategy.convene": frozenset({"manager"}),
    "pack.build": MASH | AGENCY,
    "pack.print": MASH | AGENCY,
    "pack.save": MASH | AGENCY,
    #: The daily MASH meeting: every partner at the table reads the agenda (each its share) and the minutes.
    "meeting.read": MASH | AGENCY | {"atlas"},
    #: Holding it: opening, attendance, items by hand, notes, decisions, actions, closing (the chair).
    "meeting.hold": frozenset({"manager"}),
    #: After the minutes are locked: an addendum, stamped with who and when.
    "meeting.addendum": MASH | AGENCY | {"atlas"},
    #: Marking an action done with a note (the service checks it is the reader's own or their agency's).
    "meeting.action_done": MASH | AGENCY | {"atlas"},
    "meeting.minutes_save": MASH | AGENCY | {"atlas"},
    "meeting.minutes_print": MASH | AGENCY | {"atlas"},
    #: The Atlas team's intelligence markers on people: read with the person, kept by the Atlas team.
    "atlas.read": MASH | AGENCY | {"edt", "earlyhelp", "atlas"},
    "atlas.manage": frozenset({"atlas"}),
    #: Missing children: the list and episodes (education and health read them without police detail).
    "missing.read": MASH | AGENCY | {"atlas"},
    #: Recording an episode, its updates, the return, the escalation and the return home interview.
    "missing.record": MASH | {"atlas"},
    #: Convening the strategy discussion for a child missing from care (as any strategy discussion).
    "missing.convene": frozenset({"manager"}),
    #: An episode becomes a contact in the MASH queue.
    "missing.make_contact": MASH,
    #: The scheduled sweep that stores breaches of the missing clocks, and its notices.
    "missing.mark_breached": frozenset({"manager", "atlas"}),
    "notice.missing_deadlines": frozenset({"manager", "atlas"}),
    #: The director's daily list, saved or printed.
    "missing.list_save": MASH | {"atlas"},
    "missing.list_print": MASH | {"atlas"},
    #: The consultation line: MASH social workers log calls; the education lead reads schools' calls.
    "consultation.read": MASH | {"education"},
    "consultation.log": MASH,
    "draft.save": EVERYONE,
    #: Deadline notices a desk raises (the scheduled sweeps run as the signed-in person).
    "notice.decision_deadlines": MASH,
    "notice.strategy_deadlines": MASH,
    "notice.stepdown_deadlines": frozenset({"manager", "earlyhelp"}),
    #: 09:15 on working days: the meeting's agenda is ready (to the chairs).
    "notice.meeting_agenda": frozenset({"manager"}),
    #: Meeting actions past their due date, to their owners.
    "notice.meeting_actions": MASH | AGENCY | {"atlas"},
    "user.manage": frozenset({"admin"}),
    #: Recorded by every desk: it locked itself after the idle time, and its user signed out.
    "auth.lock": EVERYONE,
    "auth.sign_out": EVERYONE,
    "audit.read": frozenset({"admin", "manager"}),
    #: The daily signed checkpoint of the trail, which every desk writes.
    "audit.checkpoint": EVERYONE,
    #: A signed extract of the trail for an investigation.
    "audit.export": frozenset({"admin", "manager"}),
    "export.returns": frozenset({"admin", "manager"}),
    #: The performance digest (figures and the records behind them), and saving it as a PDF or workbook.
    "digest.read": frozenset({"admin", "manager"}),
    "digest.export": frozenset({"admin", "manager"}),
    #: What the census reports beyond the front door: assessments, plans, conferences (and their reading);
    #: a case's closure is a manager's authorisation.
    "returns.read": MASH | {"admin"},
    "returns.record": MASH,
    "returns.close": frozenset({"manager"}),
    "demo.load": frozenset({"admin"}),
    #: Threshold of Need versions: see them and their differences, replay a proposal over stored assessments,
    #: the consistency report; loading a file and setting when it takes effect are the administrator's.
    "ruleset.read": frozenset({"admin", "manager"}),
    "ruleset.replay": frozenset({"admin", "manager"}),
    "ruleset.consistency": frozenset({"admin", "manager"}),
    "ruleset.load": frozenset({"admin"}),
    "ruleset.activate": frozenset({"admin"}),
}


def allowed(role: str, action: str) -> bool:
    try:
        return role in PERMISSIONS[action]
    except KeyError:
        raise KeyError(f"unknown action {action!r}: add it to PERMISSIONS") from None


def require(role: str, action: str, username: str = "") -> None:
    """Raise :class:`PermissionDenied` unless ``role`` may perform ``action``."""
    if not allowed(role, action):
        who = f"{username} ({ROLES.get(role, role)})" if username else ROLES.get(role, role)
        raise PermissionDenied(f"{who} may not {action.replace('.', ': ').replace('_', ' ')}")


def may_read_restricted(actor_agency_code: str | None, owning_agency_code: str) -> bool:
    """Whether a person of ``actor_agency_code`` may read an answer restricted to ``owning_agency_code``.

    Only the answering agency reads a restricted answer; everyone else sees that one exists.
    """
    return actor_agency_code is not None and actor_agency_code == owning_agency_code
