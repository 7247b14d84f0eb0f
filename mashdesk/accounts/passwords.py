"""The password rules: long enough, not a common password, not the user name.

Common passwords are the 30,000 of the ``zxcvbn`` library's list (MIT licence), checked without
regard to case; its estimator also refuses a password that is only a repeat, a keyboard run or a
common password with a few changes.
"""

from __future__ import annotations

import re

from mashdesk.errors import InputError

MIN_LENGTH = 12
MAX_LENGTH = 72  # the estimator's own limit, and more than any pass phrase needs
#: zxcvbn's score (0-4) a password must reach: 3 is "safely unguessable" in its words.
MIN_SCORE = 3


def check_password(password: str, username: str, display_name: str = "", field: str = "password") -> None:
    """Refuse a password that breaks a rule, with a message naming ``field``; nothing is said of the password."""
    if len(password) < MIN_LENGTH:
        raise InputError(f"{field}: at least {MIN_LENGTH} characters (this one has {len(password)})", field)
    if len(password) > MAX_LENGTH:
        raise InputError(f"{field}: at most {MAX_LENGTH} characters", field)
    lowered = password.lower()
    for part in _name_parts(username):
        if part in lowered:
            raise InputError(f"{field}: must not contain the user name ({part})", field)
    from zxcvbn import matching, zxcvbn  # the lists load on first use: not on the way to the queue

    if lowered in matching.RANKED_DICTIONARIES["passwords"]:
        raise InputError(f"{field}: this is on the list of common passwords; choose another", field)
    result = zxcvbn(password, user_inputs=[username, display_name, *display_name.split()])
    if result["score"] < MIN_SCORE:
        why = result["feedback"]["warning"] or "it is too easy to guess"
        raise InputError(f"{field}: too easy to guess ({why.rstrip('.')}); a few unrelated words are better",
                         field)


def _name_parts(username: str) -> list[str]:
    """The user name, and its parts of four letters or more (``jo.smithson`` → ``smithson``)."""
    name = username.lower()
    parts = [name] if name else []
    parts += [p for p in re.split(r"[._\-]", name) if len(p) >= 4 and p != name]
    return parts
