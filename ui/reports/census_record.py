"""Recording what the CIN census reports where the work happens: on a referral's contact the single
assessment (its factors), the CIN plan and, for a manager, the case's closure (Ctrl+Shift+C in the contact
view); in the strategy view the conference's outcome and the child protection plan it made (Ctrl+Shift+C)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from mashdesk.context import Actor
from mashdesk.errors import MashDeskError
from mashdesk.returns.codes import CLOSURE_REASONS, CP_CATEGORIES
from mashdesk.returns.recording import CensusRecordService, ConferenceView, EpisodeView


def census_episode(parent: QWidget, service: CensusRecordService, actor: Actor, contact_id: int,
                   today: date) -> bool:
    """Ctrl+Shift+C on a contact: the census record of one of its referred children; whether it was saved."""
    from ui.people.choose_person import choose_person

    episodes = {e.person_id: e for e in service.episodes(actor, contact_id)}
    chosen = choose_person(parent, [(pid, e.name) for pid, e in episodes.items()])
    return chosen is not None and bool(EpisodeDialog(service, actor, episodes[chosen], today, parent).exec())


def census_conference(parent: QWidget, service: CensusRecordService, actor: Actor, discussion_id: int,
                      today: date) -> bool:
    """Ctrl+Shift+C on a strategy discussion: a child's conference outcome; whether it was saved."""
    from ui.people.choose_person import choose_person

    conferences = {c.person_id: c for c in service.conferences(actor, discussion_id) if c.s47_started_on}
    chosen = choose_person(parent, [(pid, c.name) for pid, c in conferences.items()])
    return chosen is not None and bool(
        ConferenceDialog(service, actor, conferences[chosen], today, parent).exec())


def _date_edit(value: date | None, fallback: date, name: str) -> QDateEdit:
    edit = QDateEdit(calendarPopup=True)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setDate(QDate(value or fallback))
    edit.setAccessibleName(name)
    return edit


def _when(check: QCheckBox, edit: QDateEdit) -> date | None:
    return edit.date().toPython() if check.isChecked() else None  # type: ignore[return-value]


def _checked(text: str, on: bool, edit: QWidget) -> QCheckBox:
    box = QCheckBox(text)
    box.setChecked(on)
    edit.setEnabled(on)
    box.toggled.connect(edit.setEnabled)
    return box


