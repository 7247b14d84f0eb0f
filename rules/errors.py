"""Errors raised by the Threshold of Need ruleset loader and engine."""

from __future__ import annotations

from pathlib import Path


class RulesetError(Exception):
    """A ruleset file is missing, unreadable or invalid.

    The message names the file, the key or indicator at fault and, when it could be found, the line.
    """

    def __init__(self, path: Path | str, key: str | None, problem: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.key = key
        self.line = line
        self.problem = problem
        where = f"{self.path.name}"
        if line is not None:
            where += f", line {line}"
        if key is not None:
            where += f", {key}"
        super().__init__(f"{where}: {problem}")


class RuleInputError(ValueError):
    """The input to a triage is wrong: the message names the child (if any) and the field at fault."""

    def __init__(self, message: str, *, child_ref: str | None, field: str) -> None:
        super().__init__(message)
        self.child_ref = child_ref
        self.field = field


def quoted(value: str, limit: int = 80) -> str:
    """A bad value as a message quotes it: at most ``limit`` characters, an ellipsis when cut."""
    return repr(value[:limit] + "…" if len(value) > limit else value)
