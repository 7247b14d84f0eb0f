"""The Atlas team's markers: kept by the Atlas team, shown with the person at intake, on the contact and in the
strategy pack, restricted markers reduced to their kind for readers other than Atlas and police."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from mashdesk.atlas.service import AtlasService, MarkerInput
from mashdesk.contacts.service import ContactService
from mashdesk.errors import InputError, PermissionDenied
from mashdesk.people.scoring import MatchQuery
from mashdesk.people.service import PeopleService
from mashdesk.strategy.service import StrategyService


def _marker(person_id: int, **changes) -> MarkerInput:  # type: ignore[no-untyped-def]
    data = dict(person_id=person_id, kind="cce", level="high", source="Police intelligence",
                noted_on=date(2026, 11, 2), review_on=date(2027, 2, 2), restricted=False)
    data.update(changes)
    return MarkerInput(**data)


def test_the_atlas_team_keeps_markers_and_others_may_not(ctx, actors, build):
    kid = build.person("Kai")
    service = AtlasService(ctx)
    with pytest.raises(PermissionDenied):
        service.add(actors["manager"], _marker(kid))
    marker = service.add(actors["atlas"], _marker(kid))
    for bad, field in ((dict(kind="knife"), "kind"), (dict(level="severe"), "level"),
                       (dict(review_on=date(2026, 11, 1)), "review"), (dict(noted_on=date(2026, 12, 1)), "date"),
                       (dict(source=" "), "source")):
        with pytest.raises(InputError, match=field):
            service.add(actors["atlas"], _marker(kid, **bad))
    (view,) = service.markers(actors["atlas"], kid)
    reviewed = service.review(actors["atlas"], marker, view.version, review_on=date(2027, 5, 1), level="medium")
    assert (reviewed.level, reviewed.review_on, reviewed.label) == ("medium", date(2027, 5, 1), "Atlas: CCE, medium")
    service.end(actors["atlas"], marker, reviewed.version)
    assert service.markers(actors["manager"], kid) == []


def test_known_child_search_and_contact_show_markers_as_the_reader_may_see_them(ctx, actors, build):
    contact = build.contact("Ava", "red")
    child = build.child_of(contact)
    atlas = AtlasService(ctx)
    atlas.add(actors["atlas"], _marker(child, kind="county_lines", restricted=True))
    atlas.add(actors["atlas"], _marker(child, kind="missing", level="medium"))
    query = MatchQuery(first_name="Ava", last_name="Testchild", date_of_birth=date(2014, 5, 4))

    def seen(role):  # type: ignore[no-untyped-def]
        (match,) = [m for m in PeopleService(ctx).search(actors[role], query) if m.person_id == child]
        return match.atlas

    assert seen("practitioner") == ("Atlas: County lines (restricted)", "Atlas: Missing, medium")
    assert seen("police") == ("Atlas: County lines, high", "Atlas: Missing, medium")
    detail = ContactService(ctx).get(actors["practitioner"], contact)
    assert [p.atlas for p in detail.people if p.person_id == child] == [
        ("Atlas: County lines (restricted)", "Atlas: Missing, medium")]


def test_the_strategy_pack_follows_the_packs_redaction(ctx, actors, build):
    contact = build.contact("Ava", "red")
    AtlasService(ctx).add(actors["atlas"], _marker(build.child_of(contact), kind="cse", restricted=True))
    strategy = StrategyService(ctx)
    discussion = strategy.convene(actors["manager"], contact, "Disclosure at school")

    def text(role):  # type: ignore[no-untyped-def]
        pdf = strategy.build_pack(actors[role], discussion)
        return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)

    assert "Atlas: CSE, high" in text("police")
    health = text("health")
    assert "Atlas: CSE (restricted)" in health and "CSE, high" not in health
