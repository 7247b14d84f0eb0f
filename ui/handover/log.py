"""The EDT's log in the handover view: the entry form, its autosaved draft, saving and completing entries."""

from __future__ import annotations

from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QMessageBox

from mashdesk.errors import MashDeskError
from ui.formatting import local_time


class EdtLogMixin:
    """What the EDT does in :class:`~ui.handover.view.HandoverView`; the view provides the widgets and service."""

    def _offer_draft(self) -> None:
        """Once, when the log is first shown: offer back a new entry left unsaved (after a crash)."""
        if not self.log_mode or self._offered or self.form is None or self.autosaver is None:
            return
        self._offered = True
        draft = self.autosaver.offer()
        self.start_new_entry()
        if draft is None:
            return
        answer = QMessageBox.question(self, "Unsaved entry", "An entry you were typing at "
                                      f"{local_time(draft.saved_at)} was not saved. Restore it?")
        if answer == QMessageBox.StandardButton.Yes:
            self.form.load_payload(draft.payload)
            self.autosaver.key = str(self.form.entry_id) if self.form.entry_id else "new"
        else:
            self.autosaver.finish()

    def start_new_entry(self) -> None:
        if self.form is None or self.autosaver is None:
            return
        self.form.new_entry(self.service.ctx.now())
        self.autosaver.key = "new"
        self.form.call_at.setFocus()

    def _form_changed(self) -> None:
        self._autosave.start()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        if self.autosaver is not None and self._autosave.isActive():
            self._autosave.stop()
            self.autosaver.save_now()
        super().hideEvent(event)

    def save_form(self) -> None:
        if self.form is None or self.autosaver is None:
            return
        data = self.form.entry_input()
        try:
            if self.form.entry_id is None:
                entry_id = self.service.add_entry(self.actor, data)
            else:
                entry_id = self.form.entry_id
                self.service.update_entry(self.actor, entry_id, self.form.version or 0, data)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot save the entry", str(exc))
            return
        self._autosave.stop()
        self.autosaver.finish()
        self.message.setText(f"Entry {entry_id} saved")
        self.refresh()
        self._select(entry_id)
        self.start_new_entry()

    def complete_entry(self) -> None:
        item = self.current_item()
        if item is None or not item.editable:
            return
        if self._act("Cannot complete the entry",
                     lambda: self.service.complete_entry(self.actor, item.id, item.version)) is not None:
            self.message.setText(f"Entry {item.id} completed")
            self.refresh()

    def _select(self, entry_id: int) -> None:
        for r, item in enumerate(self.items):
            if item.id == entry_id:
                self.table.selectRow(r)

    def edit_current(self) -> None:
        """Load the current item into the form while it can still be edited (Enter on the list)."""
        item = self.current_item()
        if self.form is None or self.autosaver is None or item is None:
            return
        if not item.editable:
            self.message.setText("That entry was handed over: it is read-only; append a note instead (Ctrl+E)")
            return
        self.form.load_item(item)
        self.autosaver.key = str(item.id)
        self.form.reported.setFocus()
