"""The premortem step: run the guided session, keep the checklist, see the charts, export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog, QScrollArea, QTabWidget, QVBoxLayout, QWidget,
)

from alignwork.premortem import checklist as premortem
from alignwork.changes import Changes
from alignwork.premortem.export import export_checklist
from alignwork.premortem.session import session_state
from alignwork_gui.context import ui_settings
from alignwork_gui.widgets.buttons import action_button
from alignwork_gui.widgets.chart_view import ChartView
from alignwork_gui.widgets.labels import counted, header_row, make_label
from alignwork_gui.pages import Page
from alignwork_gui.widgets.premortem.checklist import ChecklistView
from alignwork_gui.widgets.premortem.run import SessionView


class ChartsView(QScrollArea):
    """The risk matrix and the votes chart, each in a ChartView (drawn when shown)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setAccessibleName("Premortem charts")
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setSpacing(8)
        self.matrix = ChartView("Risk matrix: likelihood by impact", natural_height=True)
        self.votes = ChartView("Votes per item", natural_height=True)
        layout.addWidget(self.matrix)
        layout.addWidget(self.votes)
        self.setWidget(body)

    @property
    def canvases(self) -> list:
        return [view.canvas for view in (self.matrix, self.votes) if view.canvas is not None]

    def set_risks(self, risks: list) -> None:
        from alignwork.charts.premortem import risk_matrix_figure, votes_figure

        risks = list(risks)
        self.matrix.show_figure(lambda theme: risk_matrix_figure(risks, theme))
        self.votes.show_figure(lambda theme: votes_figure(risks, theme))


class PremortemPage(Page):
    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        self._announcing = False
        self.title = make_label("Premortem", bold=True, size=1.3)
        self.summary = make_label("", muted=True)
        self.summary.setAccessibleName("Premortem status")
        self.export_button = action_button("Export checklist…", "Save the checklist as CSV or Markdown, at any phase",
                                           name="Export checklist")
        self.export_button.clicked.connect(self.export_dialog)
        header = header_row(self.title, self.summary, self.export_button)

        self.session_view = SessionView(context)
        self.checklist = ChecklistView(context)
        self.charts = ChartsView()
        for view in (self.session_view, self.checklist):
            view.changed.connect(self._announce)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Premortem views")
        self.tabs.addTab(self.session_view, "Session")
        self.tabs.addTab(self.checklist, "Checklist")
        self.tabs.addTab(self.charts, "Charts")
        self.tabs.currentChanged.connect(lambda _: self._refresh_views())
        self.session_view.checklist_requested.connect(lambda: self.tabs.setCurrentWidget(self.checklist))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)

    def wants(self, changes: Changes) -> bool:
        # our own saves already show; other rooms' changes to the roster, synthesis or definition matter
        if self._announcing:
            return False
        return changes.workshop_id in (None, self.workshop_id) and (
            changes.premortem or changes.roster or changes.definition or changes.synthesis or changes.workshops)

    def _announce(self) -> None:
        self._announcing = True
        try:
            self.context.announce(Changes(premortem=True, workshop_id=self.workshop_id))
        finally:
            self._announcing = False
        self.context.saved()
        self._refresh_summary()

    def reload(self) -> None:
        if self.workshop_id is None:
            return
        self.session_view.set_workshop(self.workshop_id)
        self.checklist.set_workshop(self.workshop_id)
        self._refresh_views()

    def _refresh_views(self) -> None:
        current = self.tabs.currentWidget()
        if current is self.checklist:
            self.checklist.reload()
        elif current is self.session_view:
            self.session_view.refresh()
        if current is self.charts:
            # the charts number items as the checklist rows are numbered
            self.checklist.reload()
            self.charts.set_risks(self.checklist.model.risks)
        self._refresh_summary()

    def _refresh_summary(self) -> None:
        with self.context.session() as session:
            state = session_state(session=session, workshop_id=self.workshop_id)
            risks = premortem.list_risks(session=session, workshop_id=self.workshop_id)
        tigers = sum(r.klass == "tiger" for r in risks)
        where = {"not_started": "no session yet", "finished": "session finished",
                 "paused": f"paused at phase {state.phase}", "running": f"phase {state.phase} of 7"}[state.status]
        self.summary.setText(f"{counted(len(risks), 'item')}, {counted(tigers, 'tiger')} · {where}. "
                             "Imagine the rollout failed, say why, and keep the risks in check.")

    # ------------------------------------------------------------ export
    def export_dialog(self) -> None:
        settings = ui_settings()
        folder = settings.value("premortem/export_folder", str(Path.home()))
        suggested = str(Path(folder) / "premortem-checklist.csv")
        path, chosen = QFileDialog.getSaveFileName(self, "Export checklist", suggested,
                                                   "CSV (*.csv);;Markdown (*.md)")
        if not path:
            return
        if not Path(path).suffix:
            path += ".md" if chosen.startswith("Markdown") else ".csv"
        if self.export_to(path):
            settings.setValue("premortem/export_folder", str(Path(path).parent))

    def export_to(self, path: str | Path) -> Path | None:
        """Write the checklist with everything captured so far (any phase); None on failure."""
        from alignwork import store

        try:
            with self.context.session() as session:
                workshop = store.get_workshop(session=session, workshop_id=self.workshop_id)
                risks = premortem.list_risks(session=session, workshop_id=self.workshop_id)
                state = session_state(session=session, workshop_id=self.workshop_id)
                review = premortem.review_date(session=session, workshop_id=self.workshop_id)
            frame = (f"{state.initiative}: imagined failure {state.horizon}. Present: "
                     + ", ".join(f"{m['name']} ({m['team']})" for m in state.members)) if state.members else ""
            written = export_checklist(path, risks, title=f"Premortem checklist: {workshop.name}", frame=frame,
                                       review=review)
        except (OSError, ValueError) as error:
            self.context.tell(f"Could not export the checklist: {error}")
            return None
        self.context.tell(f"Checklist exported to {written}")
        return written
