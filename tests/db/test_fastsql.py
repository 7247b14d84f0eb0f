"""Every table and column the plain-SQL fast path names exists in the models, as named."""

from __future__ import annotations

import re

import pytest

import db.models  # noqa: F401  (registers every table)
from db import fastsql
from db.base import Base

#: Tables outside the models that the fast path reads, with the columns it names.
NOT_MODELS = {"sqlite_master": {"type", "name"}, "alembic_version": {"version_num"}}
SQL_WORDS = {
    "select", "from", "where", "and", "or", "not", "null", "is", "in", "as", "on", "left", "join", "order", "by",
    "desc", "asc", "limit", "offset", "insert", "into", "values", "update", "set", "count", "to_regclass",
    "pg_advisory_xact_lock", "exists",
}
TABLE_REF = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE)\s+(\w+)(?:\s+(?!WHERE\b|ORDER\b|LEFT\b|ON\b|SET\b|LIMIT\b)(\w+))?")


def _columns() -> dict[str, set[str]]:
    known = {name: {c.name for c in table.columns} for name, table in Base.metadata.tables.items()}
    return known | NOT_MODELS


def _statements() -> dict[str, str]:
    found = {name: value for name, value in vars(fastsql).items() if name.isupper() and isinstance(value, str)}
    found["CHILDREN_NAMED"] = fastsql.CHILDREN_NAMED.format(words=found.pop("NAME_WORD").format(i=0))
    found |= {f"QUEUE_SORT[{key}]": f"SELECT {expr} FROM contacts c LEFT JOIN users u ON u.id = c.allocated_to_id"
              for key, expr in fastsql.QUEUE_SORT.items()}
    return found


def _check(name: str, sql: str, columns: dict[str, set[str]]) -> list[str]:
    """What ``sql`` names that the models do not have (filters are read over ``contacts c``)."""
    sql = re.sub(r"\{\w+\}", " ", sql)
    sql = re.sub(r"'[^']*'", " ", sql)  # string literals
    sql = re.sub(r":\w+", " ", sql)  # bound parameters
    fragment = not re.match(r"\s*(SELECT|INSERT|UPDATE)\b", sql)
    aliases = {"c": "contacts"} if fragment else {}  # a filter of the queue's ``contacts c``
    tables: list[str] = []
    for table, alias in TABLE_REF.findall(sql):
        tables.append(table)
        aliases[alias or table] = table
    problems = [f"{name}: no table {t}" for t in tables if t not in columns]
    for alias, column in re.findall(r"\b(\w+)\.(\w+)\b", sql):
        table = aliases.get(alias)
        if table is None:
            problems.append(f"{name}: {alias}.{column} names no table of the statement")
        elif column not in columns.get(table, set()):
            problems.append(f"{name}: {table} has no column {column}")
    bare = set(re.findall(r"(?<![.\w])([A-Za-z_]\w*)(?![.\w])", sql)) - set(aliases) - set(tables)
    bare = {w for w in bare if w.lower() not in SQL_WORDS}
    if re.match(r"\s*(INSERT|UPDATE)\b", sql) and len(tables) == 1:
        problems += [f"{name}: {tables[0]} has no column {w}" for w in bare if w not in columns[tables[0]]]
    else:
        problems += [f"{name}: {w!r} is not written with its table's alias" for w in bare]
    return problems


def test_the_fast_path_has_statements_for_each_of_its_jobs():
    names = set(_statements())
    assert {"SIGN_IN_ACCOUNT", "AUDIT_APPEND", "QUEUE_PAGE", "RUNNING_CLOCKS", "REVISION"} <= names


@pytest.mark.parametrize("name", sorted(_statements()))
def test_every_table_and_column_it_names_is_in_the_models(name):
    assert _check(name, _statements()[name], _columns()) == []


def test_the_check_finds_a_misspelt_column_and_an_unknown_table():
    columns = _columns()
    assert _check("t", "SELECT c.childrens FROM contacts c", columns) == ["t: contacts has no column childrens"]
    assert _check("t", "SELECT x.id FROM contact x", columns) == ["t: no table contact", "t: contact has no column id"]
    assert _check("t", "UPDATE users SET last_seen = :now WHERE id = :id", columns) == [
        "t: users has no column last_seen"]
    assert _check("t", "SELECT hash FROM audit_events e", columns) == ["t: 'hash' is not written with its table's alias"]
