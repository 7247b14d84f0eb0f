"""What an authorised decision sets going: a step-down to Early Help, or a strategy discussion.

Each step-down walks the step-down workflow's transition table (``mashdesk.stepdown.workflow``): every
step is allowed from the status it starts in, to the role that takes it, and its history says what the
service would say. Strategy discussions take their dates from the strategy workflow.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from db.references import contact_reference
from mashdesk import permissions
from mashdesk.clock import LONDON
from mashdesk.demo.bulk import weighted
from mashdesk.demo.catalogue import DECISION_TEXT, STEP_DOWN_NEEDS
from mashdesk.demo.families import DemoBuilder
from mashdesk.stepdown import workflow as sd_flow
from mashdesk.stepdown.centres import early_help_config
from mashdesk.strategy import workflow as st_flow


class StepDownWalk:
    """A step-down's row and history, moved on only as the transition table allows."""

    def __init__(self, row: dict[str, Any], by: dict[str, int]) -> None:
        self.row = row
        self.by = by  # role → the demo user who acts in it
        self.events: list[tuple[str, datetime, int, str]] = []

    def stamp(self, kind: str, at: datetime, role: str, note: str) -> None:
        self.events.append((kind, at, self.by[role], note))

    def take(self, action: str, at: datetime, role: str, kind: str, note: str, **answer: bool) -> None:
        permission = sd_flow.TRANSITIONS[action][1]
        if not permissions.allowed(role, permission):
            raise AssertionError(f"demo: a {role} may not take the step-down action {action}")
        self.row["status"] = sd_flow.after(action, self.row["status"], **answer)
        self.stamp(kind, at, role, note)


