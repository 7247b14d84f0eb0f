"""A contact being typed survives the desk being killed: the draft is offered back and restored."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from mashdesk.contacts.service import ContactService
from mashdesk.drafts import DraftService
from mashdesk.people.service import PeopleService
from ui.contacts.contact_form import ContactForm

pytestmark = pytest.mark.qt
ROOT = Path(__file__).resolve().parents[2]

TYPIST = textwrap.dedent("""
    import os, sys, time
    sys.path.insert(0, {root!r})
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from db.engine import make_engine, make_session_factory
    from mashdesk.services.auth import AuthService
    from mashdesk.context import AppContext
    from mashdesk.contacts.service import ContactService
    from mashdesk.drafts import DraftService
    from mashdesk.people.service import PeopleService
    from ui.contacts.contact_form import ContactForm
    engine = make_engine({url!r})
    ctx = AppContext(engine, make_session_factory(engine))
    actor = AuthService(ctx).actor("test.practitioner")
    form = ContactForm(ContactService(ctx), PeopleService(ctx), DraftService(ctx), actor)
    form.autosave.saved.connect(lambda: (print("SAVED", flush=True)))
    form.show()
    QTest.keyClicks(form.ref_name, "Mrs Example")
    QTest.keyClicks(form.concern, "Neighbour heard a child screaming late at night")
    app.exec()
""")


def test_killed_while_typing_the_draft_comes_back(qtbot, ctx, actors, monkeypatch):
    url = ctx.engine.url.render_as_string(hide_password=False)
    typist = subprocess.Popen([sys.executable, "-c", TYPIST.format(root=str(ROOT), url=url)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    try:
        line = typist.stdout.readline()  # blocks until the first autosave (every 3 s)
        assert line.strip() == "SAVED", typist.stderr.read()
    finally:
        typist.send_signal(signal.SIGKILL)  # a crash: no chance to tidy up
        typist.wait(timeout=30)
        typist.stdout.close()
        typist.stderr.close()
    asked: list[str] = []

    def recover(_parent, title, *args):
        asked.append(title)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", recover)
    form = ContactForm(ContactService(ctx), PeopleService(ctx), DraftService(ctx), actors["practitioner"])
    qtbot.addWidget(form)
    assert asked == ["Recover your unsaved contact?"]
    assert form.ref_name.text() == "Mrs Example"
    assert form.concern.toPlainText() == "Neighbour heard a child screaming late at night"
    form.autosave._timer.stop()
