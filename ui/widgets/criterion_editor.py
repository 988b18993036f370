"""Edit one criterion of the draft in place: label, its conditions (field, operator, value,
joined by all/any — inline, no dialog), a knock-out's company list, points, axis, knock-out,
decision and rationale; below, how many leads of the last back-tested file it hits with three
of them (computed off the GUI thread, refreshed as the rule is edited), then its evidence.
Reports each change by ``edited``."""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
    QScrollArea, QSpinBox, QTextBrowser, QToolButton, QVBoxLayout, QWidget,
)

from alignwork.definition import knockouts
from alignwork.definition.compare import CONDITION_WORDS, describe_rule
from alignwork.definition.criteria import LIST_OPERATORS, NO_VALUE_OPERATORS, Condition, Criterion
from alignwork.definition.vocabulary import FIELD_WORDS, FIELDS, NUMERIC_FIELDS
from alignwork.synthesis.ranges import Range, parse_range
from alignwork_gui.widgets.labels import PROBLEM_COLOUR, counted, sentence

DECISIONS = ("open", "accepted", "edited", "rejected")
MATCH_WORDS = {"all": "all of these conditions", "any": "any of these conditions"}


def condition_text(condition: Condition) -> str:
    """A condition's value as the facilitator types it."""
    value = condition.value
    if condition.operator in NO_VALUE_OPERATORS:
        return ""
    if isinstance(value, list):
        if condition.field == "lead_source":
            from alignwork.synthesis.normalize import lead_source_kinds

            labels = lead_source_kinds()
            return ", ".join(labels.get(str(item), str(item)) for item in value)
        return ", ".join(str(item) for item in value)
    if condition.operator == "between" and isinstance(value, dict):
        unit = "usd" if condition.field == "revenue_usd" else "employees"
        return Range(value.get("min"), value.get("max")).describe(unit)
    return "" if value is None else str(value)


def parse_condition(field: str, operator: str, text: str) -> Condition:
    """What the facilitator typed as a Condition; ValueError with a plain message if it cannot be."""
    text = text.strip()
    if operator in NO_VALUE_OPERATORS:
        value = None
    elif operator in LIST_OPERATORS or operator == "is_any_of":
        value = [item.strip() for item in knockouts.split_entries(text)]
        if field == "lead_source":
            from alignwork.synthesis.normalize import lead_source_kind, lead_source_kinds

            known = lead_source_kinds()
            value = [item if item in known else (lead_source_kind(item) or item) for item in value]
    elif operator == "between":
        unit = "usd" if field == "revenue_usd" else "employees"
        parsed = parse_range(text, unit) if field in NUMERIC_FIELDS else None
        if parsed is None:
            raise ValueError("write a range such as 200-2000, 5k+ or under 50")
        value = {"min": parsed.low, "max": parsed.high}
    else:
        value = text
    try:
        return Condition(field=field, operator=operator, value=value)
    except ValueError as error:  # pydantic's ValidationError: the first message, in plain words
        errors = getattr(error, "errors", None)
        message = errors()[0]["msg"].removeprefix("Value error, ") if callable(errors) else str(error)
        raise ValueError(message) from None


class ConditionRow(QWidget):
    """One condition: field, operator, value, remove. ``changed`` when any of them is committed."""

    changed = Signal()
    removed = Signal(object)

    def __init__(self, condition: Condition, parent=None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        self.field = QComboBox()
        self.field.setEditable(True)  # any other column of the lead file, by its header
        self.field.setAccessibleName("Condition field")
        self.field.setToolTip("A lead field, or type the header of any other column of your lead file")
        for key, words in FIELD_WORDS.items():
            self.field.addItem(words, key)
            self.field.setItemData(self.field.count() - 1, FIELDS.get(key, ""), Qt.ItemDataRole.ToolTipRole)
        self.operator = QComboBox()
        self.operator.setAccessibleName("Condition operator")
        for key, words in CONDITION_WORDS.items():
            self.operator.addItem(words, key)
        self.value = QLineEdit()
        self.value.setAccessibleName("Condition value")
        self.value.setPlaceholderText("values, separated by commas")
        self.remove = QToolButton()
        self.remove.setText("✕")
        self.remove.setAccessibleName("Remove condition")
        self.remove.setToolTip("Remove this condition")
        for combo in (self.field, self.operator):  # narrow windows: the combos give way, the text elides
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)
        self.value.setMinimumWidth(60)
        row.addWidget(self.field, 2)
        row.addWidget(self.operator, 2)
        row.addWidget(self.value, 3)
        row.addWidget(self.remove)
        self.show_condition(condition)
        self.field.activated.connect(lambda _i: self.changed.emit())
        self.field.lineEdit().editingFinished.connect(self.changed.emit)
        self.operator.activated.connect(lambda _i: (self._value_state(), self.changed.emit()))
        self.value.editingFinished.connect(self.changed.emit)
        self.remove.clicked.connect(lambda: self.removed.emit(self))

    def show_condition(self, condition: Condition) -> None:
        index = self.field.findData(condition.field)
        if index >= 0:
            self.field.setCurrentIndex(index)
        else:
            self.field.setEditText(condition.field)
        self.operator.setCurrentIndex(max(0, self.operator.findData(condition.operator)))
        self.value.setText(condition_text(condition))
        self.value.setCursorPosition(0)  # a long list shows its first words
        self.value.setToolTip(condition_text(condition))
        self._value_state()

    def _value_state(self) -> None:
        self.value.setEnabled(self.operator.currentData() not in NO_VALUE_OPERATORS and self.isEnabled())

    def field_key(self) -> str:
        text = " ".join(self.field.currentText().split())
        by_words = {words: key for key, words in FIELD_WORDS.items()}
        return by_words.get(text, text if text not in FIELD_WORDS.values() else text)

    def condition(self) -> Condition:
        return parse_condition(self.field_key(), self.operator.currentData(), self.value.text())


