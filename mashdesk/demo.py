"""Synthetic demo data: believable families, contacts and their whole journey, deterministic per seed.

Everything here is invented (Faker, en_GB). The generator writes with bulk inserts
so 150,000 contacts finish in well under five minutes on two cores; the ruleset
engine and the working calendar produce the suggestions and deadlines, so the demo
obeys the same rules as real work.
"""

from __future__ import annotations

import functools
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from faker import Faker
from sqlalchemy import JSON, Date, delete, func, select, text
from sqlalchemy.orm import Session

from db import models as m
from db.base import UTCDateTime
from db.timestamps import to_db_timestamp
from db.models.contacts import RAG_RANK
from mashdesk import audit
from mashdesk.people import names
from mashdesk.codes import CIN_REFERRAL_SOURCES, REFERRAL_OUTCOMES
from mashdesk.calendar import WorkingCalendar
from mashdesk.stepdown.centres import early_help_config
from mashdesk.errors import InputError
from mashdesk.services.auth import ROLE_AGENCY, hash_password, seed_reference_data
from mashdesk.context import AppContext
from mashdesk.contacts.service import children_display
from mashdesk.consultations.demo import seed_demo as seed_consultations
from mashdesk.missing.demo import seed_demo as seed_missing
from mashdesk.validators import nhs_check_digit
from rules import ChildInput, RuleInputError, ThresholdEngine, age_on, load_ruleset

from mashdesk.clock import LONDON

DEMO_USERS = {
    "demo.practitioner": ("practitioner", "Priya Sharma", "MASH"),
    "demo.manager": ("manager", "Daniel Okafor", "MASH"),
    "demo.police": ("police", "DC Laura Hughes", "MASH police"),
    "demo.health": ("health", "Grace Mensah", "MASH health"),
    "demo.education": ("education", "Tom Whitfield", "Education safeguarding"),
    "demo.edt": ("edt", "Sam Patel", "EDT"),
    "demo.earlyhelp": ("earlyhelp", "Rachel Green", "Early Help"),
    "demo.admin": ("admin", "Alex Morgan", "Performance and systems"),
    "demo.atlas": ("atlas", "Jordan Reid", "Atlas team"),
}
DEMO_PASSWORD = "demo"

#: (CIN source, weight, channel choices, agency code, organisation kind)
SOURCES: list[tuple[str, int, tuple[str, ...], str | None, str]] = [
    ("6", 30, ("police_notification",), "police", "police"),
    ("2A", 17, ("online_form", "email", "phone"), "education", "school"),
    ("2B", 2, ("email", "online_form"), "education", "education"),
    ("3A", 3, ("email", "phone"), "health", "gp"),
    ("3B", 4, ("phone", "email"), "health", "hv"),
    ("3C", 1, ("phone", "email"), "health", "school_nurse"),
    ("3D", 1, ("email",), "health", "health"),
    ("3E", 4, ("phone", "email"), "health", "hospital"),
    ("3F", 2, ("email",), "health", "health"),
    ("1A", 7, ("phone", "online_form"), None, "family"),
    ("1B", 2, ("phone",), None, "public"),
    ("1C", 1, ("phone",), None, "self"),
    ("1D", 1, ("phone",), None, "public"),
    ("4", 3, ("email",), "housing", "housing"),
    ("5A", 3, ("email", "phone"), "mash", "la"),
    ("5B", 2, ("email",), "youth_offending", "la"),
    ("5C", 2, ("email", "other_la"), "other_la", "other_la"),
    ("5D", 3, ("email",), "early_help", "early_help"),
    ("7", 3, ("email",), "probation", "probation"),
    ("8", 4, ("email", "phone"), "voluntary", "voluntary"),
    ("9", 4, ("phone",), None, "anonymous"),
    ("10", 1, ("email",), None, "unknown"),
]

OUTCOME_WEIGHTS = [("nfa_advice", 44), ("early_help", 27), ("assessment", 19), ("strategy_discussion", 7),
                   ("pass_to_allocated_worker", 2), ("transfer_other_la", 1)]
OUTCOME_LEVEL = {"nfa_advice": 1, "early_help": 2, "assessment": 3, "strategy_discussion": 4,
                 "pass_to_allocated_worker": 3, "transfer_other_la": 2}
NEED_BY_LEVEL = {1: ["N9", "N4", "N0"], 2: ["N4", "N5", "N7", "N3"], 3: ["N1", "N5", "N4", "N2", "N3"],
                 4: ["N1"]}
TOWNS = [("Bromley", "BR1"), ("Bromley", "BR2"), ("Beckenham", "BR3"), ("West Wickham", "BR4"),
         ("Orpington", "BR5"), ("Orpington", "BR6"), ("Chislehurst", "BR7"), ("Swanley", "BR8"),
         ("Penge", "SE20"), ("Anerley", "SE20"), ("Mottingham", "SE9"), ("Biggin Hill", "TN16")]
SCHOOLS = ["Hayes Primary School", "Pickhurst Academy", "Darrick Wood School", "Langley Park School",
           "Bishop Justus CE School", "Oak Lodge Primary", "Perry Hall Primary", "Crofton Junior School",
           "Harris Academy Orpington", "Ravens Wood School", "Chislehurst School for Girls",
           "Stewart Fleming Primary", "Churchfields Primary", "Red Hill Primary", "Warren Road Primary"]
GPS = ["Elm House Surgery", "Station Road Medical Centre", "Cator Medical Centre", "Park Group Practice",
       "Mottingham Surgery", "Knoll Medical Practice", "Links Medical Practice", "Highland Road Surgery"]
