"""The Person page's details form: every detail of a person, each field named for the error it may show."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from mashdesk.errors import InputError
from mashdesk.people.details import LABELS, PersonCodes, PersonDetails
from ui.people.person_search import parse_dob


def _date_text(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _combo(name: str, items: list[tuple[str, str | None]], editable: bool = False) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    box.setEditable(editable)
    for label, data in items:
        box.addItem(label, data)
    return box


def _set_combo(box: QComboBox, value: str | None) -> None:
    index = box.findData(value)
    if index >= 0:
        box.setCurrentIndex(index)
    elif box.isEditable():
        box.setEditText(value or "")
    else:
        box.setCurrentIndex(0)


class PersonDetailsForm(QWidget):
    """Edits a :class:`PersonDetails`; ``fields`` maps each detail to the widget that shows it."""

    def __init__(self, codes: PersonCodes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        none = [("— not recorded —", None)]
        self.first = QLineEdit()
        self.middle = QLineEdit()
        self.last = QLineEdit()
        self.dob = QLineEdit(placeholderText="DD/MM/YYYY")
        self.edob = QLineEdit(placeholderText="DD/MM/YYYY, for an unborn baby")
        self.sex = _combo("Sex", [("Not known", "U"), ("Female", "F"), ("Male", "M")])
        self.ethnicity = _combo("Ethnicity", none + [(f"{c} – {label}", c) for c, label in codes.ethnicity.items()])
        self.language = _combo("First language", [("", None)] + [(x, x) for x in codes.languages], editable=True)
        self.interpreter = QCheckBox("Needs an interpreter")
        self.religion = _combo("Religion", none + [(x, x) for x in codes.religions])
        self.disability = QLineEdit(placeholderText="CIN codes, e.g. MOB LD (empty: none)")
        self.disability.setToolTip("; ".join(f"{c} {label}" for c, label in codes.disability.items()))
        self.immigration = _combo("Immigration status", none + [(x, x) for x in codes.immigration])
        self.nhs = QLineEdit(placeholderText="943 476 5919")
        self.upn = QLineEdit(placeholderText="13 characters, check letter first")
        self.former_upn = QLineEdit()
        self.upn_unknown = _combo("UPN not known", [("— has a UPN or not recorded —", None)]
                                  + [(f"{c} – {label}", c) for c, label in codes.upn_unknown.items()])
        self.school = _combo("School", none + [(x, x) for x in codes.schools])
        self.gp = QLineEdit()
        self.fields: dict[str, QWidget] = {
            "first_name": self.first, "middle_names": self.middle, "last_name": self.last,
            "date_of_birth": self.dob, "expected_date_of_birth": self.edob, "sex": self.sex,
            "ethnicity": self.ethnicity, "first_language": self.language, "interpreter_needed": self.interpreter,
            "religion": self.religion, "disability_codes": self.disability, "immigration_status": self.immigration,
            "nhs_number": self.nhs, "upn": self.upn, "former_upn": self.former_upn, "upn_unknown": self.upn_unknown,
            "school": self.school, "gp": self.gp,
        }
        # Alt+letter to a field; letters the People view's search and buttons use are left alone.
        mnemonics = {"ethnicity": "&Ethnicity", "religion": "Reli&gion", "school": "&School"}
        form = QFormLayout(self)
        for key, widget in self.fields.items():
            label = mnemonics.get(key, LABELS[key][:1].upper() + LABELS[key][1:])
            widget.setAccessibleName(LABELS[key][:1].upper() + LABELS[key][1:])
            widget.setObjectName(f"person_{key}")
            if key == "interpreter_needed":
                form.addRow("", widget)
                continue
            buddy = QLabel(label)
            buddy.setBuddy(widget)
            form.addRow(buddy, widget)
        self.disability.setAccessibleDescription(self.disability.toolTip())
        self.disability_meaning = QLabel("")
        self.disability_meaning.setObjectName("disabilityMeaning")
        self.disability_meaning.setWordWrap(True)
        form.insertRow(form.getWidgetPosition(self.disability)[0] + 1, "", self.disability_meaning)
        self.disability.textChanged.connect(
            lambda text: self.disability_meaning.setText("; ".join(
                codes.disability.get(c.upper(), f"{c}: not a CIN code") for c in text.replace(",", " ").split())))
        order = list(self.fields.values())
        for a, b in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(a, b)

    def show_details(self, d: PersonDetails) -> None:
        self.first.setText(d.first_name)
        self.middle.setText(d.middle_names or "")
        self.last.setText(d.last_name)
        self.dob.setText(_date_text(d.date_of_birth))
        self.edob.setText(_date_text(d.expected_date_of_birth))
        _set_combo(self.sex, d.sex)
        _set_combo(self.ethnicity, d.ethnicity)
        _set_combo(self.language, d.first_language)
        self.interpreter.setChecked(d.interpreter_needed)
        _set_combo(self.religion, d.religion)
        self.disability.setText(" ".join(d.disability_codes))
        _set_combo(self.immigration, d.immigration_status)
        self.nhs.setText(d.nhs_number or "")
        self.upn.setText(d.upn or "")
        self.former_upn.setText(d.former_upn or "")
        _set_combo(self.upn_unknown, d.upn_unknown)
        _set_combo(self.school, d.school)
        self.gp.setText(d.gp or "")

    def _date(self, edit: QLineEdit, field: str) -> date | None:
        try:
            return parse_dob(edit.text())
        except ValueError:
            raise InputError(f"{LABELS[field]}: write the date as DD/MM/YYYY", field) from None

    def details(self) -> PersonDetails:
        """What the form shows; a date that is not a date raises :class:`InputError` naming it."""
        language = self.language.currentText().strip() or None
        return PersonDetails(
            first_name=self.first.text(), middle_names=self.middle.text() or None, last_name=self.last.text(),
            date_of_birth=self._date(self.dob, "date_of_birth"),
            expected_date_of_birth=self._date(self.edob, "expected_date_of_birth"),
            sex=self.sex.currentData(), ethnicity=self.ethnicity.currentData(), first_language=language,
            interpreter_needed=self.interpreter.isChecked(), religion=self.religion.currentData(),
            disability_codes=tuple(self.disability.text().replace(",", " ").split()),
            immigration_status=self.immigration.currentData(), nhs_number=self.nhs.text() or None,
            upn=self.upn.text() or None, former_upn=self.former_upn.text() or None,
            upn_unknown=self.upn_unknown.currentData(), school=self.school.currentData(), gp=self.gp.text() or None)

    def snapshot(self) -> dict[str, Any]:
        """The form as typed (for the autosaved draft)."""
        out: dict[str, Any] = {}
        for key, widget in self.fields.items():
            if isinstance(widget, QLineEdit):
                out[key] = widget.text()
            elif isinstance(widget, QCheckBox):
                out[key] = widget.isChecked()
            elif isinstance(widget, QComboBox):
                out[key] = widget.currentText() if widget.isEditable() else widget.currentData()
        return out

    def restore(self, data: dict[str, Any]) -> None:
        for key, value in data.items():
            widget = self.fields.get(key)
            if isinstance(widget, QLineEdit):
                widget.setText(value or "")
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QComboBox):
                _set_combo(widget, value)