class CriterionEditor(QWidget):
    edited = Signal(object)  # the changed Criterion

    def __init__(self, parent=None):
        super().__init__(parent)
        self.criterion: Criterion | None = None
        self._loading = False
        self._read_only = False
        self.rows: list[ConditionRow] = []
        self.hits_source = None  # () → (LeadTable, Mapping) | None: the last back-tested file
        self._hits_task = None
        self._hits_seq = 0
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # rows wrap or shrink instead
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        self._scroll, self._body = scroll, body
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.label = QLineEdit()
        match_row = QHBoxLayout()
        self.match = QComboBox()
        self.match.setAccessibleName("Conditions joined by")
        for key, words in MATCH_WORDS.items():
            self.match.addItem(words, key)
        self.add_button = QPushButton("Add condition")
        self.add_button.setAccessibleName("Add condition")
        self.add_button.clicked.connect(self._add_condition)
        self.match.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.match.setMinimumContentsLength(10)
        match_row.addWidget(QLabel("Matches"))
        match_row.addWidget(self.match, 1)
        self.conditions_box = QVBoxLayout()
        self.conditions_box.setSpacing(4)
        self.rule = QLabel()  # the rule in words, as the documents say it
        self.rule.setWordWrap(True)
        self.rule.setTextFormat(Qt.TextFormat.PlainText)  # user words as typed ("Retail & e-commerce")
        self.rule.setAccessibleName("Rule in words")
        self.value_error = QLabel()
        self.value_error.setStyleSheet(f"color: {PROBLEM_COLOUR};")
        self.value_error.setWordWrap(True)
        self.value_error.hide()
        self.company_caption = QLabel()
        self.company_caption.setWordWrap(True)
        self.company_list = QPlainTextEdit()
        self.company_list.setAccessibleName("Company names and domains")
        self.company_list.setPlaceholderText("Rivalsoft\nrivalsoft.com\nContoso Ltd, contoso.io")
        self.company_list.setMaximumHeight(84)
        self.sales_step = QLabel()
        self.sales_step.setWordWrap(True)
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
        for widget, name in ((self.label, "Criterion label"), (self.points, "Points"), (self.axis, "Axis"),
                             (self.knockout, "Knock-out"), (self.decision, "Decision"),
                             (self.rationale, "Rationale")):
            widget.setAccessibleName(name)
        conditions = QVBoxLayout()
        conditions.addLayout(match_row)
        conditions.addLayout(self.conditions_box)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_button)
        add_row.addStretch(1)
        conditions.addLayout(add_row)
        conditions.addWidget(self.value_error)
        conditions.addWidget(self.rule)
        form.addRow("Label", self.label)
        form.addRow("Rule", conditions)
        form.addRow("", self.company_caption)
        form.addRow("", self.company_list)
        form.addRow("", self.sales_step)
        form.addRow("Points", points_row)
        form.addRow("Decision", self.decision)
        form.addRow("Rationale", self.rationale)
        layout.addLayout(form)
        self.hits = QLabel()
        self.hits.setWordWrap(True)
        self.hits.setAccessibleName("Leads hit")
        self.hits.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.hits)
        self.evidence = QTextBrowser()
        self.evidence.setAccessibleName("Evidence")
        self.evidence.setOpenLinks(False)
        self.evidence.setMinimumHeight(120)
        layout.addWidget(self.evidence, 1)
        self._text_timer = QTimer(self, singleShot=True, interval=500, timeout=self._commit_text)
        self._list_timer = QTimer(self, singleShot=True, interval=600, timeout=self._commit_company_list)
        self._hits_timer = QTimer(self, singleShot=True, interval=250, timeout=self._refresh_hits)
        self.label.textEdited.connect(lambda _t: self._text_timer.start())
        self.label.editingFinished.connect(self._commit_text)
        self.rationale.textChanged.connect(lambda: None if self._loading else self._text_timer.start())
        self.company_list.textChanged.connect(lambda: None if self._loading else self._list_timer.start())
        self.match.activated.connect(lambda _i: self._commit_conditions())
        self.points.valueChanged.connect(lambda v: self._set("points", v))
        self.axis.currentTextChanged.connect(lambda v: self._set("axis", v))
        self.knockout.toggled.connect(lambda v: self._set("knockout", v))
        self.decision.currentTextChanged.connect(lambda v: self._set("decision", v))
        self.show_criterion(None)

    # the first condition's value box (what a one-condition rule is edited by)
    @property
    def value(self) -> QLineEdit:
        return self.rows[0].value if self.rows else QLineEdit()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        # as wide as the widest row needs: with no horizontal scroll bar, a narrower pane (the
        # splitter at 1024 px) would cut the condition rows and the rule in words off
        hint = super().minimumSizeHint()
        width = self._body.minimumSizeHint().width() + self._scroll.verticalScrollBar().sizeHint().width()
        return QSize(max(hint.width(), width), hint.height())

    def show_criterion(self, criterion: Criterion | None, *, read_only: bool = False) -> None:
        for timer, commit in ((self._text_timer, self._commit_text), (self._list_timer, self._commit_company_list)):
            if timer.isActive():
                commit()  # typing not yet reported belongs to the criterion shown so far
        self.criterion = criterion.model_copy(deep=True) if criterion else None
        self._read_only = read_only
        self._loading = True
        try:
            editors = (self.label, self.points, self.axis, self.knockout, self.decision, self.rationale, self.match,
                       self.add_button, self.company_list)
            for widget in editors:
                widget.setEnabled(criterion is not None and not read_only)
            self.value_error.hide()
            self._show_rows([] if criterion is None else criterion.conditions)
            if criterion is None:
                self.heading.setText("Select a criterion on the left to see its evidence and decide on it.")
                self.label.clear()
                self.rationale.clear()
                self.rule.clear()
                self.evidence.clear()
                self.hits.clear()
                for widget in (self.company_caption, self.company_list, self.sales_step):
                    widget.hide()
                return
            self.heading.setText(f"<b>{html.escape(criterion.label)}</b><br>"
                                 f"{counted(criterion.support, 'rep')}, {criterion.share * 100:.0f}% · "
                                 f"{criterion.consensus or 'added by hand'}")
            self.label.setText(criterion.label)
            self.match.setCurrentIndex(max(0, self.match.findData(criterion.match)))
            self._show_extras()
            self.points.setValue(criterion.points)
            self.points.setEnabled(not read_only and not criterion.knockout)
            self.axis.setCurrentText(criterion.axis)
            self.knockout.setChecked(criterion.knockout)
            self.decision.setCurrentText(criterion.decision)
            self.rationale.setPlainText(criterion.rationale)
            self.evidence.setHtml(evidence_html(criterion))
        finally:
            self._loading = False
        self._hits_timer.start()

    def _show_rows(self, conditions: list[Condition]) -> None:
        shown = [c for c in conditions if not (self.criterion and self.criterion.company_list
                                               and c.field in ("company", "email", "website"))]
        while len(self.rows) > len(shown):
            row = self.rows.pop()
            self.conditions_box.removeWidget(row)
            row.deleteLater()
        for index, condition in enumerate(shown):
            if index < len(self.rows):
                self.rows[index].show_condition(condition)
            else:
                row = ConditionRow(condition)
                row.changed.connect(self._commit_conditions)
                row.removed.connect(self._remove_condition)
                self.conditions_box.addWidget(row)
                self.rows.append(row)
        for row in self.rows:
            row.setEnabled(not self._read_only)
            row._value_state()

    def _show_extras(self) -> None:
        """The rule in words; a company-list knock-out's list box; a step for Sales."""
        criterion = self.criterion
        self.rule.setText("Descriptive: shown in the documents, applied by people, not scored"
                          if not criterion.conditions and not criterion.manual_step else
                          f"In words: {describe_rule(criterion)}")
        if criterion.company_list:
            what = knockouts.COMPANY_LIST_WHAT.get(criterion.reason_code or "", "these companies")
            waiting = knockouts.waiting_for_list(criterion)
            self.company_caption.setText(
                f"Type or paste the names and domains of {what}, one per line or separated by commas. "
                + ("<b>The rule is inactive until this list is filled.</b>" if waiting else
                   "A lead matches by company name (any spelling or legal suffix), e-mail domain or website."))
            if not self.company_list.hasFocus():
                self.company_list.setPlainText("\n".join(knockouts.company_list_entries(criterion)))
        self.company_caption.setVisible(criterion.company_list)
        self.company_list.setVisible(criterion.company_list)
        self.sales_step.setText(f"<b>Step for Sales</b> (no CRM field tells this): "
                                f"{html.escape(criterion.manual_step)}")
        self.sales_step.setVisible(bool(criterion.manual_step and not criterion.conditions))

    # ------------------------------------------------------------ edits
    def _emit(self) -> None:
        self._show_extras()
        self.edited.emit(self.criterion.model_copy(deep=True))
        self._hits_timer.start()

    def _set(self, name: str, value) -> None:
        if self._loading or self.criterion is None or getattr(self.criterion, name) == value:
            return
        setattr(self.criterion, name, value)
        if name == "knockout":
            self.points.setEnabled(not value and not self._read_only)
        self._emit()

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
            self._emit()

    def _commit_conditions(self) -> None:
        if self._loading or self.criterion is None or self._read_only:
            return
        try:
            conditions = [row.condition() for row in self.rows]
        except ValueError as error:
            self.value_error.setText(sentence(error))
            self.value_error.show()
            return
        self.value_error.hide()
        if self.criterion.company_list:  # the list's conditions live in the box below
            conditions += [c for c in self.criterion.conditions if c.field in ("company", "email", "website")]
        match = self.match.currentData()
        if conditions != self.criterion.conditions or match != self.criterion.match:
            self.criterion.conditions, self.criterion.match = conditions, match
            self._emit()

    def _commit_company_list(self) -> None:
        self._list_timer.stop()
        if self._loading or self.criterion is None or not self.criterion.company_list or self._read_only:
            return
        entries = knockouts.split_entries(self.company_list.toPlainText())
        if entries != knockouts.company_list_entries(self.criterion):
            updated = knockouts.with_company_list(self.criterion, entries)
            self.criterion.conditions, self.criterion.match = updated.conditions, updated.match
            self._emit()

    def _add_condition(self) -> None:
        if self.criterion is None or self._read_only:
            return
        row = ConditionRow(Condition(field="title", operator="contains_any", value=[]))
        row.changed.connect(self._commit_conditions)
        row.removed.connect(self._remove_condition)
        self.conditions_box.addWidget(row)
        self.rows.append(row)
        row.value.setFocus()
        self._commit_conditions()

    def _remove_condition(self, row: ConditionRow) -> None:
        if row in self.rows and not self._read_only:
            self.rows.remove(row)
            self.conditions_box.removeWidget(row)
            row.deleteLater()
            self._commit_conditions()

    # ------------------------------------------------------------ hits on the last lead file
    def _refresh_hits(self) -> None:
        criterion = self.criterion
        source = self.hits_source() if self.hits_source and criterion is not None else None
        if criterion is None:
            return
        if source is None:
            self.hits.setText("<i>Back-test a lead file to see here how many leads this rule hits.</i>")
            return
        if not criterion.scored:
            self.hits.setText("<i>This rule scores nothing yet, so it hits no lead.</i>")
            return
        from alignwork.backtest.history import criterion_hits
        from alignwork_gui.tasks import run_task

        table, mapping = source
        self._hits_seq += 1
        seq, snapshot = self._hits_seq, criterion.model_copy(deep=True)
        if self._hits_task is not None:
            self._hits_task.cancel()
        self.hits.setText("<i>Counting the leads this rule hits…</i>")
        self._hits_task = run_task(lambda progress: criterion_hits(table, mapping, snapshot, progress=progress),
                                   on_done=lambda hits: self._show_hits(seq, hits),
                                   on_error=lambda message: self._show_hits(seq, None, message))

    def _show_hits(self, seq: int, hits, message: str = "") -> None:
        from shiboken6 import isValid

        if seq != self._hits_seq or not isValid(self.hits):
            return  # an older count (the rule changed since), or the page is gone
        if hits is None:
            self.hits.setText(f"<i>Could not count the leads: {html.escape(message)}</i>")
            return
        examples = "".join(
            "<li>" + html.escape(" · ".join(str(v) for k, v in row.items() if k != "line" and v not in (None, "")))
            + f" <span style='color:gray'>(line {row['line']})</span></li>" for row in hits.examples)
        self.hits.setText(f"<b>Hits {html.escape(hits.describe())}</b>"
                          + (f"<ul style='margin:0'>{examples}</ul>" if examples else ""))


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