CONCERNS = {
    1: ["Parent asked for advice about managing a teenager's behaviour at home.",
        "Child was upset after a family argument; no injuries, parents engaging with support.",
        "Worry about noise from the family's flat; no specific concern about the children."],
    2: ["Attendance has fallen to 84% this term and the child often arrives hungry.",
        "Missed developmental checks; mother seems isolated since moving to the area.",
        "Family struggling with debt and overcrowding; mother has asked for help.",
        "Young carer for a parent with a long-term illness; tired in class, no other concerns."],
    3: ["Police attended a domestic incident overnight; children present, assessed as medium risk.",
        "Mother's mental health has deteriorated; the children are unkempt and withdrawn.",
        "Young person missing from home twice this month, returned by police, will not say where.",
        "Father released from prison to the family home; history of violence to a former partner."],
    4: ["Bruise to the cheek of a 10-month-old; the parents' account is inconsistent.",
        "Child disclosed that an adult at home touched her; she is frightened to go home.",
        "Young person found in a trap house in another borough with cash and two phones.",
        "High-risk domestic abuse incident; mother is 30 weeks pregnant and was strangled."],
}
DECISION_TEXT = {
    "nfa_advice": "No further action: information and advice given to the referrer and family.",
    "early_help": "Needs can be met by Early Help with the family's consent; step-down agreed.",
    "assessment": "Complex needs: refer for a single assessment under section 17.",
    "strategy_discussion": "Reasonable cause to suspect significant harm: convene a strategy discussion.",
    "pass_to_allocated_worker": "Case open to a social worker: passed to the allocated worker.",
    "transfer_other_la": "Family now lives in another borough: transferred to that authority's MASH.",
}
CHECK_ANSWERS = {
    "police": ["Two domestic incidents recorded at the address in the last year; no arrests.",
               "Father known for possession with intent to supply; intelligence suggests links to a local "
               "gang. Do not disclose to the family.",
               "No trace on police systems for the named adults."],
    "health": ["Child up to date with immunisations; missed last two dental appointments.",
               "Mother under the perinatal mental health team; last seen three weeks ago."],
    "education": ["Attendance 82% this year; two fixed-term exclusions.",
                  "No concerns from school; child described as settled and well presented."],
    "probation": ["Father under licence until next year; conditions include no contact with a former partner."],
    "housing": ["Family in temporary accommodation since March; rent arrears."],
    "youth_offending": ["Young person known to YOS; referral order completed last year."],
    "early_help": ["Family worked with a Children and Family Centre last year; case closed, outcomes met."],
    "adult_social_care": ["Mother known to adult mental health services; care coordinator allocated."],
    "atlas": ["Young person on the missing and exploited children list; three missing episodes this year."],
}
STEP_DOWN_NEEDS = [
    "Parenting support and help with routines at bedtime and before school.",
    "Help with school attendance (82% this term) and the morning routine.",
    "Support for a young carer looking after a parent with a long-term illness.",
    "Debt advice and housing support; the family is in temporary accommodation.",
    "Help managing a teenager's behaviour at home; parents want a parenting course.",
    "Emotional support for a child after the parents' separation; contact arrangements.",
]


@dataclass
class DemoSummary:
    contacts: int
    people: int
    edt_entries: int
    step_downs: int
    strategy_discussions: int
    seconds: float


def _weighted(rng: random.Random, items: list[tuple[Any, int]]) -> Any:
    return rng.choices([i for i, _ in items], weights=[w for _, w in items])[0]


def _local(d: date, t: time) -> datetime:
    return datetime.combine(d, t, LONDON).astimezone(UTC)


def assert_demo_only(session: Session) -> None:
    """Refuse a database that holds anything but demo data (interfaces.md: exit 2)."""
    checks = [
        ("users", select(func.count()).select_from(m.User).where(m.User.is_demo.is_(False))),
        ("contacts", select(func.count()).select_from(m.Contact).where(m.Contact.is_demo.is_(False))),
        ("people", select(func.count()).select_from(m.Person).where(m.Person.is_demo.is_(False))),
        ("EDT log", select(func.count()).select_from(m.EdtEntry).where(m.EdtEntry.is_demo.is_(False))),
    ]
    for what, stmt in checks:
        if session.scalar(stmt):
            raise InputError(f"database: it holds real {what}; demo data goes only into an empty or demo "
                             "database", "db")


def _clear(session: Session) -> None:
    """Remove earlier demo data (children before parents), keeping roles and agencies."""
    for table in reversed(m.Role.metadata.sorted_tables):
        if table.name not in ("roles", "agencies"):
            if table.name == "contacts":
                session.execute(table.update().values(step_down_id=None))
            session.execute(delete(table))


class _Ids:
    def __init__(self) -> None:
        self.n: dict[str, int] = {}

    def next(self, table: str) -> int:
        self.n[table] = self.n.get(table, 0) + 1
        return self.n[table]


