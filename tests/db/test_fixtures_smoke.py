from sqlalchemy import func, select

from db.models import Agency, Role


def test_fresh_database_has_roles_and_agencies(ctx, actors):
    with ctx.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Role)) == 9  # with the Atlas team
        assert s.scalar(select(Agency.name).where(Agency.code == "police"))
    assert actors["manager"].role == "manager"
    assert actors["police"].agency_code == "police"
