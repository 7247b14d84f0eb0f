"""The step-down actions as the window offers them: their buttons, and what each asks the person for."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from mashdesk.clock import LONDON
from mashdesk.context import Actor
from mashdesk.stepdown.service import StepDownService
from mashdesk.stepdown.views import StepDownDetail
from mashdesk.stepdown.workflow import CLOSURE_REASONS

#: action → (button text with its mnemonic, extra shortcut or "", accessible description).
ACTIONS: dict[str, tuple[str, str, str]] = {
    "record_consent": ("Record &consent…", "", "Record the family's consent"),
    "send": ("Send &to centre…", "", "Send the step-down to a Children and Family Centre"),
    "accept": ("&Accept", "Ctrl+Shift+A", "Accept the step-down"),
    "decline": ("&Decline…", "Ctrl+Shift+D", "Decline the step-down with a reason"),
    "allocate": ("Allocate &worker…", "", "Allocate an Early Help worker"),
    "first_contact": ("Fi&rst contact…", "", "Record the first contact with the family"),
    "review": ("Rev&iew…", "", "Record a review"),
    "close": ("C&lose…", "", "Close the step-down"),
    "decide_refusal": ("Refusal: &NFA or ask again…", "", "Decide what follows the family's refusal"),
    "step_up": ("Step &up to the MASH…", "Ctrl+U", "Step the family up: a new contact in the MASH queue"),
}


def _item(parent: QWidget, title: str, label: str, items: list[str], current: int = 0) -> str | None:
    value, ok = QInputDialog.getItem(parent, title, label, items, current, False)
    return value if ok else None

def _text(parent: QWidget, title: str, label: str, text: str = "", multiline: bool = True) -> str | None:
    if multiline:
        value, ok = QInputDialog.getMultiLineText(parent, title, label, text)
    else:
        value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    return value if ok else None

def ask(
    parent: QWidget, service: StepDownService, actor: Actor, current: StepDownDetail | None, action: str
) -> Callable[[StepDownDetail], object] | None:
    """Ask for what ``action`` needs; returns the call to make, or None if the person cancelled."""
    s, a = service, actor
    title = ACTIONS[action][0].replace("&", "").rstrip("…")
    if action == "record_consent":
        answers = ["Given", "Refused"]
        step = _item(parent, title, "Consent to the step-down to Early Help:", answers)
        sharing = step and _item(parent, title, "Consent to sharing information with the centre:", answers)
        if not step or not sharing:
            return None
        return lambda d: s.record_consent(
            a, d.id, d.version, step_down=step.lower(), info_sharing=sharing.lower()
        )
    if action == "send":
        centres = list(s.config.centres)
        codes = [c.code for c in centres]
        name = _item(parent, 
            title,
            "Receiving team:",
            [c.name for c in centres],
            codes.index(current.centre_code)
            if current and current.centre_code in codes
            else 0,
        )
        needs = name and _text(parent, 
            title, "What the family needs help with:", current.needs if current else ""
        )
        if not name or needs is None:
            return None
        code = centres[[c.name for c in centres].index(name)].code
        return lambda d: s.send(a, d.id, d.version, centre=code, needs=needs)
    if action == "accept":
        return lambda d: s.accept(a, d.id, d.version)
    if action == "decline":
        reason = _text(parent, title, "Why is the step-down declined?")
        return None if reason is None else (lambda d: s.decline(a, d.id, d.version, reason=reason))
    if action == "allocate":
        worker = _text(parent, 
            title,
            "Early Help worker:",
            (current.allocated_worker or "") if current else "",
            multiline=False,
        )
        return None if worker is None else (lambda d: s.allocate(a, d.id, d.version, worker=worker))
    if action == "first_contact":
        now = s.ctx.now().astimezone(LONDON)
        when = _text(parent, title, "When (dd/mm/yyyy hh:mm):", f"{now:%d/%m/%Y %H:%M}", multiline=False)
        if when is None:
            return None
        try:
            at = datetime.strptime(when.strip(), "%d/%m/%Y %H:%M").replace(tzinfo=LONDON)
        except ValueError:
            QMessageBox.warning(parent, title, "When: give a date and time such as 27/11/2026 14:30")
            return None
        note = _text(parent, title, "How did the first contact go?")
        return (
            None
            if note is None
            else (lambda d: s.record_first_contact(a, d.id, d.version, at=at, note=note))
        )
    if action == "review":
        note = _text(parent, title, "Summary of the review:")
        return None if note is None else (lambda d: s.record_review(a, d.id, d.version, note=note))
    if action == "close":
        labels = list(CLOSURE_REASONS.values())
        reason = _item(parent, title, "Why is the step-down closed?", labels)
        if reason is None:
            return None
        code = list(CLOSURE_REASONS)[labels.index(reason)]
        return lambda d: s.close(a, d.id, d.version, reason=code)
    if action == "decide_refusal":
        choice = _item(parent, 
            title,
            "The family refused consent. What next?",
            ["Ask the family again", "Close: no further action"],
        )
        if choice is None:
            return None
        return lambda d: s.decide_refusal(a, d.id, d.version, ask_again=choice.startswith("Ask"))
    if action == "step_up":
        reason = _text(parent, 
            title, "Why does the family need the MASH now? (the concern of the new contact)"
        )
        return None if reason is None else (lambda d: s.step_up(a, d.id, d.version, reason=reason))
    raise KeyError(action)
