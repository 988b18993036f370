"""Back-test: score last quarter's CRM leads with a definition version, see what would
pass, calibrate the MQL threshold, save it to the draft and export the scored list.

Reading, scoring and exporting run off the GUI thread (``run_task``) with a progress
bar and Cancel; each task opens its own database session.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QProgressBar, QPushButton,
    QStackedWidget, QTableView, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from alignwork.definition import versions
from alignwork.changes import Changes
from alignwork.words import plural
from alignwork_gui.context import ui_settings
from alignwork_gui.models.scored_leads import WHY_COLUMN, ScoredLeadsModel
from alignwork_gui.pages import Page
from alignwork_gui.tasks import run_task
from alignwork_gui.widgets.backtest.results import BacktestResultsView, LastRunView
from alignwork_gui.widgets.backtest.column_mapping import ColumnMappingView
from alignwork_gui.widgets.labels import header_row, make_label
from alignwork_gui.widgets.editable_table import keyboard_table

DRAFT = -1
FILE_FILTER = "Lead lists (*.csv *.txt *.tsv *.xlsx *.xlsm *.ods);;All files (*)"
HISTORY_COLUMNS = ("When", "File", "Version", "Rows", "Scored", "Bad lines", "SQL", "MQL", "Nurture",
                   "Disqualified", "Pass rate", "MQL at", "Lift")


def _empty(text: str, button: QPushButton | None = None) -> QWidget:
    """An empty state: what goes here and what to do next (with the button that does it)."""
    widget = QWidget()
    layout = QVBoxLayout(widget)
    layout.addStretch(1)
    label = make_label(text, muted=True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    layout.addWidget(label)
    if button is not None:
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
    layout.addStretch(1)
    return widget


class BacktestPage(Page):
    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(context, parent)
        self.table = None  # LeadTable of the chosen file
        self.path: Path | None = None
        self.result = None
        self._task = None
        self._token = None

        self.title = make_label("Back-test", bold=True, size=1.3)
        self.subtitle = make_label("Score last quarter's leads with a definition version: what would pass, "
                                   "and would it have converted better?", muted=True)
        self.choose_button = QPushButton("&Choose lead file…")
        self.choose_button.setAccessibleName("Choose a lead file")
        self.choose_button.setToolTip("A CSV or XLSX export from your CRM or marketing tool")
        self.choose_button.clicked.connect(lambda: self.choose_file())
        self.file_label = make_label("No file chosen", muted=True, wrap=False)
        self.file_label.setAccessibleName("Chosen lead file")
        self.version_combo = QComboBox()
        self.version_combo.setAccessibleName("Definition version to score with")
        self.version_combo.setToolTip("The working draft, or a saved version")
        self.run_button = QPushButton("&Run back-test")
        self.run_button.setAccessibleName("Run the back-test")
        self.run_button.setDefault(True)  # the page's primary action
        self.run_button.setEnabled(False)
        self.run_button.clicked.connect(lambda: self.run_backtest())
        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.choose_button)
        bar.addWidget(self.file_label, 1)
        version_label = QLabel("&Version:")
        version_label.setBuddy(self.version_combo)
        bar.addWidget(version_label)
        bar.addWidget(self.version_combo)
        bar.addWidget(self.run_button)

        self.progress = QProgressBar()
        self.progress.setAccessibleName("Back-test progress")
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel the running task")
        self.cancel_button.clicked.connect(self.cancel)
        self.progress_row = QWidget()
        progress_layout = QHBoxLayout(self.progress_row)
        progress_layout.setContentsMargins(0, 0, 0, 0)
        progress_layout.addWidget(self.progress, 1)
        progress_layout.addWidget(self.cancel_button)
        self.progress_row.hide()
        self.message = make_label("", muted=True)
        self.message.setAccessibleName("Back-test message")
        self.message.hide()  # shown only while it has something to say
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.mapping_view = ColumnMappingView()
        self.mapping_view.changed.connect(self._mapping_changed)
        empty_choose = QPushButton("Choose a lead file…")
        empty_choose.setAccessibleName("Choose a lead file to back-test")
        empty_choose.clicked.connect(lambda: self.choose_file())
        self.mapping_stack = self._stacked(self.mapping_view, "Choose a lead file exported from your CRM "
                                           "(CSV or XLSX). Its columns show here with what each one is scored as.",
                                           empty_choose)
        self.results_view = BacktestResultsView()
        self.results_view.threshold_changed.connect(self._threshold_changed)
        self.results_view.save_requested.connect(self.save_thresholds)
        self.results_view.export_requested.connect(lambda threshold: self.export_scored())
        self.results_stack = self._stacked(self.results_view, "No results yet: choose a lead file, check its "
                                           "columns, then Run back-test.")
        self.leads_model = ScoredLeadsModel(self)
        self.leads_view = QTableView()
        keyboard_table(self.leads_view)  # Tab leaves it, arrows move inside
        self.leads_view.setAccessibleName("Scored leads")
        self.leads_view.setModel(self.leads_model)
        self.leads_view.setSortingEnabled(True)
        self.leads_view.setAlternatingRowColors(True)
        self.leads_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.leads_view.verticalHeader().hide()
        self.leads_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.leads_view.horizontalHeader().setStretchLastSection(True)
        self.leads_view.setWordWrap(False)
        self.stage_filter = QComboBox()
        self.stage_filter.setAccessibleName("Show leads of stage")
        for text, stage in (("All stages", None), ("SQL", "SQL"), ("MQL", "MQL"), ("Nurture", "nurture"),
                            ("Disqualified", "disqualified")):
            self.stage_filter.addItem(text, stage)
        self.stage_filter.currentIndexChanged.connect(self._show_leads)
        self.leads_count = make_label("", muted=True)
        leads_page = QWidget()
        leads_layout = QVBoxLayout(leads_page)
        leads_layout.setContentsMargins(0, 8, 0, 0)
        filter_row = QHBoxLayout()
        filter_label = QLabel("Sho&w:")
        filter_label.setBuddy(self.stage_filter)
        filter_row.addWidget(filter_label)
        filter_row.addWidget(self.stage_filter)
        filter_row.addWidget(self.leads_count, 1)
        leads_layout.addLayout(filter_row)
        leads_layout.addWidget(self.leads_view, 1)
        self.leads_stack = self._stacked(leads_page, "Each scored lead shows here with its stage and the rules "
                                         "that fired, after a back-test.")
        self.history = QTableWidget(0, len(HISTORY_COLUMNS))
        keyboard_table(self.history)  # Tab leaves it, arrows move inside
        self.history.setAccessibleName("Back-test history")
        self.history.setHorizontalHeaderLabels(HISTORY_COLUMNS)
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.setToolTip("Enter or double-click a run to see what it found")
        self.history.activated.connect(lambda index: self.open_run(index.row()))
        self.history_stack = self._stacked(self.history, "No back-tests yet. Each run is kept here with the "
                                           "definition version it used.")
        self.skipped = QTableWidget(0, 2)
        keyboard_table(self.skipped)
        self.skipped.setAccessibleName("Skipped lines of the lead file")
        self.skipped.setHorizontalHeaderLabels(("Line", "Why it was skipped"))
        self.skipped.verticalHeader().hide()
        self.skipped.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.skipped.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.skipped.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.skipped.horizontalHeader().setStretchLastSection(True)
        self.skipped_stack = self._stacked(self.skipped, "No line was skipped: every line of the file was read.")
        self.last_run = LastRunView()
        self.last_run.run_again.connect(self._run_again)
        self.results_stack.addWidget(self.last_run)  # index 2: a stored run (after a restart, or from History)
        self._runs: list = []
        self._run_after_read = False

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Back-test views")
        self.tabs.addTab(self.mapping_stack, "C&olumns")
        self.tabs.addTab(self.results_stack, "R&esults")
        self.tabs.addTab(self.leads_stack, "&Leads")
        self.tabs.addTab(self.history_stack, "H&istory")
        self.tabs.addTab(self.skipped_stack, "S&kipped lines")
        self.tabs.currentChanged.connect(lambda: self._threshold_changed(self.results_view.threshold()))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(header_row(self.title, self.subtitle))
        layout.addLayout(bar)
        layout.addWidget(self.progress_row)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)

    @staticmethod
    def _stacked(widget: QWidget, empty_text: str, button: QPushButton | None = None) -> QStackedWidget:
        """A tab's content, or (index 0) what to do to fill it."""
        stack = QStackedWidget()
        stack.setContentsMargins(8, 8, 8, 8)
        stack.addWidget(_empty(empty_text, button))
        stack.addWidget(widget)
        return stack

    # ------------------------------------------------------------ loading
    def set_workshop(self, workshop_id: int | None) -> None:
        if workshop_id != self.workshop_id:  # another workshop: its own file, mapping and results
            self.cancel()
            self._token = None
            self._finish()
            self.table, self.path, self.result = None, None, None
            self.file_label.setText("No file chosen")
            self._say("")
            for stack in (self.mapping_stack, self.results_stack, self.leads_stack, self.skipped_stack):
                stack.setCurrentIndex(0)
            self.run_button.setEnabled(False)
        super().set_workshop(workshop_id)

    def wants(self, changes: Changes) -> bool:
        return super().wants(changes) and (changes.definition or changes.backtest)

    def reload(self) -> None:
        if self.workshop_id is None:
            return
        from alignwork.backtest.history import list_runs

        with self.context.session() as session:
            saved = versions.list_versions(session=session, workshop_id=self.workshop_id)
            runs = list_runs(session=session, workshop_id=self.workshop_id)
        chosen = self.version_combo.currentData()
        self.version_combo.clear()
        self.version_combo.addItem("Working draft", DRAFT)
        for version in reversed(saved):
            self.version_combo.addItem(f"Version {version.number} ({version.status})", version.number)
        self.version_combo.setCurrentIndex(max(0, self.version_combo.findData(chosen)))
        self._show_history(runs)
        self._runs = runs
        if self.result is None and runs and self.results_stack.currentIndex() == 0:
            self.open_run(0, switch=self.table is None)  # the last run survives a restart

    def open_run(self, row: int, *, switch: bool = True) -> None:
        """Show a stored run (a History row, or the last one after a restart)."""
        if not 0 <= row < len(self._runs):
            return
        run = self._runs[row]
        remembered = self.context.settings().value(self._file_key(run.file_name), "")
        self.last_run.show_run(run, remembered if remembered and Path(remembered).exists() else None)
        self.results_stack.setCurrentIndex(2)
        if switch:
            self.tabs.setCurrentWidget(self.results_stack)

    def _file_key(self, file_name: str) -> str:
        return f"backtest/files/{self.workshop_id}/{file_name}"

    def _run_again(self, path: str, number) -> None:
        index = self.version_combo.findData(DRAFT if number is None else number)
        if index >= 0:
            self.version_combo.setCurrentIndex(index)
        self._run_after_read = True
        self.choose_file(path)

    def _show_history(self, runs) -> None:
        self.history.setRowCount(len(runs))
        for row, run in enumerate(runs):
            lift = run.conversion.get("lift") if run.conversion else None
            values = (run.created_at.astimezone().strftime("%Y-%m-%d %H:%M"), run.file_name,
                      "draft" if run.version_number is None else str(run.version_number), f"{run.rows:,}",
                      f"{run.scored:,}", f"{run.bad_lines:,}", *(f"{run.stages.get(k, 0):,}" for k in
                                                                 ("SQL", "MQL", "nurture", "disqualified")),
                      f"{run.pass_rate:.0%}", str(run.thresholds.get("mql", "")),
                      "–" if lift is None else f"{lift:.2f}×")
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column >= 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.history.setItem(row, column, item)
        self.history_stack.setCurrentIndex(1 if runs else 0)

    # ------------------------------------------------------------ tasks
    def _start(self, work, message: str, on_done) -> None:
        self.cancel()
        self.progress.setRange(0, 0)
        self.progress.setFormat(message)
        self.progress_row.show()
        self._say("")
        for widget in (self.choose_button, self.run_button):
            widget.setEnabled(False)

        token = object()  # signals of a task replaced by a newer one are ignored
        self._token = token

        def current(handler):
            return lambda *args: handler(*args) if self._token is token else None

        def progress(done: int, total: int, text: str) -> None:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.progress.setFormat(text or message)

        def finished(outcome) -> None:
            self._finish()
            on_done(outcome)

        self._task = run_task(work, on_done=current(finished), on_error=current(self._failed),
                              on_progress=current(progress),
                              on_cancelled=current(lambda: (self._finish(), self._say("Cancelled; nothing changed."))))

    def _finish(self) -> None:
        self._task = None
        self.progress_row.hide()
        self.choose_button.setEnabled(True)
        self.run_button.setEnabled(self.table is not None)

    def _failed(self, message: str) -> None:
        self._finish()
        self._say(message)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    # ------------------------------------------------------------ the file and its columns
    def choose_file(self, path: str | None = None) -> None:
        settings = ui_settings()
        if path is None:
            start = settings.value("backtest/folder", QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation))
            path, _ = QFileDialog.getOpenFileName(self, "Choose a lead file", str(start), FILE_FILTER)
            if not path:
                return
        settings.setValue("backtest/folder", str(Path(path).parent))
        self.context.settings().setValue(self._file_key(Path(path).name), str(Path(path)))  # to run it again
        workshop_id, database = self.workshop_id, self.context.database

        def work(progress):
            from alignwork.backtest.leads import read_leads
            from alignwork.backtest.mapping import remembered_mapping

            progress.report(0, 2, f"Reading {Path(path).name}…")
            table = read_leads(path)
            progress.report(1, 2, "Matching columns…")
            examples = {c: table.frame[c].drop_nulls().unique(maintain_order=True).head(4).to_list()
                        for c in table.columns}
            sample = {c: table.frame[c].head(200).to_list() for c in table.columns}
            with database.session() as session:
                mapping = remembered_mapping(session=session, workshop_id=workshop_id, columns=table.columns,
                                             sample=sample)
            return Path(path), table, examples, mapping

        self._start(work, f"Reading {Path(path).name}…", self._file_read)

    def _file_read(self, outcome) -> None:
        self.path, self.table, examples, mapping = outcome
        self.result = None
        self.results_stack.setCurrentIndex(0)
        self.leads_stack.setCurrentIndex(0)
        skipped = len(self.table.bad_lines)
        self.file_label.setText(f"{self.path.name} · {self.table.rows:,} rows"
                                + (f" · {skipped:,} bad {plural('line', skipped)} skipped" if skipped else ""))
        self.file_label.setToolTip(str(self.path))
        self.mapping_view.set_columns(self.table.columns, examples, mapping)
        self.mapping_stack.setCurrentIndex(1)
        self.tabs.setCurrentWidget(self.mapping_stack)
        self._describe_bad_lines(self.table.bad_lines)
        self.run_button.setEnabled(True)
        self.run_button.setFocus()
        if self._run_after_read:
            self._run_after_read = False
            self.run_backtest()

    def _describe_bad_lines(self, bad_lines) -> None:
        """Every skipped line is listed in the Skipped lines tab; the message says how many."""
        self.skipped.setRowCount(len(bad_lines))
        for row, item in enumerate(bad_lines):
            line = QTableWidgetItem(f"{item.line:,}")
            line.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.skipped.setItem(row, 0, line)
            self.skipped.setItem(row, 1, QTableWidgetItem(item.reason))
        self.skipped_stack.setCurrentIndex(1 if bad_lines else 0)
        index = self.tabs.indexOf(self.skipped_stack)
        self.tabs.setTabText(index, f"S&kipped lines ({len(bad_lines):,})" if bad_lines else "S&kipped lines")
        if not bad_lines:
            self._say("")
            return
        shown = "; ".join(f"line {item.line}: {item.reason}" for item in bad_lines[:3])
        more = f" … and {len(bad_lines) - 3:,} more" if len(bad_lines) > 3 else ""
        self._say(f"Skipped {len(bad_lines):,} bad {plural('line', len(bad_lines))} — {shown}{more}. "
                  "All of them are listed in the Skipped lines tab.")

    def _mapping_changed(self, mapping) -> None:
        from alignwork.backtest.mapping import remember_mapping

        with self.context.session() as session:
            remember_mapping(session=session, workshop_id=self.workshop_id, columns=self.table.columns,
                             mapping=mapping)
        self.context.saved("Column mapping saved")

    # ------------------------------------------------------------ running
    def run_backtest(self) -> None:
        if self.table is None or self.workshop_id is None:
            return
        table, mapping = self.table, self.mapping_view.mapping
        number = self.version_combo.currentData()
        workshop_id, database = self.workshop_id, self.context.database

        def work(progress):
            from alignwork.backtest.run import run_backtest
            from alignwork.backtest.history import choose_definition, record_run

            with database.session() as session:
                version, definition = choose_definition(session=session, workshop_id=workshop_id,
                                                        number=None if number in (None, DRAFT) else number)
                result = run_backtest(table, definition, mapping, progress=progress,
                                      version_number=version.number)
                record_run(session=session, workshop_id=workshop_id, result=result, version=version)
            result.scored  # the rows the leads table shows: built here, off the GUI thread
            return result

        self._start(work, "Scoring leads…", self._show_result)

    def _show_result(self, result) -> None:
        self.result = result
        self.results_view.set_result(result)
        self.results_stack.setCurrentIndex(1)
        self.leads_stack.setCurrentIndex(1)
        self._show_leads()
        self._describe_bad_lines(result.bad_lines)
        self.tabs.setCurrentWidget(self.results_stack)
        self.context.announce(Changes(backtest=True, workshop_id=self.workshop_id))
        self.context.tell(f"Back-test done: {result.scored.height:,} leads scored")

    def _threshold_changed(self, _threshold: int) -> None:
        if self.tabs.currentWidget() is self.leads_stack:
            self._show_leads()

    def _show_leads(self) -> None:
        shown = (id(self.result), self.results_view.threshold(), self.stage_filter.currentData())
        if self.result is None or shown == getattr(self, "_leads_shown", None):
            return  # a million rows are not re-staged for nothing
        self._leads_shown = shown
        frame = self.result.staged(self.results_view.threshold())
        stage = self.stage_filter.currentData()
        if stage:
            frame = frame.filter(frame["stage"] == stage)
        self.leads_model.set_frame(frame, with_outcome=self.result.has_outcomes)
        self.leads_count.setText(f"{frame.height:,} {plural('lead', frame.height)} at MQL {self.results_view.threshold()}")
        self.leads_view.resizeColumnsToContents()
        self.leads_view.setColumnWidth(WHY_COLUMN, 420)  # the "why" first in view; hover shows all of it

    # ------------------------------------------------------------ saving and exporting
    def save_thresholds(self, threshold: int) -> None:
        from alignwork.backtest.history import same_rules, save_calibrated_draft

        with self.context.session() as session:
            before = versions.load_definition(versions.current_draft(session=session, workshop_id=self.workshop_id))
            draft = save_calibrated_draft(session=session, workshop_id=self.workshop_id, mql_threshold=threshold)
            saved = versions.load_definition(draft)
            differs = not same_rules(saved, self.result.definition)
        self.context.announce(Changes(definition=True, workshop_id=self.workshop_id))
        self.context.saved(f"MQL threshold {threshold} saved to the draft")
        tested = "the draft" if self.result.version_number is None else f"version {self.result.version_number}"
        raised = (f" and SQL raised to {saved.sql_threshold} (it was below MQL)"
                  if saved.sql_threshold != before.sql_threshold else "")
        self._say(f"The working draft now has MQL at {threshold}{raised}; saved versions are unchanged."
                  + (f" Its rules differ from {tested}, which this back-test scored: run it again on the "
                     "draft to check." if differs else ""))

    def export_scored(self, path: str | None = None) -> None:
        if self.result is None:
            return
        if path is None:
            suggested = (self.path.with_name(f"{self.path.stem}-scored.csv") if self.path else Path("scored.csv"))
            path, _ = QFileDialog.getSaveFileName(self, "Export scored leads", str(suggested), "CSV (*.csv)")
            if not path:
                return
        result, threshold = self.result, self.results_view.threshold()

        def work(progress):
            from alignwork.backtest.history import export_scored

            progress.report(0, 1, "Writing the scored CSV…")
            return export_scored(result, path, mql_threshold=threshold)

        self._start(work, "Writing the scored CSV…",
                    lambda written: self.context.tell(f"Exported {result.scored.height:,} scored leads to {written}"))
