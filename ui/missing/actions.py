"""The Missing view's actions: button text, shortcut, description, and the form each asks with."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from mashdesk.context import Actor
from mashdesk.missing.service import FREE_UPDATES, MissingService
from mashdesk.missing.views import MissingDetail, ReturnInput
from mashdesk.missing.workflow import HARMED, RHI_ANSWERS
from ui.widgets.step_form import StepForm, combo, line_edit, text_edit, when_edit

#: action → (button text, shortcut, description).
ACTIONS: dict[str, tuple[str, str, str]] = {
    "add_update": ("&Update…", "Ctrl+U", "Add an update: a sighting, a police update or a note"),
    "returned": ("Found / &returned…", "Ctrl+R", "Record that the child is found or has returned"),
    "escalate": ("&Escalate…", "Ctrl+E", "Record the escalation to a senior manager"),
    "convene": ("Convene &strategy", "Ctrl+Shift+D", "Convene the strategy discussion, linked to this episode"),
    "make_contact": ("Make &contact", "Ctrl+M", "Make a contact in the MASH queue from this episode"),
    "rhi_offer": ("&Offer interview", "Ctrl+I", "Record that the return home interview was offered"),
    "rhi_answer": ("Interview a&nswer…", "Ctrl+Shift+I", "Record whether the interview was accepted or declined"),
    "rhi_done": ("Interview &done…", "Ctrl+D", "Record the interview as done, with its findings"),
}


def filled(edit: QLineEdit, text: str) -> QLineEdit:
    edit.setText(text)
    return edit


def ask(parent: QWidget, service: MissingService, actor: Actor, d: MissingDetail, action: str) -> Any:
    """Ask for what ``action`` needs and run it; returns what the service returned, or None if cancelled."""
    ident, version, now = d.row.id, d.row.version, service.ctx.now()
    forms: dict[str, Callable[[], StepForm]] = {
        "add_update": lambda: StepForm("Add an update", [
            ("kind", "&Kind", combo("Kind of update", {k: v.capitalize() for k, v in FREE_UPDATES.items()})),
            ("happened_at", "&When", when_edit("When it happened", now)),
            ("text", "&What *", text_edit("What happened"))],
            lambda v: service.add_update(actor, ident, version, v["kind"], v["text"], v["happened_at"]), parent),
        "returned": lambda: StepForm("Found or returned", [
            ("returned_at", "&When *", when_edit("When found or returned", now)),
            ("where", "W&here *", line_edit("Where found or returned to")),
            ("by_whom", "&By whom *", line_edit("Found or returned by")),
            ("harmed", "Har&med?", combo("Was the child harmed", {"unknown": "Not known", **{
                k: v for k, v in HARMED.items() if k != "unknown"}})),
            ("harm_notes", "&Notes", text_edit("Notes on harm"))],
            lambda v: service.returned(actor, ident, version, ReturnInput(
                v["returned_at"], v["where"], v["by_whom"], v["harmed"], v["harm_notes"])), parent),
        "escalate": lambda: StepForm("Escalate to a senior manager", [
            ("told", "&Who was told *", line_edit("Senior manager told", "name and role")),
            ("escalated_at", "W&hen", when_edit("When they were told", now))],
            lambda v: service.escalate(actor, ident, version, v["told"], v["escalated_at"]), parent),
        "rhi_offer": lambda: StepForm("Return home interview offered", [
            ("offered_at", "&When offered", when_edit("When the interview was offered", now))],
            lambda v: service.rhi_offer(actor, ident, version, v["offered_at"]), parent),
        "rhi_answer": lambda: StepForm("The child's answer", [
            ("answer", "&Answer", combo("Accepted or declined", RHI_ANSWERS)),
            ("note", "&Note", line_edit("Note"))],
            lambda v: service.rhi_answer(actor, ident, version, v["answer"], v["note"]), parent),
        "rhi_done": lambda: StepForm("Return home interview done", [
            ("done_at", "&When", when_edit("When the interview was done", now)),
            ("done_by", "&By *", filled(line_edit("Who did the interview"), actor.display_name)),
            ("findings", "&Findings *", text_edit("What the interview found"))],
            lambda v: service.rhi_done(actor, ident, version, v["done_by"], v["findings"], v["done_at"]), parent),
    }
    if action == "convene":
        reason, ok = QInputDialog.getText(parent, "Convene a strategy discussion",
                                          "Why (leave empty to say the child is missing):")
        return service.convene(actor, ident, version, reason) if ok else None
    if action == "make_contact":
        return service.make_contact(actor, ident, version)
    form = forms[action]()
    return form.result_value if form.exec() else None