class DemoBuilder:
    """Builds the rows in memory, then inserts them table by table."""

    def __init__(self, session: Session, contacts: int, seed: int, now: datetime,
                 progress: Callable[[int, int], None] | None = None,
                 calendar: WorkingCalendar | None = None) -> None:
        self.s = session
        self.n_contacts = contacts
        self.rng = random.Random(seed)
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed)
        self.now = now
        self.today = now.astimezone(LONDON).date()
        self.cal = calendar or WorkingCalendar()
        self.ruleset = load_ruleset()
        self.engine = ThresholdEngine(self.ruleset)
        self.progress = progress or (lambda done, total: None)
        self.ids = _Ids()
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self._key_cache: dict[tuple[str, str], dict[str, str]] = {}
        self.stamp = {"version": 1, "created_at": now, "updated_at": now, "updated_by_id": None}
        self._pools()

    # -- pools of invented names and places ---------------------------------------------------
    def _pools(self) -> None:
        f = self.fake
        self.first_f = sorted({f.first_name_female() for _ in range(600)})
        self.first_m = sorted({f.first_name_male() for _ in range(600)})
        self.last = sorted({f.last_name() for _ in range(900)})
        self.streets = sorted({f.street_name() for _ in range(500)})
        self.org_names = sorted({f.company() for _ in range(80)})
        self.full_names = sorted({f.name() for _ in range(1500)})
        self.indicators_by_level: dict[int, list[str]] = {}
        for ind in self.ruleset.indicators.values():
            self.indicators_by_level.setdefault(ind.level, []).append(ind.id)
        for level in self.indicators_by_level.values():
            level.sort()

    def _keys(self, first: str, last: str) -> dict[str, str]:
        key = (first, last)
        if key not in self._key_cache:
            self._key_cache[key] = names.keys(first, last)
        return self._key_cache[key]

    def _add(self, table: str, row: dict[str, Any]) -> int:
        if "id" not in row:
            row["id"] = self.ids.next(table)
        self.rows.setdefault(table, []).append(row)
        return row["id"]

    def _postcode(self, outward: str) -> str:
        r = self.rng
        return f"{outward} {r.randint(1, 9)}{r.choice('ABDEFGHJLNPQRSTUWXY')}{r.choice('ABDEFGHJLNPQRSTUWXY')}"

    # -- users ----------------------------------------------------------------------------------
    def users(self) -> dict[str, int]:
        agencies = {code: ident for code, ident in self.s.execute(select(m.Agency.code, m.Agency.id))}
        self.agency_ids = agencies
        pw = hash_password(DEMO_PASSWORD)
        ids: dict[str, int] = {}
        extra = [(f"demo.sw{i}", "practitioner", f"{self.fake.first_name()} {self.fake.last_name()}", "MASH")
                 for i in range(1, 9)]
        for username, (role, name, team) in list(DEMO_USERS.items()) + [(u, (r, n, t)) for u, r, n, t in extra]:
            agency = ROLE_AGENCY.get(role)
            ids[username] = self._add("users", {
                "username": username, "display_name": name, "role_code": role,
                "agency_id": agencies.get(agency) if agency else None, "team": team,
                "email": f"{username}@example.invalid", "password_hash": pw, "active": True,
                "is_demo": True, "last_sign_in_at": None, **self.stamp})
        self.user_ids = ids
        self.workers = [ids["demo.practitioner"]] + [ids[f"demo.sw{i}"] for i in range(1, 9)]
        return ids

    # -- families -------------------------------------------------------------------------------
    def families(self, count: int) -> list[dict[str, Any]]:
        r = self.rng
        families = []
        for _ in range(count):
            town, outward = r.choice(TOWNS)
            postcode = self._postcode(outward)
            addr = self._add("addresses", {
                "line1": f"{r.randint(1, 180)} {r.choice(self.streets)}", "line2": None, "town": town,
                "postcode": postcode, "postcode_key": postcode.replace(" ", "")})
            household = self._add("households", {"address_id": addr, "label": ""})
            surname = r.choice(self.last)
            adults = []
            mother_surname = surname if r.random() < 0.7 else r.choice(self.last)
            mother = self._person(r.choice(self.first_f), mother_surname, "F", adult=True, addr=addr)
            adults.append((mother, "mother"))
            if r.random() < 0.55:
                adults.append((self._person(r.choice(self.first_m), surname, "M", adult=True, addr=addr),
                               "father" if r.random() < 0.7 else "step-father"))
            children = []
            for _ in range(r.choice([1, 1, 1, 2, 2, 2, 3, 3, 4])):
                sex = r.choice("MF")
                first = r.choice(self.first_m if sex == "M" else self.first_f)
                child_surname = surname if r.random() < 0.85 else mother_surname
                children.append(self._person(first, child_surname, sex, adult=False, addr=addr))
            if r.random() < 0.03:
                children.append(self._person("Unborn", mother_surname, "U", adult=False, addr=addr, unborn=True))
            # Parents are at least 17 years older than their eldest child.
            births = [self.rows["people"][c - 1]["date_of_birth"] for c in children]
            eldest = min((b for b in births if b is not None), default=None)
            for pid, _ in adults:
                parent = self.rows["people"][pid - 1]
                if eldest is not None and parent["date_of_birth"] > eldest - timedelta(days=17 * 365):
                    parent["date_of_birth"] = eldest - timedelta(days=r.randint(17 * 365, 38 * 365))
            for pid, role in adults:
                self._add("household_members", {"household_id": household, "person_id": pid,
                                                "role": "parent", "from_date": None, "to_date": None})
                for cid in children:
                    self._add("relationships", {"person_id": pid, "related_person_id": cid, "kind": role,
                                                "parental_responsibility": role in ("mother", "father")})
            for cid in children:
                self._add("household_members", {"household_id": household, "person_id": cid, "role": "child",
                                                "from_date": None, "to_date": None})
            families.append({"adults": adults, "children": children, "postcode": postcode, "history": {}})
        return families

    def _person(self, first: str, last: str, sex: str, *, adult: bool, addr: int, unborn: bool = False) -> int:
        r = self.rng
        if unborn:
            dob, edob = None, self.today + timedelta(days=r.randint(20, 200))
        elif adult:
            dob, edob = self.today - timedelta(days=r.randint(19 * 365, 50 * 365)), None
        else:
            dob, edob = self.today - timedelta(days=r.randint(20, 17 * 365 + 300)), None
        person = {
            "external_id": None, "first_name": first, "middle_names": None, "last_name": last,
            "date_of_birth": dob, "expected_date_of_birth": edob, "date_of_death": None, "sex": sex,
            "ethnicity": _weighted(r, [("WBRI", 70), ("BAFR", 6), ("BCRB", 4), ("MWBC", 5), ("AIND", 3),
                                       ("APKN", 2), ("WOTH", 5), ("MOTH", 2), ("OOTH", 2), ("NOBT", 1)]),
            "first_language": "English" if r.random() < 0.88 else r.choice(
                ["Polish", "Romanian", "Turkish", "Urdu", "Portuguese", "Arabic", "Somali"]),
            "religion": None, "disabled": (not adult) and r.random() < 0.05, "disability_notes": None,
            "nhs_number": _nhs_number(r), "upn": None if adult or unborn else _upn(r),
            "school": None if adult or unborn or (dob and (self.today - dob).days < 4 * 365)
            else r.choice(SCHOOLS),
            "gp": r.choice(GPS), "phone": f"07700 9{r.randint(0, 99999):05d}" if adult else None,
            "open_case": False, "cp_plan_current": False, "cp_plan_previous": (not adult) and r.random() < 0.04,
            "warning": "Violent adult: do not visit alone." if adult and r.random() < 0.02 else None,
            "merged_into_id": None, "is_demo": True, **self._keys(first, last), **self.stamp,
        }
        pid = self._add("people", person)
        self._add("person_addresses", {"person_id": pid, "address_id": addr, "current": True,
                                       "from_date": None, "to_date": None})
        if not adult and r.random() < 0.04:
            alias_last = r.choice(self.last)
            self._add("person_names", {"person_id": pid, "kind": "former", "first_name": first,
                                       "last_name": alias_last, **self._keys(first, alias_last)})
        return pid


