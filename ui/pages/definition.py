"""Definition: the draft lead definition by section, each criterion with its
evidence, support and consensus; decisions, edits, thresholds and reason codes;
re-synthesis that keeps decisions; saving the draft as version N."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QPlainTextEdit,
    QSpinBox, QSplitter, QTableWidget, QTableWidgetItem, QTabWidget, QTreeWidget, QTreeWidgetItem,
    QVBoxLayout, QWidget,
)

from sqlalchemy.exc import SQLAlchemyError

from alignwork.definition import versions
from alignwork.changes import Changes
from alignwork.charts.synthesis import agreement_figure, consensus_colours
from alignwork.definition.criteria import SECTION_TITLES, Definition
from alignwork.definition.compare import compare_definitions
from alignwork.store import StoreError
from alignwork_gui.pages import Page
from alignwork_gui.safe_write import database_problem, keep_or_reload
from alignwork_gui.widgets.buttons import action_button
from alignwork_gui.widgets.labels import make_label
from alignwork_gui.widgets.chart_view import ChartView, chart_theme
from alignwork_gui.widgets.criterion_editor import CriterionEditor
from alignwork_gui.widgets.task_status import TaskStatus
from alignwork_gui.widgets.editable_table import keyboard_table
from alignwork_gui.widgets.stale_banner import StaleBanner
from alignwork_gui.widgets.wrap_delegate import WrapDelegate

CRITERION_ROLE = Qt.ItemDataRole.UserRole
DRAFT = -1  # version combo data for the working draft
SAVE_TIP = "Freeze the draft as a numbered version; later edits go to a new draft"


def _points_text(criterion) -> str:
    if criterion.knockout:
        return "knock-out"
    if not (criterion.attribute and criterion.operator):
        return "–"
    return f"{criterion.points:+d} {criterion.axis}"


def _waiting_text(definition) -> str:
    """The knock-outs that wait for the facilitator's company list (inactive until it is typed)."""
    from alignwork.definition.knockouts import waiting_for_list

    waiting = [c.label for c in definition.criteria if c.decision != "rejected" and waiting_for_list(c)]
    import html

    return (f" · <b>Type the company list for: {html.escape(', '.join(waiting))}</b> (inactive until filled)"
            if waiting else "")


def _support_text(criterion) -> str:
    return f"{criterion.support} · {criterion.consensus}" if criterion.consensus else "by hand"


