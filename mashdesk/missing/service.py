"""Missing episodes' units of work: the report, its updates, the return, the clocks' steps and breaches.

Which action may start from which status is ``workflow.TRANSITIONS``. Every write is one audited unit of
work and stamps a :class:`MissingUpdate`; the clocks' deadlines are set from the calendar when they start,
and their breaches stored by :meth:`MissingService.mark_breaches` (the scheduled sweep) when they happen.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from db.models import Contact, MissingEpisode, MissingUpdate, Person
from db.references import contact_reference, discussion_reference, missing_reference
from mashdesk.context import Actor, WriteScope
from mashdesk.contacts.service import ContactChildInput, ContactInput, ReferrerInput, record_contact
from mashdesk.errors import InputError
from mashdesk.missing.listing import MissingReads
from mashdesk.missing.views import EpisodeInput, ReturnInput
from mashdesk.missing.workflow import (
    HARMED,
    MISSING_FROM,
    OPEN_STATUSES,
    RHI_ANSWERS,
    RISKS,
    breaches_due,
    check_moment,
    check_report,
    due_times,
    is_repeat,
    require_state,
    rhi_due,
)
from mashdesk.missing.reading import clock_times
from mashdesk.strategy.service import convene_discussion

#: Updates a person adds by hand: kind → what it is called.
FREE_UPDATES = {"sighting": "sighting", "police": "police update", "note": "note"}


class MissingService(MissingReads):
    """The units of work on missing episodes (reads in :class:`MissingReads`)."""

    # -- helpers --------------------------------------------------------------------------------------
    def _edit(self, w: WriteScope, episode_id: int, version: int, action: str) -> MissingEpisode:
        e = w.get_for_edit(MissingEpisode, episode_id, version, "missing episode")
        require_state(e.status, action)
        return e

    @staticmethod
    def _stamp(w: WriteScope, e: MissingEpisode, kind: str, text: str, happened: datetime | None = None) -> None:
        e.updates.append(MissingUpdate(at=w.now, happened_at=happened, by_id=w.actor.user_id, kind=kind,
                                       text=text.strip()))

    def _done(self, w: WriteScope, e: MissingEpisode, summary: str, **detail: object) -> int:
        w.session.flush()
        w.audit("missing_episode", e.id, f"{missing_reference(e.id)}: {summary}", **detail)
        return e.version

    # -- the report -----------------------------------------------------------------------------------
    def record(self, actor: Actor, data: EpisodeInput) -> int:
        """Record that a child is missing; returns the episode's id."""
        now = self.ctx.now()
        check_report(data.last_seen_at, data.reported_at, data.missing_from, data.risk, now)
        with self.write(actor, "missing.record", "missing episode") as w:
            person = w.session.get(Person, data.person_id)
            if person is None:
                raise InputError(f"child: no child with reference {data.person_id} is known", "child")
            open_one = w.session.scalar(select(MissingEpisode.id).where(
                MissingEpisode.person_id == person.id, MissingEpisode.status == "missing"))
            if open_one is not None:
                raise InputError(f"child: {person.first_name} {person.last_name} is already missing "
                                 f"({missing_reference(open_one)}); add an update there", "child")
            earlier = list(w.session.scalars(select(MissingEpisode.reported_at).where(
                MissingEpisode.person_id == person.id)))
            strategy_due, escalation_due = due_times(self.calendar, data.reported_at, data.looked_after)
            e = MissingEpisode(
                person_id=person.id, last_seen_at=data.last_seen_at, reported_at=data.reported_at,
                missing_from=data.missing_from, looked_after=data.looked_after,
                police_reference=data.police_reference.strip() or None, risk=data.risk,
                circumstances=data.circumstances.strip(), associates=data.associates.strip(), status="missing",
                strategy_due_at=strategy_due, escalation_due_at=escalation_due,
                atlas_review=is_repeat(earlier, data.reported_at), recorded_by_id=actor.user_id,
                updated_by_id=actor.user_id)
            w.session.add(e)
            self._stamp(w, e, "note", f"Reported missing from {MISSING_FROM[data.missing_from].lower()}; "
                        f"risk {RISKS[data.risk].lower()}" + ("; looked after" if data.looked_after else ""),
                        data.reported_at)
            if e.atlas_review:
                self._stamp(w, e, "atlas_review", "Repeat missing: the third episode in 90 days. "
                            "Atlas team to review the child.")
            w.session.flush()
            w.audit("missing_episode", e.id, f"recorded {missing_reference(e.id)}: "
                    f"{person.first_name} {person.last_name} missing", person=person.id, risk=data.risk,
                    looked_after=data.looked_after, atlas_review=e.atlas_review)
            return e.id

    def add_update(self, actor: Actor, episode_id: int, version: int, kind: str, text: str,
                   happened_at: datetime | None = None) -> int:
        """A sighting, a police update or a note, stamped with who and when; returns the new version."""
        if kind not in FREE_UPDATES:
            raise InputError(f"kind: choose one of {', '.join(FREE_UPDATES)}", "kind")
        if not text.strip():
            raise InputError(f"text: say what the {FREE_UPDATES[kind]} was", "text")
        with self.write(actor, "missing.record", "missing episode") as w:
            e = self._edit(w, episode_id, version, "add_update")
            if happened_at is not None:
                check_moment("happened_at", happened_at, e.last_seen_at, w.now, f"the {FREE_UPDATES[kind]}")
            self._stamp(w, e, kind, text, happened_at)
            e.updated_by_id = actor.user_id
            return self._done(w, e, f"{FREE_UPDATES[kind]} added", kind=kind)

    def returned(self, actor: Actor, episode_id: int, version: int, data: ReturnInput) -> int:
        """The child is found or came back: the return home interview's clock starts."""
        if not data.where.strip():
            raise InputError("where: say where the child was found or returned to", "where")
        if not data.by_whom.strip():
            raise InputError("by_whom: say who found or returned the child", "by_whom")
        if data.harmed not in HARMED:
            raise InputError(f"harmed: answer {', '.join(HARMED)}", "harmed")
        with self.write(actor, "missing.record", "missing episode") as w:
            e = self._edit(w, episode_id, version, "returned")
            check_moment("returned_at", data.returned_at, e.last_seen_at, w.now, "the return")
            e.status, e.returned_at = "returned", data.returned_at
            e.returned_where, e.returned_by = data.where.strip(), data.by_whom.strip()
            e.harmed, e.harm_notes = data.harmed, data.harm_notes.strip() or None
            e.rhi_due_at = rhi_due(self.calendar, data.returned_at)
            self._stamp(w, e, "returned", f"Found/returned at {e.returned_where}, by {e.returned_by}; "
                        f"harmed: {HARMED[data.harmed].lower()}" + (f" ({e.harm_notes})" if e.harm_notes else ""),
                        data.returned_at)
            return self._done(w, e, "child found or returned", harmed=data.harmed)

    def escalate(self, actor: Actor, episode_id: int, version: int, told: str, at: datetime | None = None) -> int:
        """Record that a senior manager was told (who, and when)."""
        if not told.strip():
            raise InputError("told: name the senior manager who was told", "told")
        with self.write(actor, "missing.record", "missing episode") as w:
            e = self._edit(w, episode_id, version, "escalate")
            when = at or w.now
            check_moment("escalated_at", when, e.last_seen_at, w.now, "the escalation")
            e.escalated_at, e.escalated_to, e.escalated_by_id = when, told.strip(), actor.user_id
            if when > e.escalation_due_at:
                e.escalation_breached = True
            self._stamp(w, e, "escalated", f"Escalated to {e.escalated_to}", when)
            return self._done(w, e, f"escalated to {e.escalated_to}", late=e.escalation_breached)

    # -- what an episode starts elsewhere -----------------------------------------------------------
    def make_contact(self, actor: Actor, episode_id: int, version: int) -> int:
        """The episode becomes a contact in the MASH queue in one action, prefilled; returns its id."""
        with self.write(actor, "missing.make_contact", "missing episode") as w:
            e = self._edit(w, episode_id, version, "make_contact")
            if e.contact_id is not None:
                raise InputError(f"contact: already became {contact_reference(e.contact_id)}", "contact")
            contact = self._contact_for(w, e)
            self._done(w, e, f"became contact {contact.reference}", contact=contact.id)
            return contact.id

    def convene(self, actor: Actor, episode_id: int, version: int, reason: str = "") -> int:
        """Convene the strategy discussion from the episode (making its contact first if need be).

        The discussion is due when the episode's 24-hour clock says (for a child missing from care) and
        is linked to the episode; returns the discussion's id.
        """
        with self.write(actor, "missing.convene", "missing episode") as w:
            e = self._edit(w, episode_id, version, "convene")
            if e.strategy_discussion_id is not None:
                raise InputError(f"strategy: {discussion_reference(e.strategy_discussion_id)} is already "
                                 "convened", "strategy")
            contact = w.get(Contact, e.contact_id, "contact") if e.contact_id else self._contact_for(w, e)
            person = w.get(Person, e.person_id, "person")
            why = reason.strip() or (f"{person.first_name} {person.last_name} missing"
                                     + (" from care" if e.looked_after else "")
                                     + f" since {self.calendar.localize(e.last_seen_at):%a %d %b %H:%M}")
            discussion = convene_discussion(w, contact, reason=why, calendar=self.calendar,
                                            due_at=e.strategy_due_at)
            e.strategy_discussion_id, e.strategy_at = discussion.id, w.now
            if e.strategy_due_at is not None and w.now > e.strategy_due_at:
                e.strategy_breached = True
            self._stamp(w, e, "strategy", f"Strategy discussion {discussion_reference(discussion.id)} convened")
            self._done(w, e, f"convened strategy discussion {discussion_reference(discussion.id)}",
                       discussion=discussion.id, contact=contact.id)
            return discussion.id

    def _contact_for(self, w: WriteScope, e: MissingEpisode) -> Contact:
        police = e.police_reference is not None
        agency = "police" if police else ("atlas" if w.actor.role == "atlas" else "mash")
        where = MISSING_FROM[e.missing_from].lower()
        local = self.calendar.localize
        concern = (f"Missing episode {missing_reference(e.id)}: reported missing from {where} at "
                   f"{local(e.reported_at):%a %d %b %Y %H:%M}, last seen {local(e.last_seen_at):%a %d %b %H:%M}. "
                   f"Risk {RISKS[e.risk].lower()}." + (" Looked after." if e.looked_after else "")
                   + (f"\n{e.circumstances}" if e.circumstances else "")
                   + (f"\nKnown associates or locations: {e.associates}" if e.associates else ""))
        data = ContactInput(
            received_at=e.reported_at, channel="police_notification" if police else "phone",
            cin_source="6" if police else ("5B" if agency == "atlas" else "5A"), concern=concern,
            referrer=ReferrerInput(
                name=f"Police (missing person report {e.police_reference})" if police else w.actor.display_name,
                agency_code=agency, role=None if police else w.actor.role_name),
            children=[ContactChildInput(person_id=e.person_id)],
            child_location=(f"Returned: {e.returned_where}" if e.returned_at else "Missing: whereabouts not known"),
            immediate_protection="yes" if e.status == "missing" and e.risk == "high" else "unknown",
            consent="not_sought",
            consent_reason="The child is or was missing: information is shared to find and safeguard the child.",
            consent_decided_by=w.actor.display_name)
        contact = record_contact(w, data)
        e.contact_id = contact.id
        self._stamp(w, e, "contact", f"Became contact {contact.reference}")
        return contact

    # -- the return home interview -------------------------------------------------------------------
    def rhi_offer(self, actor: Actor, episode_id: int, version: int, at: datetime | None = None) -> int:
        with self.write(actor, "missing.record", "missing episode") as w:
            e = self._edit(w, episode_id, version, "rhi_offer")
            if e.rhi_offered_at is not None:
                raise InputError("rhi: the interview was already offered", "rhi")
            when = at or w.now
            assert e.returned_at is not None
            check_moment("offered_at", when, e.returned_at, w.now, "the offer")
            e.rhi_offered_at = when
            if e.rhi_due_at is not None and when > e.rhi_due_at:
                e.rhi_breached = True
            self._stamp(w, e, "rhi_offered", "Return home interview offered", when)
            return self._done(w, e, "return home interview offered", late=e.rhi_breached)

    def rhi_answer(self, actor: Actor, episode_id: int, version: int, answer: str, note: str = "") -> int:
        if answer not in RHI_ANSWERS:
            raise InputError("answer: accepted or declined", "answer")
        with self.write(actor, "missing.record", "missing episode") as w:
            e = self._edit(w, episode_id, version, "rhi_answer")
            if e.rhi_offered_at is None:
                raise InputError("answer: offer the interview first", "answer")
            e.rhi_response, e.rhi_response_at = answer, w.now
            if answer == "declined":
                e.status = "closed"
            self._stamp(w, e, "rhi_answer", f"Interview {answer}" + (f": {note.strip()}" if note.strip() else ""))
            return self._done(w, e, f"return home interview {answer}", answer=answer)

    def rhi_done(self, actor: Actor, episode_id: int, version: int, done_by: str, findings: str,
                 at: datetime | None = None) -> int:
        if not done_by.strip():
            raise InputError("done_by: name who did the interview", "done_by")
        if not findings.strip():
            raise InputError("findings: record what the interview found", "findings")
        with self.write(actor, "missing.record", "missing episode") as w:
            e = self._edit(w, episode_id, version, "rhi_done")
            if e.rhi_response != "accepted":
                raise InputError("findings: the interview was not accepted", "findings")
            when = at or w.now
            assert e.returned_at is not None
            check_moment("done_at", when, e.returned_at, w.now, "the interview")
            e.rhi_done_at, e.rhi_done_by, e.rhi_findings = when, done_by.strip(), findings.strip()
            e.status = "closed"
            self._stamp(w, e, "rhi_done", f"Interview done by {e.rhi_done_by}: {e.rhi_findings}", when)
            return self._done(w, e, "return home interview done")

    # -- the sweep -----------------------------------------------------------------------------------
    def mark_breaches(self, actor: Actor) -> list[tuple[int, str]]:
        """Store the breach of every clock whose deadline has just passed; returns (episode id, clock)."""
        now = self.ctx.now()
        with self.ctx.session_factory() as s:
            episodes = list(s.scalars(select(MissingEpisode).where(MissingEpisode.status.in_(OPEN_STATUSES))))
            found = {e.id: [k for k, v in breaches_due(clock_times(e, now), now).items() if v] for e in episodes}
        found = {k: v for k, v in found.items() if v}
        if not found:
            return []
        with self.write(actor, "missing.mark_breached", "missing episode") as w:
            marked: list[tuple[int, str]] = []
            for e in w.session.scalars(select(MissingEpisode).where(MissingEpisode.id.in_(found))):
                for flag, due in breaches_due(clock_times(e, w.now), w.now).items():
                    if due and flag in found[e.id]:
                        setattr(e, flag, True)
                        e.updated_by_id = actor.user_id
                        marked.append((e.id, flag.removesuffix("_breached")))
            w.audit("missing_episode", None, f"{len(marked)} missing-episode deadline(s) breached",
                    breaches=[f"{missing_reference(i)} {c}" for i, c in marked])
            return marked