def _nhs_number(r: random.Random) -> str:
    """A random NHS number with a valid check digit (modulus 11)."""
    while True:
        first_nine = "".join(str(r.randint(0, 9)) for _ in range(9))
        check = nhs_check_digit(first_nine)
        if check is not None:
            return first_nine + str(check)


def _upn(r: random.Random) -> str:
    return r.choice("ABCDEFGHJKLMNPQRTUVWXYZ") + f"305{r.randint(0, 9999999):07d}{r.randint(0, 9)}"[:12]


def _converter(column_type: Any, dialect: str) -> Callable[[Any], Any] | None:
    """How a Python value is handed to the driver for the bulk load (``None``: as it is)."""
    if isinstance(column_type, UTCDateTime):
        return functools.partial(to_db_timestamp, dialect=dialect)
    if isinstance(column_type, JSON):
        return lambda v: json.dumps(v)
    if dialect == "sqlite" and isinstance(column_type, Date):
        return lambda v: None if v is None else v.isoformat()
    return None


def _insert(session: Session, table_name: str, rows: list[dict[str, Any]]) -> None:
    """Bulk-insert prepared rows straight through the driver's executemany.

    The rows are built by this module with Python values of the right types; the
    per-row work SQLAlchemy's type processing would do is done once per column here.
    """
    table = m.Role.metadata.tables[table_name]
    conn = session.connection()
    dialect = conn.dialect.name
    columns = list(rows[0])
    converters = [_converter(table.c[c].type, dialect) for c in columns]
    marker = "?" if dialect == "sqlite" else "%s"
    sql = (f"INSERT INTO {table_name} ({', '.join(columns)}) "
           f"VALUES ({', '.join(marker for _ in columns)})")
    data = [tuple(row[c] if f is None else f(row[c]) for c, f in zip(columns, converters, strict=True))
            for row in rows]
    for start in range(0, len(data), 20000):
        conn.exec_driver_sql(sql, data[start:start + 20000])


@dataclass
class _Spec:
    received_at: datetime
    edt_entry: dict[str, Any] | None = None


