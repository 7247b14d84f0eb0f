"""Ruleset versions as units of work: list, load a file, activate from a date, diff, replay, consistency.

Loading and activating are audited writes. A replay and the consistency report only read (the stored
assessments over a plain connection, in batches) and are then audited as reads.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import select

from db.models import RulesetVersion, User
from mashdesk.context import Actor, Service
from mashdesk.errors import InputError, NotFound
from mashdesk.rulesets import reading, workflow
from mashdesk.rulesets.versions import default_engine, engine_for, engine_in_force, engine_of_text
from mashdesk.rulesets.views import ConsistencyReport, ReplayReport, RulesetDiff, VersionView
from rules import RulesetError, ThresholdEngine, read_ruleset_text, text_sha256
from rules.diff import diff_rulesets
from rules.replay import Replay

Progress = Callable[[int, int], None]


def _label(label: str) -> tuple[str, str]:
    ruleset_id, _, version = label.strip().rpartition(" ")
    if not ruleset_id or not version:
        raise InputError(f"ruleset: {label!r} is not a ruleset id and version such as 'bromley-ton 2026.1'",
                         "ruleset")
    return ruleset_id, version


class RulesetService(Service):
    # -- versions ----------------------------------------------------------------------------------
    def versions(self, actor: Actor) -> tuple[VersionView, ...]:
        """Every stored version, the one in force now marked, oldest effective first; the shipped default
        first when it is not stored."""
        now = self.ctx.now()
        with self.read(actor, "ruleset.read") as s:
            rows = s.scalars(select(RulesetVersion)).all()
            names = {r[0]: r[1] for r in s.execute(select(User.id, User.display_name))}
            current = engine_in_force(s, now).ruleset
            out = [self._view(r, names, (r.ruleset_id, r.ruleset_version) == (current.id, current.version), now)
                   for r in rows]
        shipped = default_engine().ruleset
        if not any((v.ruleset_id, v.version) == (shipped.id, shipped.version) for v in out):
            out.insert(0, VersionView(None, 0, shipped.id, shipped.version, shipped.title, shipped.path.name,
                                      text_sha256(read_ruleset_text(shipped.path)),
                                      workflow.IN_FORCE if current is shipped else workflow.SHIPPED, None,
                                      "shipped with the desk", None, "", shipped.draft))
        # in force or scheduled by their dates, then loaded ones by when; the shipped default (never stored) first
        return tuple(sorted(out, key=lambda v: (v.id is not None, v.effective_from is None,
                                                v.effective_from or v.loaded_at or now)))

    @staticmethod
    def _view(r: RulesetVersion, names: dict[int, str], in_force: bool, now: object) -> VersionView:
        draft = engine_of_text(r.text, r.file_name, r.sha256).ruleset.draft
        return VersionView(
            r.id, r.version, r.ruleset_id, r.ruleset_version, r.title, r.file_name, r.sha256,
            workflow.status_of(r.effective_from, in_force, now),  # type: ignore[arg-type]
            r.loaded_at, names.get(r.loaded_by_id or 0, ""), r.effective_from, names.get(r.activated_by_id or 0, ""),
            draft)

    def load(self, actor: Actor, path: Path | str) -> int:
        """Store a ruleset file as a new version (not in force until activated); refused with the file, line
        and key of the first fault."""
        path = Path(path)
        try:
            text = read_ruleset_text(path)
            ruleset = engine_of_text(text, path.name).ruleset
        except RulesetError as exc:
            raise InputError(str(exc), "ruleset") from exc
        digest = text_sha256(text)
        with self.write(actor, "ruleset.load", "ruleset version") as w:
            same = w.session.scalar(select(RulesetVersion).where(
                RulesetVersion.ruleset_id == ruleset.id, RulesetVersion.ruleset_version == ruleset.version))
            if same is not None:
                what = "the same file" if same.sha256 == digest else "a different file"
                raise InputError(f"ruleset: {ruleset.id} {ruleset.version} is already loaded from {what}; "
                                 "give a changed ruleset a new version", "ruleset")
            row = RulesetVersion(
                ruleset_id=ruleset.id, ruleset_version=ruleset.version, title=ruleset.title, file_name=path.name,
                text=text, sha256=digest, loaded_at=w.now, loaded_by_id=actor.user_id, updated_by_id=actor.user_id)
            w.session.add(row)
            w.session.flush()
            w.audit("ruleset_version", row.id, f"ruleset {ruleset.id} {ruleset.version} loaded from {path.name}",
                    sha256=digest, draft=ruleset.draft)
            return row.id

    def activate(self, actor: Actor, version_id: int, expected_version: int, effective_on: date) -> int:
        """Put a loaded version in force for contacts received from midnight (London) on ``effective_on``."""
        with self.write(actor, "ruleset.activate", "ruleset version") as w:
            row = w.get_for_edit(RulesetVersion, version_id, expected_version, "ruleset version")
            workflow.check_activation(effective_on, w.now.astimezone(workflow.LONDON).date(),
                                      effective_from=row.effective_from)
            row.effective_from = workflow.midnight(effective_on)
            row.activated_at, row.activated_by_id = w.now, actor.user_id
            w.session.flush()
            w.audit("ruleset_version", row.id,
                    f"ruleset {row.ruleset_id} {row.ruleset_version} in force from {effective_on.isoformat()}",
                    effective_from=row.effective_from.isoformat(), sha256=row.sha256)
            return row.version

    # -- diff and replay ---------------------------------------------------------------------------
    def engine(self, actor: Actor, label: str) -> ThresholdEngine:
        """The engine of a stored or shipped version named ``'<id> <version>'``."""
        with self.read(actor, "ruleset.read") as s:
            try:
                return engine_for(s, *_label(label))
            except RulesetError as exc:
                raise NotFound(str(exc)) from exc

    def diff(self, actor: Actor, old: str, new: str) -> RulesetDiff:
        return diff_rulesets(self.engine(actor, old).ruleset, self.engine(actor, new).ruleset)

    def replay_file(self, actor: Actor, path: Path | str, start: date, end: date,
                    progress: Progress | None = None) -> ReplayReport:
        """Replay a ruleset file (validated as strictly as a load) without storing it."""
        path = Path(path)
        try:
            engine = engine_of_text(read_ruleset_text(path), path.name)
        except RulesetError as exc:
            raise InputError(str(exc), "ruleset") from exc
        return self._replay(actor, engine, start, end, progress)

    def replay_version(self, actor: Actor, label: str, start: date, end: date,
                       progress: Progress | None = None) -> ReplayReport:
        return self._replay(actor, self.engine(actor, label), start, end, progress)

    def _replay(self, actor: Actor, engine: ThresholdEngine, start: date, end: date,
                progress: Progress | None) -> ReplayReport:
        since, until = workflow.period(start, end)
        with self.read(actor, "ruleset.replay") as s:
            current = engine_in_force(s, until).ruleset
        replay = Replay(engine, start, end, diff_rulesets(current, engine.ruleset))
        with self.read_direct(actor, "ruleset.replay") as conn:
            total = reading.count_cases(conn, since, until)
            decisions = reading.decisions_by_assessment(conn, since, until)
            done = 0
            if progress:
                progress(0, total)
            for batch in reading.stored_cases(conn, since, until, decisions):
                for case in batch:
                    replay.add(case)
                done += len(batch)
                if progress:
                    progress(done, total)
        report = replay.report()
        with self.write(actor, "ruleset.replay", "replay") as w:
            w.audit("ruleset", None, f"replayed {report.proposed} over {start.isoformat()} to {end.isoformat()}",
                    children=report.children, changed=report.changed)
        return report

    # -- consistency ----------------------------------------------------------------------------------
    def consistency(self, actor: Actor, start: date, end: date) -> ConsistencyReport:
        since, until = workflow.period(start, end)
        with self.read_direct(actor, "ruleset.consistency") as conn:
            rows = reading.decision_rows(conn, since, until)
        report = workflow.consistency(rows, start, end)
        with self.write(actor, "ruleset.consistency", "report") as w:
            w.audit("ruleset", None, f"consistency report {start.isoformat()} to {end.isoformat()}",
                    decisions=report.decisions, overrides=report.overrides)
        return report
