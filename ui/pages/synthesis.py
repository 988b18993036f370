"""Synthesis: what the reps said, grouped, with support and consensus; conflicts,
surprises and numbers; corrections by drag, selection and in-place renaming."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QListWidget, QListWidgetItem,
    QPushButton, QScrollArea, QSplitter, QStackedWidget, QTableWidget, QTableWidgetItem, QTextBrowser,
    QVBoxLayout, QWidget,
)

from alignwork import corrections
from alignwork.changes import Changes
from alignwork.charts import synthesis as charts
from alignwork.store import StoreError
from ui.pages import Page
from ui.tasks import run_task
from ui.widgets.chart_view import ChartView, chart_theme
from ui.widgets.group_tree import GroupTree

TAG_VIEWS = (
    ("titles", "Titles by function", lambda data, theme: charts.persona_figure(data, theme)),
    ("titles_seniority", "Seniority", lambda data, theme: charts.groups_figure(data, "titles_seniority",
                                                                              "Seniority", theme)),
    ("industries", "Industries", charts.industries_figure),
    ("regions", "Regions", lambda data, theme: charts.groups_figure(data, "regions", "Regions", theme)),
    ("buying_signals", "Buying signals", charts.signals_figure),
    ("rejection_triggers", "Rejection reasons", charts.rejections_figure),
    ("punt_signals", "When reps give up", lambda data, theme: charts.groups_figure(
        data, "punt_signals", "When reps give up", theme)),
    ("helpful_content", "Helpful content", lambda data, theme: charts.groups_figure(
        data, "helpful_content", "Content that helps", theme)),
)
OTHER_VIEWS = (("company_size", "Company size"), ("annual_revenue", "Annual revenue"), ("numbers", "Numbers"),
               ("conflicts", "Conflicts"), ("surprises", "Surprises"))


def _groups_of(data: dict, key: str) -> list[dict]:
    return data.get("seniority", []) if key == "titles_seniority" else data["groups"].get(key, [])


class TagView(QWidget):
    """One tag question: correction buttons, the group tree, its chart."""

    def __init__(self, page: "SynthesisPage", key: str, title: str, build_chart):
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
        self.merge_button = QPushButton("Merge")
        self.merge_button.setToolTip("Merge the selected groups into one (Ctrl+M)")
        self.merge_button.setShortcut("Ctrl+M")
        self.split_button = QPushButton("Split off")
        self.split_button.setToolTip("Move the selected answers of one group into a new group (Ctrl+Shift+S)")
        self.split_button.setShortcut("Ctrl+Shift+S")
        for button, name in ((self.merge_button, f"Merge {title} groups"),
                             (self.split_button, f"Split {title} answers off")):
            button.setAccessibleName(name)
            button.setEnabled(False)
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
        groups = _groups_of(data, self.key)
        self.tree.set_groups(groups, charts.consensus_colours(chart_theme(self)))
        self.stack.setCurrentIndex(0 if groups else 1)
        # the tree takes what its rows need (up to half); the chart gets the rest
        height = max(self.splitter.height(), 400)
        rows = self.tree.header().sizeHint().height() + 8 + len(groups) * max(self.tree.sizeHintForRow(0), 20)
        tree_height = min(max(rows, 120), height // 2)
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
        self.table.setAccessibleName(f"{title} per rep")
        self.table.setHorizontalHeaderLabels(["Rep", "Team", "Said", "Read as"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.chart)
        splitter.addWidget(self.table)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)

    def show_data(self, data: dict) -> None:
        from alignwork.ranges import Range

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


class SynthesisPage(Page):
    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        self.data: dict | None = None
        self._task = None
        self._own_change = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(8)
        header = QHBoxLayout()
        title = QLabel("<h2>Synthesis</h2>")
        self.status = QLabel()
        self.status.setWordWrap(True)  # long states wrap instead of widening the page
        self.status.setMinimumWidth(80)
        self.status.setAccessibleName("Synthesis status")
        self.undo_button = QPushButton("Undo last correction")
        self.undo_button.setAccessibleName("Undo last correction")
        self.undo_button.setToolTip("Take back the most recent merge, split, rename or move (Ctrl+Z)")
        self.undo_button.setShortcut("Ctrl+Z")
        self.undo_button.clicked.connect(self.undo_last)
        self.definition_button = QPushButton("Open the draft definition")
        self.definition_button.setAccessibleName("Open the draft definition")
        self.definition_button.clicked.connect(lambda: context.step_requested.emit("definition"))
        header.addWidget(title)
        header.addWidget(self.status, 1)
        header.addWidget(self.undo_button)
        header.addWidget(self.definition_button)
        layout.addLayout(header)
        self.questions = QListWidget()
        self.questions.setAccessibleName("Questions")
        self.questions.setMinimumWidth(176)
        self.questions.setMaximumWidth(220)
        self.views = QStackedWidget()
        self.tag_views: dict[str, TagView] = {}
        for key, title_text, build in TAG_VIEWS:
            view = TagView(self, key, title_text, build)
            self.tag_views[key] = view
            self._add_view(key, title_text, view)
        self.range_views = {key: RangeView(key, text) for key, text in OTHER_VIEWS[:2]}
        for key, text in OTHER_VIEWS[:2]:
            self._add_view(key, text, self.range_views[key])
        self.numbers = QWidget()
        self.numbers_grid = QGridLayout(self.numbers)
        self.numbers_grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.numbers_grid.setHorizontalSpacing(24)
        self.numbers_grid.setVerticalSpacing(8)
        self._add_view("numbers", "Numbers", _scrolled(self.numbers))
        self.conflicts = QTextBrowser()
        self.conflicts.setAccessibleName("Conflicts")
        self._add_view("conflicts", "Conflicts", self.conflicts)
        self.surprises = QTableWidget(0, 3)
        self.surprises.setAccessibleName("Surprises")
        self.surprises.setHorizontalHeaderLabels(["Rep", "About", "What"])
        self.surprises.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.surprises.setWordWrap(True)
        self.surprises.verticalHeader().hide()
        self.surprises.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self._add_view("surprises", "Surprises", self.surprises)
        self.questions.currentRowChanged.connect(self.views.setCurrentIndex)
        self.questions.setCurrentRow(0)
        self.body = QSplitter()
        self.body.addWidget(self.questions)
        self.body.addWidget(self.views)
        self.body.setStretchFactor(1, 1)
        self.body.setCollapsible(0, False)
        self.body.setSizes([184, 800])
        self.empty = QLabel("No finished interviews yet.\nRun interviews and mark them done; "
                            "their answers are grouped here.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.main = QStackedWidget()
        self.main.addWidget(self.body)
        self.main.addWidget(self.empty)
        layout.addWidget(self.main, 1)

    def _add_view(self, key: str, text: str, widget: QWidget) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.questions.addItem(item)
        self.views.addWidget(widget)

    def show_view(self, key: str) -> None:
        for row in range(self.questions.count()):
            if self.questions.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.questions.setCurrentRow(row)

    # ------------------------------------------------------------ data
    def wants(self, changes: Changes) -> bool:
        return not self._own_change and super().wants(changes) and (
            changes.interviews or changes.roster or changes.synthesis or changes.guide)

    def reload(self) -> None:
        if self.workshop_id is None:
            return
        if self._task is not None:
            self._task.cancel()
        self.status.setText("Synthesizing…")
        workshop_id, database = self.workshop_id, self.context.database

        def work(progress):
            from alignwork.synthesis import synthesize_workshop

            with database.session() as session:
                return synthesize_workshop(session=session, workshop_id=workshop_id, progress=progress).to_dict()

        self._task = run_task(work, on_done=self._show, on_error=self._failed)

    def _failed(self, message: str) -> None:
        self.status.setText(f"Synthesis failed: {message}")

    def _show(self, data: dict) -> None:
        self._task = None
        self.data = data
        pending = f" · {data['pending']} not done yet (left out)" if data["pending"] else ""
        stale = len(data["stale_corrections"])
        stale_text = f" · {stale} correction(s) no longer match the answers" if stale else ""
        self.status.setText(f"{data['interviews']} interview(s) used{pending}{stale_text}")
        self.main.setCurrentIndex(0 if data["interviews"] else 1)
        for view in self.tag_views.values():
            view.show_data(data)
        for view in self.range_views.values():
            view.show_data(data)
        self._show_numbers(data)
        self._show_conflicts(data)
        self._show_surprises(data)
        counts = {"conflicts": len(data["conflicts"]), "surprises": len(data["surprises"])}
        for row in range(self.questions.count()):
            item = self.questions.item(row)
            key = item.data(Qt.ItemDataRole.UserRole)
            groups = _groups_of(data, key) if key in self.tag_views else None
            base = item.text().split("  (")[0]
            count = counts.get(key, len(groups) if groups is not None else None)
            item.setText(f"{base}  ({count})" if count is not None else base)
        self.undo_button.setEnabled(bool(self._corrections()))

    def _corrections(self):
        with self.context.session() as session:
            return corrections.list_corrections(session=session, workshop_id=self.workshop_id)

    def _show_numbers(self, data: dict) -> None:
        while self.numbers_grid.count():
            self.numbers_grid.takeAt(0).widget().deleteLater()
        rating, junk, votes, ready = (data["lead_quality_rating"], data["junk_share_percent"],
                                      data["volume_vs_quality"], data["readiness"])

        def percent(value):
            return "–" if value is None else f"{value * 100:.0f}%"

        rows = [
            ("Lead quality today", "–" if rating["mean"] is None else
             f"{rating['mean']:.1f} / 5", f"spread ± {rating['stdev']}, from {rating['min']} to {rating['max']}, "
                                          f"{rating['n']} answers" if rating["n"] else "no answers yet"),
            ("Junk share", "–" if junk["mean"] is None else f"{junk['mean']:.0f}%",
             f"median {junk['median']}%, {junk['n']} answers" if junk["n"] else "no answers yet"),
            ("Fewer but better leads", str(votes["fewer_better"]), "reps would take half as many, twice as good"),
            ("More volume", str(votes["more_volume"]), "reps want more leads"),
            ("Unsure", str(votes["unsure"]), ""),
            ("Need required", percent(ready["need"]), "of reps want a confirmed need first"),
            ("Budget required", percent(ready["budget"]), "of reps want a confirmed budget first"),
            ("Authority required", percent(ready["authority"]), "of reps want a decision maker"),
            ("Timeline", "–" if ready["timeline_months_median"] is None else
             f"{ready['timeline_months_median']:g} months", "median of what reps accept"),
            ("Teams", ", ".join(f"{k} {v}" for k, v in data["teams"].items()) or "–", ""),
            ("Profiles", ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in data["profiles"].items()) or "–", ""),
        ]
        for row, (name, value, detail) in enumerate(rows):
            value_label = QLabel(f"<b>{html.escape(value)}</b>")
            value_label.setAccessibleName(name)
            self.numbers_grid.addWidget(QLabel(name), row, 0)
            self.numbers_grid.addWidget(value_label, row, 1)
            detail_label = QLabel(detail)
            detail_label.setEnabled(False)
            self.numbers_grid.addWidget(detail_label, row, 2)

    def _show_conflicts(self, data: dict) -> None:
        if not data["conflicts"]:
            self.conflicts.setHtml("<p>No conflicts: where reps answered, they do not contradict each other.</p>")
            return
        parts = []
        for conflict in data["conflicts"]:
            sides = "".join(
                f"<li><b>{html.escape(side['label'])}</b>: {html.escape(', '.join(side['participants']))}</li>"
                for side in conflict["sides"])
            parts.append(f"<p>{html.escape(conflict['summary'])}</p><ul>{sides}</ul>")
        self.conflicts.setHtml("".join(parts))

    def _show_surprises(self, data: dict) -> None:
        surprises = data["surprises"]
        self.surprises.setRowCount(len(surprises))
        for row, surprise in enumerate(surprises):
            about = (surprise.get("group") or surprise.get("question") or "general").replace("_", " ")
            kind = "only this rep said: " if surprise["kind"] == "single_rep_answer" else ""
            for column, text in enumerate((surprise["participant"], about, kind + surprise["text"])):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.surprises.setItem(row, column, item)
        self.surprises.resizeColumnsToContents()
        self.surprises.setColumnWidth(1, min(self.surprises.columnWidth(1), 220))
        self.surprises.resizeRowsToContents()

    # ------------------------------------------------------------ corrections
    def correct(self, op: str, key: str, **fields) -> None:
        """Store a correction, then re-synthesize (every view follows)."""
        if self.workshop_id is None:
            return
        try:
            with self.context.session() as session:
                corrections.add_correction(session=session, workshop_id=self.workshop_id, op=op, key=key, **fields)
        except StoreError as error:
            self.context.tell(str(error))
            self.reload()  # put back what an in-place rename changed
            return
        self._after_change(f"{op.capitalize()} saved")

    def undo_last(self) -> None:
        stored = self._corrections()
        if not stored:
            return
        with self.context.session() as session:
            corrections.delete_correction(session=session, correction_id=stored[-1].id)
        self._after_change("Correction undone")

    def _after_change(self, message: str) -> None:
        self._own_change = True
        try:
            self.context.announce(Changes(synthesis=True, workshop_id=self.workshop_id))
        finally:
            self._own_change = False
        self.context.saved(message)
        self.reload()


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area
