"""Synthesis: what the reps said, grouped, with support and consensus; conflicts,
surprises and numbers; corrections by drag, selection and in-place renaming."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView, QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QListWidget, QListWidgetItem,
    QScrollArea, QSplitter, QStackedWidget, QTableWidget, QTableWidgetItem, QTextBrowser,
    QVBoxLayout, QWidget,
)

from sqlalchemy.exc import SQLAlchemyError

from alignwork.synthesis import corrections
from alignwork.changes import Changes
from alignwork.charts import synthesis as charts
from alignwork.store import StoreError
from alignwork_gui.pages import STEPS, Page
from alignwork_gui.safe_write import database_problem
from alignwork_gui.widgets.buttons import action_button
from alignwork_gui.widgets.empty_state import EmptyState, go_to_step
from alignwork_gui.widgets.labels import counted, make_label
from alignwork_gui.widgets.synthesis.views import RangeView, TagView, groups_of
from alignwork_gui.widgets.task_status import TaskStatus
from alignwork_gui.widgets.editable_table import keyboard_table

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


# what the Surprises view calls a question: the name of its view, else a short name of its own
QUESTION_TITLES = {key: title for key, title, _build in TAG_VIEWS} | dict(OTHER_VIEWS) | {
    "wiifm": "What's in it for them", "ideal_lead": "Ideal lead", "readiness": "Readiness",
    "lead_quality_rating": "Lead quality", "junk_share_percent": "Junk share",
    "volume_vs_quality": "Volume or quality", "surprises": "Anything we did not ask"}


def question_title(key: str | None) -> str:
    if not key:
        return ""
    return QUESTION_TITLES.get(key) or key.removeprefix("custom_").replace("_", " ").capitalize()


# the navigation owns the step shortcuts; say the one it really uses
DEFINITION_SHORTCUT = next(step.shortcut for step in STEPS if step.key == "definition")


class SynthesisPage(Page):
    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        self.data: dict | None = None
        self._own_change = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)  # the same frame as every other step
        layout.setSpacing(8)
        header = QHBoxLayout()
        title = make_label("Synthesis", bold=True, size=1.3, wrap=False)
        self.status = TaskStatus("Synthesis status")
        self.undo_button = action_button("Undo last correction", "Take back the most recent merge, split, rename "
                                         "or move", shortcut="Ctrl+Z", on_click=self.undo_last)
        self.definition_button = action_button("Open the draft definition", f"Show the draft definition ({DEFINITION_SHORTCUT})",
                                               on_click=lambda: context.step_requested.emit("definition"))
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
        keyboard_table(self.surprises)  # Tab leaves it, arrows move inside
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
        self.body.setStretchFactor(0, 0)
        self.body.setStretchFactor(1, 1)
        self.body.setCollapsible(0, False)
        self.body.setSizes([184, 800])
        self.empty = EmptyState(
            "No finished interviews yet",
            "Run the interviews and finish them; their answers are grouped here, with who said what.",
            [go_to_step(self, context, "interview", "Go to the interviews")])
        self.main = QStackedWidget()
        self.main.addWidget(self.body)
        self.main.addWidget(self.empty)
        layout.addWidget(self.main, 1)

    def _add_view(self, key: str, text: str, widget: QWidget) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.questions.addItem(item)
        self.views.addWidget(widget)

    def _add_custom_view(self, key: str) -> None:
        title = question_title(key)
        view = TagView(self, key, title, lambda data, theme: charts.groups_figure(data, key, title, theme))
        self.tag_views[key] = view
        row = len(self.tag_views) - 1  # after the other tag questions, before the numbers
        self.views.insertWidget(row, view)  # first, so the list's row change finds it in place
        item = QListWidgetItem(title)
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.questions.insertItem(row, item)
        self.views.setCurrentIndex(self.questions.currentRow())

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
        workshop_id, database = self.workshop_id, self.context.database

        def work(progress):
            from alignwork.synthesis.engine import synthesize_workshop

            with database.session() as session:
                result = synthesize_workshop(session=session, workshop_id=workshop_id, progress=progress)
                return workshop_id, result.to_dict()

        self.status.run(work, "Synthesizing…", on_done=self._show,
                        on_error=lambda message: self.status.setText(f"Synthesis failed: {message}"))

    def _show(self, done: tuple[int, dict]) -> None:
        workshop_id, data = done
        if workshop_id != self.workshop_id:  # another workshop was opened meanwhile
            return
        self.data = data
        pending = f" · {data['pending']} not done yet (left out)" if data["pending"] else ""
        stale = len(data["stale_corrections"])
        stale_text = f" · {counted(stale, 'correction')} no longer matching the answers" if stale else ""
        self.status.setText(f"{counted(data['interviews'], 'interview')} used{pending}{stale_text}")
        self.main.setCurrentIndex(0 if data["interviews"] else 1)
        for key in data["groups"]:
            if key not in self.tag_views:  # the workshop's own tag questions
                self._add_custom_view(key)
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
            groups = groups_of(data, key) if key in self.tag_views else None
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
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
        for row, (name, value, detail) in enumerate(rows):
            value_label = QLabel(f"<b>{html.escape(value)}</b>&nbsp;&nbsp;"
                                 f"<span style='color:{muted}'>{html.escape(detail)}</span>")
            value_label.setAccessibleName(name)
            value_label.setWordWrap(True)
            self.numbers_grid.addWidget(QLabel(name), row, 0, Qt.AlignmentFlag.AlignTop)
            self.numbers_grid.addWidget(value_label, row, 1)
        self.numbers_grid.setColumnStretch(1, 1)

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
        surprises = data["surprises"] or [{
            "participant": "", "question": "", "kind": "note",
            "text": "No surprises yet. Mark notes as “surprise” during interviews; answers only one rep gave "
                    "show up here too."}]
        self.surprises.setRowCount(len(surprises))
        for row, surprise in enumerate(surprises):
            about = question_title(surprise.get("question")) or ("General" if surprise["participant"] else "")
            what = surprise["text"]
            if surprise["kind"] == "single_rep_answer":
                group = surprise.get("group") or ""
                what = f"Only this rep said: {what}" + (f" ({group})" if group.casefold() != what.casefold() else "")
            for column, text in enumerate((surprise["participant"], about, what)):
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
        except (StoreError, SQLAlchemyError) as error:
            self.context.tell(database_problem(error, "The correction was not saved")
                              if isinstance(error, SQLAlchemyError) else f"The correction was not saved: {error}", 10000)
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
