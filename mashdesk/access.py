"""Which records each role sees: the record rules beside ``PERMISSIONS``, written once as SQL.

``permissions.PERMISSIONS`` says which *actions* a role may take; this module says on which
*records*. Each rule is one SQL condition on a record's id (``{id}``: the id column of the query
it joins), so every read applies it in the database, never by filtering rows in Python:

- the plain-SQL queue adds :func:`direct_where` to its WHERE clause;
- ORM reads add :func:`clause` (a SQLAlchemy ``text`` clause) to their ``select``;
- opening one record by id asks :func:`may_open` (the same condition, ``{id} = :id``).

MASH practitioners and managers see every record. A role with no rule for a kind of record sees
none of it (:data:`NONE`). ``docs/access.md`` has the table in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from mashdesk.errors import PermissionDenied

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement

    from db.direct import Direct


class Actor(Protocol):
    """Who is reading (``mashdesk.context.Actor``: this module sits below the context)."""

    user_id: int
    display_name: str
    role: str
    agency_code: str | None

    @property
    def role_name(self) -> str: ...

#: Everyone's records: no condition.
ALL = ""
#: No record at all.
NONE = "1 = 0"

# -- the building blocks ----------------------------------------------------------------------------------
# Each is a correlated EXISTS on ``{id}`` (the record's id column; ``:acc_agency``, ``:acc_user`` bound),
# so the database answers it by index for one record, and row by row for a paged list.
_CHECKED_BY_MY_AGENCY = (
    "EXISTS (SELECT 1 FROM agency_checks acc_k JOIN agencies acc_a ON acc_a.id = acc_k.agency_id"
    " WHERE acc_k.contact_id = {id} AND acc_a.code = :acc_agency)")
_REFERRED_BY_MY_AGENCY = (
    "EXISTS (SELECT 1 FROM contacts acc_c JOIN referrers acc_r ON acc_r.id = acc_c.referrer_id"
    " JOIN agencies acc_a ON acc_a.id = acc_r.agency_id"
    " WHERE acc_c.id = {id} AND acc_a.code = :acc_agency)")
#: A school or an education service referred (CIN sources 2A, 2B), or the school nurse (3C).
_SCHOOL_REFERRED = (
    "EXISTS (SELECT 1 FROM contacts acc_c"
    " WHERE acc_c.id = {id} AND acc_c.cin_source IN ('2A', '2B', '3C'))")
_MADE_BY_EDT = (
    "EXISTS (SELECT 1 FROM contacts acc_c WHERE acc_c.id = {id} AND acc_c.edt_entry_id IS NOT NULL)")
_STEPPED_DOWN = (
    "EXISTS (SELECT 1 FROM step_downs acc_s WHERE acc_s.contact_id = {id})"
    " OR EXISTS (SELECT 1 FROM contacts acc_c WHERE acc_c.id = {id} AND acc_c.step_down_id IS NOT NULL)")
_ATLAS_CHILD = (
    "(EXISTS (SELECT 1 FROM atlas_markers acc_m WHERE acc_m.person_id = {person})"
    " OR EXISTS (SELECT 1 FROM missing_episodes acc_e WHERE acc_e.person_id = {person}))")
_OF_ATLAS_CHILDREN = (
    "EXISTS (SELECT 1 FROM contact_people acc_cp WHERE acc_cp.contact_id = {id} AND "
    + _ATLAS_CHILD.replace("{person}", "acc_cp.person_id") + ")")
_EDT_SHIFT = (
    "EXISTS (SELECT 1 FROM edt_entries acc_t WHERE acc_t.id = {id} AND (acc_t.recorded_by_id = :acc_user"
    " OR acc_t.period_end = (SELECT max(acc_t2.period_end) FROM edt_entries acc_t2)))")


def _any(*parts: str) -> str:
    return " OR ".join(f"({p})" for p in parts)


def _through_contacts(table: str, alias: str, id_column: str, contact_column: str, rule: str) -> str:
    """Records of ``table`` whose contact the role sees by ``rule``."""
    where = rule.replace("{id}", f"{alias}.{contact_column}")
    return f"EXISTS (SELECT 1 FROM {table} {alias} WHERE {alias}.{id_column} = {{id}} AND ({where}))"


_AGENCY_CONTACTS = _any(_CHECKED_BY_MY_AGENCY, _REFERRED_BY_MY_AGENCY)

#: kind of record → role → the condition on its id. A role not named sees none of that kind.
RULES: dict[str, dict[str, str]] = {
    "contact": {
        "practitioner": ALL, "manager": ALL,
        "police": _AGENCY_CONTACTS, "health": _AGENCY_CONTACTS,
        "education": _any(_CHECKED_BY_MY_AGENCY, _REFERRED_BY_MY_AGENCY, _SCHOOL_REFERRED),
        "edt": _MADE_BY_EDT,
        "earlyhelp": _STEPPED_DOWN,
        "atlas": _OF_ATLAS_CHILDREN,
    },
    "person": {
        "practitioner": ALL, "manager": ALL,
        # The people of the contacts the role sees (added below from the contact rules) and, by role:
        "edt": "EXISTS (SELECT 1 FROM edt_entry_people acc_ep WHERE acc_ep.person_id = {id})",
        "atlas": _ATLAS_CHILD.replace("{person}", "{id}"),
    },
    # Police and health are at every strategy discussion (domain.md); the school when relevant (below).
    "strategy_discussion": {"practitioner": ALL, "manager": ALL, "police": ALL, "health": ALL},
    # Every step-down is sent to Early Help.
    "step_down": {"practitioner": ALL, "manager": ALL, "earlyhelp": ALL},
    # The EDT: its own entries and those of the latest out-of-hours period (its shift's log).
    "edt_entry": {"practitioner": ALL, "manager": ALL, "edt": _EDT_SHIFT},
}
for _role, _rule in RULES["contact"].items():
    if _rule in (ALL, NONE):
        continue
    _people = _through_contacts("contact_people", "acc_cp2", "person_id", "contact_id", _rule)
    _own = RULES["person"].get(_role)
    RULES["person"][_role] = _any(_own, _people) if _own else _people
    RULES["strategy_discussion"].setdefault(
        _role, _through_contacts("strategy_discussions", "acc_sd", "id", "contact_id", _rule))

#: Why a record is refused, by role: said to the person and kept in the audit trail.
REASONS: dict[str, str] = {
    "police": "only contacts with a check for your agency, or that your agency referred",
    "health": "only contacts with a check for your agency, or that your agency referred",
    "education": "only contacts that involve a school or a pupil (a school referred, or education was asked)",
    "edt": "only the contacts the EDT made and your shift's log",
    "earlyhelp": "only the step-downs sent to Early Help",
    "atlas": "only children with Atlas markers or missing episodes",
    "admin": "administrators do not read children's records",
}

ENTITY_NAMES = {"contact": "contact", "person": "person", "strategy_discussion": "strategy discussion",
                "step_down": "step-down", "edt_entry": "EDT entry"}


class RecordRefused(PermissionDenied):
    """The actor may take the action, but not on this record."""

    def __init__(self, actor: Actor, kind: str, ident: int | str) -> None:
        self.reason = reason(actor, kind)
        who, what = f"{actor.display_name} ({actor.role_name})", ENTITY_NAMES.get(kind, kind)
        super().__init__(f"{who} may not open {what} {ident}: {self.reason}")


def reason(actor: Actor, kind: str) -> str:
    what = ENTITY_NAMES.get(kind, kind)
    return REASONS.get(actor.role, f"the {actor.role_name} has no access to this {what}")


@dataclass(frozen=True)
class Rule:
    """One role's condition for one kind of record, ready for a query."""

    kind: str
    template: str
    params: Mapping[str, Any]

    @property
    def everything(self) -> bool:
        return self.template == ALL

    def sql(self, id_column: str) -> str:
        """The condition on ``id_column`` (for instance ``c.id``), in parentheses; "" for every record."""
        return "" if self.everything else "(" + self.template.replace("{id}", id_column) + ")"