class DemoJourneys(DemoBuilder):
    """Contacts and what followed them: screening, checks, decisions, step-downs, strategy, EDT."""

    def build(self) -> None:
        self.users()
        self.progress(1, 10)
        families = self.families(max(4, int(self.n_contacts * 0.62)))
        self.progress(2, 10)
        specs = self._edt_log()
        specs += [_Spec(t) for t in self._received_times(self.n_contacts - len(specs))]
        specs.sort(key=lambda sp: sp.received_at)
        force_strategy = len(specs) // 3
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
            self._contact(spec, family, force_outcome="strategy_discussion" if i == force_strategy else None)
            if i % 5000 == 0:
                self.progress(2 + int(6 * i / max(1, len(specs))), 10)

    # -- times ------------------------------------------------------------------------------------
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
            moment = _local(d, t)
            if moment > self.now:
                moment = self.now - timedelta(minutes=r.randint(1, 240))
            out.append(moment)
        return out

    # -- EDT ----------------------------------------------------------------------------------------
    def _edt_log(self) -> list[_Spec]:
        """The out-of-hours log for every period of the year; returns contacts made from it."""
        r = self.rng
        specs: list[_Spec] = []
        periods = []
        day = self.today - timedelta(days=364)
        while day <= self.today + timedelta(days=7):
            if self.cal.is_working_day(day):
                start, end = self.cal.edt_period_ending(day)
                if start >= self.now:
                    break
                periods.append((start, end))
            day += timedelta(days=1)
        # About one contact in twenty-five starts as an out-of-hours call, at most 12 calls a period;
        # the latest period always has a few, so the morning handover has something to show.
        rate = min(12.0, self.n_contacts / 25 / max(1, len(periods)))
        max_conversions = self.n_contacts // 5
        edt_user = self.user_ids["demo.edt"]
        manager = self.user_ids["demo.manager"]
        for index, (start, end) in enumerate(periods):
            calls = int(rate) + (r.random() < rate - int(rate))
            if index == len(periods) - 1:
                calls = max(calls, 4)
            deadline = self.cal.edt_handover(end)
            span = (min(end, self.now) - start).total_seconds()
            for _ in range(calls):
                call_at = start + timedelta(seconds=r.uniform(0, span))
                level = _weighted(r, [(2, 5), (3, 4), (4, 1)])
                urgent = level == 4 or r.random() < 0.1
                surname = r.choice(self.last)
                kids = ", ".join(f"{r.choice(self.first_f + self.first_m)} {surname} ({r.randint(0, 17)})"
                                 for _ in range(r.randint(1, 3)))
                town, outward = r.choice(TOWNS)
                entry = {
                    "call_at": call_at, "caller_name": r.choice(self.full_names),
                    "caller_agency": r.choice(["Metropolitan Police", "Princess Royal University Hospital",
                                               "Parent", "Neighbour", "Out-of-hours GP", "Foster carer"]),
                    "phone": f"020 7946 {r.randint(0, 9999):04d}", "children_text": kids,
                    "address_text": f"{r.randint(1, 120)} {r.choice(self.streets)}, {town} "
                                    f"{self._postcode(outward)}",
                    "reported": r.choice(CONCERNS[level]), "emergency_services": level >= 3 and r.random() < 0.5,
                    "action_taken": r.choice(["Advice given to caller; police to visit.",
                                              "Spoke to mother by phone; children safe with grandmother tonight.",
                                              "Police protection not needed; safety plan agreed.",
                                              "Visited with police; children asleep and well."]),
                    "outstanding": r.choice(["MASH to screen in the morning.", "Check with school on attendance.",
                                             "Agency checks needed.", "None: for information."]),
                    "urgency": "urgent" if urgent else "routine", "recorded_by_id": edt_user,
                    "completed_at": min(call_at + timedelta(minutes=r.randint(10, 90)), self.now),
                    "period_start": start, "period_end": end, "is_demo": True, **self.stamp,
                }
                entry_id = self._add("edt_entries", entry)
                if deadline < self.now or (end <= self.now and r.random() < 0.4):
                    acked = min(end + timedelta(minutes=r.randint(5, 80)), self.now)
                    converts = r.random() < 0.35
                    ack = {"entry_id": entry_id, "acknowledged_at": acked, "acknowledged_by_id": manager,
                           "outcome": "pending", "contact_id": None, "no_action_reason": None,
                           "dealt_at": None, "dealt_by_id": None, "breached": False, **self.stamp}
                    if deadline < self.now:
                        ack["dealt_at"] = acked + timedelta(minutes=r.randint(1, 40))
                        ack["dealt_by_id"] = manager
                        if converts and len(specs) < max_conversions:
                            ack["outcome"] = "contact_created"
                            specs.append(_Spec(call_at, edt_entry={"entry": entry, "ack": ack}))
                        else:
                            ack["outcome"] = "no_action"
                            ack["no_action_reason"] = r.choice(["Information only; no role for the day service.",
                                                                "Already open to the allocated social worker.",
                                                                "Resolved overnight; family in another borough."])
                    self._add("handover_acknowledgements", ack)
        return specs

    # -- contacts -----------------------------------------------------------------------------------
    def _status(self, received: datetime) -> str:
        r = self.rng
        age_days = (self.now - received).total_seconds() / 86400
        if age_days > 12:
            return "closed"
        if age_days > 4:
            return _weighted(r, [("closed", 72), ("awaiting_authorisation", 12), ("in_progress", 12),
                                 ("returned", 4)])
        return _weighted(r, [("new", 25), ("screened", 20), ("in_progress", 30), ("awaiting_authorisation", 15),
                             ("returned", 3), ("closed", 7)])

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

    def _contact(self, spec: _Spec, family: dict[str, Any], force_outcome: str | None) -> None:
        r = self.rng
        received = spec.received_at
        status = "closed" if force_outcome or spec.edt_entry else self._status(received)
        if force_outcome:
            received = min(received, self.now - timedelta(days=14))
        kids = family["children"]
        children = kids if r.random() < 0.6 else r.sample(kids, k=r.randint(1, len(kids)))
        source, _, channels, agency_code, org_kind = _weighted(r, [(s, s[1]) for s in SOURCES])
        channel = "edt" if spec.edt_entry else r.choice(channels)
        referrer, source_display = self._referrer(source, agency_code, org_kind, family)
        target = force_outcome or _weighted(r, OUTCOME_WEIGHTS)
        level = OUTCOME_LEVEL[target]
        contact_id = self.ids.next("contacts")
        received_on = received.astimezone(LONDON).date()
        child_inputs = []
        person_rows = self.rows["people"]
        for n, pid in enumerate(children):
            p = person_rows[pid - 1]
            history = family["history"].get(pid, (0, 0))
            dob, edob = p["date_of_birth"], p["expected_date_of_birth"]
            if dob is not None and dob > received_on:  # not yet born when the contact came in
                dob, edob = None, dob
            age = None if dob is None else age_on(dob, received_on)
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
        is_re = any(family["history"].get(pid, (0, 0))[1] > 0 for pid in children)
        rag = triage.rag if r.random() < 0.95 else r.choice(["red", "amber", "green"])
        opens = self.cal.start_of_clock(received)
        if opens >= self.now:  # arrived out of hours and the MASH has not opened since
            status = "new"
        screened = status != "new"
        screened_at = min(opens + timedelta(minutes=r.randint(10, 90)), self.now) if screened else None
        due = self.cal.due_datetime(f"decision_{rag}", received) if screened else None
        contact = {
            "id": contact_id, "received_at": received, "channel": channel, "referrer_id": referrer,
            "cin_source": source, "concern": r.choice(CONCERNS[max(1, min(4, triage.children[0].level))]),
            "child_location": r.choice(["At school", "At home with mother", "At nursery", "With grandparents",
                                        "Unknown", "In hospital"]),
            "immediate_protection": "yes" if triage.rag == "red" and r.random() < 0.3 else r.choice(["no", "no",
                                                                                                     "unknown"]),
            "interpreter_needs": None if r.random() < 0.93 else r.choice(["Polish interpreter", "BSL interpreter",
                                                                         "Romanian interpreter"]),
            "consent": _weighted(r, [("given", 60), ("refused", 8), ("not_sought", 32)]),
            "consent_reason": None, "consent_decided_by": None, "status": status,
            "rag": rag if screened else None, "rag_rank": RAG_RANK[rag if screened else None],
            "rag_suggested": triage.rag, "rag_reason": None if rag == triage.rag else
            "Manager's judgement on the history known to the MASH.",
            "screened_at": screened_at,
            "screened_by_id": self.user_ids["demo.manager"] if screened else None,
            "decision_due_at": due,
            "allocated_to_id": r.choice(self.workers) if status not in ("new",) and r.random() < 0.9 else None,
            "allocated_at": None, "outcome": None, "level": None, "closed_at": None, "decided_late": None,
            "is_re_referral": is_re,
            "children_display": children_display([f"{person_rows[p - 1]['first_name']} {person_rows[p - 1]['last_name']}"
                                                  for p in children]),
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
        self._add("contacts", contact)
        if spec.edt_entry:
            spec.edt_entry["ack"]["contact_id"] = contact_id
        for pid in children:
            self._add("contact_people", {"contact_id": contact_id, "person_id": pid, "role": "child",
                                         "relationship_to_child": None, "parental_responsibility": False,
                                         "notes": None})
        for pid, kind in family["adults"]:
            self._add("contact_people", {"contact_id": contact_id, "person_id": pid, "role": "household_member",
                                         "relationship_to_child": kind,
                                         "parental_responsibility": kind in ("mother", "father"), "notes": None})
        checks_answered = status in ("awaiting_authorisation", "returned", "closed")
        if status in ("in_progress", "awaiting_authorisation", "returned", "closed") and (
                rag != "green" or r.random() < 0.3 or force_outcome):
            self._checks(contact, rag, answered=checks_answered)
        if status in ("awaiting_authorisation", "returned", "closed"):
            self._decide(contact, triage, children, status)
        elif status != "new" or r.random() < 0.5:
            # The practitioner applies the threshold while working the contact (often during the call).
            at = min(contact["screened_at"] or received, self.now)
            by = contact["allocated_to_id"] or self.user_ids["demo.practitioner"]
            for pid, result in zip(children, triage.children, strict=True):
                self._assessment(contact_id, pid, result, triage, at, by)
        for pid in children:
            c, ref = family["history"].get(pid, (0, 0))
            family["history"][pid] = (c + 1, ref + (contact["outcome"] in REFERRAL_OUTCOMES))

    def _referrer(self, source: str, agency_code: str | None, kind: str,
                  family: dict[str, Any]) -> tuple[int, str]:
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
        return self._add("referrers", row), display[:160]

    def _checks(self, contact: dict[str, Any], rag: str, *, answered: bool, force_restricted: bool = False,
                agencies: list[str] | None = None) -> None:
        r = self.rng
        if agencies is None:
            agencies = ["police", "health", "education"] + r.sample(
                ["probation", "housing", "youth_offending", "early_help", "adult_social_care", "atlas"],
                k=r.randint(0, 2))
            agencies = agencies[: r.randint(1, len(agencies))]
        responders = {"police": "demo.police", "health": "demo.health", "education": "demo.education"}
        for code in agencies:
            requested = (contact["screened_at"] or contact["received_at"]) + timedelta(minutes=r.randint(5, 60))
            requested = min(requested, self.now)
            restricted = code == "police" and (force_restricted or r.random() < 0.15)
            done = answered or r.random() < 0.4
            answer = CHECK_ANSWERS[code][1] if restricted else r.choice(
                [a for a in CHECK_ANSWERS[code] if "Do not disclose" not in a] or CHECK_ANSWERS[code])
            self._add("agency_checks", {
                "contact_id": contact["id"], "agency_id": self.agency_ids[code], "requested_at": requested,
                "requested_by_id": contact["allocated_to_id"] or self.user_ids["demo.practitioner"],
                "due_at": self.cal.due_datetime(f"agency_check_{rag}", requested),
                "question": "Please share what your agency holds on the family.",
                "status": "answered" if done else "requested", "response": answer if done else None,
                "responded_at": min(requested + timedelta(minutes=r.randint(20, 300)), self.now) if done else None,
                "responder_id": self.user_ids.get(responders.get(code, "")) if done else None,
                "restricted": restricted and done, **self.stamp})

    def _assessment(self, contact_id: int, person_id: int, result: Any, triage: Any, at: datetime,
                    by: int) -> int:
        return self._add("threshold_assessments", {
            "contact_id": contact_id, "person_id": person_id, "indicators": list(result.indicators),
            "household_indicators": [], "suggested_level": result.level, "suggested_outcome": result.outcome,
            "suggested_rag": result.rag, "flags": list(result.flags), "rules_fired": list(result.rules),
            "reasons": list(result.reasons), "ruleset_id": triage.ruleset_id,
            "ruleset_version": triage.ruleset_version, "assessed_at": at, "assessed_by_id": by})

    def _decide(self, contact: dict[str, Any], triage: Any, children: list[int], status: str) -> None:
        r = self.rng
        decided_by = contact["allocated_to_id"] or self.user_ids["demo.practitioner"]
        base = contact["screened_at"] or contact["received_at"]
        due = contact["decision_due_at"] or self.cal.due_datetime("decision_green", contact["received_at"])
        span = max(60.0, (due - base).total_seconds())
        late = r.random() < 0.08
        decided_at = base + timedelta(seconds=span * (r.uniform(1.0, 1.6) if late else r.uniform(0.2, 0.95)))
        decided_at = min(decided_at, self.now - timedelta(minutes=5))
        authorised = status == "closed"
        authorised_at = min(decided_at + timedelta(minutes=r.randint(10, 120)), self.now) if authorised else None
        top_outcome, top_level = "nfa_advice", 0
        for pid, result in zip(children, triage.children, strict=True):
            level, outcome, reason = result.level, result.outcome, None
            if r.random() < 0.08 and level > 1:
                level -= 1
                outcome = self.ruleset.levels[level].default_outcome
                reason = "Protective factors: parents engaging and the child is safe with family support."
            elif level == 3 and r.random() < 0.03:
                outcome = "pass_to_allocated_worker"
            assessment = self._assessment(contact["id"], pid, result, triage, decided_at, decided_by)
            decision = {
                "contact_id": contact["id"], "person_id": pid, "assessment_id": assessment, "level": level,
                "outcome": outcome, "primary_need": r.choice(NEED_BY_LEVEL[level]), "override_reason": reason,
                "rationale": DECISION_TEXT[outcome], "decided_at": decided_at, "decided_by_id": decided_by,
                "status": {"closed": "authorised", "returned": "returned"}.get(status, "proposed"),
                "authorised_at": authorised_at, "authorised_by_id": self.user_ids["demo.manager"] if authorised else None,
                "return_comment": "Please add the health check answer before I authorise." if status == "returned"
                else None, "nfa": outcome == "nfa_advice", **self.stamp}
            decision_id = self._add("decisions", decision)
            if level > top_level:
                top_outcome, top_level, top_decision = outcome, level, decision_id
        if not authorised:
            return
        assert authorised_at is not None
        contact.update(outcome=top_outcome, level=top_level, closed_at=authorised_at,
                       decided_late=decided_at > due)
        referrer = self.rows["referrers"][contact["referrer_id"] - 1]
        if referrer["professional"]:
            sent = authorised_at + timedelta(minutes=r.randint(30, 1800))
            self._add("referrer_feedback", {
                "contact_id": contact["id"], "due_at": self.cal.due_datetime("referrer_feedback", authorised_at),
                "text": f"Thank you for your contact. Outcome: {DECISION_TEXT[top_outcome]}",
                "method": "secure_email", "sent_at": sent if sent < self.now else None,
                "sent_by_id": decided_by if sent < self.now else None, **self.stamp})
        if top_outcome == "early_help":
            self._step_down(contact, top_decision, authorised_at, children)
        elif top_outcome == "strategy_discussion":
            self._strategy(contact, top_decision, authorised_at, children)

    def _step_down(self, contact: dict[str, Any], decision: int, sent_at: datetime, children: list[int]) -> None:
        """A step-down's life so far: consent, sent to a centre from the configuration, accepted or declined,
        allocated, first contact, a review every 12 weeks (a few overdue), closed; the newest still in the
        Early Help inbox."""
        r = self.rng
        cal = self.cal
        eh, manager = self.user_ids["demo.earlyhelp"], self.user_ids["demo.manager"]
        age = (self.now - sent_at).total_seconds() / 86400
        consent = "given" if r.random() < 0.95 else "refused"
        centre = r.choice(early_help_config().centres)
        sd = {"contact_id": contact["id"], "decision_id": decision, "centre": centre.code,
              "consent_step_down": consent, "consent_info_sharing": consent,
              "needs": r.choice(STEP_DOWN_NEEDS),
              "decision_summary": f"Step-down to Early Help at level {contact['level']}. "
                                  f"{DECISION_TEXT['early_help']}", "status": "sent", "sent_at": sent_at,
              "accepted_at": None, "declined_reason": None, "allocated_worker": None, "allocated_worker_id": None,
              "first_contact_due_at": None, "first_contact_at": None, "next_review_due_at": None,
              "closed_at": None, "closure_reason": None, "stepped_up_contact_id": None, "is_demo": True,
              **self.stamp}
        sd_id = self.ids.next("step_downs")
        sd["id"] = sd_id
        ref = f"C-{contact['id']:06d}"
        events = [("created", sent_at - timedelta(minutes=20), manager,
                   f"Opened when the MASH decision on {ref} was authorised"),
                  ("consent" if consent == "given" else "consent_refused", sent_at - timedelta(minutes=5), manager,
                   f"Step-down: {consent}; information sharing: {consent}. Mother spoken to by phone.")]
        if consent == "refused":
            sd.update(status="consent_refused", sent_at=None)
            if age > 5:
                closed = sent_at + timedelta(hours=r.randint(20, 100))
                sd.update(status="closed", closed_at=closed, closure_reason="no_further_action")
                events.append(("closed", closed, manager, "No further action after the family refused consent"))
            self._add_step_down(sd, events)
            return
        if age < 0.3 and r.random() < 0.3:
            sd.update(status="draft", sent_at=None, consent_step_down="not_asked", consent_info_sharing="not_asked",
                      needs="")
            self._add_step_down(sd, events[:1])
            return
        events.append(("sent", sent_at, manager, f"Sent to {centre.name}"))
        answered = sent_at + timedelta(hours=r.randint(4, 100))
        if answered > self.now:  # still in the Early Help inbox
            self._add_step_down(sd, events)
            return
        if r.random() < 0.06:
            sd.update(status="declined", declined_reason=r.choice([
                "Needs are above Early Help; family already open to social care.",
                "Family lives outside the centre's area; please send to the nearest centre."]))
            events.append(("declined", answered, eh, sd["declined_reason"]))
            closed = answered + timedelta(hours=r.randint(20, 70))
            if closed < self.now:
                sd.update(status="closed", closed_at=closed, closure_reason="no_further_action")
                events.append(("closed", closed, manager, "Closed after the centre declined; advice to the family"))
            self._add_step_down(sd, events)
            return
        accepted = answered
        sd.update(status="accepted", accepted_at=accepted,
                  first_contact_due_at=cal.due_datetime("early_help_first_contact", accepted),
                  next_review_due_at=cal.due_datetime("early_help_review", accepted))
        events.append(("accepted", accepted, eh, f"Accepted by {centre.name}"))
        allocated = accepted + timedelta(hours=r.randint(2, 30))
        if allocated < self.now:
            sd.update(status="allocated",
                      allocated_worker=f"{r.choice(self.first_f + self.first_m)} {r.choice(self.last)}")
            events.append(("allocated", allocated, eh, sd["allocated_worker"]))
            first = allocated + timedelta(hours=r.randint(20, 150))
            gave_up = sd["first_contact_due_at"] + timedelta(days=r.randint(5, 10))
            if first < self.now and r.random() < 0.07 and gave_up < self.now:
                sd.update(status="closed", closed_at=gave_up, closure_reason="family_declined")
                events.append(("closed", gave_up, eh, "Family did not engage after three attempts to visit"))
            elif first < self.now and (r.random() < 0.96 or gave_up < self.now):
                sd.update(status="engaged", first_contact_at=first)
                events.append(("first_contact", first, eh, r.choice(
                    ["Home visit; family engaged and agreed a family plan.",
                     "Met mother at the centre; agreed to a parenting course.",
                     "Phone call then home visit; young person willing to work with us."])))
                review_due = sd["next_review_due_at"]
                while review_due < self.now:
                    held = review_due - timedelta(days=r.randint(0, 6))
                    if held > self.now or (review_due > self.now - timedelta(days=30) and r.random() < 0.08):
                        break  # a review not held yet: overdue by weeks at most
                    events.append(("review", held, eh, r.choice(
                        ["Team around the family meeting: good progress, plan continues.",
                         "Attendance up to 94%; keep going for another 12 weeks.",
                         "Some progress; mother wants more help with routines."])))
                    review_due = cal.due_datetime("early_help_review", held)
                sd["next_review_due_at"] = review_due
        if sd["status"] == "engaged" and age > 70 and r.random() < min(0.9, age / 200):
            closed = min(sd["first_contact_at"] + timedelta(days=r.randint(60, 200)), self.now - timedelta(days=1))
            reason = _weighted(r, [("outcomes_met", 70), ("family_declined", 18), ("no_further_action", 12)])
            sd.update(status="closed", closed_at=closed, closure_reason=reason)
            events = [e for e in events if e[1] < closed]
            events.append(("closed", closed, eh, reason.replace("_", " ").capitalize()))
        self._add_step_down(sd, events)

    def _add_step_down(self, sd: dict[str, Any], events: list[tuple[str, datetime, int, str]]) -> None:
        self._add("step_downs", sd)
        for kind, at, by, note in events:
            self._add("step_down_events", {"step_down_id": sd["id"], "at": at, "by_id": by, "kind": kind,
                                           "note": note, "detail": {}})

    def _strategy(self, contact: dict[str, Any], decision: int, convened: datetime, children: list[int]) -> None:
        r = self.rng
        if "strategy_discussions" not in self.rows:
            # Discussion 1 always has police intelligence restricted to the police (packs redact it):
            # exactly one restricted answer (a contact's checks ask each agency at most once).
            police = self.agency_ids["police"]
            if not any(c["contact_id"] == contact["id"] and c["agency_id"] == police and c["restricted"]
                       for c in self.rows.get("agency_checks", [])):
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
        sid = self._add("strategy_discussions", {
            "contact_id": contact["id"], "decision_id": decision, "convened_at": convened,
            "convened_by_id": self.user_ids["demo.manager"], "due_at": due, "scheduled_for": scheduled,
            "held_at": held if is_held else None, "mode": r.choice(["video", "phone", "in_person"]),
            "chair_id": self.user_ids["demo.manager"], "reason": contact["concern"],
            "status": "held" if is_held else "convened",
            "immediate_actions": "Child to stay with maternal grandmother under a safety plan." if is_held else "",
            "further_information": "GP records; nursery attendance." if is_held else "",
            "criminal_investigation": "Police to interview the father; joint visit first." if is_held else "",
            "legal_advice": "Not needed at this stage." if is_held else "", "is_demo": True, **self.stamp})
        for pid in children:
            decision_kind = _weighted(r, [("s47_joint", 60), ("s47_single", 20), ("no_s47", 20)]) if is_held else None
            started = held.astimezone(LONDON).date() if decision_kind in ("s47_joint", "s47_single") else None
            self._add("strategy_children", {
                "discussion_id": sid, "person_id": pid, "decision": decision_kind,
                "no_s47_reason": "Threshold for section 47 not met; single assessment instead."
                if decision_kind == "no_s47" else None,
                "s47_started_on": started, "icpc_due": self.cal.due("icpc", started) if started else None,
                "icpc_held_on": None, **self.stamp})
        attendees = [("mash", self.user_ids["demo.manager"], "Daniel Okafor", "MASH team manager (chair)"),
                     ("mash", contact["allocated_to_id"], "Allocated social worker", "Social worker"),
                     ("police", self.user_ids["demo.police"], "DC Laura Hughes", "MASH police"),
                     ("health", self.user_ids["demo.health"], "Grace Mensah", "Safeguarding nurse"),
                     ("education", self.user_ids["demo.education"], "Tom Whitfield", "Education safeguarding lead")]
        for code, uid, name, role in attendees:
            self._add("strategy_attendees", {
                "discussion_id": sid, "agency_id": self.agency_ids[code], "user_id": uid, "name": name,
                "role": role, "invited": True, "attended": (r.random() < 0.9) if is_held else None,
                "joined_by": ("phone" if code == "police" else "video") if is_held else None,
                "information_shared": "Shared what the agency holds." if is_held else "", **self.stamp})
        if is_held:
            for action, owner in [("Joint home visit with police", "Allocated social worker"),
                                  ("Request GP records", "Grace Mensah"),
                                  ("Inform the school's DSL", "Tom Whitfield")][: r.randint(1, 3)]:
                self._add("strategy_actions", {
                    "discussion_id": sid, "action": action, "owner": owner,
                    "due": self.cal.working_days_after(held.astimezone(LONDON).date(), 2),
                    "done_at": None, **self.stamp})

    # -- writing ------------------------------------------------------------------------------------
    def write(self) -> None:
        order = [t.name for t in m.Role.metadata.sorted_tables]
        for name in order:
            rows = self.rows.get(name)
            if rows:
                _insert(self.s, name, rows)
        if self.s.get_bind().dialect.name == "postgresql":
            for name in order:
                if self.rows.get(name):
                    self.s.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                        f"(SELECT MAX(id) FROM {name}))"))



