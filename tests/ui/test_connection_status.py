"""The window's status bar when the team database server stops and starts again (a cluster of its own)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QStatusBar

from mashdesk.app import open_database
from mashdesk.contacts.service import ContactService
from mashdesk.drafts import DraftService
from mashdesk.errors import DatabaseUnavailable
from mashdesk.services.auth import AuthService
from tests.helpers import police_notification
from tests.pg_cluster import Cluster
from ui.connection_status import ConnectionStatus

pytestmark = pytest.mark.slow


@pytest.fixture
def cluster():
    server = Cluster()
    yield server
    server.remove()


def test_the_status_bar_says_the_database_is_unreachable_and_when_it_is_back(qtbot, cluster, clock):
    ctx, _ = open_database(cluster.url, clock=clock)
    auth = AuthService(ctx)
    auth.bootstrap_admin("first.admin", "Quiet-Harbour-Lantern-71")
    auth.create_user(auth.actor("first.admin"), username="pat.worker", display_name="Pat Worker",
                     role="practitioner", password="Amber-Kestrel-Orchard-58")
    me = auth.actor("pat.worker")
    label, bar = QLabel("Database: team"), QStatusBar()
    status = ConnectionStatus(ctx, label, bar)
    drafts, contacts = DraftService(ctx), ContactService(ctx)
    try:
        cluster.stop()
        qtbot.waitUntil(lambda: "Database unreachable" in label.text(), timeout=5000)
        assert "reconnecting" in label.text() and label.toolTip()  # the driver's reason, on hover
        with pytest.raises(DatabaseUnavailable, match="Nothing was saved"):
            contacts.create_contact(me, police_notification(clock()))
        assert drafts.save(me, "contact", "new", {"concern": "Typed while the server was down"})

        cluster.start()
        qtbot.waitUntil(lambda: "database is back" in bar.currentMessage(), timeout=30_000)
        assert label.text() == "Database: team"
        assert drafts.load(me, "contact", "new").payload == {"concern": "Typed while the server was down"}
        created = contacts.create_contact(me, police_notification(clock()))
        assert contacts.get(me, created).concern.startswith("Police attended")
    finally:
        status.stop()
        ctx.engine.dispose()
