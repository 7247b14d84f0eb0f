"""User administration: added, deactivated (never deleted), reset, role and agency, the last administrator."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, User
from mashdesk.accounts.service import UserService
from mashdesk.errors import InputError, PermissionDenied, StaleEditError
from mashdesk.services.auth import AuthService


def _events(ctx):
    with ctx.session_factory() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent))


def test_an_added_user_has_the_role_and_agency_and_must_change_the_first_password(ctx, actors):
    users = UserService(ctx)
    made = users.add(actors["admin"], username="kim.cho", display_name="Kim Cho", role="health",
                     team="School nursing")
    row = users.user(actors["admin"], "kim.cho")
    assert (row.role, row.agency_code, row.team, row.status) == ("health", "health", "School nursing",
                                                                   "must change password")
    assert len(made.password) >= 12
    with pytest.raises(Exception, match="choose a new one"):
        AuthService(ctx).sign_in("kim.cho", made.password)
    other = users.add(actors["admin"], username="sam.ray", display_name="Sam Ray", role="practitioner",
                      agency="housing")
    assert users.user(actors["admin"], "sam.ray").agency_code == "housing"
    assert other.password != made.password


@pytest.mark.parametrize("change, field", [
    (dict(username="bad name"), "username"),
    (dict(role="wizard"), "role"),
    (dict(agency="nowhere"), "agency"),
    (dict(display_name=" "), "name"),
    (dict(password="too short"), "password"),
    (dict(username="test.manager"), "username"),
])
def test_bad_input_names_the_field_and_writes_nothing(ctx, actors, change, field):
    before = _events(ctx)
    args = dict(username="new.person", display_name="New Person", role="practitioner") | change
    with pytest.raises(InputError) as refused:
        UserService(ctx).add(actors["admin"], **args)
    assert refused.value.field == field and str(refused.value).startswith(f"{field}: ")
    assert _events(ctx) == before


def test_only_an_administrator_manages_users(ctx, actors):
    with pytest.raises(PermissionDenied):
        UserService(ctx).add(actors["manager"], username="x.y", display_name="X Y", role="practitioner")
    with pytest.raises(PermissionDenied):
        UserService(ctx).users(actors["manager"])


def test_deactivating_keeps_the_account_and_its_records(ctx, actors):
    users = UserService(ctx)
    row = users.user(actors["admin"], "test.practitioner")
    users.deactivate(actors["admin"], row.id, row.version)
    after = users.user(actors["admin"], "test.practitioner")
    assert after.status == "deactivated"
    with ctx.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(User)) == len(actors)
        last = s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
        assert (last.action, last.username, last.entity_id) == ("user.manage", "test.admin", row.id)
        assert last.detail["change"] == "deactivate"
    users.reactivate(actors["admin"], after.id, after.version)
    assert users.user(actors["admin"], "test.practitioner").active


def test_the_last_active_administrator_cannot_be_deactivated_or_demoted(ctx, actors):
    users = UserService(ctx)
    second = users.add(actors["admin"], username="second.admin", display_name="Second Admin", role="admin")
    row = users.user(actors["admin"], "second.admin")
    users.deactivate(actors["admin"], row.id, row.version)  # another admin remains: allowed
    me = users.user(actors["admin"], "test.admin")
    with pytest.raises(InputError, match="last active administrator"):
        users.set_role(actors["admin"], me.id, me.version, "manager")
    second_actor = AuthService(ctx).actor("test.admin")
    with pytest.raises(InputError, match="your own account"):
        users.deactivate(second_actor, me.id, me.version)
    row = users.user(actors["admin"], "second.admin")
    users.reactivate(actors["admin"], row.id, row.version)
    users.set_role(actors["admin"], me.id, me.version, "manager")  # now second.admin remains
    assert users.user(actors["admin"], "test.admin").role == "manager"
    assert second.user_id == row.id


def test_a_role_change_sets_the_roles_agency_and_is_audited(ctx, actors):
    users = UserService(ctx)
    row = users.user(actors["admin"], "test.practitioner")
    users.set_role(actors["admin"], row.id, row.version, "police")
    changed = users.user(actors["admin"], "test.practitioner")
    assert (changed.role, changed.agency_code) == ("police", "police")
    with ctx.session_factory() as s:
        last = s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
        assert last.summary == "test.practitioner: role practitioner → police, agency mash → police"


def test_a_stale_edit_is_refused_naming_who_changed_the_account(ctx, actors):
    users = UserService(ctx)
    row = users.user(actors["admin"], "test.edt")
    users.set_role(actors["admin"], row.id, row.version, "practitioner")
    with pytest.raises(StaleEditError, match="Test Admin"):
        users.deactivate(actors["admin"], row.id, row.version)
