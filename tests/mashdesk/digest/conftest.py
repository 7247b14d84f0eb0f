"""A small front door whose figures are counted by hand: October 2026 against 31 Aug - 30 Sep 2026.

What each period holds (London days; ``x`` marks a record outside both periods):

contacts   C1 5 Oct 2A red assessment in time re-referral (from consultation L2) · C2 6 Oct 2A red strategy late ·
           C3 7 Oct 6 green NFA in time · C4 31 Oct 23:30 6 not decided · x 1 Nov 00:10 ·
           P1 15 Sep 6 amber early help in time · P2 31 Aug 00:30 BST 1A amber assessment late · x 30 Aug
           step-up contacts U1 20 Nov, U2 25 Dec (outside both)
step-downs S1 sent 2 Oct accepted, stepped up 20 Nov (49 days) · S2 sent 10 Oct not accepted ·
           S3 sent 1 Sep accepted, stepped up 25 Dec (115 days)
ICPCs      due 20 Oct held 19 Oct · due 20 Oct held 22 Oct · due 12 Sep held 10 Sep
EDT        period ending 5 Oct dealt · 6 Oct breached · 7 Oct not acknowledged
decisions  C1 3/assessment as suggested (2026.1) · C2 suggested 3/assessment, decided 4/strategy (2026.1)
           · C3 suggested 2/early help, decided 1/NFA (2026.2)
missing    one looked-after child 8 Oct: strategy in 24 hours; returned 10 Oct, interview offered late
calls      L1 3 Oct advice only · L2 4 Oct contact now (became C1 the next day)
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from db.models import (
    Consultation,
    Contact,
    ContactPerson,
    Decision,
    EdtEntry,
    HandoverAcknowledgement,
    MissingEpisode,
    Person,
    StepDown,
    StrategyChild,
    StrategyDiscussion,
    ThresholdAssessment,
)

LONDON = ZoneInfo("Europe/London")
FIRST, LAST = date(2026, 10, 1), date(2026, 10, 31)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


@pytest.fixture
def front_door(ctx, actors) -> dict[str, int]:
    """The records above; returns their ids by name."""
    manager = actors["manager"].user_id
    ids: dict[str, int] = {}
    with ctx.session_factory.begin() as s:
        kids = [Person(first_name=f"Kid{i}", last_name="Counted", date_of_birth=date(2015, 1, 1 + i), sex="F")
                for i in range(4)]
        s.add_all(kids)
        s.flush()
        calls = {"L1": Consultation(at=at(2026, 10, 3, 11), caller_name="A Teacher", outcome="advice_only"),
                 "L2": Consultation(at=at(2026, 10, 4, 11), caller_name="A Teacher", outcome="contact_now")}
        s.add_all(calls.values())
        s.flush()

        def contact(name: str, when: datetime, source: str, rag: str | None = None, outcome: str | None = None,
                    late: bool | None = None, again: bool = False, **kw: object) -> Contact:
            c = Contact(received_at=when, channel="phone", cin_source=source, rag=rag, outcome=outcome,
                        decided_late=late, is_re_referral=again, **kw)
            c.people = [ContactPerson(person_id=kids[0].id, role="child")]
            s.add(c)
            s.flush()
            ids[name] = c.id
            return c

        contact("C1", at(2026, 10, 5, 9), "2A", "red", "assessment", False, True, consultation_id=calls["L2"].id,
                created_at=at(2026, 10, 5, 9))
        contact("C2", at(2026, 10, 6, 9), "2A", "red", "strategy_discussion", True)
        contact("C3", at(2026, 10, 7, 9), "6", "green", "nfa_advice", False)
        contact("C4", at(2026, 10, 31, 23, 30), "6")
        contact("X1", at(2026, 11, 1, 0, 10), "6", "red", "assessment", False)
        contact("P1", at(2026, 9, 15, 9), "6", "amber", "early_help", False)
        contact("P2", at(2026, 8, 31, 0, 30), "1A", "amber", "assessment", True)
        contact("X2", at(2026, 8, 30, 12), "1A", "amber", "assessment", True)
        contact("U1", at(2026, 11, 20, 9), "5D")
        contact("U2", at(2026, 12, 25, 9), "5D")
        ids.update({k: c.id for k, c in calls.items()})

        s.add_all([
            StepDown(contact_id=ids["C3"], sent_at=at(2026, 10, 2, 9), accepted_at=at(2026, 10, 3, 9),
                     status="stepped_up", stepped_up_contact_id=ids["U1"]),
            StepDown(contact_id=ids["C3"], sent_at=at(2026, 10, 10, 9), status="sent"),
            StepDown(contact_id=ids["C3"], sent_at=at(2026, 9, 1, 9), accepted_at=at(2026, 9, 2, 9),
                     status="stepped_up", stepped_up_contact_id=ids["U2"]),
        ])
        discussion = StrategyDiscussion(contact_id=ids["C2"], convened_at=at(2026, 9, 1, 9),
                                        due_at=at(2026, 9, 2, 9), held_at=at(2026, 9, 1, 12), status="held")
        discussion.children = [
            StrategyChild(person_id=kids[1].id, icpc_due=date(2026, 10, 20), icpc_held_on=date(2026, 10, 19)),
            StrategyChild(person_id=kids[2].id, icpc_due=date(2026, 10, 20), icpc_held_on=date(2026, 10, 22)),
            StrategyChild(person_id=kids[3].id, icpc_due=date(2026, 9, 12), icpc_held_on=date(2026, 9, 10)),
        ]
        s.add(discussion)

        for day, dealt, breached in ((5, True, False), (6, True, True), (7, False, False)):
            end = at(2026, 10, day, 8, 30)
            entry = EdtEntry(call_at=end - timedelta(hours=5), period_start=end - timedelta(hours=15),
                             period_end=end, reported="Call", urgency="routine")
            s.add(entry)
            s.flush()
            ids[f"E{day}"] = entry.id
            if dealt:
                s.add(HandoverAcknowledgement(entry_id=entry.id, acknowledged_at=end + timedelta(minutes=20),
                                              acknowledged_by_id=manager, outcome="no_action", breached=breached,
                                              dealt_at=end + timedelta(hours=1 if not breached else 3),
                                              dealt_by_id=manager))

        for name, (suggested, decided, version, reason) in {
            "C1": ((3, "assessment"), (3, "assessment"), "2026.1", None),
            "C2": ((3, "assessment"), (4, "strategy_discussion"), "2026.1", "Police disclosure of a weapon"),
            "C3": ((2, "early_help"), (1, "nfa_advice"), "2026.2", "Family support already in place"),
        }.items():
            when = s.get(Contact, ids[name]).received_at + timedelta(hours=2)
            assessment = ThresholdAssessment(contact_id=ids[name], person_id=kids[0].id, suggested_level=suggested[0],
                                             suggested_outcome=suggested[1], suggested_rag="red",
                                             ruleset_id="bromley-ton", ruleset_version=version, assessed_at=when)
            s.add(assessment)
            s.flush()
            s.add(Decision(contact_id=ids[name], person_id=kids[0].id, assessment_id=assessment.id,
                           level=decided[0], outcome=decided[1], override_reason=reason, decided_at=when,
                           decided_by_id=manager, status="authorised", authorised_at=when))

        reported = at(2026, 10, 8, 9)
        s.add(MissingEpisode(person_id=kids[1].id, last_seen_at=reported - timedelta(hours=2), reported_at=reported,
                             missing_from="care_placement", looked_after=True, risk="high",
                             escalation_due_at=reported + timedelta(days=3),
                             strategy_due_at=reported + timedelta(hours=24), strategy_at=reported + timedelta(hours=5),
                             returned_at=at(2026, 10, 10, 9), rhi_due_at=at(2026, 10, 13, 9),
                             rhi_offered_at=at(2026, 10, 14, 9), status="returned"))
    return ids
