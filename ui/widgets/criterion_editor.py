"""Edit one criterion of the draft in place: label, value, points, axis, knock-out,
decision and rationale; its evidence below. Reports each change by ``edited``."""

from __future__ import annotations

import html

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QSpinBox, QTextBrowser,
    QVBoxLayout, QWidget,
)

from alignwork.definition.criteria import ATTRIBUTES, Criterion
from alignwork.synthesis.ranges import Range, parse_range
from ui.widgets.labels import PROBLEM_COLOUR, counted, sentence

DECISIONS = ("open", "accepted", "edited", "rejected")
OPERATOR_WORDS = {"in": "is one of", "not_in": "is not one of", "between": "is between", "equals": "equals",
                  "contains": "contains", "gte": "is at least", "lte": "is at most"}


def value_text(criterion: Criterion) -> str:
    """A criterion's value as the facilitator types it."""
    value = criterion.value
    if criterion.operator in ("in", "not_in"):
        return ", ".join(str(item) for item in value or [])
    if criterion.operator == "between" and isinstance(value, dict):
        unit = "usd" if criterion.attribute == "revenue_usd" else "employees"
        return Range(value.get("min"), value.get("max")).describe(unit)
    return "" if value is None else str(value)


def parse_value(criterion: Criterion, text: str):
    """The typed text as the criterion's value; ValueError with a plain message if it cannot be."""
    text = text.strip()
    if criterion.operator in ("in", "not_in"):
        items = [item.strip() for item in text.split(",") if item.strip()]
        if not items:
            raise ValueError("list at least one value, separated by commas")
        return items
    if criterion.operator == "between":
        unit = "usd" if criterion.attribute == "revenue_usd" else "employees"
        parsed = parse_range(text, unit)
        if parsed is None:
            raise ValueError("write a range such as 200-2000, 5k+ or under 50")
        return {"min": parsed.low, "max": parsed.high}
    if criterion.operator in ("gte", "lte"):
        try:
            return int(text.replace(",", ""))
        except ValueError:
            raise ValueError("write a whole number") from None
    return text


