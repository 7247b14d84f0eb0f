"""Recording a contact: one form, fast to fill on the phone, autosaved while it is typed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QDateTime, Qt, QTimeZone
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mashdesk import codes
from mashdesk.errors import InputError
from mashdesk.context import Actor
from mashdesk.contacts.service import (
    ContactChildInput,
    ContactInput,
    ContactOtherInput,
    ContactService,
    ReferrerInput,
)
from mashdesk.drafts import DraftService
from mashdesk.people.service import PeopleService
from ui.keys import ReturnDoesNotSubmit
from ui.autosave import Autosaver
from ui.people.person_picker import PersonPickerDialog, PickedPerson

LONDON = QTimeZone(b"Europe/London")
NO_AGENCY = "(none — a member of the public, family or anonymous)"


def _combo(name: str, items: dict[str, str], blank: str | None = None) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    if blank is not None:
        combo.addItem(blank, None)
    for code, label in items.items():
        combo.addItem(label, code)
    return combo


class ContactForm(ReturnDoesNotSubmit):
    """New contact. ``created_id`` holds the saved contact's id once accepted."""

    FORM = "contact"

    def __init__(self, contacts: ContactService, people: PeopleService, drafts: DraftService, actor: Actor,
                 parent: QWidget | None = None, *, initial: dict[str, Any] | None = None,
                 consultation_id: int | None = None) -> None:
        """``initial`` prefills the form (as a draft holds it); ``consultation_id`` links the call it came from."""
        super().__init__(parent)
        self.setWindowTitle("New contact")
        self.setObjectName("contactForm")
        self.resize(900, 760)
        self._contacts, self._people, self._actor = contacts, people, actor
        self.created_id: int | None = None
        self.consultation_id = consultation_id
        self.people: list[PickedPerson] = []

        # Received defaults to now by the desk's clock (the services check it against the same clock).
        now_ms = int(contacts.ctx.now().timestamp() * 1000)
        self.received = QDateTimeEdit(QDateTime.fromMSecsSinceEpoch(now_ms, LONDON))
        self.received.setTimeZone(LONDON)
        self.received.setDisplayFormat("ddd dd MMM yyyy HH:mm")
        self.received.setCalendarPopup(True)
        self.received.setAccessibleName("Received")
        self.channel = _combo("Channel", codes.CHANNELS)
        self.agency = _combo("Referrer's agency", {c: a[0] for c, a in codes.AGENCIES.items()}, NO_AGENCY)
        self.source = _combo("CIN referral source", {c: f"{c} {label}" for c, label in
                                                     codes.CIN_REFERRAL_SOURCES.items()})
        self.ref_name = QLineEdit(placeholderText="as they gave it")
        self.ref_name.setAccessibleName("Referrer's name")
        self.ref_role = QLineEdit()
        self.ref_role.setAccessibleName("Referrer's role")
        self.ref_org = QLineEdit(placeholderText="school, GP practice, ward…")
        self.ref_org.setAccessibleName("Referrer's organisation")
        self.ref_phone = QLineEdit()
        self.ref_phone.setAccessibleName("Referrer's phone")
        self.ref_email = QLineEdit()
        self.ref_email.setAccessibleName("Referrer's email")
        self.ref_relationship = QLineEdit(placeholderText="e.g. class teacher, grandmother")
        self.ref_relationship.setAccessibleName("Referrer's relationship to the family")

        self.people_list = QListWidget()
        self.people_list.setObjectName("contactPeople")
        self.people_list.setAccessibleName("Children and other people in the contact")
        self.people_list.setMaximumHeight(110)
        self.add_child = QPushButton("Add c&hild… (Ctrl+Shift+C)")
        self.add_other = QPushButton("Add &other person… (Ctrl+Shift+O)")
        self.remove_person = QPushButton("Remove")
        self.remove_person.setAccessibleName("Remove the selected person")

        self.concern = QPlainTextEdit()
        self.concern.setAccessibleName("Concern in the referrer's words")
        self.concern.setTabChangesFocus(True)
        self.location = QLineEdit(placeholderText="at school, at home, in hospital…")
        self.location.setAccessibleName("Where the child is now")
        self.immediate = _combo("Does the child need immediate protection?",
                                {"unknown": "Not known yet", "no": "No", "yes": "YES — act now"})
        self.interpreter = QLineEdit()
        self.interpreter.setAccessibleName("Interpreter or communication needs")
        self.consent = _combo("Consent", codes.CONSENT)
        self.consent_reason = QLineEdit(placeholderText="why consent was not sought")
        self.consent_reason.setAccessibleName("Why consent was not sought")
        self.consent_by = QLineEdit(placeholderText="who decided")
        self.consent_by.setAccessibleName("Who decided not to seek consent")

        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setAccessibleName("Form error")
        self.error.setStyleSheet("color: #c62828; font-weight: bold")
        self.error.setWordWrap(True)
        self.draft_note = QLabel()
        self.draft_note.setStyleSheet("color: #555")

        self._layout()
        self._fields = {
            "received_at": self.received, "channel": self.channel, "cin_source": self.source,
            "referrer.name": self.ref_name, "referrer.agency": self.agency, "concern": self.concern,
            "children": self.add_child, "immediate_protection": self.immediate, "consent": self.consent,
            "consent_reason": self.consent_reason, "consent_decided_by": self.consent_by,
        }
        self.channel.currentIndexChanged.connect(self._channel_changed)
        self.agency.currentIndexChanged.connect(self._agency_changed)
        self.consent.currentIndexChanged.connect(self._consent_changed)
        self.add_child.clicked.connect(lambda: self._add_person("child"))
        self.add_other.clicked.connect(lambda: self._add_person("household_member"))
        self.remove_person.clicked.connect(self._remove_person)
        QShortcut(QKeySequence("Ctrl+Shift+C"), self, activated=lambda: self._add_person("child"))
        QShortcut(QKeySequence("Ctrl+Shift+O"), self, activated=lambda: self._add_person("household_member"))
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        self._consent_changed()

        self.autosave = Autosaver(drafts, actor, self.FORM, self.collect, parent=self)
        if initial is not None:
            self.restore(initial)
        else:
            self._offer_draft()
        self.autosave.start()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.channel.setFocus()  # received defaults to now: the channel is the first thing to say

    # -- layout -------------------------------------------------------------------------------------
    def _layout(self) -> None:
        def group(title: str, rows: list[tuple[str, QWidget]]) -> QGroupBox:
            box = QGroupBox(title)
            form = QFormLayout(box)
            for label, widget in rows:
                caption = QLabel(label)
                caption.setBuddy(widget)
                form.addRow(caption, widget)
            return box

        contact = group("Contact", [("Recei&ved *", self.received), ("&Channel *", self.channel)])
        referrer = group("Referrer", [
            ("A&gency", self.agency), ("Referral &source *", self.source), ("&Name *", self.ref_name),
            ("Ro&le", self.ref_role), ("Organisation", self.ref_org), ("Phone", self.ref_phone),
            ("Email", self.ref_email), ("Relationship to family", self.ref_relationship)])
        people_box = QGroupBox("Children * and other people")
        people_layout = QVBoxLayout(people_box)
        people_layout.addWidget(self.people_list)
        buttons = QHBoxLayout()
        for b in (self.add_child, self.add_other, self.remove_person):
            buttons.addWidget(b)
        buttons.addStretch(1)
        people_layout.addLayout(buttons)
        concern = group("The concern", [
            ("Conc&ern *", self.concern), ("Where is the child &now", self.location),
            ("I&mmediate protection? *", self.immediate), ("&Interpreter / communication", self.interpreter)])
        consent = group("Consent to share information", [
            ("Consen&t *", self.consent), ("&Why not sought", self.consent_reason),
            ("&Decided by", self.consent_by)])

        body = QWidget()
        column = QVBoxLayout(body)
        for w in (contact, referrer, people_box, concern, consent):
            column.addWidget(w)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("&Save to the queue (Ctrl+S)")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self._cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Fields marked * are required."))
        layout.addWidget(self.error)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.draft_note)
        layout.addWidget(self.buttons)
        order = [self.received, self.channel, self.agency, self.source, self.ref_name, self.ref_role, self.ref_org,
                 self.ref_phone, self.ref_email, self.ref_relationship, self.people_list, self.add_child,
                 self.add_other, self.remove_person, self.concern, self.location, self.immediate,
                 self.interpreter, self.consent, self.consent_reason, self.consent_by]
        for a, b in zip(order, order[1:], strict=False):
            self.setTabOrder(a, b)

    # -- behaviour ---------------------------------------------------------------------------------
    def _channel_changed(self) -> None:
        agency = codes.CHANNEL_AGENCY.get(self.channel.currentData())
        if agency:
            self.agency.setCurrentIndex(self.agency.findData(agency))

    def _agency_changed(self) -> None:
        code = self.agency.currentData()
        if code in codes.AGENCIES and codes.AGENCIES[code][1]:
            self.source.setCurrentIndex(self.source.findData(codes.AGENCIES[code][1]))

    def _consent_changed(self) -> None:
        not_sought = self.consent.currentData() == "not_sought"
        self.consent_reason.setEnabled(not_sought)
        self.consent_by.setEnabled(not_sought)
        if not_sought and not self.consent_by.text():
            self.consent_by.setText(self._actor.display_name)

    def _add_person(self, role: str) -> None:
        dialog = PersonPickerDialog(self._people, self._actor, role, self)
        if dialog.exec() and dialog.picked is not None:
            self._append(dialog.picked)
            if not self.concern.toPlainText().strip():
                self.concern.setFocus()  # the usual next thing to say

    def _append(self, picked: PickedPerson) -> None:
        self.people.append(picked)
        role = "child" if picked.role == "child" else picked.role.replace("_", " ")
        extra = f" — {picked.note}" if picked.note else ""
        item = QListWidgetItem(f"{picked.name} ({role}){extra}")
        if "re-referral" in picked.note:
            item.setForeground(Qt.GlobalColor.darkRed)
        self.people_list.addItem(item)

    def _remove_person(self) -> None:
        row = self.people_list.currentRow()
        if row >= 0:
            self.people_list.takeItem(row)
            del self.people[row]

    def collect(self) -> dict[str, Any]:
        """The form as a draft."""
        return {
            "received": self.received.dateTime().toSecsSinceEpoch(), "channel": self.channel.currentData(),
            "agency": self.agency.currentData(), "source": self.source.currentData(),
            "ref_name": self.ref_name.text(), "ref_role": self.ref_role.text(), "ref_org": self.ref_org.text(),
            "ref_phone": self.ref_phone.text(), "ref_email": self.ref_email.text(),
            "ref_relationship": self.ref_relationship.text(), "concern": self.concern.toPlainText(),
            "location": self.location.text(), "immediate": self.immediate.currentData(),
            "interpreter": self.interpreter.text(), "consent": self.consent.currentData(),
            "consent_reason": self.consent_reason.text(), "consent_by": self.consent_by.text(),
            "people": [p.to_json() for p in self.people],
        }

    def restore(self, data: dict[str, Any]) -> None:
        self.received.setDateTime(QDateTime.fromSecsSinceEpoch(int(data["received"]), LONDON))
        for combo, key in ((self.channel, "channel"), (self.agency, "agency"), (self.source, "source"),
                           (self.immediate, "immediate"), (self.consent, "consent")):
            combo.setCurrentIndex(max(0, combo.findData(data.get(key))))
        for edit, key in ((self.ref_name, "ref_name"), (self.ref_role, "ref_role"), (self.ref_org, "ref_org"),
                          (self.ref_phone, "ref_phone"), (self.ref_email, "ref_email"),
                          (self.ref_relationship, "ref_relationship"), (self.location, "location"),
                          (self.interpreter, "interpreter"), (self.consent_reason, "consent_reason"),
                          (self.consent_by, "consent_by")):
            edit.setText(data.get(key) or "")
        self.concern.setPlainText(data.get("concern") or "")
        for person in data.get("people", []):
            self._append(PickedPerson.from_json(person))

    def _offer_draft(self) -> None:
        draft = self.autosave.offer()
        if draft is None:
            return
        when = draft.saved_at.astimezone(UTC).astimezone().strftime("%d %b %H:%M")
        answer = QMessageBox.question(
            self, "Recover your unsaved contact?",
            f"A contact you were typing was kept at {when} but never saved. Carry on with it?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
        if answer == QMessageBox.StandardButton.Yes:
            self.restore(draft.payload)
            self.draft_note.setText(f"Recovered the draft kept at {when}.")

    def to_input(self) -> ContactInput:
        received = datetime.fromtimestamp(self.received.dateTime().toSecsSinceEpoch(), UTC)
        children = [ContactChildInput(person_id=p.person_id, new_person=p.new_person)
                    for p in self.people if p.role == "child"]
        others = [ContactOtherInput(role=p.role, person_id=p.person_id, new_person=p.new_person,
                                    relationship_to_child=p.relationship,
                                    parental_responsibility=p.parental_responsibility)
                  for p in self.people if p.role != "child"]
        source = self.source.currentData()
        return ContactInput(
            received_at=received, channel=self.channel.currentData(), cin_source=source,
            concern=self.concern.toPlainText(),
            referrer=ReferrerInput(
                name=self.ref_name.text().strip(), agency_code=self.agency.currentData(),
                organisation=self.ref_org.text().strip() or None, role=self.ref_role.text().strip() or None,
                phone=self.ref_phone.text().strip() or None, email=self.ref_email.text().strip() or None,
                relationship_to_family=self.ref_relationship.text().strip() or None,
                professional=self.agency.currentData() is not None),
            children=children, others=others, immediate_protection=self.immediate.currentData(),
            child_location=self.location.text().strip() or None,
            interpreter_needs=self.interpreter.text().strip() or None, consent=self.consent.currentData(),
            consent_reason=self.consent_reason.text().strip() or None,
            consent_decided_by=self.consent_by.text().strip() or None, consultation_id=self.consultation_id)

    def save(self) -> None:
        try:
            self.created_id = self._contacts.create_contact(self._actor, self.to_input())
        except InputError as exc:
            self.error.setText(str(exc)[:1].upper() + str(exc)[1:])
            widget = self._fields.get(exc.field or "") or self._fields.get((exc.field or "").split("[")[0])
            if widget is not None:
                widget.setFocus()
            return
        self.autosave.finish()
        self.accept()

    def _cancel(self) -> None:
        if self.people or self.concern.toPlainText().strip():
            answer = QMessageBox.question(
                self, "Discard this contact?", "Nothing has been saved to the queue. Discard what you typed?",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Discard:
                return
        self.autosave.finish()
        self.reject()
