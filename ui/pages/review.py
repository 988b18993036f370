"""Review: the monthly loop after agreement. Add each month's CRM export, look at the same
key metrics every month, see what the returns say about the definition (accepting a
proposal edits a new working draft), note the process issues aired and the decisions
taken, export the meeting pack.

Reading and scoring a period run off the GUI thread (``TaskStatus``) with progress and
Cancel, in their own database session.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QScrollArea, QSplitter,
    QStackedWidget, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from alignwork.changes import Changes
from alignwork.documents.review import AGENDA, KEY_METRICS, TREND_PERIODS, baseline_words
from alignwork.words import counted
from alignwork_gui.context import ui_settings
from alignwork_gui.pages import Page
from alignwork_gui.widgets.chart_view import ChartView
from alignwork_gui.widgets.editable_table import Column, RowsModel, keyboard_table, rows_view
from alignwork_gui.widgets.empty_state import make_primary
from alignwork_gui.widgets.labels import header_row, make_label, sentence
from alignwork_gui.widgets.task_status import TaskStatus

FILE_FILTER = "Lead lists (*.csv *.txt *.tsv *.xlsx *.xlsm *.ods);;All files (*)"
SAVE_DELAY_MS = 600
AGREED = "agreed"
DECISION_COLUMNS = (("decision", "Decision"), ("owner", "Owner"), ("due", "Due"))


class ReviewPage(Page):
    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(context, parent)
        self._loading = False
        self._loading_columns = False
        self._issues_dirty = False
        self.periods: list = []  # ReviewPeriod rows, oldest first
        self.current = None  # the ReviewPeriod shown

        self.title = make_label("Review", bold=True, size=1.3)
        self.subtitle = make_label("Every month: the same key metrics, what the returned leads say about the "
                                   "definition, the process issues aired and who does what next.", muted=True)
        self.period_combo = QComboBox()
        self.period_combo.setAccessibleName("Review period shown")
        self.period_combo.setToolTip("The month whose metrics, findings and meeting notes show below")
        self.period_combo.setMinimumContentsLength(8)
        self.period_combo.currentIndexChanged.connect(self._period_chosen)
        self.new_period = QLineEdit()
        self.new_period.setAccessibleName("Month of the file to add")
        self.new_period.setToolTip("The month the CRM export covers, as YYYY-MM")
        self.new_period.setPlaceholderText("YYYY-MM")
        self.new_period.setMaximumWidth(90)
        self.version_combo = QComboBox()
        self.version_combo.setAccessibleName("Definition version to review")
        self.version_combo.setToolTip("The agreed version by default")
        self.add_button = QPushButton("&Add month's export…")
        self.add_button.setAccessibleName("Add the month's CRM export")
        self.add_button.setToolTip("A CSV or XLSX export of the month's leads with status, rejection reason, "
                                   "owner and dates; read like the back-test's lead files")
        self.add_button.clicked.connect(lambda: self.add_period())
        make_primary(self.add_button)
        self.add_button.setEnabled(False)  # until a workshop with a version is shown
        self.export_button = QPushButton("E&xport pack…")
        self.export_button.setAccessibleName("Export the meeting pack")
        self.export_button.setToolTip("The meeting pack of the period shown: DOCX, PDF, Markdown or HTML")
        self.export_button.clicked.connect(lambda: self.export_pack())
        self.export_button.setEnabled(False)
        bar = QHBoxLayout()
        bar.setSpacing(8)
        shown = QLabel("&Period:")
        shown.setBuddy(self.period_combo)
        bar.addWidget(shown)
        bar.addWidget(self.period_combo)
        bar.addStretch(1)
        month = QLabel("&Month:")
        month.setBuddy(self.new_period)
        bar.addWidget(month)
        bar.addWidget(self.new_period)
        version = QLabel("&Version:")
        version.setBuddy(self.version_combo)
        bar.addWidget(version)
        bar.addWidget(self.version_combo)
        bar.addWidget(self.add_button)
        bar.addWidget(self.export_button)

        self.status = TaskStatus("Review status")  # progress of a month being read, then what came of it
        self.next_review = make_label("", bold=True)
        self.next_review.setAccessibleName("Next review")

        # metrics
        self.metrics = keyboard_table(QTableWidget(0, 1))  # one Tab stop; arrows move inside
        self.metrics.setAccessibleName("Key metrics by period")
        self.metrics.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.metrics.verticalHeader().hide()
        self.metrics.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.metrics.horizontalHeader().setMinimumSectionSize(72)
        self.metrics.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.goal = make_label("")
        self.goal.setAccessibleName("Progress towards the goal")
        self.returns = make_label("", muted=True)
        self.returns.setAccessibleName("Returned leads by reason code")
        self.returns.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        metrics_page = QWidget()
        metrics_layout = QVBoxLayout(metrics_page)
        metrics_layout.setContentsMargins(0, 8, 0, 0)
        metrics_layout.addWidget(self.goal)
        metrics_layout.addWidget(self.metrics)
        metrics_layout.addWidget(self.returns)
        metrics_layout.addStretch(1)

        # findings
        self.findings = QListWidget()
        self.findings.setAccessibleName("Findings")
        self.findings.setWordWrap(True)
        self.findings.currentRowChanged.connect(self._show_finding)
        self.finding_title = make_label("", bold=True)
        self.finding_detail = make_label("")
        self.finding_proposal = make_label("")
        self.finding_proposal.setAccessibleName("Proposal")
        self.finding_leads = make_label("", muted=True)
        self.finding_leads.setAccessibleName("Leads behind the finding")
        self.finding_leads.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.accept_button = QPushButton("Accept &proposal")
        self.accept_button.setAccessibleName("Accept the proposal into a new draft")
        self.accept_button.setToolTip("The change goes into the working draft (a new version to agree); "
                                      "the agreed version stays as it is")
        self.accept_button.clicked.connect(lambda: self.accept_proposal())
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(8, 0, 0, 0)
        for widget in (self.finding_title, self.finding_detail, self.finding_proposal, self.finding_leads):
            detail_layout.addWidget(widget)
        detail_layout.addWidget(self.accept_button, 0, Qt.AlignmentFlag.AlignLeft)
        detail_layout.addStretch(1)
        split = QSplitter()
        split.addWidget(self.findings)
        split.addWidget(detail)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        self.findings_stack = QStackedWidget()
        nothing = make_label("Nothing in this period's returns or wins points at a change to the definition.",
                             muted=True)
        nothing.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.findings_stack.addWidget(nothing)
        self.findings_stack.addWidget(split)

        # meeting
        self.agenda = make_label("\n".join(f"{i}. {item} — {why}" for i, (item, why) in enumerate(AGENDA, 1)),
                                 muted=True)
        self.issues = QPlainTextEdit()
        self.issues.setAccessibleName("Process issues aired")
        self.issues.setToolTip("One issue a line; saved as you type")
        self.issues.setPlaceholderText("One issue a line, e.g. “webinar lists reach Sales unfiltered”")
        self.issues.setTabChangesFocus(True)
        self.issues.setFixedHeight(self.issues.fontMetrics().lineSpacing() * 6 + 16)
        self.issues.textChanged.connect(self._issues_edited)
        self._issues_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS, timeout=self.save_issues)
        self.decision_rows = RowsModel([Column(key, title) for key, title in DECISION_COLUMNS], self)
        self.decision_rows.edited.connect(lambda *_: self.save_decisions())
        self.decisions = rows_view(self.decision_rows, "Decisions and owners")
        self.decisions.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.decisions.setMinimumHeight(self.decisions.fontMetrics().height() * 9)
        self.decisions.setMaximumHeight(self.decisions.fontMetrics().height() * 16)
        self.glossary = make_label("", muted=True)
        self.glossary.setAccessibleName("Vocabulary refresher")
        meeting = QWidget()
        form = QFormLayout(meeting)
        form.setContentsMargins(0, 8, 0, 0)
        form.setSpacing(8)
        form.addRow("Agenda", self.agenda)
        form.addRow("&Issues aired", self.issues)
        form.addRow("&Decisions", self.decisions)
        form.addRow("Vocabulary", self.glossary)
        meeting_scroll = QScrollArea()
        meeting_scroll.setWidgetResizable(True)
        meeting_scroll.setWidget(meeting)

        # trends
        self.trend_chart = ChartView("Volume and quality by period", natural_height=True)
        self.returns_chart = ChartView("Returned leads by reason code", natural_height=True)
        charts = QWidget()
        charts_layout = QVBoxLayout(charts)
        charts_layout.addWidget(self.trend_chart)
        charts_layout.addWidget(self.returns_chart)
        charts_scroll = QScrollArea()
        charts_scroll.setWidgetResizable(True)
        charts_scroll.setWidget(charts)

        # the columns read: each review target's column of the period's file, to choose again
        from alignwork.review.columns import REVIEW_TARGETS, TARGET_TITLES

        self.columns_intro = make_label("", muted=True)
        self.column_combos: dict[str, QComboBox] = {}
        columns_page = QWidget()
        columns_form = QFormLayout(columns_page)
        columns_form.setContentsMargins(0, 8, 0, 0)
        columns_form.setSpacing(8)
        columns_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        columns_form.addRow(self.columns_intro)
        for target in REVIEW_TARGETS:
            combo = QComboBox()
            combo.setAccessibleName(TARGET_TITLES[target])
            combo.setMinimumContentsLength(28)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.currentIndexChanged.connect(self._columns_edited)
            self.column_combos[target] = combo
            columns_form.addRow(TARGET_TITLES[target], combo)
        self.reread_button = QPushButton("&Read the month again with these columns")
        self.reread_button.setAccessibleName("Read the month again with the columns chosen")
        self.reread_button.setToolTip("The month's file is read again; the choice is kept for the next files "
                                      "with the same headers")
        self.reread_button.clicked.connect(lambda: self.read_again())
        columns_form.addRow("", self.reread_button)
        columns_form.setAlignment(self.reread_button, Qt.AlignmentFlag.AlignLeft)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Review views")
        self.tabs.addTab(metrics_page, "&Key metrics")
        self.tabs.addTab(self.findings_stack, "&Findings")
        self.tabs.addTab(meeting_scroll, "M&eeting")
        self.tabs.addTab(charts_scroll, "&Trends")
        self.tabs.addTab(columns_page, "C&olumns")
        self.empty = make_label("", muted=True)
        self.empty.setAccessibleName("What to do first")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QStackedWidget()
        self.body.addWidget(self.empty)
        self.body.addWidget(self.tabs)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(header_row(self.title, self.subtitle))
        layout.addLayout(bar)
        layout.addWidget(self.next_review)
        layout.addWidget(self.status)
        layout.addWidget(self.body, 1)

    # ------------------------------------------------------------ loading
    def wants(self, changes: Changes) -> bool:
        return super().wants(changes) and (changes.definition or changes.review or changes.backtest)

    def set_workshop(self, workshop_id: int | None) -> None:
        if workshop_id != self.workshop_id:
            self.save_issues()
            self.status.cancel()
            self._say("")
            self.current = None
        super().set_workshop(workshop_id)

    def reload(self, show: str | None = None) -> None:
        if self.workshop_id is None:
            return
        from alignwork.definition import versions
        from alignwork.review import periods
        from alignwork.review.meeting import workshop_next_review

        self.save_issues()
        with self.context.session() as session:
            saved = versions.list_versions(session=session, workshop_id=self.workshop_id)
            self.periods = periods.list_periods(session=session, workshop_id=self.workshop_id)
            due = workshop_next_review(session=session, workshop_id=self.workshop_id)
            session.expunge_all()
        chosen = show or (self.current.period if self.current is not None else None)
        self._loading = True
        try:
            self.version_combo.clear()
            for version in reversed(saved):
                self.version_combo.addItem(f"Version {version.number} ({version.status})", version.number)
            agreed = next((i for i, v in enumerate(reversed(saved)) if v.status == AGREED), 0)
            self.version_combo.setCurrentIndex(agreed if saved else -1)
            self.period_combo.clear()
            for row in reversed(self.periods):
                self.period_combo.addItem(row.period, row.period)
            index = self.period_combo.findData(chosen) if chosen else 0
            self.period_combo.setCurrentIndex(max(index, 0) if self.periods else -1)
        finally:
            self._loading = False
        if not self.new_period.text().strip():
            from alignwork.review.periods import next_period

            self.new_period.setText(next_period(self.periods[-1].period) if self.periods else "")
        self.next_review.setText(due.text() if due else "")
        self.next_review.setVisible(due is not None)
        self.add_button.setEnabled(bool(saved) and not self.status.busy)
        self.export_button.setEnabled(bool(self.periods) and not self.status.busy)
        if not saved:
            self.empty.setText("The review starts once a definition version is saved and agreed: propose the "
                               "draft on the Agreement step, collect both teams' signatures, then add each "
                               "month's CRM export here.")
        elif not self.periods:
            self.empty.setText("No review period yet. Type the month (YYYY-MM) and Add month's export: the CRM "
                               "export of that month's leads with their status, rejection reason, owner and dates.")
        self.body.setCurrentIndex(1 if self.periods else 0)
        self._period_chosen()

    def _period_chosen(self, _index: int = -1) -> None:
        if self._loading:
            return
        self.save_issues()
        label = self.period_combo.currentData()
        self.current = next((row for row in self.periods if row.period == label), None)
        if self.current is None:
            return
        self._show_metrics()
        self._show_findings()
        self._show_meeting()
        self._show_charts()
        self._show_columns()

    def _show_metrics(self) -> None:
        index = self.periods.index(self.current)
        shown = self.periods[max(0, index - TREND_PERIODS + 1): index + 1]
        self.metrics.setColumnCount(1 + len(shown))
        self.metrics.setHorizontalHeaderLabels(["Metric", *(row.period for row in shown)])
        self.metrics.setRowCount(len(KEY_METRICS))
        for line, (label, read) in enumerate(KEY_METRICS):
            self.metrics.setItem(line, 0, QTableWidgetItem(label))
            for column, row in enumerate(shown, start=1):
                item = QTableWidgetItem(read(row.metrics))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.metrics.setItem(line, column, item)
        self.metrics.resizeColumnsToContents()
        self.metrics.setFixedHeight(self.metrics.horizontalHeader().height() + 2 * self.metrics.frameWidth()
                                    + sum(self.metrics.rowHeight(line) for line in range(len(KEY_METRICS))))
        metrics = self.current.metrics
        goal = metrics.get("goal") or {}
        if goal.get("baseline"):
            parts = []
            if "volume_progress" in goal:
                parts.append(f"{goal['volume_progress']:.0%} of the way to half the volume")
            if "quality_progress" in goal:
                parts.append(f"{goal['quality_progress']:.0%} of the way to double the quality")
            self.goal.setText(f"Against {baseline_words(goal)}: " + (", ".join(parts) or "not measurable")
                              + ".")
        else:
            self.goal.setText("No baseline yet: a back-test with outcomes sets the volume and quality the goal "
                              "is measured against.")
        codes = ", ".join(f"{row['code']} {row['leads']:,}" for row in metrics.get("returned_by_code", []))
        unknown = metrics.get("unknown_reasons") or []
        text = f"Returned by reason code: {codes or 'no reason codes agreed'}."
        if unknown:
            text += " Reasons matching no agreed code: " + "; ".join(
                f"“{item['reason']}” ({item['leads']:,})" for item in unknown[:6]) + "."
        if metrics.get("bad_lines"):
            shown = metrics.get("bad_line_reasons", [])[:3]
            text += f" Skipped {counted(metrics['bad_lines'], 'bad line')} of {self.current.file_name}" + (
                ": " + "; ".join(f"line {item['line']}: {item['reason']}" for item in shown)
                + ("…" if metrics["bad_lines"] > len(shown) else "") if shown else "") + "."
        self.returns.setText(text)

    def _file_key(self, period: str) -> str:
        return f"review/file/{self.workshop_id}/{period}"

    def _show_columns(self) -> None:
        """The Columns tab: each review target's column in the period's file, the file's headers to choose."""
        from alignwork.review.columns import REVIEW_TARGETS

        mapping = self.current.metrics.get("mapping", {})
        read, headers = mapping.get("review", {}), mapping.get("headers")
        self._loading_columns = True
        try:
            for target in REVIEW_TARGETS:
                combo = self.column_combos[target]
                combo.clear()
                combo.addItem("(not in the file)", None)
                for header in headers or [column for column in read.values()]:
                    combo.addItem(header, header)
                combo.setCurrentIndex(max(combo.findData(read.get(target)), 0) if read.get(target) else 0)
                combo.setEnabled(headers is not None)
        finally:
            self._loading_columns = False
        if headers is None:
            self.columns_intro.setText(f"Add {self.current.period}'s file again to choose its columns here "
                                       "(this month was read before the page kept the file's headers).")
        else:
            self.columns_intro.setText(f"The columns of {self.current.file_name} the review read, found by their "
                                       "headers. Choose others and read the month again: the choice is kept for "
                                       "the next files with the same headers.")
        self.reread_button.setEnabled(False)

    def _columns_edited(self, *_args) -> None:
        if not self._loading_columns and self.current is not None:
            self.reread_button.setEnabled(True)

    def chosen_columns(self) -> dict[str, str | None]:
        return {target: combo.currentData() for target, combo in self.column_combos.items()}

    def read_again(self, path: str | None = None) -> None:
        """Read the period shown again with the columns chosen (its file, asked for when it moved)."""
        if self.current is None:
            return
        chosen = self.chosen_columns()
        taken = [column for column in chosen.values() if column]
        if len(taken) != len(set(taken)):
            self._say("One column can be read as one thing only: choose another for the second.")
            return
        remembered = path or ui_settings().value(self._file_key(self.current.period), "")
        if remembered and not Path(remembered).is_file():
            remembered = None
        self.add_period(remembered or None, period=self.current.period, columns=chosen,
                        number=self.current.version_number)  # the month as it was read, but for its columns

    def _show_findings(self) -> None:
        self.findings.clear()
        for finding in self.current.findings:
            item = QListWidgetItem(("✓ " if finding.get("accepted") else "") + finding["title"])
            item.setToolTip(finding["detail"])
            self.findings.addItem(item)
        self.findings_stack.setCurrentIndex(1 if self.current.findings else 0)
        self.tabs.setTabText(1, f"&Findings ({len(self.current.findings)})")
        if self.current.findings:
            self.findings.setCurrentRow(0)

    def _finding(self) -> dict | None:
        row = self.findings.currentRow()
        return self.current.findings[row] if self.current is not None and 0 <= row < len(self.current.findings) \
            else None

    def _show_finding(self, _row: int = -1) -> None:
        finding = self._finding()
        if finding is None:
            return
        self.finding_title.setText(finding["title"])
        self.finding_detail.setText(finding["detail"])
        accepted = finding.get("accepted")
        self.finding_proposal.setText(f"Proposal: {finding['proposal']['text']}"
                                      + (" — accepted, in the working draft." if accepted else ""))
        lines = ", ".join(map(str, finding["lines"][:40])) + (" …" if finding["leads"] > 40 else "")
        self.finding_leads.setText(f"{counted(finding['leads'], 'lead')} — lines of "
                                   f"{self.current.file_name or 'the file'}: {lines}")
        self.accept_button.setEnabled(not accepted)

    def _show_meeting(self) -> None:
        self._loading = True
        try:
            self.issues.setPlainText("\n".join(self.current.issues))
            # an empty last row to type a new decision in
            self.decision_rows.set_rows([*self.current.decisions, {}])
        finally:
            self._loading = False
        from alignwork.definition import versions
        from alignwork.definition.agreement import glossary_of
        from alignwork.models import DefinitionVersion

        with self.context.session() as session:
            version = session.get(DefinitionVersion, self.current.definition_version_id) \
                if self.current.definition_version_id else None
            definition = versions.load_definition(version) if version else None
        glossary = glossary_of(definition) if definition else []
        self.glossary.setText("\n".join(f"{entry['term']}: {entry['meaning']}" for entry in glossary))

    def _show_charts(self) -> None:
        from alignwork.charts.review import returns_figure, trend_figure, trend_rows

        rows = trend_rows(self.periods[: self.periods.index(self.current) + 1])
        self.trend_chart.show_figure(lambda theme: trend_figure(rows, theme))
        self.returns_chart.show_figure(lambda theme: returns_figure(rows, theme))

    # ------------------------------------------------------------ meeting notes
    def _issues_edited(self) -> None:
        if not self._loading and self.current is not None:
            self._issues_dirty = True
            self._issues_timer.start()

    def save_issues(self) -> None:
        """Save the process issues typed for the period shown (one a line)."""
        self._issues_timer.stop()
        if not self._issues_dirty or self.current is None:
            return
        self._issues_dirty = False
        self._save_notes(lambda periods, session: periods.set_issues(
            session=session, period_id=self.current.id, issues=self.issues.toPlainText().splitlines()))

    def save_decisions(self) -> None:
        if self._loading or self.current is None:
            return
        rows = [{key: str(row.get(key) or "") for key, _ in DECISION_COLUMNS} for row in self.decision_rows.rows]
        if self._save_notes(lambda periods, session: periods.set_decisions(
                session=session, period_id=self.current.id, decisions=rows)):
            if rows and any(value.strip() for value in rows[-1].values()):
                self.decision_rows.append({})  # a fresh row to type the next decision in

    def _save_notes(self, change) -> bool:
        from alignwork.review import periods
        from alignwork.store import StoreError

        try:
            with self.context.session() as session:
                row = change(periods, session)
                self.current.issues, self.current.decisions = list(row.issues), list(row.decisions)
        except StoreError as error:
            self._say(f"{sentence(error)} — not saved.")
            return False
        self._say("")
        self.context.announce(Changes(review=True, workshop_id=self.workshop_id), source=self)
        self.context.saved()
        return True

    # ------------------------------------------------------------ tasks
    def _start(self, work, message: str, on_done) -> None:
        self.add_button.setEnabled(False)
        self.export_button.setEnabled(False)

        def finished(outcome) -> None:
            self._finish()
            on_done(outcome)

        def failed(text: str) -> None:
            self._finish()
            self._say(text)

        self.status.run(work, message, on_done=finished, on_error=failed)

    def _finish(self) -> None:
        self.add_button.setEnabled(self.version_combo.count() > 0)
        self.export_button.setEnabled(bool(self.periods))

    def _say(self, text: str) -> None:
        self.status.setText(text)

    def cancel(self) -> None:
        self.status.cancel(said="Cancelled; nothing changed.")
        self._finish()

    def add_period(self, path: str | None = None, *, period: str | None = None,
                   columns: dict[str, str | None] | None = None, number: int | None = None) -> None:
        """Read ``path`` (asked for when None) as the month typed (or ``period``), with the version
        chosen (or ``number``); ``columns`` (review target → file column or None) chooses the
        review's columns."""
        from alignwork.review.periods import ReviewError, parse_period

        try:
            label = parse_period(period or self.new_period.text())
        except ReviewError as error:
            self._say(sentence(error))
            self.new_period.setFocus()
            return
        settings = ui_settings()
        if path is None:
            start = settings.value("review/folder", QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation))
            path, _ = QFileDialog.getOpenFileName(self, f"The CRM export of {label}", str(start), FILE_FILTER)
            if not path:
                return
        settings.setValue("review/folder", str(Path(path).parent))
        workshop_id, database = self.workshop_id, self.context.database
        number = self.version_combo.currentData() if number is None else number

        def work(progress):
            from alignwork.backtest.leads import read_leads
            from alignwork.review import periods

            progress.report(0, 4, f"Reading {Path(path).name}…")
            table = read_leads(path)
            with database.session() as session:
                row, _result = periods.add_period(session=session, workshop_id=workshop_id, period=label,
                                                  table=table, number=number, columns=columns, progress=progress)
                return (row.period, len(row.findings), dict(row.metrics.get("mapping", {}).get("review", {})),
                        row.metrics.get("bad_lines", 0), path)

        self._start(work, f"Reading {Path(path).name}…", self._period_added)

    def _period_added(self, outcome) -> None:
        label, findings, columns, bad, path = outcome
        ui_settings().setValue(self._file_key(label), path)  # for reading the month again
        from alignwork.review.columns import TARGET_WORDS

        missing = [TARGET_WORDS[name] for name in ("status", "reason", "created", "contacted") if name not in columns]
        note = f" Not in the file: {', '.join(missing)} (the Columns tab can choose them)." if missing else ""
        if bad:
            note += f" Skipped {counted(bad, 'bad line')} (see the Key metrics tab)."
        self.new_period.clear()
        self.context.announce(Changes(review=True, workshop_id=self.workshop_id), source=self)
        self.reload(show=label)
        self._say(f"{label} added: {counted(findings, 'finding')}.{note}")
        self.tabs.setCurrentIndex(1 if findings else 0)

    def accept_proposal(self) -> None:
        finding = self._finding()
        if finding is None:
            return
        from alignwork.review.proposals import accept_proposal
        from alignwork.store import StoreError

        try:
            with self.context.session() as session:
                accept_proposal(session=session, period_id=self.current.id, finding_id=finding["id"])
        except StoreError as error:
            self._say(sentence(error))
            return
        self.context.announce(Changes(definition=True, review=True, workshop_id=self.workshop_id), source=self)
        row = self.findings.currentRow()
        self.reload()
        self.tabs.setCurrentIndex(1)
        self.findings.setCurrentRow(row)
        self._say("Accepted: the change is in the working draft; agree it as a new version on the Agreement step.")

    def export_pack(self, path: str | None = None) -> None:
        """Write the meeting pack of the period shown; the format follows the file's extension."""
        if self.current is None:
            return
        if path is None:
            start = ui_settings().value("review/export", QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation))
            path, _ = QFileDialog.getSaveFileName(
                self, "Export the meeting pack", str(Path(str(start)) / f"review-{self.current.period}.pdf"),
                "PDF (*.pdf);;Word (*.docx);;Markdown (*.md);;Web page (*.html)")
            if not path:
                return
            ui_settings().setValue("review/export", str(Path(path).parent))
        fmt = {".pdf": "pdf", ".docx": "docx", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"} \
            .get(Path(path).suffix.lower())
        if fmt is None:
            self._say("Name the pack .pdf, .docx, .md or .html: the name says which format to write.")
            return
        workshop_id, database, label = self.workshop_id, self.context.database, self.current.period

        def work(progress):
            from alignwork.review.pack import export_review

            with database.session() as session:
                return export_review(session=session, workshop_id=workshop_id, period=label, format=fmt,
                                     path=path, force=True)

        self._start(work, "Writing the meeting pack…",
                    lambda result: self._say(f"Wrote {result.path.name} ({result.size:,} bytes)."))