class DefinitionPage(Page):
    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        self.definition: Definition | None = None
        self.read_only = False
        self._own_change = False
        self._outdated = False  # corrections changed since the last re-synthesis
        self._staleness = None  # how the finished interviews differ from the draft's (alignwork.interviews.inputs)
        self._state: tuple | None = None  # (version number or None, based_on_id, next number)
        self._save_timer = QTimer(self, singleShot=True, interval=400, timeout=self._save_draft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)  # the same frame as every other step
        layout.setSpacing(8)
        header = QHBoxLayout()
        header.addWidget(make_label("Definition", bold=True, size=1.3, wrap=False))
        self.status = TaskStatus("Definition status")
        header.addWidget(self.status, 1)
        self.version_combo = QComboBox()
        self.version_combo.setAccessibleName("Version shown")
        self.version_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.version_combo.setToolTip("The working draft, or a saved version (read-only)")
        self.version_combo.activated.connect(self._version_chosen)
        self.resynthesize_button = action_button(
            "Re-synthesize", "Refresh the draft from the interviews and corrections; accepted, edited and "
            "rejected criteria are kept", shortcut="Ctrl+R", name="Re-synthesize the draft",
            on_click=self.resynthesize)
        self.save_button = action_button(
            "Save as version 1", SAVE_TIP,
            name="Save the draft as a version", on_click=self.save_version)
        self.save_button.setDefault(True)  # the page's primary action
        for widget in (self.version_combo, self.resynthesize_button, self.save_button):
            header.addWidget(widget)
        layout.addLayout(header)
        self.stale = StaleBanner("this draft was synthesized", "Re-synthesize",
                                 "Bring the new and changed interviews into the draft; your decisions stay (Ctrl+R)")
        self.stale.refresh_requested.connect(self.resynthesize)
        layout.addWidget(self.stale)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Summary")
        layout.addWidget(self.summary)

        self.tree = QTreeWidget()
        keyboard_table(self.tree)  # Tab leaves it, arrows move inside
        self.tree.setAccessibleName("Criteria by section")
        self.tree.setHeaderLabels(["Criterion", "Points", "Support", "Decision"])
        self.tree.setMinimumWidth(360)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # long labels wrap at 1024 px instead of being cut off ("Industry: Retail & e-c…")
        self.tree.setItemDelegateForColumn(0, WrapDelegate(self.tree))
        self.tree.header().setStretchLastSection(False)
        self.tree.currentItemChanged.connect(self._criterion_selected)
        self.editor = CriterionEditor()
        self.editor.hits_source = self._last_lead_file
        self.editor.edited.connect(self._criterion_edited)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.editor, "Criterion")
        self.tabs.addTab(self._build_scoring(), "Scoring")
        self.agreement = ChartView("Agreement per criterion chart")
        self.tabs.addTab(self.agreement, "Agreement")
        self.tabs.currentChanged.connect(lambda _i: self._show_chart())
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setCollapsible(0, False)
        splitter.setSizes([560, 440])
        layout.addWidget(splitter, 1)

    def _build_scoring(self) -> QWidget:
        widget = QWidget()
        layout = QVBoxLayout(widget)
        layout.setContentsMargins(8, 8, 8, 8)
        form = QFormLayout()
        self.mql = QSpinBox()
        self.sql = QSpinBox()
        self.sql_intent = QSpinBox()
        for spin, name, tip in ((self.mql, "MQL threshold", "fit + intent points that make a lead an MQL"),
                                (self.sql, "SQL threshold", "fit + intent points that make a lead an SQL"),
                                (self.sql_intent, "SQL minimum intent", "intent points an SQL needs at least")):
            spin.setRange(0, 500)
            spin.setAccessibleName(name)
            spin.setToolTip(tip)
            spin.valueChanged.connect(self._thresholds_edited)
            form.addRow(name, spin)
        self.summary_edit = QPlainTextEdit()
        self.summary_edit.setAccessibleName("Summary text")
        self.summary_edit.setMaximumHeight(84)
        self.summary_edit.textChanged.connect(self._summary_edited)
        form.addRow("Summary", self.summary_edit)
        layout.addLayout(form)
        codes_label = QLabel("Reason codes Sales picks when returning a lead (double-click a label to edit)")
        codes_label.setWordWrap(True)
        layout.addWidget(codes_label)
        self.codes = QTableWidget(0, 3)
        keyboard_table(self.codes)  # Tab leaves it, arrows move inside
        self.codes.setAccessibleName("Reason codes")
        self.codes.setHorizontalHeaderLabels(["Code", "Label", "Reps"])
        self.codes.verticalHeader().hide()
        self.codes.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.codes.itemChanged.connect(self._code_edited)
        layout.addWidget(self.codes, 1)
        return widget

    def _last_lead_file(self):
        from alignwork.backtest.history import last_lead_file

        return last_lead_file(self.workshop_id)

    # ------------------------------------------------------------ loading
    def set_workshop(self, workshop_id: int | None) -> None:
        if workshop_id != self.workshop_id:
            self._outdated = False  # what changed in one workshop says nothing about another's draft
        super().set_workshop(workshop_id)

    def wants(self, changes: Changes) -> bool:
        if self._own_change or changes.workshop_id not in (None, self.workshop_id):
            return False
        if changes.interviews and self.definition is not None:
            with self.context.session() as session:
                self._staleness = versions.definition_staleness(session=session, workshop_id=self.workshop_id,
                                                                definition=self.definition)
            self.stale.show_staleness(self._staleness, can_refresh=not self.read_only)
        if changes.synthesis:
            # the draft only changes when the facilitator says so; say that it could
            self._outdated = True
            self._show_state()
        return changes.definition

    def reload(self, number: int | None = None) -> None:
        """Show the working draft (created on first use), or saved version ``number`` read-only."""
        def open_version(session, workshop_id, progress):
            if number is None:
                return versions.current_draft(session=session, workshop_id=workshop_id, progress=progress)
            return versions.get_version(session=session, workshop_id=workshop_id, number=number)

        self._load(open_version, "Loading the draft…", self._loaded)

    def _load(self, open_version, message: str, on_done) -> None:
        """Run ``open_version`` off the GUI thread (it may synthesize), then show what it returns."""
        if self.workshop_id is None:
            return
        if self._save_timer.isActive():
            self._save_draft()
        workshop_id, database = self.workshop_id, self.context.database

        def work(progress):
            with database.session() as session:
                version = open_version(session, workshop_id, progress)
                saved = [(v.number, v.status, v.note) for v in versions.list_versions(
                    session=session, workshop_id=workshop_id)]
                definition = versions.load_definition(version)
                self._staleness = versions.definition_staleness(session=session, workshop_id=workshop_id,
                                                                definition=definition)
                return definition, version.number, version.based_on_id, saved, version.version

        self.resynthesize_button.setEnabled(False)
        self.status.run(work, message, on_done=on_done, on_error=self._failed)

    def _failed(self, message: str) -> None:
        self.status.setText(f"Could not load the definition: {message}")
        self.resynthesize_button.setEnabled(True)

    def _loaded(self, loaded) -> None:
        definition, number, based_on, saved, self.draft_version = loaded
        self.definition, self.read_only = definition, number is not None
        self._shown = definition.model_copy(deep=True)  # what the facilitator saw, before any edit
        self.version_combo.clear()
        self.version_combo.addItem("Working draft", DRAFT)
        for saved_number, status, note in saved:
            self.version_combo.addItem(f"Version {saved_number} ({status})" + (f" – {note}" if note else ""),
                                       saved_number)
        self.version_combo.setCurrentIndex(self.version_combo.findData(DRAFT if number is None else number))
        next_number = (max((n for n, _s, _note in saved), default=0)) + 1
        self.save_button.setText(f"Save as version {next_number}")
        self.resynthesize_button.setEnabled(not self.read_only)
        self._state = (number, based_on, next_number)
        self._outdated = False
        self.stale.show_staleness(self._staleness, can_refresh=not self.read_only)
        self._show_state()
        self._show_definition()

    def _show_state(self) -> None:
        if self._state is None or self.status.busy:
            return
        number, based_on, next_number = self._state
        if number is not None:
            self.status.setText(f"Version {number} is saved and never changes; edit the working draft instead.")
        elif self._outdated:
            self.status.setText("Corrections changed since this draft: Re-synthesize (Ctrl+R) to "
                                "bring them in; your decisions stay.")
        else:
            self.status.setText("Working draft" + (f", based on version {next_number - 1}" if based_on else "")
                                + " · edits save as you go")

    def _show_definition(self, select: str | None = None) -> None:
        definition = self.definition
        current = self.tree.currentItem()
        select = select or (current.data(0, CRITERION_ROLE) if current else None)
        self._show_summary()
        colours = consensus_colours(chart_theme(self), text=True)
        self.tree.blockSignals(True)
        self.tree.clear()
        chosen = None
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for section, title in SECTION_TITLES.items():
            criteria = definition.by_section(section)
            parent = QTreeWidgetItem([f"{title}  ({len(criteria)})"])
            parent.setFont(0, bold)
            parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(parent)
            for criterion in criteria:
                item = QTreeWidgetItem([criterion.label, _points_text(criterion), _support_text(criterion),
                                        criterion.decision])
                item.setData(0, CRITERION_ROLE, criterion.id)
                item.setToolTip(0, criterion.label)
                if criterion.consensus in colours:
                    item.setForeground(2, QBrush(QColor(colours[criterion.consensus])))
                if criterion.decision == "rejected":
                    font = QFont(item.font(0))
                    font.setStrikeOut(True)
                    item.setFont(0, font)
                parent.addChild(item)
                if criterion.id == select:
                    chosen = item
            parent.setExpanded(True)
        if not definition.criteria:
            empty = QTreeWidgetItem(["No criteria yet: finish interviews, then Re-synthesize."])
            empty.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(empty)
            empty.setFirstColumnSpanned(True)  # the whole sentence, not cut at the first column
        self.tree.blockSignals(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 4):
            self.tree.resizeColumnToContents(column)
        if chosen is None:
            chosen = next((self.tree.topLevelItem(i).child(0) for i in range(self.tree.topLevelItemCount())
                           if self.tree.topLevelItem(i).childCount()), None)
        self.tree.setCurrentItem(chosen) if chosen else self.editor.show_criterion(None)
        self._show_save_state()
        self._show_scoring()
        self._show_chart()

    def _show_summary(self) -> None:
        definition = self.definition
        decided = sum(1 for c in definition.criteria if c.decision != "open")
        self.summary.setText(f"MQL at {definition.mql_threshold} points · SQL at {definition.sql_threshold} with "
                             f"≥ {definition.sql_min_intent} intent · {len(definition.criteria)} criteria, "
                             f"{decided} decided" + _waiting_text(definition))
        self.summary.setToolTip(definition.summary)

    def _show_save_state(self) -> None:
        """A version freezes criteria: with none there is nothing to sign, so say why it waits."""
        if self.read_only:
            tip = "A saved version never changes; choose the working draft to save a new one"
        elif not self.definition.criteria:
            tip = "Nothing to save yet: the draft has no criteria. Finish interviews, then Re-synthesize (Ctrl+R)"
        else:
            tip = SAVE_TIP
        self.save_button.setEnabled(tip == SAVE_TIP)
        self.save_button.setToolTip(tip)

    def _show_scoring(self) -> None:
        definition = self.definition
        for spin, value in ((self.mql, definition.mql_threshold), (self.sql, definition.sql_threshold),
                            (self.sql_intent, definition.sql_min_intent)):
            spin.blockSignals(True)
            spin.setValue(value)
            spin.setEnabled(not self.read_only)
            spin.blockSignals(False)
        self.summary_edit.blockSignals(True)
        if self.summary_edit.toPlainText().strip() != definition.summary:
            self.summary_edit.setPlainText(definition.summary)
        self.summary_edit.setReadOnly(self.read_only)
        self.summary_edit.blockSignals(False)
        self.codes.blockSignals(True)
        self.codes.setRowCount(len(definition.reason_codes))
        for row, code in enumerate(definition.reason_codes):
            for column, text in enumerate((code.code, code.label, str(code.support))):
                item = QTableWidgetItem(text)
                editable = column == 1 and not self.read_only
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                              | (Qt.ItemFlag.ItemIsEditable if editable else Qt.ItemFlag.NoItemFlags))
                item.setToolTip(code.description)
                self.codes.setItem(row, column, item)
        self.codes.resizeColumnToContents(0)
        self.codes.resizeColumnToContents(2)  # the count is short; the label gets the room
        self.codes.blockSignals(False)

    def _show_chart(self) -> None:
        if self.definition is not None and self.tabs.currentWidget() is self.agreement:
            body = self.definition.model_dump(mode="json")
            self.agreement.show_figure(lambda theme: agreement_figure(body, theme))

    # ------------------------------------------------------------ editing
    def _criterion_selected(self, item, _previous) -> None:
        criterion_id = item.data(0, CRITERION_ROLE) if item else None
        criterion = self.definition.criterion(criterion_id) if self.definition and criterion_id else None
        self.editor.show_criterion(criterion, read_only=self.read_only)

    def _criterion_edited(self, criterion) -> None:
        if self.read_only or self.definition is None:
            return
        index = next(i for i, c in enumerate(self.definition.criteria) if c.id == criterion.id)
        previous = self.definition.criteria[index]
        rule_changed = any(getattr(previous, name) != getattr(criterion, name) for name in versions.RULE_FIELDS)
        if rule_changed and criterion.decision == "open":
            criterion.decision = "edited"  # as update_draft would; shown at once
        self.definition.criteria[index] = criterion
        self._refresh_row(criterion)
        self._show_summary()
        self._save_timer.start()

    def _refresh_row(self, criterion) -> None:
        item = self.tree.currentItem()
        if item is None or item.data(0, CRITERION_ROLE) != criterion.id:
            return
        for column, text in enumerate((criterion.label, _points_text(criterion), _support_text(criterion),
                                       criterion.decision)):
            item.setText(column, text)
        font = QFont(item.font(0))
        font.setStrikeOut(criterion.decision == "rejected")
        item.setFont(0, font)
        if self.editor.decision.currentText() != criterion.decision:
            self.editor.show_criterion(criterion)

    def _thresholds_edited(self) -> None:
        if self.definition is not None and not self.read_only:
            self.definition.mql_threshold = self.mql.value()
            self.definition.sql_threshold = self.sql.value()
            self.definition.sql_min_intent = self.sql_intent.value()
            self._save_timer.start()

    def _summary_edited(self) -> None:
        if self.definition is not None and not self.read_only:
            self.definition.summary = self.summary_edit.toPlainText().strip()
            self._save_timer.start()

    def _code_edited(self, item: QTableWidgetItem) -> None:
        if self.definition is None or self.read_only or item.column() != 1:
            return
        label = " ".join(item.text().split())
        code = self.definition.reason_codes[item.row()]
        if label and label != code.label:
            code.label = label
            self._save_timer.start()

    def _save_draft(self) -> None:
        self._save_timer.stop()
        if self.definition is None or self.read_only or self.workshop_id is None:
            return

        def attempt(expected):
            with self.context.session() as session:
                return versions.update_draft(session=session, workshop_id=self.workshop_id,
                                             definition=self.definition, expected_version=expected)

        try:  # a colleague's save meanwhile: reload theirs or keep mine (safe_write.keep_or_reload)
            draft = keep_or_reload(self, attempt, getattr(self, "draft_version", None), typed=self._my_edits(),
                                   on_reload=self.reload)
        except (StoreError, SQLAlchemyError) as error:  # e.g. the database is locked by another copy
            reason = "the database is busy or unavailable" if isinstance(error, SQLAlchemyError) else str(error)
            self.context.tell(f"Not saved ({reason}); your edit stays on screen and is saved with the next "
                              "change.", 10000)
            return
        if draft is None:
            return
        self.definition, self.draft_version = versions.load_definition(draft), draft.version
        self._shown = self.definition.model_copy(deep=True)
        self._announce()
        self.context.saved()

    def _my_edits(self) -> str:
        """What this page changed since it showed the draft, in words (for the clipboard)."""
        shown = getattr(self, "_shown", None)
        if shown is None or self.definition is None:
            return ""
        lines = compare_definitions(shown, self.definition).lines()
        if shown.summary != self.definition.summary:
            lines.insert(0, f"Summary: {self.definition.summary}")
        return "\n".join(lines)

    def _announce(self) -> None:
        self._own_change = True
        try:
            self.context.announce(Changes(definition=True, workshop_id=self.workshop_id))
        finally:
            self._own_change = False

    # ------------------------------------------------------------ actions
    def resynthesize(self) -> None:
        if self.read_only:
            return

        def done(loaded):
            self._outdated = False
            self._loaded(loaded)
            self._announce()
            self.context.saved("Re-synthesized")

        self._load(lambda session, workshop_id, progress: versions.resynthesize_draft(
            session=session, workshop_id=workshop_id, progress=progress), "Re-synthesizing…", done)

    def save_version(self) -> None:
        if self.workshop_id is None or self.read_only or not self.save_button.isEnabled():
            return
        self._save_draft()
        try:
            with self.context.session() as session:
                number = versions.save_version(session=session, workshop_id=self.workshop_id).number
        except (StoreError, SQLAlchemyError) as error:
            self.context.tell(database_problem(error, "The version was not saved")
                              if isinstance(error, SQLAlchemyError) else f"The version was not saved: {error}", 10000)
            return
        self._announce()
        self.context.saved(f"Saved as version {number}")
        self.reload()

    def _version_chosen(self, index: int) -> None:
        number = self.version_combo.itemData(index)
        self.reload(None if number == DRAFT else number)
