"""Reporting a missing child: the known-child search first, then the report, by keyboard."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from mashdesk.context import Actor
from mashdesk.errors import InputError
from mashdesk.missing.service import MissingService
from mashdesk.missing.views import EpisodeInput
from mashdesk.missing.workflow import MISSING_FROM, RISKS
from mashdesk.people.service import PeopleService
from ui.people.person_picker import PersonPickerDialog
from ui.widgets.step_form import StepForm, combo, line_edit, text_edit, when_edit


class ReportForm(StepForm):
    """Report a missing child: find the child (the known-child search), then the report's fields."""

    def __init__(self, service: MissingService, people: PeopleService, actor: Actor,
                 parent: QWidget | None = None) -> None:
        self._service, self._people, self._actor = service, people, actor
        self.person_id: int | None = None
        now = service.ctx.now()
        self.child = QPushButton("Find the &child… (Ctrl+Shift+C)")
        self.child.setAccessibleName("Child: find in the known-child search")
        self.child_note = QLabel("No child chosen yet.")
        self.child_note.setWordWrap(True)
        self.last_seen = when_edit("Last seen", now)
        self.reported = when_edit("Reported missing", now)
        self.missing_from = combo("Missing from", MISSING_FROM)
        self.looked_after = QCheckBox("Looked after (in care)")
        self.looked_after.setAccessibleName("Looked after")
        self.police = line_edit("Police reference", "e.g. MPS-26-1234")
        self.risk = combo("Risk level", RISKS)
        self.risk.setCurrentIndex(1)
        self.circumstances = text_edit("Circumstances")
        self.associates = line_edit("Known associates or locations")
        holder = QWidget()
        holder.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.child)
        row.addWidget(self.child_note, 1)
        fields: list[tuple[str, str, QWidget]] = [
            ("child", "C&hild *", holder), ("last_seen_at", "&Last seen *", self.last_seen),
            ("reported_at", "&Reported *", self.reported), ("missing_from", "Missing &from *", self.missing_from),
            ("looked_after", "", self.looked_after), ("police_reference", "&Police reference", self.police),
            ("risk", "Ris&k *", self.risk), ("circumstances", "Circu&mstances", self.circumstances),
            ("associates", "&Associates / locations", self.associates)]
        super().__init__("Report a missing child", fields, self._record, parent)
        self.fields["child"] = self.child
        self._first = self.child
        self.child.clicked.connect(self.find_child)
        QShortcut(QKeySequence("Ctrl+Shift+C"), self, activated=self.find_child)
        self.missing_from.currentIndexChanged.connect(self._from_changed)
        order = [self.child, self.last_seen, self.reported, self.missing_from, self.looked_after, self.police,
                 self.risk, self.circumstances, self.associates]
        for a, b in zip(order, order[1:], strict=False):
            self.setTabOrder(a, b)

    def _from_changed(self) -> None:
        if self.missing_from.currentData() == "care_placement":
            self.looked_after.setChecked(True)

    def find_child(self) -> None:
        dialog = PersonPickerDialog(self._people, self._actor, "child", self)
        if not dialog.exec() or dialog.picked is None:
            return
        picked = dialog.picked
        if picked.person_id is None:
            self.error.setText("Child: choose a child known to the desk (search again by another spelling)")
            return
        self.person_id = picked.person_id
        facts = self._service.child_facts(self._actor, picked.person_id)
        note = facts.name
        if facts.looked_after is not None:
            self.looked_after.setChecked(facts.looked_after)
            note += " — looked after" if facts.looked_after else " — not looked after"
            note += " (from the record)"
        if facts.episodes_90_days:
            note += f"; {facts.episodes_90_days} episode(s) in the last 90 days"
        if facts.open_episode:
            note += f"; ALREADY MISSING ({facts.open_episode})"
        self.child_note.setText(note)
        self.error.clear()
        self.last_seen.setFocus()

    def _record(self, values: dict[str, Any]) -> int:
        if self.person_id is None:
            raise InputError("child: find the child first (Ctrl+Shift+C)", "child")
        return self._service.record(self._actor, EpisodeInput(
            person_id=self.person_id, last_seen_at=values["last_seen_at"], reported_at=values["reported_at"],
            missing_from=values["missing_from"], risk=values["risk"], looked_after=values["looked_after"],
            police_reference=values["police_reference"], circumstances=values["circumstances"],
            associates=values["associates"]))