class _RecordDialog(QDialog):
    """A form whose Save runs its writes; an error is shown in the form, which stays open."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        self.error.setAccessibleName("What is wrong")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def writes(self) -> list[Callable[[], object]]:
        raise NotImplementedError

    def save(self) -> None:
        try:
            for write in self.writes():
                write()
        except MashDeskError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class EpisodeDialog(_RecordDialog):
    def __init__(self, service: CensusRecordService, actor: Actor, ep: EpisodeView, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(f"Census record: {ep.name}", parent)
        self.service, self.actor, self.ep = service, actor, ep
        self.started = _date_edit(ep.assessment_started, today, "Single assessment started")
        self.authorised = _date_edit(ep.assessment_authorised, today, "Assessment authorised")
        self.has_authorised = _checked("Assessment &authorised on:", ep.assessment_authorised is not None,
                                       self.authorised)
        self.factors = QLineEdit(ep.factors)
        self.factors.setPlaceholderText("e.g. 3B 4B 16A (21: none identified)")
        self.factors.setAccessibleName("Factors identified at the end of the assessment")
        self.plan_from = _date_edit(ep.plan_started, today, "CIN plan started")
        self.has_plan = _checked("CIN &plan from:", ep.plan_started is not None, self.plan_from)
        self.plan_to = _date_edit(ep.plan_ended, today, "CIN plan ended")
        self.has_plan_end = _checked("CIN plan &ended on:", ep.plan_ended is not None, self.plan_to)
        self.form.addRow(QLabel(f"Referred on {ep.referral_on:%d/%m/%Y}."))
        started_label = QLabel("Assessment &started on:")
        started_label.setBuddy(self.started)
        self.form.addRow(started_label, self.started)
        self.form.addRow(self.has_authorised, self.authorised)
        factors_label = QLabel("&Factors identified:")
        factors_label.setBuddy(self.factors)
        self.form.addRow(factors_label, self.factors)
        self.form.addRow(self.has_plan, self.plan_from)
        self.form.addRow(self.has_plan_end, self.plan_to)
        self.closing = actor.may("returns.close")
        self.closed_on = _date_edit(ep.closed_on, today, "Case closed on")
        self.has_closure = _checked("&Close the case on:", False, self.closed_on)
        self.reason = QComboBox()
        self.reason.setAccessibleName("Reason for closure")
        for code, text in CLOSURE_REASONS.items():
            self.reason.addItem(f"{code} {text}", code)
        self.has_closure.toggled.connect(self.reason.setEnabled)
        self.reason.setEnabled(False)
        if self.closing:
            self.form.addRow(self.has_closure, self.closed_on)
            reason_label = QLabel("&Reason:")
            reason_label.setBuddy(self.reason)
            self.form.addRow(reason_label, self.reason)

    def writes(self) -> list[Callable[[], object]]:
        ep, version = self.ep, {"v": self.ep.version}

        def assessment() -> None:
            version["v"] = self.service.record_assessment(
                self.actor, ep.episode_id, version["v"], self.started.date().toPython(),  # type: ignore[arg-type]
                _when(self.has_authorised, self.authorised), self.factors.text())

        def plan() -> None:
            version["v"] = self.service.record_plan(
                self.actor, ep.episode_id, version["v"], self.plan_from.date().toPython(),  # type: ignore[arg-type]
                _when(self.has_plan_end, self.plan_to))

        def closure() -> None:
            self.service.close(self.actor, ep.episode_id, version["v"],
                               self.closed_on.date().toPython(), self.reason.currentData())  # type: ignore[arg-type]

        return [assessment] + ([plan] if self.has_plan.isChecked() else []) + \
            ([closure] if self.closing and self.has_closure.isChecked() else [])


class ConferenceDialog(_RecordDialog):
    def __init__(self, service: CensusRecordService, actor: Actor, conf: ConferenceView, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(f"Conference outcome: {conf.name}", parent)
        self.service, self.actor, self.conf = service, actor, conf
        self.held = _date_edit(conf.icpc_held_on, min(conf.icpc_due or today, today), "Conference held on")
        self.has_held = _checked("Conference &held on:", not conf.icpc_not_required, self.held)
        self.not_required = QCheckBox("&No conference required (ICPC not required)")
        self.not_required.setChecked(conf.icpc_not_required)
        self.not_required.toggled.connect(lambda on: self.has_held.setChecked(not on))
        self.has_held.toggled.connect(lambda on: self.not_required.setChecked(not on))
        self.category = QComboBox()
        self.category.setAccessibleName("Initial category of abuse")
        for code, text in CP_CATEGORIES.items():
            self.category.addItem(f"{code} {text}", code)
        if conf.plan_category:
            self.category.setCurrentIndex(list(CP_CATEGORIES).index(conf.plan_category))
        self.has_plan = _checked("Child protection &plan, category:", conf.plan_category is not None,
                                 self.category)
        due = f", due {conf.icpc_due:%d/%m/%Y}" if conf.icpc_due else ""
        started = f"{conf.s47_started_on:%d/%m/%Y}" if conf.s47_started_on else "not started"
        self.form.addRow(QLabel(f"Section 47 enquiries: {started}{due}."))
        self.form.addRow(self.has_held, self.held)
        self.form.addRow(self.not_required)
        self.form.addRow(self.has_plan, self.category)

    def writes(self) -> list[Callable[[], object]]:
        held = _when(self.has_held, self.held)
        category = self.category.currentData() if self.has_plan.isChecked() else None
        not_required = self.not_required.isChecked()
        return [lambda: self.service.record_conference(self.actor, self.conf.child_id, self.conf.version,
                                                       held_on=held, not_required=not_required,
                                                       plan_category=category)]
