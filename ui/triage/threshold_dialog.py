"""The threshold panel and the decision: indicators by domain, the live suggestion, one decision per child."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mashdesk import codes
from mashdesk.errors import InputError
from mashdesk.context import Actor
from mashdesk.triage.service import TriageService
from mashdesk.triage.views import ChildDecisionInput, ChildFacts, ThresholdInput
from rules import Ruleset, TriageResult
from ui.keys import ReturnDoesNotSubmit

HOUSEHOLD = 0
RAG_CSS = {"red": "#c62828", "amber": "#ef8f00", "green": "#2e7d32"}


class _ChildDecision:
    """The decision widgets for one child."""

    def __init__(self, facts: ChildFacts, rules: Ruleset) -> None:
        self.facts = facts
        self.level = QComboBox()
        self.level.setAccessibleName(f"Level decided for {facts.name}")
        for number, level in rules.levels.items():
            self.level.addItem(f"{number} {level.name}", number)
        self.outcome = QComboBox()
        self.outcome.setAccessibleName(f"Outcome decided for {facts.name}")
        for outcome in rules.outcomes:
            self.outcome.addItem(codes.OUTCOMES.get(outcome, outcome), outcome)
        self.need = QComboBox()
        self.need.setAccessibleName(f"CIN primary need for {facts.name}")
        for code, label in codes.PRIMARY_NEEDS.items():
            self.need.addItem(f"{code} {label}", code)
        self.reason = QLineEdit(placeholderText="why the decision differs from the suggestion")
        self.reason.setAccessibleName(f"Override reason for {facts.name}")
        self.rationale = QLineEdit(placeholderText="the decision in a sentence")
        self.rationale.setAccessibleName(f"Rationale for {facts.name}")
        self.suggested: tuple[int, str] | None = None
        self.level.currentIndexChanged.connect(self._differs)
        self.outcome.currentIndexChanged.connect(self._differs)

    def follow(self, level: int, outcome: str) -> None:
        """Take the new suggestion unless the practitioner already chose otherwise."""
        was = self.suggested
        self.suggested = (level, outcome)
        if was is None or (self.level.currentData(), self.outcome.currentData()) == was:
            self.level.setCurrentIndex(self.level.findData(level))
            self.outcome.setCurrentIndex(self.outcome.findData(outcome))
            if level == 1 and self.need.currentData() == "N1":
                self.need.setCurrentIndex(self.need.findData("N9"))
        self._differs()

    def _differs(self) -> None:
        differs = self.suggested is not None and (self.level.currentData(), self.outcome.currentData()) != self.suggested
        self.reason.setEnabled(differs)

    def value(self) -> ChildDecisionInput:
        return ChildDecisionInput(
            person_id=self.facts.person_id, level=self.level.currentData(), outcome=self.outcome.currentData(),
            primary_need=self.need.currentData(), rationale=self.rationale.text(),
            override_reason=self.reason.text() if self.reason.isEnabled() else None)


class ThresholdDialog(ReturnDoesNotSubmit):
    """Apply the Threshold of Need and propose the decision. Emits ``suggested`` after each update."""

    suggested = Signal(object)

    def __init__(self, service: TriageService, actor: Actor, contact_id: int, version: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Threshold of Need and decision")
        self.setObjectName("thresholdDialog")
        self.resize(1150, 760)
        self._service, self._actor, self._contact, self._version = service, actor, contact_id, version
        self.children = service.child_facts(actor, contact_id)
        self.rules = service.ruleset_for(actor, contact_id)  # the version in force when it was received
        self.result: TriageResult | None = None
        self.chosen: dict[int, set[str]] = {HOUSEHOLD: set(), **{c.person_id: set() for c in self.children}}
        previous = service.latest_assessments(actor, contact_id)
        for child in self.children:
            if child.person_id in previous:
                self.chosen[child.person_id] = set(previous[child.person_id].indicators)
                self.chosen[HOUSEHOLD] |= set(previous[child.person_id].household_indicators)

        self.target = QComboBox()
        self.target.setAccessibleName("Record indicators for")
        self.target.addItem("The household (applies to every child it fits)", HOUSEHOLD)
        for child in self.children:
            self.target.addItem(f"{child.name} — {_age_text(child)}", child.person_id)
        if self.children:
            self.target.setCurrentIndex(1)
        self.search = QLineEdit(placeholderText="Type to find an indicator (e.g. missing, bruise, domestic)")
        self.search.setAccessibleName("Find an indicator")
        self.search.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("indicatorTree")
        self.tree.setAccessibleName("Indicators by domain: Space ticks one")
        self.tree.setHeaderLabels(["Indicator", "Level"])
        self.tree.setColumnWidth(0, 430)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._fill_tree()

        self.suggestion = QTextBrowser()
        self.suggestion.setObjectName("thresholdSuggestion")
        self.suggestion.setAccessibleName("The ruleset's suggestion and its reasons")
        self.facts = QLabel(_facts_text(self.children))
        self.facts.setWordWrap(True)

        self.decisions = [_ChildDecision(c, self.rules) for c in self.children]
        decision_box = QGroupBox("Decision (one per child) — Ctrl+Enter proposes it for authorisation")
        grid = QGridLayout(decision_box)
        for col, head in enumerate(("Child", "Level", "Outcome", "Primary need", "Override reason", "Rationale")):
            grid.addWidget(QLabel(f"<b>{head}</b>"), 0, col)
        for row, d in enumerate(self.decisions, start=1):
            grid.addWidget(QLabel(d.facts.name), row, 0)
            for col, w in enumerate((d.level, d.outcome, d.need, d.reason, d.rationale), start=1):
                grid.addWidget(w, row, col)
        self.error = QLabel()
        self.error.setObjectName("thresholdError")
        self.error.setStyleSheet("color: #c62828; font-weight: bold")
        self.error.setWordWrap(True)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.target)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.tree, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.facts)
        right_layout.addWidget(self.suggestion, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([560, 560])
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Propose decision (Ctrl+Enter)")
        self.buttons.accepted.connect(self.propose)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(decision_box)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        order = [self.target, self.search, self.tree]
        for d in self.decisions:
            order += [d.level, d.outcome, d.need, d.reason, d.rationale]
        for a, b in zip(order, order[1:], strict=False):
            self.setTabOrder(a, b)

        self.target.currentIndexChanged.connect(self._show_target)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._to_first_match)
        self.tree.itemChanged.connect(self._ticked)
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(seq), self, activated=self.propose)
        self._show_target()
        self.search.setFocus()

    # -- indicators -----------------------------------------------------------------------------
    def _fill_tree(self) -> None:
        rules = self.rules
        domains: dict[str, QTreeWidgetItem] = {}
        for code, title in rules.domains.items():
            domains[code] = QTreeWidgetItem(self.tree, [title])
            domains[code].setFlags(Qt.ItemFlag.ItemIsEnabled)
            domains[code].setExpanded(True)
        for indicator in rules.indicators.values():
            item = QTreeWidgetItem(domains[indicator.domain], [indicator.description, str(indicator.level)])
            item.setData(0, Qt.ItemDataRole.UserRole, indicator.id)
            item.setToolTip(0, indicator.label)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Unchecked)
            self._items[indicator.id] = item

    def _show_target(self) -> None:
        target = self.target.currentData()
        household = self.rules.household_indicators
        self.tree.blockSignals(True)
        for ident, item in self._items.items():
            item.setCheckState(0, Qt.CheckState.Checked if ident in self.chosen[target] else Qt.CheckState.Unchecked)
            item.setHidden(target == HOUSEHOLD and ident not in household)
        self.tree.blockSignals(False)
        self._filter()
        self.update_suggestion()

    def _filter(self) -> None:
        words = self.search.text().lower().split()
        household = self.rules.household_indicators
        for ident, item in self._items.items():
            text = f"{item.text(0)} {ident}".lower()
            fits_target = self.target.currentData() != HOUSEHOLD or ident in household
            item.setHidden(not fits_target or not all(w in text for w in words))

    def _to_first_match(self) -> None:
        for item in self._items.values():
            if not item.isHidden():
                self.tree.setCurrentItem(item)
                self.tree.setFocus()
                return

    def _ticked(self, item: QTreeWidgetItem) -> None:
        ident = item.data(0, Qt.ItemDataRole.UserRole)
        if ident is None:
            return
        chosen = self.chosen[self.target.currentData()]
        if item.checkState(0) == Qt.CheckState.Checked:
            chosen.add(ident)
        else:
            chosen.discard(ident)
        self.update_suggestion()

    def data(self) -> ThresholdInput:
        return ThresholdInput(household=tuple(sorted(self.chosen[HOUSEHOLD])),
                              children={c.person_id: tuple(sorted(self.chosen[c.person_id])) for c in self.children})

    # -- the suggestion ---------------------------------------------------------------------------
    def update_suggestion(self) -> None:
        try:
            self.result = self._service.preview(self._actor, self._contact, self.data())
        except InputError as exc:
            self.result = None
            self.suggestion.setHtml(f"<p style='color:#c62828'><b>{exc}</b></p><p>Untick the indicator that "
                                    "does not fit this child.</p>")
            self.suggested.emit(None)
            return
        names = {str(c.person_id): c.name for c in self.children}
        parts = []
        for child, widgets in zip(self.result.children, self.decisions, strict=True):
            widgets.follow(child.level, child.outcome)
            flags = ", ".join(child.flags) or "none"
            parts.append(
                f"<h3>{names[child.ref]}: level {child.level} — {codes.OUTCOMES[child.outcome]} "
                f"<span style='color:{RAG_CSS[child.rag]}'>{child.rag.upper()}</span></h3>"
                f"<p>Flags: {flags}</p><ul>" + "".join(f"<li>{r}</li>" for r in child.reasons) + "</ul>")
        parts.append(f"<p style='color:#555'>Ruleset {self.result.ruleset_id} {self.result.ruleset_version}</p>")
        self.suggestion.setHtml("".join(parts))
        self.suggested.emit(self.result)

    # -- proposing ----------------------------------------------------------------------------------
    def propose(self) -> None:
        try:
            self._service.assess(self._actor, self._contact, self.data())
            self._service.propose(self._actor, self._contact, self._version,
                                  [d.value() for d in self.decisions])
        except InputError as exc:
            self.error.setText(str(exc)[:1].upper() + str(exc)[1:])
            field = exc.field or ""
            for d in self.decisions:
                if field == "override_reason" and d.reason.isEnabled() and not d.reason.text().strip():
                    d.reason.setFocus()
                    break
            return
        self.accept()


def _age_text(child: ChildFacts) -> str:
    if child.date_of_birth:
        return f"born {child.date_of_birth:%d %b %Y}"
    if child.expected_date_of_birth:
        return f"unborn, due {child.expected_date_of_birth:%d %b %Y}"
    return "date of birth not known"


def _facts_text(children: list[ChildFacts]) -> str:
    lines = []
    for c in children:
        bits = [f"{c.previous_contacts_12m} previous contact(s) and {c.previous_referrals_12m} referral(s) "
                "in 12 months"]
        if c.disabled:
            bits.append("disabled")
        if c.previous_cp_plan:
            bits.append("has had a child protection plan")
        lines.append(f"<b>{c.name}</b>: " + "; ".join(bits))
    return "From the record — " + "<br>".join(lines)

