"""The views of the Synthesis page: one tag question (correction buttons, group tree,
chart) and one range question (chart of each rep's range, table)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QSplitter, QStackedWidget, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from alignwork.charts import synthesis as charts
from alignwork_gui.widgets.buttons import action_button
from alignwork_gui.widgets.chart_view import ChartView, chart_theme
from alignwork_gui.widgets.synthesis.group_tree import GroupTree
from alignwork_gui.widgets.editable_table import keyboard_table


def groups_of(data: dict, key: str) -> list[dict]:
    return data.get("seniority", []) if key == "titles_seniority" else data["groups"].get(key, [])


MIN_GROUP_ROWS = 6  # the groups table always shows this many rows


class TagView(QWidget):
    """One tag question: correction buttons, the group tree, its chart. Corrections go to
    ``page.correct(op, key, **fields)``."""

    def __init__(self, page, key: str, title: str, build_chart):
        super().__init__()
        self.page, self.key, self.build_chart = page, key, build_chart
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        bar = QHBoxLayout()
        self.hint = QLabel("Drag answers between groups · F2 renames a group")
        self.hint.setToolTip("Select answers (expand a group) and drag them onto another group to move them; "
                             "double-click or press F2 on a group to rename it; right-click for all corrections")
        self.hint.setEnabled(False)
        self.merge_button = action_button("Merge", "Merge the selected groups into one", shortcut="Ctrl+M",
                                          name=f"Merge {title} groups", enabled=False)
        self.split_button = action_button("Split off", "Move the selected answers of one group into a new group",
                                          shortcut="Ctrl+Shift+S", name=f"Split {title} answers off", enabled=False)
        bar.addWidget(self.hint, 1)
        bar.addWidget(self.merge_button)
        bar.addWidget(self.split_button)
        layout.addLayout(bar)
        self.tree = GroupTree()
        self.tree.setAccessibleName(f"{title}: answer groups")
        self.empty = QLabel(f"No answers to “{title}” yet. Finish an interview (mark it done) to see them here.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.chart = ChartView(f"{title} chart")
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.chart)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)
        self.merge_button.clicked.connect(self.tree.request_merge)
        self.split_button.clicked.connect(self.tree.request_split)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.tree.merge_requested.connect(lambda labels: page.correct("merge", key, labels=labels))
        self.tree.split_requested.connect(lambda label, answers: page.correct(
            "split", key, labels=[label], members=answers, target=_new_label(answers, self.tree.group_labels())))
        self.tree.rename_requested.connect(lambda old, new: page.correct("rename", key, labels=[old], target=new))
        self.tree.move_requested.connect(lambda answers, target: page.correct(
            "move", key, members=answers, target=target))

    def show_data(self, data: dict) -> None:
        groups = groups_of(data, self.key)
        self.tree.set_groups(groups, charts.consensus_colours(chart_theme(self), text=True))
        self.stack.setCurrentIndex(0 if groups else 1)
        # the tree takes what its rows need (up to half); the chart gets the rest
        height = max(self.splitter.height(), 400)
        row = max(self.tree.sizeHintForRow(0), self.tree.fontMetrics().height() + 6)
        frame = self.tree.header().sizeHint().height() + 8
        # never squeezed to 3–4 rows: room for eight groups (or all of them), up to 60 % of the height
        self.tree.setMinimumHeight(frame + MIN_GROUP_ROWS * row)
        tree_height = min(max(frame + len(groups) * row, frame + 8 * row), int(height * 0.6))
        self.splitter.setSizes([tree_height, height - tree_height])
        if groups:
            self.chart.show_figure(lambda theme: self.build_chart(data, theme))

    def _selection_changed(self) -> None:
        self.merge_button.setEnabled(len(self.tree.selected_groups()) >= 2)
        answers = self.tree.selected_answers()
        self.split_button.setEnabled(bool(answers) and len({g for g, _a in answers}) == 1)


def _new_label(answers: list[str], existing: list[str]) -> str:
    label = answers[0].strip()
    label = label[:1].upper() + label[1:]
    while label in existing:
        label += " (split)"
    return label


class RangeView(QWidget):
    def __init__(self, key: str, title: str):
        super().__init__()
        self.key = key
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.chart = ChartView(f"{title} per rep chart")
        self.table = QTableWidget(0, 4)
        keyboard_table(self.table)  # Tab leaves it, arrows move inside
        self.table.setAccessibleName(f"{title} per rep")
        self.table.setHorizontalHeaderLabels(["Rep", "Team", "Said", "Read as"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.summary)
        layout.addWidget(self.chart, 3)  # fixed shares: the table's row count must not squeeze the chart
        layout.addWidget(self.table, 2)

    def show_data(self, data: dict) -> None:
        from alignwork.synthesis.ranges import Range

        summary = data[self.key]
        usd = self.key == "annual_revenue"
        low_key, high_key = ("min_usd", "max_usd") if usd else ("min_employees", "max_employees")
        unit = "usd" if usd else "employees"
        core = summary["core"]
        self.summary.setText(
            f"Most reps agree on <b>{html.escape(Range(core[low_key], core[high_key]).describe(unit))}</b> "
            f"({summary['core_support']} of {len(summary['per_rep'])} ranges touch it)." if core else
            "No ranges given yet. They appear once interviews with an answer are marked done.")
        rows = summary["per_rep"] + [{**row, "team": "", low_key: None, high_key: None, "unreadable": True}
                                     for row in summary["unreadable"]]
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            read = "could not read" if row.get("unreadable") else Range(row[low_key], row[high_key]).describe(unit)
            for column, text in enumerate((row["participant"], row.get("team", ""), row["text"], read)):
                self.table.setItem(index, column, QTableWidgetItem(text))
        self.chart.show_figure(lambda theme: charts.ranges_figure(data, theme, key=self.key))
