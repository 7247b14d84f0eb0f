"""Recording a password attempt: the lockout count, the lock, the forced change, and its audit event.

One place for every attempt (signing in, unlocking an idle desk, choosing a new password), run inside
the caller's write transaction over a plain connection (``db.direct``): the desk signs in before the ORM
has loaded. Each attempt, good or bad, is exactly one audit event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from db import fastsql
from db.timestamps import utc
from mashdesk import audit
from mashdesk.accounts.workflow import Lockout, locked_message
from mashdesk.clock import LONDON
from mashdesk.errors import AccountLocked, AuthenticationError, PasswordChangeRequired

if TYPE_CHECKING:
    from db.direct import Direct
    from mashdesk.context import AppContext

WRONG = "Wrong user name or password, or the account is not active."
#: The audit action of each kind of attempt (``…_failed`` and ``…_locked`` are its refusals).
ACTIONS = {"sign_in": "auth.sign_in", "unlock": "auth.unlock", "password_change": "auth.password_change"}
MUST_CHANGE = ("An administrator reset this password: choose a new one (at least 12 characters, not a common "
               "password, not your user name) before you go on.")


def record_attempt(conn: Direct, ctx: AppContext, username: str, row: tuple[Any, ...] | None, ok: bool,
                   purpose: str, new_hash: str | None = None) -> AuthenticationError | None:
    """Record one attempt; returns the refusal to raise, or ``None`` when the person is signed in.

    ``row`` is the account as ``fastsql.SIGN_IN_ACCOUNT`` read it (``None`` for an unknown name).
    """
    now = ctx.now()
    action = ACTIONS[purpose]

    def record(what: str, summary: str, user_id: int | None = None, **detail: Any) -> None:
        audit.write(conn, keys=ctx.audit_keys, at=now, user_id=user_id, username=username, action=what,
                    entity="user", entity_id=row[0] if row else None, summary=summary, detail=detail)

    if row is None or not row[4]:
        record(f"{action}_failed", "refused: no active account of that name")
        return AuthenticationError(WRONG)
    user_id = row[0]
    audit.hold_trail(conn)  # the trail before the account row: the order an administrator's change takes
    state = conn.one(fastsql.SIGN_IN_LOCKOUT + (" FOR UPDATE" if conn.dialect == "postgresql" else ""),
                     {"id": user_id})
    lock = Lockout(int(state[0] or 0), utc(state[1])) if state else Lockout()
    if lock.locked_at(now):
        assert lock.locked_until is not None
        record(f"{action}_locked", f"refused: account locked until {lock.locked_until.astimezone(LONDON):%H:%M}")
        return AccountLocked(locked_message(username, lock.locked_until), lock.locked_until)
    if not ok:
        after = lock.after_failure(now)
        conn.execute(fastsql.SIGN_IN_FAILED, {"failures": after.failures,
                                              "until": conn.timestamp(after.locked_until), "id": user_id}).close()
        if after.locked_until is not None:
            record(f"{action}_failed", f"wrong password ({after.failures} in a row): account locked until "
                   f"{after.locked_until.astimezone(LONDON):%H:%M}", failures=after.failures, locked=True)
            return AccountLocked(locked_message(username, after.locked_until), after.locked_until)
        record(f"{action}_failed", f"wrong password ({after.failures} in a row)", failures=after.failures)
        return AuthenticationError(WRONG if purpose == "sign_in" else "Wrong password.")
    if new_hash is not None:
        conn.execute(fastsql.PASSWORD_CHANGED, {"hash": new_hash, "must": False, "now": conn.timestamp(now),
                                                "id": user_id}).close()
        record("auth.password_changed", "chose a new password and signed in", user_id)
        return None
    if row[7]:
        conn.execute(fastsql.SIGN_IN_FAILED, {"failures": 0, "until": None, "id": user_id}).close()
        record(f"{action}_change_required", "password right; must choose a new one first", user_id)
        return PasswordChangeRequired(MUST_CHANGE)
    conn.execute(fastsql.SIGNED_IN, {"now": conn.timestamp(now), "id": user_id}).close()
    record(action, "signed in" if purpose == "sign_in" else "unlocked the desk", user_id)
    return None
