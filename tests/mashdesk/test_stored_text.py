"""Control characters never reach either database: refused at the save, naming the field, nothing written."""

from __future__ import annotations

import ast
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from db.models import Contact, Person
from mashdesk import validators
from mashdesk.contacts.service import ContactService
from mashdesk.errors import InputError
from mashdesk.people.service import PersonInput
from tests.helpers import police_notification


def _counts(ctx) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with ctx.session_factory() as s:
        return (s.scalar(select(func.count()).select_from(Contact)),
                s.scalar(select(func.count()).select_from(Person)))


@pytest.mark.parametrize(("first_name", "character"), [
    ("Ava\x00", "U+0000"), ("A\x1bva", "U+001B"), ("Ava\ud800", "U+D800"), ("Ava\nJones", "U+000A"),
    ("Av\x7fa", "U+007F"),
])
def test_a_name_with_a_control_character_is_refused_the_same_on_both_databases(
        ctx, actors, clock, first_name, character):  # type: ignore[no-untyped-def]
    child = PersonInput(first_name=first_name, last_name="Testchild", date_of_birth=date(2019, 5, 4), sex="F")
    with pytest.raises(InputError) as refused:
        ContactService(ctx).create_contact(actors["practitioner"], police_notification(clock(), child))
    assert refused.value.field == "first_name"
    assert str(refused.value).startswith("first_name: contains ") and character in str(refused.value)
    assert _counts(ctx) == (0, 0)


def test_free_text_keeps_its_line_breaks_and_refuses_nul(ctx, actors, clock):  # type: ignore[no-untyped-def]
    service = ContactService(ctx)
    concern = "Police attended.\n\tThe child was present."
    contact_id = service.create_contact(actors["practitioner"], police_notification(clock(), concern=concern))
    with ctx.session_factory() as s:
        assert s.get(Contact, contact_id).concern == concern
    with pytest.raises(InputError, match="^concern: contains a control character \\(U\\+0000\\)"):
        service.create_contact(actors["practitioner"], police_notification(clock(), concern="Police\x00"))
    assert _counts(ctx)[0] == 1


def _never(c: str) -> bool:
    return (ord(c) < 32 and c not in "\t\n\r") or 0x7F <= ord(c) <= 0x9F or 0xD800 <= ord(c) <= 0xDFFF


@given(st.text(st.characters(codec=None)))
def test_plain_text_refuses_exactly_the_control_and_broken_characters(text: str) -> None:
    never = [c for c in text if _never(c)]
    breaks = [c for c in text if c in "\t\n\r"]
    if never or breaks:
        with pytest.raises(ValueError, match=f"U\\+{ord((never or breaks)[0]):04X}"):
            validators.plain_text(text)
    else:
        assert validators.plain_text(text) == text
    if never:
        with pytest.raises(ValueError):
            validators.plain_text(text, multiline=True)
    else:
        assert validators.plain_text(text, multiline=True) == text


@given(st.text(st.characters(codec=None), min_size=1))
def test_a_bad_value_is_quoted_at_most_80_characters(text: str) -> None:
    long = text * 100
    quoted = ast.literal_eval(validators.shown(long))
    assert quoted == (long if len(long) <= 80 else long[:80] + "…")
