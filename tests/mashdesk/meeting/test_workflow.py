"""The meeting's pure rules: section order (a new section goes after the known ones), each reader's share,
which actions each state allows, and who may mark an action done."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mashdesk.agenda import AgendaItem
from mashdesk.errors import InputError
from mashdesk.meeting import workflow


def _item(section: str, urgency: int = 0, **changes) -> AgendaItem:  # type: ignore[no-untyped-def]
    return AgendaItem(section=section, kind="note", record_id=None, reference="", title="T", reason="R",
                      brought_by="mash", urgency=urgency, **changes)


@given(st.lists(st.tuples(st.sampled_from([*workflow.SECTIONS, "new_thing", "another"]), st.integers(0, 3)),
                max_size=30))
def test_sections_keep_the_agenda_order_and_urgency_within_each(pairs):  # type: ignore[no-untyped-def]
    items = workflow.ordered([_item(section, urgency) for section, urgency in pairs])
    extra: list[str] = []
    ranks = [(workflow.section_rank(it.section, extra), it.urgency) for it in items]
    assert ranks == sorted(ranks)
    known = [it for it in items if it.section in workflow.SECTIONS]
    assert items[:len(known)] == known  # sections no capability has named yet come after the known ones


def test_each_reader_sees_their_share():
    school = _item("new_contacts", involves_school=True)
    police_only = _item("other", restricted_to=frozenset({"police"}), person_ids=(4,))
    plain = _item("edt")
    assert workflow.share([school, police_only, plain], "education") == [school]
    manager = workflow.share([school, police_only, plain], "manager")
    assert manager[1].title == "Restricted" and manager[1].person_ids == () and "Police" in manager[1].reason
    assert workflow.share([police_only], "police") == [police_only]


def test_the_states_allow_what_the_table_says():
    assert workflow.available_actions("not_opened", "manager") == ("open",)
    assert set(workflow.available_actions("open", "manager")) == {"attendance", "add_item", "record", "add_action",
                                                                 "close"}
    assert workflow.available_actions("closed", "manager") == ("add_action", "addendum")
    assert workflow.available_actions("closed", "education") == ("addendum",)
    assert workflow.available_actions("open", "education") == ()
    with pytest.raises(InputError, match="minutes are locked"):
        workflow.require_state("closed", "record")


def test_who_may_mark_an_action_done():
    assert workflow.may_complete("education", 5, "education", None, "education")
    assert workflow.may_complete("police", 7, "police", 7, "police")
    assert not workflow.may_complete("police", 8, "police", 7, "police")  # a colleague's own action
    assert not workflow.may_complete("health", 9, "health", None, "education")
    assert workflow.may_complete("manager", 1, "mash", 7, "police")
