"""The Atlas team's work from the meeting's agenda: a marker on a child of the chosen item (Ctrl+Shift+K), and
the review of its markers (Ctrl+Shift+R): a new review date and level, or the marker ended."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton

from mashdesk.errors import MashDeskError
from ui.meeting.marker_dialog import MarkerDialog, ReviewDialog

if TYPE_CHECKING:
    from ui.meeting.view import MeetingView


def buttons(view: MeetingView) -> tuple[QPushButton, QPushButton]:
    add = QPushButton("Atlas mar&ker…")
    add.setToolTip("The Atlas team: put a marker on a child of the chosen item (Ctrl+Shift+K)")
    add.setAccessibleName("Add an Atlas marker to a child of the chosen item")
    add.clicked.connect(view.add_marker)
    QShortcut(QKeySequence("Ctrl+Shift+K"), view, activated=view.add_marker)
    review = QPushButton("Re&view markers…")
    review.setToolTip("The Atlas team: review or end the markers of the chosen item's children (Ctrl+Shift+R)")
    review.setAccessibleName("Review the Atlas markers of the chosen item's children")
    review.clicked.connect(view.review_markers)
    QShortcut(QKeySequence("Ctrl+Shift+R"), view, activated=view.review_markers)
    return add, review


def add_marker(view: MeetingView) -> None:
    item = view.chosen()
    if item is None or not item.person_ids or not view.actor.may("atlas.manage"):
        return
    dlg = MarkerDialog(view.atlas.names(view.actor, list(item.person_ids)), view.service.today(), view)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return
    try:
        view.atlas.add(view.actor, dlg.value())
    except MashDeskError as exc:
        QMessageBox.warning(view, "Marker not added", str(exc))
        return
    view.refresh()
    view.message.setText(f"Atlas marker added to {dlg.person.currentText()}.")


def review_markers(view: MeetingView) -> None:
    item = view.chosen()
    if item is None or not item.person_ids or not view.actor.may("atlas.manage"):
        return
    names = dict(view.atlas.names(view.actor, list(item.person_ids)))
    markers = [(names.get(pid, ""), m) for pid in item.person_ids for m in view.atlas.markers(view.actor, pid)]
    if not markers:
        return
    dlg = ReviewDialog(markers, view.service.today(), view)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return
    marker = dlg.marker.currentData()
    try:
        if dlg.end.isChecked():
            view.atlas.end(view.actor, marker.id, marker.version)
            said = "ended"
        else:
            view.atlas.review(view.actor, marker.id, marker.version, review_on=dlg.review_on(),
                              level=dlg.level.currentData())
            said = "reviewed"
    except MashDeskError as exc:
        QMessageBox.warning(view, "Marker not changed", str(exc))
        return
    view.refresh()
    view.message.setText(f"Atlas marker {said}: {dlg.marker.currentText()}.")
