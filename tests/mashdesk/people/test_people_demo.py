"""The demo fills every person's details, with namesakes, twins and restricted people among them."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from db.models import Person, PersonAddress
from mashdesk.demo import build_demo
from mashdesk.validators import upn_checked


def test_demo_people_have_every_detail_in_realistic_proportions(ctx):  # type: ignore[no-untyped-def]
    build_demo(ctx, 400, seed=3)
    with ctx.session_factory() as s:
        people = list(s.scalars(select(Person)))
        religions = Counter(p.religion for p in people)
        assert None not in religions and religions["Christian"] > religions["Muslim"] > 0
        assert len(religions) >= 5
        children = [p for p in people if p.date_of_birth and p.upn]
        assert children and all(upn_checked(p.upn) == p.upn for p in children)
        assert any(p.upn_unknown == "UN1" for p in people)
        assert any(p.disability_codes for p in people if p.disabled)
        assert any(p.interpreter_needed for p in people) and any(p.immigration_status for p in people)
        assert any(p.middle_names for p in people)
        restricted = [p for p in people if p.restricted]
        assert len(restricted) >= 3 and all(p.restricted_reason for p in restricted)
        same = Counter((p.first_name, p.last_name, p.date_of_birth) for p in people if p.date_of_birth)
        twins = Counter((p.last_name, p.date_of_birth) for p in people if p.date_of_birth)
        assert any(n > 1 for n in twins.values())
        birthdays = Counter((p.first_name, p.last_name, p.date_of_birth.month, p.date_of_birth.day)
                            for p in people if p.date_of_birth)
        assert any(n > 1 for n in birthdays.values()) and max(same.values()) == 1
        former = s.scalar(select(func.count()).select_from(PersonAddress).where(PersonAddress.current.is_(False)))
        assert former and former > len(people) // 10