def build_demo(ctx: AppContext, contacts: int, seed: int = 1,
               progress: Callable[[int, int], None] | None = None) -> DemoSummary:
    """Fill the database with ``contacts`` synthetic contacts (replacing earlier demo data)."""
    if contacts < 1:
        raise InputError("contacts: give a number of contacts of at least 1", "contacts")
    import time as _time

    started = _time.perf_counter()
    now = ctx.now()
    with ctx.session_factory.begin() as session:
        seed_reference_data(session)
        assert_demo_only(session)
        _clear(session)
        builder = DemoJourneys(session, contacts, seed, now, progress, ctx.calendar)
        builder.build()
        builder.write()
        seed_missing(session, rng=random.Random(seed * 7919 + 15), now=now, calendar=ctx.calendar,
                     user_ids=builder.user_ids)
        seed_consultations(session, rng=random.Random(seed * 7919 + 16), now=now, calendar=ctx.calendar,
                           user_ids=builder.user_ids, schools=SCHOOLS)
        admin = builder.user_ids["demo.admin"]
        summary = DemoSummary(
            contacts=len(builder.rows.get("contacts", [])), people=len(builder.rows.get("people", [])),
            edt_entries=len(builder.rows.get("edt_entries", [])), step_downs=len(builder.rows.get("step_downs", [])),
            strategy_discussions=len(builder.rows.get("strategy_discussions", [])),
            seconds=0.0)
        audit.write(session, at=now, user_id=admin, username="demo.admin", action="demo.load", entity="database",
                    entity_id=None, summary=f"demo data loaded: {summary.contacts} contacts (seed {seed})",
                    detail={"contacts": summary.contacts, "seed": seed})
    summary.seconds = _time.perf_counter() - started
    if progress:
        progress(10, 10)
    return summary


def demo_is_fresh(ctx: AppContext, max_age: timedelta = timedelta(hours=12)) -> bool:
    """Whether demo data was loaded recently enough for its clocks to look like today's work."""
    with ctx.session_factory() as s:
        loaded = s.scalar(select(m.AuditEvent.at).where(m.AuditEvent.action == "demo.load")
                          .order_by(m.AuditEvent.id.desc()).limit(1))
    return loaded is not None and ctx.now() - loaded < max_age