class CriterionEditor(QWidget):
    edited = Signal(object)  # the changed Criterion

    def __init__(self, parent=None):
        super().__init__(parent)
        self.criterion: Criterion | None = None
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.label = QLineEdit()
        self.rule = QLabel()
        self.rule.setWordWrap(True)
        self.value = QLineEdit()
        self.value_error = QLabel()
        self.value_error.setStyleSheet(f"color: {PROBLEM_COLOUR};")
        self.value_error.hide()
        points_row = QHBoxLayout()
        self.points = QSpinBox()
        self.points.setRange(-100, 100)
        self.axis = QComboBox()
        self.axis.addItems(["fit", "intent"])
        self.knockout = QCheckBox("Knock-out")
        self.knockout.setToolTip("A knock-out removes the lead outright, whatever its score")
        points_row.addWidget(self.points)
        points_row.addWidget(self.axis)
        points_row.addWidget(self.knockout)
        points_row.addStretch(1)
        self.decision = QComboBox()
        self.decision.addItems(DECISIONS)
        self.rationale = QPlainTextEdit()
        self.rationale.setPlaceholderText("Why this decision? Sales will read it.")
        self.rationale.setMaximumHeight(72)
        for widget, name in ((self.label, "Criterion label"), (self.value, "Criterion value"),
                             (self.points, "Points"), (self.axis, "Axis"), (self.knockout, "Knock-out"),
                             (self.decision, "Decision"), (self.rationale, "Rationale")):
            widget.setAccessibleName(name)
        form.addRow("Label", self.label)
        form.addRow("Rule", self.rule)
        form.addRow("Value", self.value)
        form.addRow("", self.value_error)
        form.addRow("Points", points_row)
        form.addRow("Decision", self.decision)
        form.addRow("Rationale", self.rationale)
        layout.addLayout(form)
        self.evidence = QTextBrowser()
        self.evidence.setAccessibleName("Evidence")
        self.evidence.setOpenLinks(False)
        layout.addWidget(self.evidence, 1)
        self._text_timer = QTimer(self, singleShot=True, interval=500, timeout=self._commit_text)
        self.label.textEdited.connect(lambda _t: self._text_timer.start())
        self.label.editingFinished.connect(self._commit_text)
        self.value.editingFinished.connect(self._commit_value)
        self.rationale.textChanged.connect(lambda: None if self._loading else self._text_timer.start())
        self.points.valueChanged.connect(lambda v: self._set("points", v))
        self.axis.currentTextChanged.connect(lambda v: self._set("axis", v))
        self.knockout.toggled.connect(lambda v: self._set("knockout", v))
        self.decision.currentTextChanged.connect(lambda v: self._set("decision", v))
        self.show_criterion(None)

    def show_criterion(self, criterion: Criterion | None, *, read_only: bool = False) -> None:
        if self._text_timer.isActive():
            self._commit_text()  # typing not yet reported belongs to the criterion shown so far
        self.criterion = criterion.model_copy(deep=True) if criterion else None
        self._loading = True
        try:
            editors = (self.label, self.value, self.points, self.axis, self.knockout, self.decision, self.rationale)
            for widget in editors:
                widget.setEnabled(criterion is not None and not read_only)
            self.value_error.hide()
            if criterion is None:
                self.heading.setText("Select a criterion on the left to see its evidence and decide on it.")
                for line in (self.label, self.value):
                    line.clear()
                self.rationale.clear()
                self.rule.clear()
                self.evidence.clear()
                return
            scored = bool(criterion.attribute and criterion.operator)
            self.heading.setText(f"<b>{html.escape(criterion.label)}</b><br>"
                                 f"{counted(criterion.support, 'rep')}, {criterion.share * 100:.0f}% · "
                                 f"{criterion.consensus or 'added by hand'}")
            self.label.setText(criterion.label)
            self.rule.setText(f"{criterion.attribute} {OPERATOR_WORDS.get(criterion.operator, '')} …"
                              if scored else "Descriptive: shown in the documents, applied by people, not scored")
            self.rule.setToolTip(ATTRIBUTES.get(criterion.attribute or "", ""))
            self.value.setText(value_text(criterion))
            self.value.setEnabled(scored and not read_only)
            self.points.setValue(criterion.points)
            self.points.setEnabled(scored and not read_only and not criterion.knockout)
            self.axis.setCurrentText(criterion.axis)
            self.knockout.setChecked(criterion.knockout)
            self.decision.setCurrentText(criterion.decision)
            self.rationale.setPlainText(criterion.rationale)
            self.evidence.setHtml(evidence_html(criterion))
        finally:
            self._loading = False

    def _set(self, name: str, value) -> None:
        if self._loading or self.criterion is None or getattr(self.criterion, name) == value:
            return
        setattr(self.criterion, name, value)
        if name == "knockout":
            self.points.setEnabled(not value and bool(self.criterion.attribute))
        self.edited.emit(self.criterion.model_copy(deep=True))

    def _commit_text(self) -> None:
        self._text_timer.stop()
        if self._loading or self.criterion is None:
            return
        label = " ".join(self.label.text().split())
        changed = False
        if label and label != self.criterion.label:
            self.criterion.label, changed = label, True
        rationale = self.rationale.toPlainText().strip()
        if rationale != self.criterion.rationale:
            self.criterion.rationale, changed = rationale, True
        if changed:
            self.edited.emit(self.criterion.model_copy(deep=True))

    def _commit_value(self) -> None:
        if self._loading or self.criterion is None or not self.value.isEnabled():
            return
        try:
            value = parse_value(self.criterion, self.value.text())
        except ValueError as error:
            self.value_error.setText(sentence(error))
            self.value_error.show()
            return
        self.value_error.hide()
        if value != self.criterion.value:
            self.criterion.value = value
            self.edited.emit(self.criterion.model_copy(deep=True))


def evidence_html(criterion: Criterion) -> str:
    evidence = criterion.evidence
    parts = ["<b>Evidence</b>"]
    if evidence.participants:
        parts.append(f"<p>Supported by: {html.escape(', '.join(evidence.participants))}</p>")
    if evidence.answers:
        parts.append("<p>Said as: " + ", ".join(f"“{html.escape(a)}”" for a in evidence.answers[:30]) + "</p>")
    for quote in evidence.quotes:
        parts.append(f"<blockquote>“{html.escape(quote)}”</blockquote>")
    if len(parts) == 1:
        parts.append("<p>No interview evidence: this criterion was added or changed by hand.</p>")
    return "".join(parts)
