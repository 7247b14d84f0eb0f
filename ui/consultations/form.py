"""Logging a call to the consultation line: one form, by keyboard, in under a minute."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QElapsedTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from mashdesk.consultations.service import ConsultationService
from mashdesk.consultations.views import ConsultationInput, ContactPrefill
from mashdesk.consultations.workflow import LONGEST_CALL, OUTCOMES
from mashdesk.context import Actor
from mashdesk.people.service import PeopleService
from ui.widgets.step_form import StepForm, combo, line_edit, text_edit, when_edit
from ui.people.person_picker import PersonPickerDialog


class CallForm(StepForm):
    """A call: the caller, the question, the children (known, or described), the advice, outcome and time."""

    def __init__(self, service: ConsultationService, people: PeopleService, actor: Actor, schools: list[str],
                 parent: QWidget | None = None) -> None:
        self._service, self._people, self._actor = service, people, actor
        self._timer = QElapsedTimer()
        self._timer.start()
        self.child_ids: list[int] = []
        self.caller = line_edit("Caller's name")
        self.role = line_edit("Caller's role", "e.g. designated safeguarding lead")
        self.organisation = QComboBox()
        self.organisation.setEditable(True)
        self.organisation.setAccessibleName("School or organisation")
        self.organisation.addItem("")
        self.organisation.addItems(schools)
        self._schools = set(schools)
        self.from_school = QCheckBox("The caller is from a &school")
        self.from_school.setAccessibleName("From a school")
        self.phone = line_edit("Caller's phone")
        self.question = text_edit("The caller's question")
        self.children = QListWidget()
        self.children.setAccessibleName("Children named")
        self.children.setMaximumHeight(50)
        self.add_child = QPushButton("Find a &child… (Ctrl+Shift+C)")
        self.add_child.setAccessibleName("Find a named child in the known-child search")
        self.anonymous = line_edit("Children as described, or anonymous", "e.g. a Year 6 girl; or leave empty")
        self.advice = text_edit("Advice given")
        self.outcome = combo("Outcome", OUTCOMES)
        self.signposted = line_edit("Signposted to", "the service")
        self.minutes = QSpinBox()
        self.minutes.setRange(1, LONGEST_CALL)
        self.minutes.setSuffix(" min")
        self.minutes.setAccessibleName("Time spent in minutes")
        self.at = when_edit("Time of the call", service.ctx.now())
        holder = QWidget()
        holder.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.children, 1)
        row.addWidget(self.add_child)
        fields: list[tuple[str, str, QWidget]] = [
            ("caller_name", "Caller's &name *", self.caller), ("caller_role", "&Role", self.role),
            ("organisation", "Sch&ool / organisation", self.organisation), ("from_school", "", self.from_school),
            ("phone", "P&hone", self.phone), ("question", "&Question *", self.question),
            ("children", "Children", holder), ("child_summary", "Described / &anonymous", self.anonymous),
            ("advice", "Ad&vice given *", self.advice), ("outcome", "Ou&tcome *", self.outcome),
            ("signposted_to", "Si&gnposted to", self.signposted), ("minutes", "Time s&pent *", self.minutes),
            ("at", "Call &time", self.at)]
        super().__init__("Log a consultation call", fields, self._log, parent,
                         intro="Ctrl+S saves. Choose \u201cSocial worker makes a contact now\u201d to open the "
                               "contact form filled in from this call.")
        self.resize(720, 720)
        self.fields["children[1]"] = self.add_child
        self.add_child.clicked.connect(self.find_child)
        QShortcut(QKeySequence("Ctrl+Shift+C"), self, activated=self.find_child)
        self.organisation.currentTextChanged.connect(
            lambda text: self.from_school.setChecked(text in self._schools or "school" in text.lower()))
        self.outcome.currentIndexChanged.connect(self._outcome_changed)
        self.question.textChanged.connect(self._tick)
        self._outcome_changed()
        order = [self.caller, self.role, self.organisation, self.from_school, self.phone, self.question,
                 self.add_child, self.anonymous, self.advice, self.outcome, self.signposted, self.minutes, self.at]
        for a, b in zip(order, order[1:], strict=False):
            self.setTabOrder(a, b)

    def _tick(self) -> None:
        """Time spent follows the time the form has been open, until someone sets it."""
        if not self.minutes.hasFocus():
            self.minutes.setValue(max(1, self._timer.elapsed() // 60_000 + 1))

    def _outcome_changed(self) -> None:
        self.signposted.setEnabled(self.outcome.currentData() == "signposted")

    def find_child(self) -> None:
        dialog = PersonPickerDialog(self._people, self._actor, "child", self)
        if not dialog.exec() or dialog.picked is None:
            return
        picked = dialog.picked
        if picked.person_id is not None:
            self.child_ids.append(picked.person_id)
            self.children.addItem(picked.name)
        else:  # not known: described, not created as a person for a call
            text = self.anonymous.text().strip()
            self.anonymous.setText(f"{text}; {picked.name}" if text else picked.name)
        self.advice.setFocus() if self.question.toPlainText().strip() else self.question.setFocus()

    def _log(self, values: dict[str, Any]) -> int:
        at: datetime = values["at"]
        return self._service.log(self._actor, ConsultationInput(
            at=at, caller_name=values["caller_name"], caller_role=values["caller_role"],
            organisation=self.organisation.currentText(), from_school=values["from_school"], phone=values["phone"],
            question=values["question"], child_ids=tuple(self.child_ids), child_summary=values["child_summary"],
            advice=values["advice"], outcome=values["outcome"], signposted_to=values["signposted_to"],
            minutes=self.minutes.value()))


def contact_initial(p: ContactPrefill, actor: Actor) -> dict[str, Any]:
    """The contact form's starting values (as a draft holds them) for a contact made from a call."""
    return {
        "received": int(p.received_at.timestamp()), "channel": "consultation", "agency": p.agency_code,
        "source": "2A" if p.agency_code == "education" else None, "ref_name": p.caller_name,
        "ref_role": p.caller_role, "ref_org": p.organisation, "ref_phone": p.phone, "ref_email": "",
        "ref_relationship": "", "concern": p.concern, "location": "", "immediate": "unknown", "interpreter": "",
        "consent": "not_sought", "consent_reason": "", "consent_by": actor.display_name,
        "people": [{"name": name, "person_id": pid, "role": "child", "relationship": None,
                    "parental_responsibility": False, "note": "named in the consultation call",
                    "new_person": None} for pid, name in p.children],
    }
