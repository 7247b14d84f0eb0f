"""Contacts and their journeys: each walks the contact workflow's transition table, as the people allowed to.

A contact's journey is a path of actions (screen, checks, decide, authorise or return) taken through
``mashdesk.triage.workflow`` by a demo user whose role ``mashdesk.permissions`` allows it, at moments in
office hours that follow each other; the status is where the walk ends. The threshold engine makes the
suggestions, the calendar the deadlines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from db.models.contacts import RAG_RANK
from db.references import contact_reference
from mashdesk import permissions
from mashdesk.clock import LONDON
from mashdesk.codes import CIN_REFERRAL_SOURCES, REFERRAL_OUTCOMES
from mashdesk.contacts.service import children_display
from mashdesk.demo.bulk import local, weighted
from mashdesk.demo.catalogue import (
    CHECK_ANSWERS,
    CHECK_RESPONDERS,
    CONCERNS,
    DECISION_TEXT,
    GPS,
    NEED_BY_LEVEL,
    OUTCOME_LEVEL,
    OUTCOME_WEIGHTS,
    SCHOOLS,
    SOURCES,
)
from mashdesk.demo.edt import EdtLog, Spec
from mashdesk.demo.followups import FollowUps
from mashdesk.stepdown.centres import early_help_config
from mashdesk.triage import workflow
from rules import ChildInput, RuleInputError, age_on

#: Who takes each step of a contact's journey.
STEP_ROLES = {"screen": "manager", "checks": "practitioner", "decide": "practitioner", "authorise": "manager",
              "return": "manager"}


@dataclass
class Moments:
    """When each step of a journey happened (None: not yet)."""

    screened: datetime | None = None
    decided: datetime | None = None
    authorised: datetime | None = None


def walk(path: list[str], reference: str) -> str:
    """The status a new contact reaches along ``path``, each step allowed by the table to its role."""
    status = "new"
    for key in path:
        action = workflow.require(key, status, reference)
        if not permissions.allowed(STEP_ROLES[key], action.permission):
            raise AssertionError(f"demo: a {STEP_ROLES[key]} may not {action.name.lower()}")
        status = workflow.after(key, status)
    return status


class ContactJourneys(EdtLog, FollowUps):
    """Contacts and what followed them: screening, checks, decisions, step-downs, strategy, EDT."""

    def build(self) -> None:
        self.users()
        self.progress(1, 10)
        families = self.families(max(4, int(self.n_contacts * 0.62)))
        self.progress(2, 10)
        specs = self.edt_log()
        specs += [Spec(t) for t in self._received_times(self.n_contacts - len(specs))]
        specs.sort(key=lambda sp: sp.received_at)
        force_strategy = len(specs) // 3
        # One contact from a few days ago has had its decision returned, so every status is on show.
        force_return = next((i for i, sp in enumerate(specs) if sp.edt_entry is None
                             and timedelta(days=3) < self.now - sp.received_at < timedelta(days=6)), None)
        used: list[dict[str, Any]] = []
        fresh = iter(families)
        for i, spec in enumerate(specs):
            r = self.rng
            family = None
            if used and r.random() < 0.28:
                family = r.choice(used)
            if family is None:
                family = next(fresh, None) or r.choice(families)
                used.append(family)
            self._contact(spec, family, force_outcome="strategy_discussion" if i == force_strategy else None,
                          force_target="returned" if i == force_return else None)
            if i % 5000 == 0:
                self.progress(2 + int(6 * i / max(1, len(specs))), 10)

    def _received_times(self, count: int) -> list[datetime]:
        r = self.rng
        days = [self.today - timedelta(days=d) for d in range(0, 365)]
        working = [d for d in days if self.cal.is_working_day(d)]
        out = []
        for _ in range(max(0, count)):
            if r.random() < 0.85:
                d = r.choice(working)
                t = time(r.randint(8, 16), r.randint(0, 59))
                if t < time(8, 30):
                    t = time(8, 30 + r.randint(0, 29))
            else:
                d = r.choice(days)
                t = time(r.choice([0, 1, 2, 6, 7, 17, 18, 19, 20, 21, 22, 23]), r.randint(0, 59))
            moment = local(d, t)
            if moment > self.now:
                moment = self.now - timedelta(minutes=r.randint(1, 240))
            out.append(moment)
        # However small the demo, the last three working days brought a few contacts still being worked.
        since = self.cal.previous_working_day(self.cal.previous_working_day(self.cal.previous_working_day(self.today)))
        recent = [d for d in working if d >= since] or working[:1]
        for i in range(min(6, len(out))):
            moment = local(r.choice(recent), time(r.randint(8, 16), r.randint(30, 59)))
            out[i] = moment if moment <= self.now else self.now - timedelta(minutes=r.randint(1, 240))
        return out

    def office(self, moment: datetime) -> datetime:
        """``moment`` if the MASH is open then, otherwise when it next opens."""
        return moment if self.cal.in_office_hours(moment) else self.cal.start_of_clock(moment)

    # -- the journey --------------------------------------------------------------------------------
    def _target(self, received: datetime) -> str:
        r = self.rng
        age_days = (self.now - received).total_seconds() / 86400
        if age_days > 12:
            return "closed"
        if age_days > 4:
            return weighted(r, [("closed", 72), ("awaiting_authorisation", 12), ("in_progress", 12),
                                ("returned", 4)])
        return weighted(r, [("new", 25), ("screened", 20), ("in_progress", 30), ("awaiting_authorisation", 15),
                            ("returned", 3), ("closed", 7)])

    def _moments(self, target: str, received: datetime, rag: str) -> tuple[str, Moments]:
        """When each step happened, in office hours and before now; a step that would come later is not
        taken yet, so the target falls back to where the contact has got to."""
        r, at = self.rng, Moments()
        if target == "new":
            return target, at
        at.screened = self.office(self.cal.start_of_clock(received) + timedelta(minutes=r.randint(10, 90)))
        if at.screened >= self.now:
            return "new", Moments()
        if target in ("screened", "in_progress"):
            return target, at
        due = self.cal.due_datetime(f"decision_{rag}", received)
        span = max(60.0, (due - at.screened).total_seconds())
        late = r.random() < 0.08
        decided = at.screened + timedelta(seconds=span * (r.uniform(1.0, 1.6) if late else r.uniform(0.2, 0.95)))
        decided = self.office(decided)
        if decided > self.now - timedelta(minutes=5):
            return "in_progress", at
        at.decided = decided
        if target == "awaiting_authorisation":
            return target, at
        authorised = self.office(decided + timedelta(minutes=r.randint(10, 120)))
        if authorised > self.now:
            return "awaiting_authorisation", at
        at.authorised = authorised
        return target, at

    def _path(self, status: str, with_checks: bool) -> list[str]:
        path = {"new": [], "screened": ["screen"], "in_progress": ["screen", "checks"],
                "awaiting_authorisation": ["screen", "decide"], "returned": ["screen", "decide", "return"],
                "closed": ["screen", "decide", "authorise"]}[status]
        if with_checks and status not in ("new", "screened", "in_progress"):
            path.insert(1, "checks")
        return path

    def _concern(self, level: int, ages: list[int | None]) -> str:
        """A concern of ``level`` about the lead child (the first), or failing that about any of them."""
        for wanted in (ages[:1], ages):
            fitting = [c for c in CONCERNS[level] if any(c.fits(a) for a in wanted)]
            if fitting:
                return self.rng.choice(fitting).text
        fitting = [c for lvl in (3, 2, 1, 4) for c in CONCERNS[lvl] if any(c.fits(a) for a in ages)]
        return fitting[0].text

    def _contact(self, spec: Spec, family: dict[str, Any], force_outcome: str | None,
                 force_target: str | None = None) -> None:
        r = self.rng
        received = spec.received_at
        target = "closed" if force_outcome or spec.edt_entry else self._target(received)
        target = force_target or target
        if force_outcome:
            received = min(received, self.now - timedelta(days=14))
        kids = family["children"]
        children = kids if r.random() < 0.6 else r.sample(kids, k=r.randint(1, len(kids)))
        source, _, channels, agency_code, org_kind = weighted(r, [(s, s[1]) for s in SOURCES])
        channel = "edt" if spec.edt_entry else r.choice(channels)
        referrer, source_display = self._referrer(source, agency_code, org_kind)
        outcome = force_outcome or weighted(r, OUTCOME_WEIGHTS)
        level = OUTCOME_LEVEL[outcome]
        contact_id = self.rows.next_id("contacts")
        reference = contact_reference(contact_id)
        received_on = received.astimezone(LONDON).date()
        child_inputs, ages = [], []
        person_rows = self.rows.get("people")
        for n, pid in enumerate(children):
            p = person_rows[pid - 1]
            history = family["history"].get(pid, (0, 0))
            dob, edob = p["date_of_birth"], p["expected_date_of_birth"]
            if dob is not None and dob > received_on:  # not yet born when the contact came in
                dob, edob = None, dob
            age = None if dob is None else age_on(dob, received_on)
            ages.append(age)
            child_inputs.append(ChildInput(
                ref=str(pid), date_of_birth=dob, expected_date_of_birth=edob,
                disabled=p["disabled"], previous_cp_plan=p["cp_plan_previous"],
                previous_contacts_12m=history[0], previous_referrals_12m=history[1],
                indicators=tuple(self._indicators_for(level if n == 0 else r.randint(1, level), age))))
        try:
            triage = self.engine.triage(received_on, child_inputs)
        except RuleInputError:
            child_inputs = [ChildInput(ref=c.ref, date_of_birth=c.date_of_birth,
                                       expected_date_of_birth=c.expected_date_of_birth) for c in child_inputs]
            triage = self.engine.triage(received_on, child_inputs)
        rag = triage.rag if r.random() < 0.95 else r.choice(["red", "amber", "green"])
        target, at = self._moments(target, received, rag)
        with_checks = target == "in_progress" or (target != "screened" and (
            rag != "green" or r.random() < 0.3 or bool(force_outcome)))
        status = walk(self._path(target, with_checks), reference)
        screened = at.screened is not None
        contact = {
            "id": contact_id, "received_at": received, "channel": channel, "referrer_id": referrer,
            "cin_source": source, "concern": self._concern(max(1, min(4, triage.children[0].level)), ages),
            "child_location": r.choice(["At school", "At home with mother", "At nursery", "With grandparents",
                                        "Unknown", "In hospital"]),
            "immediate_protection": "yes" if triage.rag == "red" and r.random() < 0.3 else r.choice(["no", "no",
                                                                                                     "unknown"]),
            "interpreter_needs": None if r.random() < 0.93 else r.choice(["Polish interpreter", "BSL interpreter",
                                                                         "Romanian interpreter"]),
            "consent": weighted(r, [("given", 60), ("refused", 8), ("not_sought", 32)]),
            "consent_reason": None, "consent_decided_by": None, "status": status,
            "rag": rag if screened else None, "rag_rank": RAG_RANK[rag if screened else None],
            "rag_suggested": triage.rag, "rag_reason": None if rag == triage.rag else
            "Manager's judgement on the history known to the MASH.",
            "screened_at": at.screened, "screened_by_id": self.user_ids["demo.manager"] if screened else None,
            "decision_due_at": self.cal.due_datetime(f"decision_{rag}", received) if screened else None,
            "allocated_to_id": r.choice(self.workers) if screened and r.random() < 0.9 else None,
            "allocated_at": None, "outcome": None, "level": None, "closed_at": None, "decided_late": None,
            "is_re_referral": any(family["history"].get(pid, (0, 0))[1] > 0 for pid in children),
            "children_display": children_display([f"{person_rows[p - 1]['first_name']} "
                                                  f"{person_rows[p - 1]['last_name']}" for p in children]),
            "source_display": source_display, "edt_entry_id": spec.edt_entry["entry"]["id"] if spec.edt_entry else None,
            "step_down_id": None, "consultation_id": None, "is_demo": True, **self.stamp,
        }
        if contact["consent"] == "not_sought":
            contact["consent_reason"] = r.choice(["Seeking consent could place the child at risk of significant "
                                                  "harm.", "Could prejudice a police investigation.",
                                                  "Would cause undue delay."])
            contact["consent_decided_by"] = "Daniel Okafor (MASH manager)"
        if contact["allocated_to_id"]:
            contact["allocated_at"] = contact["screened_at"]
        self.rows.add("contacts", contact)
        if spec.edt_entry:
            spec.edt_entry["ack"]["contact_id"] = contact_id
        for pid in children:
            self.rows.add("contact_people", {"contact_id": contact_id, "person_id": pid, "role": "child",
                                             "relationship_to_child": None, "parental_responsibility": False,
                                             "notes": None})
        for pid, kind in family["adults"]:
            self.rows.add("contact_people", {"contact_id": contact_id, "person_id": pid,
                                             "role": "household_member", "relationship_to_child": kind,
                                             "parental_responsibility": kind in ("mother", "father"), "notes": None})
        if with_checks:
            teen = any(a is not None and a >= 11 for a in ages)
            self._checks(contact, rag, answered=at.decided is not None, atlas=teen and r.random() < 0.2)
        if at.decided is not None:
            self._decide(contact, triage, children, status, at, force_outcome)
        elif screened or r.random() < 0.5:
            # The practitioner applies the threshold while working the contact (often during the call).
            moment = at.screened or received
            by = contact["allocated_to_id"] or self.user_ids["demo.practitioner"]
            for pid, result in zip(children, triage.children, strict=True):
                self._assessment(contact_id, pid, result, triage, moment, by)
        for pid in children:
            c, ref = family["history"].get(pid, (0, 0))
            family["history"][pid] = (c + 1, ref + (contact["outcome"] in REFERRAL_OUTCOMES))

    def _indicators_for(self, level: int, age: int | None) -> list[str]:
        r = self.rng
        fits = [i for lvl in range(2, level + 1) for i in self.indicators_by_level.get(lvl, [])
                if self.ruleset.indicators[i].fits(age)]
        top = [i for i in self.indicators_by_level.get(level, []) if self.ruleset.indicators[i].fits(age)]
        if level <= 1 or not top:
            return []
        chosen = {r.choice(top)}
        for _ in range(r.randint(0, 2)):
            chosen.add(r.choice(fits))
        return sorted(chosen)

    def _referrer(self, source: str, agency_code: str | None, kind: str) -> tuple[int, str]:
        """The person who made the contact, from an organisation of the kind the CIN source names."""
        r = self.rng
        organisation = {
            "police": "Metropolitan Police", "school": r.choice(SCHOOLS), "education": "Bromley Education Services",
            "gp": r.choice(GPS), "hv": "Bromley Healthcare health visiting", "school_nurse": "School nursing",
            "health": "Oxleas NHS Foundation Trust", "hospital": "Princess Royal University Hospital",
            "housing": "Bromley Housing Options", "la": "London Borough of Bromley",
            "other_la": r.choice(["Royal Borough of Greenwich", "London Borough of Croydon", "Kent County Council"]),
            "early_help": r.choice(early_help_config().centres).name, "probation": "Probation Service",
            "voluntary": r.choice(self.org_names),
        }.get(kind)
        role = {"police": "Police constable", "school": "Designated safeguarding lead", "gp": "GP",
                "hv": "Health visitor", "hospital": "Paediatric liaison nurse", "family": "Relative",
                "early_help": "Family support worker"}.get(kind)
        anonymous = source == "9"
        row = {
            "name": "" if anonymous else r.choice(self.full_names), "agency_id": self.agency_ids.get(agency_code or ""),
            "organisation": organisation, "role": role,
            "phone": None if anonymous else f"020 7946 {r.randint(0, 9999):04d}",
            "email": None if anonymous or kind in ("family", "public", "self") else "referrer@example.invalid",
            "relationship_to_family": {"family": r.choice(["Grandmother", "Aunt", "Father", "Uncle"]),
                                       "public": "Neighbour", "self": "Self"}.get(kind),
            "professional": kind not in ("family", "public", "self", "anonymous", "unknown"), **self.stamp,
        }
        label = CIN_REFERRAL_SOURCES[source]
        who = organisation or row["name"]
        display = f"{label} — {who}" if who and not anonymous else label
        return self.rows.add("referrers", row), display[:160]

    def _checks(self, contact: dict[str, Any], rag: str, *, answered: bool, force_restricted: bool = False,
                agencies: list[str] | None = None, atlas: bool = False) -> None:
        """Checks with the agencies whose officers answer on the desk; an answer names its responder."""
        r = self.rng
        if agencies is None:
            agencies = ["police", "health", "education"][: r.randint(1, 3)] + (["atlas"] if atlas else [])
        requester = contact["allocated_to_id"] or self.user_ids["demo.practitioner"]
        for code in agencies:
            requested = min(self.office((contact["screened_at"] or contact["received_at"])
                                        + timedelta(minutes=r.randint(5, 60))), self.now)
            restricted = code == "police" and (force_restricted or r.random() < 0.15)
            responded = min(requested + timedelta(minutes=r.randint(20, 300)), self.now)
            done = answered or (r.random() < 0.4 and responded < self.now)
            answer = CHECK_ANSWERS[code][1] if restricted else r.choice(
                [a for a in CHECK_ANSWERS[code] if "Do not disclose" not in a] or CHECK_ANSWERS[code])
            responder = self.user_ids[CHECK_RESPONDERS[code]]
            self.rows.add("agency_checks", {
                "contact_id": contact["id"], "agency_id": self.agency_ids[code], "requested_at": requested,
                "requested_by_id": requester, "due_at": self.cal.due_datetime(f"agency_check_{rag}", requested),
                "question": "Please share what your agency holds on the family.",
                "status": "answered" if done else "requested", "response": answer if done else None,
                "responded_at": responded if done else None, "responder_id": responder if done else None,
                "restricted": restricted and done, **self.stamp})

    def _assessment(self, contact_id: int, person_id: int, result: Any, triage: Any, at: datetime,
                    by: int) -> int:
        return self.rows.add("threshold_assessments", {
            "contact_id": contact_id, "person_id": person_id, "indicators": list(result.indicators),
            "household_indicators": [], "suggested_level": result.level, "suggested_outcome": result.outcome,
            "suggested_rag": result.rag, "flags": list(result.flags), "rules_fired": list(result.rules),
            "reasons": list(result.reasons), "ruleset_id": triage.ruleset_id,
            "ruleset_version": triage.ruleset_version, "assessed_at": at, "assessed_by_id": by})

    def _decide(self, contact: dict[str, Any], triage: Any, children: list[int], status: str, at: Moments,
                force_outcome: str | None = None) -> None:
        r = self.rng
        assert at.decided is not None
        decided_by = contact["allocated_to_id"] or self.user_ids["demo.practitioner"]
        authorised = status == "closed"
        lead: tuple[tuple[int, bool], int, str, int, str] | None = None
        for n, (pid, result) in enumerate(zip(children, triage.children, strict=True)):
            level, outcome, reason = result.level, result.outcome, None
            if n == 0 and force_outcome:
                if outcome != force_outcome:
                    level, outcome = OUTCOME_LEVEL[force_outcome], force_outcome
                    reason = "Manager's judgement: the history known to the MASH raises the concern."
            elif r.random() < 0.08 and level > 1:
                level -= 1
                outcome = self.ruleset.levels[level].default_outcome
                reason = "Protective factors: parents engaging and the child is safe with family support."
            elif level == 3 and r.random() < 0.03:
                outcome = "pass_to_allocated_worker"
            assessment = self._assessment(contact["id"], pid, result, triage, at.decided, decided_by)
            decision_id = self.rows.add("decisions", {
                "contact_id": contact["id"], "person_id": pid, "assessment_id": assessment, "level": level,
                "outcome": outcome, "primary_need": r.choice(NEED_BY_LEVEL[level]), "override_reason": reason,
                "rationale": DECISION_TEXT[outcome], "decided_at": at.decided, "decided_by_id": decided_by,
                "status": {"closed": "authorised", "returned": "returned"}.get(status, "proposed"),
                "authorised_at": at.authorised if authorised else None,
                "authorised_by_id": self.user_ids["demo.manager"] if authorised else None,
                "return_comment": "Please add the health check answer before I authorise." if status == "returned"
                else None, "nfa": outcome == "nfa_advice", **self.stamp})
            rank = workflow.lead_rank(level, outcome)
            if lead is None or rank > lead[0]:
                lead = (rank, level, outcome, decision_id, DECISION_TEXT[outcome])
        if not authorised:
            return
        assert at.authorised is not None and lead is not None
        _, level, outcome, decision_id, rationale = lead
        contact.update(outcome=outcome, level=level, closed_at=at.authorised,
                       decided_late=workflow.decided_late(contact["decision_due_at"], at.decided))
        referrer = self.rows.get("referrers")[contact["referrer_id"] - 1]
        if referrer["professional"]:
            sent = self.office(at.authorised + timedelta(minutes=r.randint(30, 1800)))
            self.rows.add("referrer_feedback", {
                "contact_id": contact["id"], "due_at": self.cal.due_datetime("referrer_feedback", at.authorised),
                "text": workflow.feedback_text(contact["children_display"], contact["received_at"], outcome,
                                               rationale),
                "method": "secure_email", "sent_at": sent if sent < self.now else None,
                "sent_by_id": decided_by if sent < self.now else None, **self.stamp})
        if outcome == "early_help":
            self.step_down(contact, decision_id, at.authorised, children)
        elif outcome == "strategy_discussion":
            self.strategy(contact, decision_id, at.authorised, children)
