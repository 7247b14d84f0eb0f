"""The password rules, as an administrator or a user choosing a password meets them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mashdesk.accounts.passwords import MIN_LENGTH, check_password
from mashdesk.errors import InputError


@pytest.mark.parametrize("password, why", [
    ("short-1A!", "at least 12 characters"),
    ("leavemealone", "common passwords"),          # on the list of common passwords
    ("LeaveMeAlone", "common passwords"),          # whatever the case
    ("aaaaaaaaaaaaaaaa", "too easy to guess"),
    ("qwertyuiop1234", "too easy to guess"),
    ("xx-jo.smithson-42!", "user name"),
    ("Smithson-Kettle-97", "user name (smithson)"),
])
def test_bad_passwords_are_refused_naming_the_field_and_the_rule(password, why):
    with pytest.raises(InputError) as refused:
        check_password(password, "jo.smithson", "Jo Smithson")
    assert refused.value.field == "password"
    assert str(refused.value).startswith("password: ")
    assert why in str(refused.value)
    assert password not in str(refused.value)  # the message never repeats the password


@pytest.mark.parametrize("password", ["Kettle-Lantern-97", "correct horse battery", "plum orbit tundra"])
def test_long_unguessable_passwords_are_taken(password):
    check_password(password, "jo.smithson", "Jo Smithson")


@given(st.text(max_size=MIN_LENGTH - 1))
def test_no_password_shorter_than_twelve_characters_is_ever_taken(password):
    with pytest.raises(InputError, match="at least 12 characters"):
        check_password(password, "jo.smithson")
