"""Merging duplicates: every link to the duplicate moves to the survivor and can be put back.

The links are found from the schema (every column with a foreign key to ``people``), so
new tables are covered. The merge record keeps the ids moved, the rows set aside and the
fields filled, so an unmerge restores exactly what was there.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Index, Table, UniqueConstraint, delete, insert, select, update
from sqlalchemy.orm import Session

from db.base import Base
from db.models import PersonName

#: Person fields a merge copies to the survivor when the survivor has none (restored by unmerge).
MERGE_FILL_FIELDS = ("nhs_number", "upn", "school", "gp", "ethnicity", "first_language", "religion", "warning",
                     "middle_names", "immigration_status", "former_upn", "disability_codes", "restricted_reason")
#: A restricted duplicate makes the record kept restricted too.
MERGE_FLAG_FIELDS = ("open_case", "cp_plan_current", "cp_plan_previous", "disabled", "interpreter_needed",
                     "restricted")

#: Tables whose links to people are the merge's own bookkeeping, never moved.
_NOT_MOVED = frozenset({"people", "person_merges"})


def _person_links() -> list[tuple[Table, Column[Any]]]:
    """Every (table, column) holding a person's id, found from the schema so new tables are covered."""
    out = []
    for table in Base.metadata.sorted_tables:
        if table.name in _NOT_MOVED:
            continue
        for column in table.columns:
            if any(fk.column.table.name == "people" for fk in column.foreign_keys):
                out.append((table, column))
    return out


def _primary_key(table: Table) -> Column[Any]:
    (pk,) = table.primary_key.columns
    return pk


def _unique_sets(table: Table) -> list[UniqueConstraint | Index]:
    return ([c for c in table.constraints if isinstance(c, UniqueConstraint)]
            + [i for i in table.indexes if i.unique])


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def _from_json(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        return value
    if python_type is datetime:
        return datetime.fromisoformat(value)
    if python_type is date:
        return date.fromisoformat(value)
    return value


def move_links(s: Session, merged_id: int, survivor_id: int) -> tuple[dict[str, list[int]], dict[str, list[Any]]]:
    """Point every link of ``merged_id`` at ``survivor_id``.

    Returns the moved rows' ids by ``table.column``, and the rows removed (as column →
    value) because moving them would have duplicated a row the survivor already has
    or would link the survivor to itself.
    """
    moved: dict[str, list[int]] = {}
    removed: dict[str, list[Any]] = {}
    for table, column in _person_links():
        pk = _primary_key(table)
        person_columns = [c for t, c in _person_links() if t is table]
        uniques = [[c for c in u.columns if c is not column] for u in _unique_sets(table)
               if column.name in u.columns]
        for row in s.execute(select(table).where(column == merged_id)).mappings().all():
            clash = any(row[c.name] in (merged_id, survivor_id) for c in person_columns if c is not column)
            for others in uniques:
                if clash:
                    break
                existing = select(pk).where(column == survivor_id, *[c == row[c.name] for c in others])
                clash = s.scalar(existing) is not None
            key = f"{table.name}.{column.name}"
            if clash:
                removed.setdefault(table.name, []).append({k: _jsonable(v) for k, v in row.items()})
                s.execute(delete(table).where(pk == row[pk.name]))
            else:
                moved.setdefault(key, []).append(row[pk.name])
        if key_ids := moved.get(f"{table.name}.{column.name}"):
            s.execute(update(table).where(pk.in_(key_ids)).values({column.name: survivor_id}))
    return moved, removed


def restore_links(s: Session, links: dict[str, Any], merged_id: int, survivor_id: int) -> None:
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    for key, ids in links.get("moved", {}).items():
        table_name, column_name = key.split(".")
        table = tables[table_name]
        column = table.c[column_name]
        s.execute(update(table).where(_primary_key(table).in_(ids), column == survivor_id)
                  .values({column_name: merged_id}))
    for table_name, rows in links.get("removed", {}).items():
        table = tables[table_name]
        s.execute(insert(table), [{k: _from_json(table.c[k], v) for k, v in row.items()} for row in rows])
    added = links.get("added_names", [])
    if added:
        s.execute(delete(PersonName).where(PersonName.id.in_(added)))
    s.expire_all()


def dob_gap_days(a: Any, b: Any) -> int | None:
    """Days between two people's dates of birth (expected ones if not born), or None when one is not known."""
    da = a.date_of_birth or a.expected_date_of_birth
    db = b.date_of_birth or b.expected_date_of_birth
    return abs((da - db).days) if da and db else None


__all__ = ["MERGE_FILL_FIELDS", "MERGE_FLAG_FIELDS", "dob_gap_days", "move_links", "restore_links"]
