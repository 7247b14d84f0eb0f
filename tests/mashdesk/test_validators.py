"""Property tests of the identifier, postcode and import-row parsers."""

from __future__ import annotations

import csv
import io
import string
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mashdesk import validators
from mashdesk.errors import InputError
from mashdesk.people.importing import COLUMNS, parse_csv, parse_row

TODAY = date(2026, 11, 23)
nine_digits = st.text(alphabet=string.digits, min_size=9, max_size=9)


@given(nine_digits)
def test_an_nhs_number_with_its_check_digit_is_valid_and_every_other_last_digit_is_not(first_nine):  # type: ignore[no-untyped-def]
    check = validators.nhs_check_digit(first_nine)
    for digit in range(10):
        number = first_nine + str(digit)
        if digit == check:
            assert validators.nhs_number(f"{number[:3]} {number[3:6]} {number[6:]}") == number
        else:
            with pytest.raises(ValueError):
                validators.nhs_number(number)


def test_known_nhs_numbers():
    assert validators.nhs_number("943 476 5919") == "9434765919"
    for bad in ("9434765918", "943476591", "94347659190", "943476591X", ""):
        with pytest.raises(ValueError):
            validators.nhs_number(bad)


outward = st.from_regex(r"\A[A-Z]{1,2}[0-9][A-Z0-9]?\Z")
inward = st.from_regex(r"\A[0-9][ABD-HJLNP-UW-Z]{2}\Z")


@given(outward, inward, st.sampled_from(["", " ", "  "]), st.booleans())
def test_any_well_formed_postcode_is_printed_upper_case_with_one_space(o, i, gap, lower):  # type: ignore[no-untyped-def]
    typed = f"{o}{gap}{i}"
    printed = validators.postcode(typed.lower() if lower else typed)
    assert printed == f"{o} {i}"
    assert validators.postcode_key(printed) == f"{o}{i}"


@given(st.text(max_size=12))
def test_postcode_accepts_only_what_looks_like_a_postcode(text):  # type: ignore[no-untyped-def]
    try:
        printed = validators.postcode(text)
    except ValueError:
        return
    out, inn = printed.split(" ")
    assert 2 <= len(out) <= 4 and len(inn) == 3 and inn[0].isdigit()


names = st.text(alphabet=string.ascii_letters + "éëöł'-", min_size=1, max_size=20).filter(lambda s: s.strip("-' "))
dates = st.dates(min_value=date(1930, 1, 1), max_value=TODAY)


@given(st.lists(st.tuples(names, names, st.one_of(st.none(), dates), st.sampled_from(["", "M", "F", "U", "m"])),
                min_size=1, max_size=6))
def test_csv_rows_round_trip_through_the_parser(rows):  # type: ignore[no-untyped-def]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for i, (first, last, dob, sex) in enumerate(rows):
        writer.writerow([f"E{i}", first, last, dob.isoformat() if dob else "", sex, "", "", f"{first} {last}x"])
    parsed = parse_csv(io.StringIO(buffer.getvalue()), TODAY)
    assert [r.line for r in parsed] == list(range(2, len(rows) + 2))
    for row, (first, last, dob, sex) in zip(parsed, rows, strict=True):
        assert (row.first_name, row.last_name, row.date_of_birth) == (" ".join(first.split()),
                                                                      " ".join(last.split()), dob)
        assert row.sex == (sex.upper() or "U")
        assert row.aliases[0][1] == (" ".join(last.split()) + "x").split()[-1]


@given(st.sampled_from(["date_of_birth", "sex", "postcode", "nhs_number"]), st.text(alphabet="xyz!?", min_size=1))
def test_a_bad_cell_names_its_line_and_column(column, junk):  # type: ignore[no-untyped-def]
    cells = {"first_name": "Ann", "last_name": "Lee", column: junk}
    with pytest.raises(InputError) as caught:
        parse_row(7, cells, TODAY)
    assert str(caught.value).startswith(f"line 7: {column}: ")
    assert caught.value.field == column