class FollowUps(DemoBuilder):
    def step_down(self, contact: dict[str, Any], decision: int, sent_at: datetime, children: list[int]) -> None:
        """A step-down's life so far: consent, sent to a centre from the configuration, accepted or declined,
        allocated, first contact, a review every 12 weeks (a few overdue), closed; the newest still in the
        Early Help inbox."""
        r, cal = self.rng, self.cal
        age = (self.now - sent_at).total_seconds() / 86400
        consent = "given" if r.random() < 0.95 else "refused"
        centre = r.choice(early_help_config().centres)
        sd = {"id": self.rows.next_id("step_downs"), "contact_id": contact["id"], "decision_id": decision,
              "centre": centre.code, "consent_step_down": "not_asked", "consent_info_sharing": "not_asked",
              "needs": "", "decision_summary": f"Step-down to Early Help at level {contact['level']}. "
                                               f"{DECISION_TEXT['early_help']}",
              "status": "draft", "sent_at": None, "accepted_at": None, "declined_reason": None,
              "allocated_worker": None, "allocated_worker_id": None, "first_contact_due_at": None,
              "first_contact_at": None, "next_review_due_at": None, "closed_at": None, "closure_reason": None,
              "stepped_up_contact_id": None, "is_demo": True, **self.stamp}
        walk = StepDownWalk(sd, {"manager": self.user_ids["demo.manager"],
                                 "earlyhelp": self.user_ids["demo.earlyhelp"]})
        walk.stamp("created", sent_at - timedelta(minutes=20), "manager",
                   sd_flow.opened_note(contact_reference(contact["id"]), by_hand=False))
        if age < 0.3 and r.random() < 0.3:  # consent still to be asked
            self._add_step_down(walk)
            return
        sd.update(consent_step_down=consent, consent_info_sharing=consent, needs=r.choice(STEP_DOWN_NEEDS))
        walk.take("record_consent", sent_at - timedelta(minutes=5), "manager",
                  "consent" if consent == "given" else "consent_refused",
                  sd_flow.consent_note(consent, consent, "Mother spoken to by phone."), refused=consent == "refused")
        if consent == "refused":
            if age > 5:
                closed = sent_at + timedelta(hours=r.randint(20, 100))
                sd.update(closed_at=closed, closure_reason="no_further_action")
                walk.take("decide_refusal", closed, "manager", "closed",
                          "No further action after the family refused consent")
            self._add_step_down(walk)
            return
        sd["sent_at"] = sent_at
        walk.take("send", sent_at, "manager", "sent", sd_flow.sent_note(centre.name))
        answered = sent_at + timedelta(hours=r.randint(4, 100))
        if answered > self.now:  # still in the Early Help inbox
            self._add_step_down(walk)
            return
        if r.random() < 0.06:
            sd["declined_reason"] = r.choice([
                "Needs are above Early Help; family already open to social care.",
                "Family lives outside the centre's area; please send to the nearest centre."])
            walk.take("decline", answered, "earlyhelp", "declined", sd["declined_reason"])
            closed = answered + timedelta(hours=r.randint(20, 70))
            if closed < self.now:
                sd.update(closed_at=closed, closure_reason="no_further_action")
                walk.take("close", closed, "manager", "closed", "Closed after the centre declined; advice to the family")
            self._add_step_down(walk)
            return
        sd.update(accepted_at=answered,
                  first_contact_due_at=cal.due_datetime("early_help_first_contact", answered),
                  next_review_due_at=cal.due_datetime("early_help_review", answered))
        walk.take("accept", answered, "earlyhelp", "accepted", sd_flow.accepted_note(centre.name))
        allocated = answered + timedelta(hours=r.randint(2, 30))
        if allocated < self.now:
            sd["allocated_worker"] = f"{r.choice(self.first_f + self.first_m)} {r.choice(self.last)}"
            walk.take("allocate", allocated, "earlyhelp", "allocated", sd["allocated_worker"])
            self._first_contact_and_reviews(walk, allocated)
        if sd["status"] == "engaged" and age > 70 and r.random() < min(0.9, age / 200):
            closed = min(sd["first_contact_at"] + timedelta(days=r.randint(60, 200)), self.now - timedelta(days=1))
            reason = weighted(r, [("outcomes_met", 70), ("family_declined", 18), ("no_further_action", 12)])
            sd.update(closed_at=closed, closure_reason=reason)
            walk.events = [e for e in walk.events if e[1] < closed]
            walk.take("close", closed, "earlyhelp", "closed", sd_flow.CLOSURE_REASONS[reason])
        self._add_step_down(walk)

    def _first_contact_and_reviews(self, walk: StepDownWalk, allocated: datetime) -> None:
        r, cal, sd = self.rng, self.cal, walk.row
        first = allocated + timedelta(hours=r.randint(20, 150))
        gave_up = sd["first_contact_due_at"] + timedelta(days=r.randint(5, 10))
        if first < self.now and r.random() < 0.07 and gave_up < self.now:
            sd.update(closed_at=gave_up, closure_reason="family_declined")
            walk.take("close", gave_up, "earlyhelp", "closed", "Family did not engage after three attempts to visit")
        elif first < self.now and (r.random() < 0.96 or gave_up < self.now):
            sd["first_contact_at"] = first
            walk.take("first_contact", first, "earlyhelp", "first_contact", r.choice(
                ["Home visit; family engaged and agreed a family plan.",
                 "Met mother at the centre; agreed to a parenting course.",
                 "Phone call then home visit; young person willing to work with us."]))
            review_due = sd["next_review_due_at"]
            while review_due < self.now:
                held = review_due - timedelta(days=r.randint(0, 6))
                if held > self.now or (review_due > self.now - timedelta(days=30) and r.random() < 0.08):
                    break  # a review not held yet: overdue by weeks at most
                walk.take("review", held, "earlyhelp", "review", r.choice(
                    ["Team around the family meeting: good progress, plan continues.",
                     "Attendance up to 94%; keep going for another 12 weeks.",
                     "Some progress; mother wants more help with routines."]))
                review_due = cal.due_datetime("early_help_review", held)
            sd["next_review_due_at"] = review_due

    def _add_step_down(self, walk: StepDownWalk) -> None:
        self.rows.add("step_downs", walk.row)
        for kind, at, by, note in walk.events:
            self.rows.add("step_down_events", {"step_down_id": walk.row["id"], "at": at, "by_id": by,
                                               "kind": kind, "note": note, "detail": {}})

    def strategy(self, contact: dict[str, Any], decision: int, convened: datetime, children: list[int]) -> None:
        r = self.rng
        if not self.rows.get("strategy_discussions"):
            # Discussion 1 always has police intelligence restricted to the police (packs redact it):
            # exactly one restricted answer (a contact's checks ask each agency at most once).
            police = self.agency_ids["police"]
            if not any(c["contact_id"] == contact["id"] and c["agency_id"] == police and c["restricted"]
                       for c in self.rows.get("agency_checks")):
                self._checks(contact, contact["rag"] or "red", answered=True, force_restricted=True,
                             agencies=["police"])
        due = self.cal.due_datetime("strategy_discussion", convened)
        held = convened + timedelta(hours=r.randint(2, 20))
        # Discussions convened since the last working day are still to hold: about half booked, half not yet.
        recent = convened.astimezone(LONDON).date() >= self.cal.previous_working_day(self.today)
        is_held = held < self.now and not recent
        scheduled = held if is_held or contact["id"] % 2 == 0 else None
        if scheduled is not None and not is_held and scheduled < self.now:
            scheduled = datetime.combine(self.cal.next_working_day(self.today), time(10, 0), tzinfo=LONDON)
        if is_held:
            st_flow.check_held(convened, held, self.now)
        sid = self.rows.add("strategy_discussions", {
            "contact_id": contact["id"], "decision_id": decision, "convened_at": convened,
            "convened_by_id": self.user_ids["demo.manager"], "due_at": due, "scheduled_for": scheduled,
            "held_at": held if is_held else None, "mode": r.choice(sorted(st_flow.MODES)),
            "chair_id": self.user_ids["demo.manager"], "reason": contact["concern"],
            "status": st_flow.status_when_held("convened") if is_held else "convened",
            "immediate_actions": "Child to stay with maternal grandmother under a safety plan." if is_held else "",
            "further_information": "GP records; nursery attendance." if is_held else "",
            "criminal_investigation": "Police to interview the father; joint visit first." if is_held else "",
            "legal_advice": "Not needed at this stage." if is_held else "", "is_demo": True, **self.stamp})
        for pid in children:
            decision_kind = weighted(r, [("s47_joint", 60), ("s47_single", 20), ("no_s47", 20)]) if is_held else None
            no_s47 = "Threshold for section 47 not met; single assessment instead." if decision_kind == "no_s47" else None
            started = None
            if decision_kind is not None:
                st_flow.check_decision(decision_kind, no_s47)
                if decision_kind != "no_s47":
                    started = st_flow.s47_start(convened, held)
            self.rows.add("strategy_children", {
                "discussion_id": sid, "person_id": pid, "decision": decision_kind, "no_s47_reason": no_s47,
                "s47_started_on": started, "icpc_due": st_flow.icpc_due(self.cal, started) if started else None,
                "icpc_held_on": None, **self.stamp})
        attendees = [("mash", self.user_ids["demo.manager"], "Daniel Okafor", "MASH team manager (chair)"),
                     ("mash", contact["allocated_to_id"], "Allocated social worker", "Social worker"),
                     ("police", self.user_ids["demo.police"], "DC Laura Hughes", "MASH police"),
                     ("health", self.user_ids["demo.health"], "Grace Mensah", "Safeguarding nurse"),
                     ("education", self.user_ids["demo.education"], "Tom Whitfield", "Education safeguarding lead")]
        for code, uid, name, role in attendees:
            attended = is_held and r.random() < 0.9
            joined_by = ("phone" if code == "police" else "video") if is_held else None
            st_flow.check_attendance(attended, joined_by)
            self.rows.add("strategy_attendees", {
                "discussion_id": sid, "agency_id": self.agency_ids[code], "user_id": uid, "name": name,
                "role": role, "invited": True, "attended": attended if is_held else None, "joined_by": joined_by,
                "information_shared": "Shared what the agency holds." if is_held else "", **self.stamp})
        if is_held:
            for action, owner in [("Joint home visit with police", "Allocated social worker"),
                                  ("Request GP records", "Grace Mensah"),
                                  ("Inform the school's DSL", "Tom Whitfield")][: r.randint(1, 3)]:
                self.rows.add("strategy_actions", {
                    "discussion_id": sid, "action": action, "owner": owner,
                    "due": self.cal.working_days_after(held.astimezone(LONDON).date(), 2),
                    "done_at": None, **self.stamp})

