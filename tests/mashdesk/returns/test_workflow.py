"""The census's pure rules: the collection year and what a person may record."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mashdesk.errors import InputError
from mashdesk.returns.codes import ASSESSMENT_FACTORS, parse_factors
from mashdesk.returns.workflow import CensusYear, census_year, check_assessment, check_closure, check_factors

TODAY = date(2026, 11, 23)


def test_the_collection_year_ends_on_31_march():
    year = census_year(2026, TODAY)
    assert (year.start, year.reference_date) == (date(2025, 4, 1), date(2026, 3, 31))
    assert year.ruleset == "cin2025_26"
    for bad in (1999, 2028):
        with pytest.raises(InputError) as err:
            census_year(bad, TODAY)
        assert err.value.field == "year"


@given(st.lists(st.sampled_from(sorted(set(ASSESSMENT_FACTORS) - {"21"})), min_size=1, max_size=6),
       st.sampled_from([" ", ", ", ","]))
def test_factors_typed_any_way_read_back_as_codes(codes, sep):
    typed = sep.join(c.lower() for c in codes)
    assert check_factors(typed) == list(dict.fromkeys(codes))
    assert parse_factors(typed) == list(dict.fromkeys(codes))


@pytest.mark.parametrize("typed", ["", "99A", "21 3B", "3Z"])
def test_bad_factors_are_refused_naming_the_field(typed):
    with pytest.raises(InputError) as err:
        check_factors(typed)
    assert err.value.field == "factors"


def test_dates_out_of_order_are_refused_naming_the_field():
    with pytest.raises(InputError) as err:
        check_assessment(date(2026, 5, 1), date(2026, 4, 30), None, TODAY)
    assert err.value.field == "started_on"
    with pytest.raises(InputError) as err:
        check_assessment(date(2026, 5, 1), date(2026, 5, 2), date(2026, 5, 1), TODAY)
    assert err.value.field == "authorised_on"
    with pytest.raises(InputError) as err:
        check_closure("RC9", date(2026, 6, 1), date(2026, 5, 1), TODAY)
    assert err.value.field == "closure_reason"
    with pytest.raises(InputError) as err:
        check_closure("RC8", date(2026, 4, 1), date(2026, 5, 1), TODAY)
    assert err.value.field == "closed_on"
    check_closure("RC8", date(2026, 6, 1), date(2026, 5, 1), TODAY)
    assert CensusYear(2027).start == date(2026, 4, 1)
