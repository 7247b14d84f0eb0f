"""Builders shared by tests."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

from mashdesk.contacts.service import ContactChildInput, ContactInput, ReferrerInput
from mashdesk.people.service import PersonInput


def police_notification(now: datetime, *children: PersonInput | int, **changes: object) -> ContactInput:
    """A one-child police notification received an hour before ``now``."""
    kids = [ContactChildInput(person_id=c) if isinstance(c, int) else ContactChildInput(new_person=c)
            for c in children] or [ContactChildInput(new_person=PersonInput(
                first_name="Ava", last_name="Testchild", date_of_birth=date(2019, 5, 4), sex="F"))]
    data = ContactInput(
        received_at=now - timedelta(hours=1), channel="police_notification", cin_source="6",
        concern="Police attended a domestic incident; the child was present.",
        referrer=ReferrerInput(name="PC Example", agency_code="police", role="Police constable"),
        children=kids, consent="not_sought", consent_reason="Could prejudice a police investigation.",
        consent_decided_by="MASH manager",
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def fake_print_dialog(output: Path) -> type:
    """A stand-in for QPrintDialog that accepts at once and prints to the PDF file ``output``."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    class FakePrintDialog:
        DialogCode = QPrintDialog.DialogCode

        def __init__(self, printer: QPrinter, parent: object = None) -> None:
            self.printer = printer

        def exec(self) -> QPrintDialog.DialogCode:
            self.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            self.printer.setOutputFileName(str(output))
            return QPrintDialog.DialogCode.Accepted

    return FakePrintDialog


@contextmanager
def guard_lifted(ctx):  # type: ignore[no-untyped-def]
    """The audit table's refusal to change lifted, as an intruder with the owner's rights would;
    put back afterwards (the PostgreSQL test database is shared by the tests of a run)."""
    from sqlalchemy import text

    from db.audit_guard import create_statements, drop_statements

    with ctx.session_factory.begin() as s:
        for statement in drop_statements(ctx.dialect):
            s.execute(text(statement))
    try:
        yield
    finally:
        with ctx.session_factory.begin() as s:
            for statement in drop_statements(ctx.dialect) + create_statements(ctx.dialect):
                s.execute(text(statement))


def memory_keyring():  # type: ignore[no-untyped-def]
    """A keyring backend that keeps passwords in a dict (tests never touch a real system keyring)."""
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.passwords: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.passwords.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.passwords[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.passwords.pop((service, username), None)

    return MemoryKeyring()


@contextmanager
def keyring_in_use(backend):  # type: ignore[no-untyped-def]
    """Use ``backend`` as the system keyring for the duration (the previous one is always restored)."""
    import keyring

    before = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(before)
