"""Text is checked once more as it is flushed, whichever form, command or import wrote it.

Every text column of every new or changed row goes through :func:`mashdesk.validators.plain_text`
before SQLAlchemy sends it: a control character (NUL, which PostgreSQL refuses and SQLite would
keep, among them) or a lone surrogate is refused with an :class:`InputError` naming the field,
so both databases answer the same and the transaction writes nothing. Names and other one-line
fields may not hold line breaks or tabs either; notes and other free text may.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Session

from mashdesk import validators
from mashdesk.errors import InputError

#: Text columns that are one line whatever their length (beyond every ``…name`` column).
_ONE_LINE = frozenset({"external_id", "postcode", "postcode_key", "nhs_number", "upn", "former_upn",
                       "username", "ref", "school", "gp", "town", "line1", "line2", "email", "phone"})


def one_line(key: str) -> bool:
    """Whether a column holds one line of text: names, identifiers, parts of an address."""
    return key.endswith("name") or key in _ONE_LINE


def refuse_control_characters(session: Session, _flush_context: Any, _instances: Any) -> None:
    for obj in (*session.new, *session.dirty):
        state = inspect(obj)
        for attr in state.mapper.column_attrs:
            value = state.dict.get(attr.key)
            if not isinstance(value, str) or not isinstance(attr.columns[0].type, String):
                continue
            try:
                validators.plain_text(value, multiline=not one_line(attr.key))
            except ValueError as exc:
                raise InputError(f"{attr.key}: {exc}", attr.key) from None


if not event.contains(Session, "before_flush", refuse_control_characters):
    event.listen(Session, "before_flush", refuse_control_characters)
