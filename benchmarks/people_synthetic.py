"""Synthetic people for the matching evaluation and benchmark: deterministic for a seed.

Names come from Faker's en_GB lists, with names that are spelt many ways or transliterated
(Mohammed, Aleksandr, Zoë…) mixed in, some double-barrelled surnames, and some children
with a former surname (a step-parent's). Dates of birth are mostly children's.
"""

from __future__ import annotations

import random
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from faker.providers.person.en_GB import Provider as EnGb
from sqlalchemy import insert

from db.models import Address, Person, PersonAddress, PersonName, User
from mashdesk import validators
from mashdesk.people import names
from mashdesk.app import open_database
from mashdesk.services.auth import actor_for, hash_password
from mashdesk.context import Actor, AppContext

TODAY = date(2026, 11, 1)
#: Spellings of one name, any of which a caller may use for another.
VARIANTS: list[tuple[str, ...]] = [
    ("Mohammed", "Muhammad", "Mohamed", "Muhammed", "Mohammad"),
    ("Aleksandr", "Alexander", "Aleksander", "Oleksandr"),
    ("Zoë", "Zoe"), ("Chloé", "Chloe"), ("Renée", "Renee"), ("Noémie", "Noemie"),
    ("Yusuf", "Yousef", "Yusef", "Youssef"), ("Aisha", "Ayesha", "Aysha", "Aishah"),
    ("Fatima", "Fatimah", "Fatema"), ("Ibrahim", "Ebrahim", "Ibraheem"),
    ("Łukasz", "Lukasz", "Lucas"), ("Jakub", "Yakub", "Jacob"), ("Oliwia", "Olivia"),
    ("Mikołaj", "Mikolaj"), ("Zoltán", "Zoltan"), ("Sofía", "Sofia", "Sophia"),
    ("Hussein", "Hussain", "Husain", "Hossein"), ("Abdullah", "Abdulla", "Abdallah"),
    ("Mustafa", "Mustapha", "Moustafa"), ("Khadija", "Khadijah", "Khadeeja"),
    ("Dmitri", "Dmitry", "Dimitri"), ("Yasmin", "Yasmine", "Jasmin"),
]
EXTRA_SURNAMES = ["Khan", "Ahmed", "Hussain", "Ali", "Begum", "Rahman", "Nowak", "Kowalski", "Wiśniewski",
                  "Okafor", "Adeyemi", "Öztürk", "Yılmaz", "Popescu", "Ionescu", "Nguyễn", "Müller", "O'Brien",
                  "McCarthy", "Da Silva", "Mensah", "Osei", "Papadopoulos", "Kaur", "Singh", "Patel"]
OUTWARDS = ["BR1", "BR2", "BR3", "BR4", "BR5", "BR6", "BR7", "BR8", "SE9", "SE12", "SE20", "SE26", "CR0", "TN16"]


@dataclass
class SyntheticPerson:
    first_name: str
    last_name: str
    date_of_birth: date
    sex: str
    postcode: str
    nhs_number: str | None
    former_names: list[tuple[str, str]] = field(default_factory=list)
    person_id: int = 0
    external_id: str = ""


def _nhs(rng: random.Random) -> str:
    while True:
        digits = "".join(str(rng.randint(0, 9)) for _ in range(9))
        check = validators.nhs_check_digit(digits)
        if check is not None:
            return digits + str(check)