def rule(actor: Actor, kind: str) -> Rule:
    """``actor``'s condition on records of ``kind`` (one of :data:`RULES`)."""
    try:
        template = RULES[kind].get(actor.role, NONE)
    except KeyError:
        raise KeyError(f"unknown kind of record {kind!r}: add it to access.RULES") from None
    values = {"acc_agency": actor.agency_code or "", "acc_user": actor.user_id}
    params = {name: value for name, value in values.items() if f":{name}" in template}
    return Rule(kind, template, params)


def direct_where(actor: Actor, kind: str, id_column: str) -> tuple[str, dict[str, Any]]:
    """The condition and its parameters for a plain-SQL query ("" when the actor sees everything)."""
    r = rule(actor, kind)
    return r.sql(id_column), dict(r.params)


def clause(actor: Actor, kind: str, id_column: ColumnElement[Any]) -> ColumnElement[bool]:
    """The condition as a SQLAlchemy clause on ``id_column`` (``Contact.id``, say), for ``.where()``."""
    from sqlalchemy import text, true

    r = rule(actor, kind)
    if r.everything:
        return true()
    table = id_column.table.name  # type: ignore[attr-defined]
    return text(r.sql(f"{table}.{id_column.name}")).bindparams(**r.params)  # type: ignore[attr-defined,return-value]


#: The table of each kind of record (to tell a record that does not exist from one refused).
TABLES = {"contact": "contacts", "person": "people", "strategy_discussion": "strategy_discussions",
          "step_down": "step_downs", "edt_entry": "edt_entries"}


def may_open(conn: Direct, actor: Actor, kind: str, ident: int) -> bool | None:
    """Whether ``actor`` may open the record ``ident`` of ``kind``; None when there is no such record."""
    r = rule(actor, kind)
    if r.everything:
        return True
    found = conn.one(f"SELECT CASE WHEN {r.sql('acc_rec.id')} THEN 1 ELSE 0 END FROM {TABLES[kind]} acc_rec"
                     " WHERE acc_rec.id = :acc_id", {**r.params, "acc_id": ident})
    conn.finish_read()
    return None if found is None else bool(found[0])


__all__ = ["ALL", "NONE", "REASONS", "RULES", "TABLES", "RecordRefused", "Rule", "clause", "direct_where",
           "may_open", "reason", "rule"]
