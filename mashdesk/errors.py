"""Domain errors shared by the services, the CLI and the window."""

from __future__ import annotations

from datetime import datetime

from mashdesk.clock import LONDON


class MashDeskError(Exception):
    """Base of every error the desk reports to a person."""


class InputError(MashDeskError):
    """Bad input: the message names the field (or line) at fault; nothing was written.

    The CLI turns it into exit code 2; the window shows it next to the form.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class PermissionDenied(MashDeskError):
    """The acting user's role may not perform the action."""


class NotFound(MashDeskError):
    """A record that was asked for does not exist."""


class StaleEditError(MashDeskError):
    """An edit was made against an out-of-date copy of a record and was refused."""

    def __init__(self, what: str, changed_by: str | None, changed_at: datetime | None) -> None:
        self.what = what
        self.changed_by = changed_by
        self.changed_at = changed_at
        who = changed_by or "another user"
        when = f" at {changed_at.astimezone(LONDON):%d %b %Y %H:%M}" if changed_at else ""
        super().__init__(
            f"This {what} was changed by {who}{when} after you opened it. "
            "Your edit was not saved: reload to see their change, then make yours again."
        )


class AuthenticationError(MashDeskError):
    """Wrong user name or password, or an inactive account."""


class AccountLocked(AuthenticationError):
    """Too many wrong passwords: the account refuses every sign-in until ``until``."""

    def __init__(self, message: str, until: datetime) -> None:
        super().__init__(message)
        self.until = until


class PasswordChangeRequired(AuthenticationError):
    """The password was right but an administrator reset it: the user must choose a new one first."""


class DatabaseBusy(MashDeskError):
    """Another desk held what this action needed for longer than the desk waits; nothing was written."""


class DatabaseUnavailable(MashDeskError):
    """The database could not be reached, or the connection to it broke; nothing was written."""