class PeopleGenerator:
    """Invents people; the same seed gives the same people."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        variant_firsts = [v[0] for v in VARIANTS]
        self.first_m = sorted(EnGb.first_names_male) + variant_firsts[:10] + ["Hussein", "Abdullah", "Mustafa",
                                                                              "Dmitri", "Yusuf", "Ibrahim"]
        self.first_f = sorted(EnGb.first_names_female) + ["Zoë", "Chloé", "Renée", "Noémie", "Aisha", "Fatima",
                                                          "Oliwia", "Sofía", "Khadija", "Yasmin"]
        self.surnames = sorted(EnGb.last_names) + EXTRA_SURNAMES
        self._nhs_seen: set[str] = set()

    def surname(self) -> str:
        r = self.rng
        if r.random() < 0.07:
            a, b = r.sample(self.surnames, 2)
            return f"{a}-{b}"
        return r.choice(self.surnames)

    def postcode(self) -> str:
        r = self.rng
        return f"{r.choice(OUTWARDS)} {r.randint(1, 9)}{r.choice('ABDEFGHJLNPQRSTUWXY')}{r.choice('ABDEFGHJLNPQRSTUWXY')}"

    def dob(self) -> date:
        r = self.rng
        if r.random() < 0.8:
            return TODAY - timedelta(days=r.randint(10, 18 * 365))
        return TODAY - timedelta(days=r.randint(19 * 365, 55 * 365))

    def person(self) -> SyntheticPerson:
        r = self.rng
        sex = r.choice("MF")
        first = r.choice(self.first_m if sex == "M" else self.first_f)
        last = self.surname()
        formers = [(first, self.surname())] if r.random() < 0.06 else []
        nhs = None
        if r.random() < 0.9:
            nhs = _nhs(r)
            while nhs in self._nhs_seen:
                nhs = _nhs(r)
            self._nhs_seen.add(nhs)
        return SyntheticPerson(first, last, self.dob(), sex, self.postcode(), nhs, formers)


def new_database(path: Path | None = None) -> tuple[AppContext, Actor, Path]:
    """A fresh, migrated SQLite database in a temporary folder, with one practitioner."""
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="mashdesk-match-")) / "people.sqlite3"
    ctx, _ = open_database(f"sqlite:///{path}", clock=lambda: datetime(2026, 11, 2, 10, 0, tzinfo=UTC))
    return ctx, add_user(ctx, "eval.practitioner", "practitioner"), path


def add_user(ctx: AppContext, username: str, role: str) -> Actor:
    """A signed-in user of ``role`` (no password anyone knows)."""
    with ctx.session_factory.begin() as s:
        user = User(username=username, display_name=username, role_code=role,
                    password_hash=hash_password(random.Random(username).randbytes(16).hex()))
        s.add(user)
        s.flush()
        return actor_for(user)


def load_people(ctx: AppContext, people: list[SyntheticPerson]) -> None:
    """Bulk-insert people (with keys, addresses and former names); sets their ids."""
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    with ctx.session_factory.begin() as s:
        conn = s.connection()
        first_id = 1
        person_rows, address_rows, link_rows, name_rows = [], [], [], []
        for i, p in enumerate(people):
            p.person_id = first_id + i
            p.external_id = f"P{p.person_id:07d}"
            person_rows.append({
                "id": p.person_id, "external_id": p.external_id, "first_name": p.first_name,
                "last_name": p.last_name, "date_of_birth": p.date_of_birth, "sex": p.sex,
                "nhs_number": p.nhs_number, "disabled": False, "open_case": False, "cp_plan_current": False,
                "cp_plan_previous": False, "is_demo": True, "version": 1, "created_at": stamp,
                "updated_at": stamp, **names.keys(p.first_name, p.last_name)})
            address_rows.append({"id": p.person_id, "line1": "", "town": "", "postcode": p.postcode,
                                 "postcode_key": validators.postcode_key(p.postcode)})
            link_rows.append({"person_id": p.person_id, "address_id": p.person_id, "current": True})
            for first, last in p.former_names:
                name_rows.append({"person_id": p.person_id, "kind": "former", "first_name": first,
                                  "last_name": last, **names.keys(first, last)})
        for model, rows in ((Person, person_rows), (Address, address_rows), (PersonAddress, link_rows),
                            (PersonName, name_rows)):
            for start in range(0, len(rows), 10_000):
                conn.execute(insert(model.__table__), rows[start:start + 10_000])


@dataclass
class Families:
    """People the population holds who are easy to confuse with each other."""

    #: Same surname, date of birth and address, different first names.
    twins: list[tuple[SyntheticPerson, SyntheticPerson]] = field(default_factory=list)
    #: Same surname and address, born one to six years apart.
    siblings: list[tuple[SyntheticPerson, SyntheticPerson]] = field(default_factory=list)
    #: Same first name and surname, born on the same day and month two to ten years apart.
    namesakes: list[tuple[SyntheticPerson, SyntheticPerson]] = field(default_factory=list)


def add_families(people: list[SyntheticPerson], generator: PeopleGenerator, count: int) -> Families:
    """Add ``count`` twin pairs, sibling pairs and birthday namesakes to ``people`` (before loading)."""
    r = generator.rng
    families = Families()
    children = [p for p in people if p.date_of_birth > TODAY - timedelta(days=16 * 365)]
    for kind in ("twins", "siblings", "namesakes"):
        for p in r.sample(children, count):
            other = generator.person()
            if kind == "twins":
                twin = SyntheticPerson(other.first_name, p.last_name, p.date_of_birth, other.sex, p.postcode,
                                       other.nhs_number)
            elif kind == "siblings":
                born = p.date_of_birth + timedelta(days=r.choice((-1, 1)) * r.randint(300, 6 * 365))
                twin = SyntheticPerson(other.first_name, p.last_name, min(born, TODAY), other.sex, p.postcode,
                                       other.nhs_number)
            else:
                years = r.choice((-1, 1)) * r.randint(2, 10)
                try:
                    born = p.date_of_birth.replace(year=p.date_of_birth.year + years)
                except ValueError:
                    continue
                if born > TODAY:
                    born = p.date_of_birth.replace(year=p.date_of_birth.year - abs(years))
                twin = SyntheticPerson(p.first_name, p.last_name, born, p.sex,
                                       p.postcode if r.random() < 0.1 else other.postcode, other.nhs_number)
            if twin.first_name == p.first_name and kind != "namesakes":
                continue
            people.append(twin)
            getattr(families, kind).append((p, twin))
    return families
