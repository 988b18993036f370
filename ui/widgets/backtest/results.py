"""What a back-test found, and the MQL threshold to calibrate it: stage counts, volume
today vs passing, conversion / lift / confusion when outcomes exist, and the charts.

Moving the slider re-stages from the calibration counts (no re-scoring) and updates
the numbers at once; the charts follow a moment later (debounced).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSlider,
    QSpinBox, QVBoxLayout, QWidget,
)

from alignwork.words import plural
from alignwork.charts.backtest import SEGMENT_TITLES, score_distribution_figure, segment_figure, volume_figure
from alignwork_gui.widgets.chart_view import ChartView

STAGE_TITLES = (("SQL", "SQL"), ("MQL", "MQL"), ("nurture", "Nurture"), ("disqualified", "Disqualified"))


def _percent(value) -> str:
    return "–" if value is None else f"{value:.1%}"


class BacktestResultsView(QWidget):
    threshold_changed = Signal(int)
    save_requested = Signal(int)  # the MQL threshold to save into the draft
    export_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.result = None
        self._chart_timer = QTimer(self, singleShot=True, interval=180, timeout=self._draw_charts)

        self.stage_labels: dict[str, QLabel] = {}
        stages = QGroupBox("Stages")
        stage_form = QFormLayout(stages)
        for key, title in STAGE_TITLES:
            self.stage_labels[key] = QLabel()
            self.stage_labels[key].setAccessibleName(f"{title} leads")
            stage_form.addRow(f"{title}:", self.stage_labels[key])
        self.volume_label = QLabel()
        self.volume_label.setWordWrap(True)
        self.volume_label.setAccessibleName("Volume today and passing")
        stage_form.addRow(self.volume_label)

        self.conversion_box = QGroupBox("Conversion (known outcomes)")
        conversion_layout = QVBoxLayout(self.conversion_box)
        conversion_form = QFormLayout()
        self.conversion_labels: dict[str, QLabel] = {}
        for key, title in (("passing", "Passing"), ("failing", "Not passing"), ("overall", "All leads"),
                           ("lift", "Lift")):
            self.conversion_labels[key] = QLabel()
            self.conversion_labels[key].setAccessibleName(f"Conversion {title.lower()}" if key != "lift" else "Lift")
            conversion_form.addRow(f"{title}:", self.conversion_labels[key])
        self.conversion_labels["lift"].setToolTip("Conversion among passing leads ÷ conversion among all leads")
        conversion_layout.addLayout(conversion_form)
        self.confusion_cells: dict[tuple[str, str], QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.addWidget(QLabel("<b>Won</b>"), 0, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(QLabel("<b>Lost</b>"), 0, 2, Qt.AlignmentFlag.AlignRight)
        for row, (side, title) in enumerate((("passing", "Passing"), ("failing", "Not passing")), start=1):
            grid.addWidget(QLabel(f"<b>{title}</b>"), row, 0)
            for column, outcome in enumerate(("positive", "negative"), start=1):
                cell = QLabel()
                cell.setAccessibleName(f"{title} and {'won' if outcome == 'positive' else 'lost'}")
                cell.setAlignment(Qt.AlignmentFlag.AlignRight)
                self.confusion_cells[(side, outcome)] = cell
                grid.addWidget(cell, row, column)
        conversion_layout.addLayout(grid)

        # the actions sit in one row above everything that scrolls: never below the fold, at 1024×640 too
        calibrate = QWidget()
        calibrate.setAccessibleName("Calibrate")
        calibrate_layout = QVBoxLayout(calibrate)
        calibrate_layout.setContentsMargins(0, 0, 0, 0)
        calibrate_layout.setSpacing(4)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName("MQL threshold slider")
        self.slider.setToolTip("Move to see how many leads would pass at another MQL threshold")
        self.slider.setMinimumWidth(120)
        self.spin = QSpinBox()
        self.spin.setAccessibleName("MQL threshold")
        self.spin.setRange(-1000, 1000)
        self.slider.valueChanged.connect(self.spin.setValue)
        self.spin.valueChanged.connect(self._threshold_moved)
        self.halve_button = QPushButton("&Halve the volume")
        self.halve_button.setToolTip("Set the MQL threshold where about half of today's leads pass")
        self.halve_button.clicked.connect(self.halve)
        self.reset_button = QPushButton("Rese&t")
        self.reset_button.setToolTip("Back to the definition's own MQL threshold")
        self.reset_button.clicked.connect(lambda: self.spin.setValue(self.result.definition.mql_threshold))
        self.save_button = QPushButton("&Save thresholds")
        self.save_button.setAccessibleName("Save thresholds as new draft")
        self.save_button.setToolTip("Write this MQL threshold into the workshop's working draft "
                                    "(saved versions never change)")
        self.save_button.clicked.connect(lambda: self.save_requested.emit(self.spin.value()))
        self.export_button = QPushButton("E&xport scored CSV…")
        self.export_button.setToolTip("Save every scored lead with fit, intent, score, stage and why, for the CRM")
        self.export_button.clicked.connect(lambda: self.export_requested.emit(self.spin.value()))
        row = QHBoxLayout()
        row.setSpacing(8)
        mql_label = QLabel("&MQL at:")
        mql_label.setBuddy(self.spin)
        row.addWidget(mql_label)
        row.addWidget(self.slider, 1)
        row.addWidget(self.spin)
        row.addWidget(self.halve_button)
        row.addWidget(self.reset_button)
        row.addSpacing(8)
        row.addWidget(self.save_button)
        row.addWidget(self.export_button)
        calibrate_layout.addLayout(row)
        self.sql_note = QLabel()
        self.sql_note.setWordWrap(True)
        calibrate_layout.addWidget(self.sql_note)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.setSpacing(8)
        for box in (stages, self.conversion_box):
            side_layout.addWidget(box)
        side_layout.addStretch(1)
        # the numbers scroll rather than making the window taller than a 640-pixel screen allows
        side_scroll = QScrollArea()
        side_scroll.setWidgetResizable(True)
        side_scroll.setWidget(side)
        side_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        side_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side_scroll.setMinimumWidth(262)
        side_scroll.setMaximumWidth(352)

        self.distribution_chart = ChartView("Score distribution chart")
        self.distribution_chart.setMinimumHeight(230)
        self.volume_chart = ChartView("Volume today vs passing chart")
        self.volume_chart.setMinimumHeight(170)
        self.segment_combo = QComboBox()
        self.segment_combo.setAccessibleName("Segment shown")
        self.segment_combo.currentIndexChanged.connect(lambda: self._chart_timer.start())
        self.segment_chart = ChartView("Pass rate by segment chart")
        self.segment_chart.setMinimumHeight(260)
        charts = QWidget()
        charts_layout = QVBoxLayout(charts)
        charts_layout.setContentsMargins(0, 0, 8, 0)
        charts_layout.setSpacing(8)
        charts_layout.addWidget(self.distribution_chart)
        charts_layout.addWidget(self.volume_chart)
        segment_row = QHBoxLayout()
        segment_label = QLabel("Pass rate &by:")
        segment_label.setBuddy(self.segment_combo)
        segment_row.addWidget(segment_label)
        segment_row.addWidget(self.segment_combo)
        segment_row.addStretch(1)
        charts_layout.addLayout(segment_row)
        charts_layout.addWidget(self.segment_chart)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(charts)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        body = QHBoxLayout()
        body.setSpacing(16)
        body.addWidget(side_scroll)
        body.addWidget(scroll, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(calibrate)
        layout.addLayout(body, 1)

    # ------------------------------------------------------------ data
    def set_result(self, result) -> None:
        self.result = result
        thresholds = result.calibration.candidate_thresholds()
        low = min(thresholds[0], result.definition.mql_threshold)
        high = max(thresholds[-1], result.definition.mql_threshold)
        self.slider.blockSignals(True)
        self.slider.setRange(low, high)
        self.slider.blockSignals(False)
        self.spin.setRange(low, high)
        segments = result.segments()
        self.segment_combo.blockSignals(True)
        self.segment_combo.clear()
        for attribute in segments:
            self.segment_combo.addItem(SEGMENT_TITLES.get(attribute, attribute).capitalize(), attribute)
        self.segment_combo.blockSignals(False)
        if self.spin.value() == result.definition.mql_threshold:
            self._threshold_moved(self.spin.value())
        else:
            self.spin.setValue(result.definition.mql_threshold)

    def threshold(self) -> int:
        return self.spin.value()

    def halve(self) -> None:
        if self.result is not None:
            self.spin.setValue(self.result.calibration.halving_threshold())

    def _threshold_moved(self, value: int) -> None:
        if self.result is None:
            return
        self.slider.blockSignals(True)
        self.slider.setValue(value)
        self.slider.blockSignals(False)
        numbers = self.result.calibration.at(value)
        self.numbers = numbers
        scored = max(1, numbers["volume"]["today"])
        for key, _title in STAGE_TITLES:
            count = numbers["stages"][key]
            self.stage_labels[key].setText(f"{count:,}  ({count / scored:.0%})")
        volume = numbers["volume"]
        self.volume_label.setText(f"Passing {volume['passing']:,} of {volume['today']:,} leads "
                                  f"({numbers['pass_rate']:.0%}); the target is about {volume['target']:,}.")
        outcome_column = self.result.mapping.outcome_column
        # shown for an outcome column; one without a single won/lost value says so instead of vanishing
        self.conversion_box.setVisible("conversion" in numbers or bool(outcome_column))
        if "conversion" not in numbers:
            self.conversion_box.setTitle("Conversion (no won/lost values)")
            self.conversion_box.setToolTip(f"The outcome column '{outcome_column}' holds no value read as won "
                                           "(won, closed won, converted…) or lost (lost, rejected, unqualified…)")
            for label in self.conversion_labels.values():
                label.setText("–")
            for cell in self.confusion_cells.values():
                cell.setText("–")
        else:
            for key in ("passing", "failing", "overall"):
                self.conversion_labels[key].setText(_percent(numbers["conversion"][key]))
            lift = numbers["lift"]
            self.conversion_labels["lift"].setText("–" if lift is None else f"{lift:.2f}×")
            self.conversion_box.setTitle(f"Conversion ({numbers['outcomes']:,} known outcomes)")
            self.conversion_box.setToolTip("")
            for (side, outcome), cell in self.confusion_cells.items():
                cell.setText(f"{numbers['confusion'][side][outcome]:,}")
        self._show_sql_note(value)
        self.reset_button.setEnabled(value != self.result.definition.mql_threshold)
        self.threshold_changed.emit(value)
        self._chart_timer.start()

    def _show_sql_note(self, value: int) -> None:
        from alignwork.backtest.history import raised_sql_threshold

        definition = self.result.definition
        raised = raised_sql_threshold(value, definition.sql_threshold)
        if raised != definition.sql_threshold:  # an SQL lead must also be an MQL: say what saving does
            self.sql_note.setText(f"MQL {value} is above the SQL threshold {definition.sql_threshold}: "
                                  f"saving raises SQL to {raised} too. The numbers here keep SQL at "
                                  f"{definition.sql_threshold}; run the back-test on the draft to check.")
        else:
            self.sql_note.setText(f"SQL stays at {definition.sql_threshold} with intent ≥ "
                                  f"{definition.sql_min_intent}; SQL leads pass whatever the MQL bar.")

    def _draw_charts(self) -> None:
        if self.result is None:
            return
        numbers = self.result.calibration.at(self.spin.value())
        distribution = self.result.calibration.distribution()
        self.distribution_chart.show_figure(
            lambda theme: score_distribution_figure(distribution, numbers["thresholds"], theme))
        self.volume_chart.show_figure(lambda theme: volume_figure(numbers["volume"], theme))
        attribute = self.segment_combo.currentData()
        if attribute:
            rows = self.result.segments(self.spin.value())[attribute]
            self.segment_chart.setMinimumHeight(90 + 24 * len(rows))  # room for every label
            self.segment_chart.show_figure(lambda theme: segment_figure(attribute, rows, numbers["pass_rate"], theme))


class LastRunView(QWidget):
    """A stored back-test (its numbers from the history), and the way to run it again on the
    same file when that file is still where it was."""

    run_again = Signal(str, object)  # path, version number (None = the draft)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = QLabel()
        self.title.setAccessibleName("Stored back-test")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.numbers = QLabel()
        self.numbers.setAccessibleName("What the stored back-test found")
        self.numbers.setWordWrap(True)
        self.numbers.setTextFormat(Qt.TextFormat.PlainText)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.again_button = QPushButton("Run again on this file")
        self.again_button.setAccessibleName("Run the stored back-test again")
        self.again_button.clicked.connect(self._again)
        self._target: tuple[str, object] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addWidget(self.numbers)
        layout.addWidget(self.note)
        row = QHBoxLayout()
        row.addWidget(self.again_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

    def show_run(self, run, path: str | None) -> None:
        when = run.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        version = "the working draft" if run.version_number is None else f"version {run.version_number}"
        self.title.setText(f"Back-test of {run.file_name} with {version}, {when}")
        stages = ", ".join(f"{title} {run.stages.get(key, 0):,}" for key, title in STAGE_TITLES)
        lines = [f"{run.rows:,} rows, {run.scored:,} scored, {run.bad_lines:,} bad {plural('line', run.bad_lines)} "
                 "skipped.",
                 f"At MQL {run.thresholds.get('mql', '–')}: {stages}; {run.pass_rate:.0%} pass."]
        lift = (run.conversion or {}).get("lift")
        if run.conversion:
            lines.append(f"Conversion: passing {_percent(run.conversion.get('passing'))}, not passing "
                         f"{_percent(run.conversion.get('failing'))}, all {_percent(run.conversion.get('overall'))}"
                         + ("" if lift is None else f"; lift {lift:.2f}×") + ".")
        self.numbers.setText("\n".join(lines))
        self._target = (path, run.version_number) if path else None
        self.again_button.setVisible(path is not None)
        self.note.setText("Run it again to see the charts, calibrate and export." if path else
                          f"{run.file_name} is not where it was read from: choose it again to see the charts.")

    def _again(self) -> None:
        if self._target is not None:
            self.run_again.emit(*self._target)
