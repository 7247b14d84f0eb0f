"""The demo's people: its users, and families of invented people with their homes and households."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from faker import Faker
from sqlalchemy import select
from sqlalchemy.orm import Session

from db import models as m
from mashdesk.calendar import WorkingCalendar
from mashdesk.clock import LONDON
from mashdesk.demo.bulk import Rows, weighted
from mashdesk.demo.catalogue import DEMO_PASSWORD, DEMO_USERS, GPS, SCHOOLS, TOWNS

#: Children of 4 to 10 go to a primary school, older ones to a secondary school.
PRIMARY = [s for s in SCHOOLS if "Primary" in s or "Junior" in s]
SECONDARY = [s for s in SCHOOLS if s not in PRIMARY]
from mashdesk.people import names
from mashdesk.services.auth import ROLE_AGENCY, hash_password
from mashdesk.validators import nhs_check_digit
from rules import ThresholdEngine, load_ruleset



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
        self.rows = Rows()
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
        return self.rows.add(table, row)

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
                "is_demo": True, "last_sign_in_at": None, "failed_sign_ins": 0, "locked_until": None,
                "must_change_password": False, **self.stamp})
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
            children: list[int] = []
            given: set[str] = set()
            for _ in range(r.choice([1, 1, 1, 2, 2, 2, 3, 3, 4])):
                sex = r.choice("MF")
                first = r.choice(self.first_m if sex == "M" else self.first_f)
                while first in given:  # brothers and sisters have names of their own
                    first = r.choice(self.first_m if sex == "M" else self.first_f)
                given.add(first)
                child_surname = surname if r.random() < 0.85 else mother_surname
                children.append(self._person(first, child_surname, sex, adult=False, addr=addr))
            if r.random() < 0.03:
                children.append(self._person("Unborn", mother_surname, "U", adult=False, addr=addr, unborn=True))
            # Parents are at least 17 years older than their eldest child.
            births = [self.rows.get("people")[c - 1]["date_of_birth"] for c in children]
            eldest = min((b for b in births if b is not None), default=None)
            for pid, _ in adults:
                parent = self.rows.get("people")[pid - 1]
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
            "ethnicity": weighted(r, [("WBRI", 70), ("BAFR", 6), ("BCRB", 4), ("MWBC", 5), ("AIND", 3),
                                       ("APKN", 2), ("WOTH", 5), ("MOTH", 2), ("OOTH", 2), ("NOBT", 1)]),
            "first_language": "English" if r.random() < 0.88 else r.choice(
                ["Polish", "Romanian", "Turkish", "Urdu", "Portuguese", "Arabic", "Somali"]),
            "religion": None, "disabled": (not adult) and r.random() < 0.05, "disability_notes": None,
            "nhs_number": _nhs_number(r), "upn": None if adult or unborn else _upn(r),
            "school": None if adult or unborn or dob is None or (self.today - dob).days < 4 * 365
            else r.choice(PRIMARY if (self.today - dob).days < 11 * 365 else SECONDARY),
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
