"""Small dialogs of the triage workflow: screening, allocation, agency checks, answers, returning."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from mashdesk import codes


class _Dialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)

    def row(self, label: str, widget: QWidget) -> None:
        caption = QLabel(label)
        caption.setBuddy(widget)
        self.form.addRow(caption, widget)


def workers_combo(workers: list[tuple[int, str]], blank: str) -> QComboBox:
    combo = QComboBox()
    combo.addItem(blank, None)
    for user_id, name in workers:
        combo.addItem(name, user_id)
    return combo


class ScreenDialog(_Dialog):
    """RAG with the ruleset's suggestion preselected; a different RAG needs a reason."""

    def __init__(self, suggested: str, workers: list[tuple[int, str]], parent: QWidget | None = None) -> None:
        super().__init__("Screen the contact", parent)
        self.suggested = suggested
        self.rag = QComboBox()
        self.rag.setAccessibleName("RAG rating")
        for rag in codes.RAG:
            self.rag.addItem(rag.upper() + (" (suggested)" if rag == suggested else ""), rag)
        self.rag.setCurrentIndex(codes.RAG.index(suggested))
        self.reason = QLineEdit(placeholderText="needed when the RAG is not the suggestion")
        self.reason.setAccessibleName("Reason for a different RAG")
        self.allocate = workers_combo(workers, "Leave for 'take next'")
        self.allocate.setAccessibleName("Allocate to")
        self.row("&RAG:", self.rag)
        self.row("R&eason:", self.reason)
        self.row("&Allocate to:", self.allocate)
        self.rag.setFocus()


class AllocateDialog(_Dialog):
    def __init__(self, workers: list[tuple[int, str]], parent: QWidget | None = None) -> None:
        super().__init__("Allocate the contact", parent)
        self.worker = workers_combo(workers, "Choose a worker")
        self.worker.setAccessibleName("Allocate to")
        self.row("&Allocate to:", self.worker)


class ChecksDialog(_Dialog):
    """Choose the partner agencies to ask, and what to ask them."""

    DEFAULT = ("police", "health", "education")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Request agency checks", parent)
        self.boxes: dict[str, QCheckBox] = {}
        for code, (name, _, checks) in codes.AGENCIES.items():
            if checks:
                box = QCheckBox(name)
                box.setChecked(code in self.DEFAULT)
                self.boxes[code] = box
                self.form.addRow(box)
        self.question = QLineEdit(placeholderText="Please share what your agency holds on the family.")
        self.question.setAccessibleName("Question to the agencies")
        self.row("&Question:", self.question)

    def agencies(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.isChecked()]


class AnswerDialog(_Dialog):
    """An agency officer's answer, optionally restricted to their own agency."""

    def __init__(self, agency: str, question: str | None, parent: QWidget | None = None) -> None:
        super().__init__(f"Answer for {agency}", parent)
        self.form.addRow(QLabel(question or "What does your agency hold?"))
        self.response = QPlainTextEdit()
        self.response.setAccessibleName("Your agency's answer")
        self.response.setTabChangesFocus(True)
        self.restricted = QCheckBox(f"&Restricted to {agency}: others see only that an answer exists")
        self.row("&Answer:", self.response)
        self.form.addRow(self.restricted)


class CommentDialog(_Dialog):
    def __init__(self, title: str, prompt: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.comment = QPlainTextEdit()
        self.comment.setAccessibleName(prompt)
        self.comment.setTabChangesFocus(True)
        self.row(prompt, self.comment)
