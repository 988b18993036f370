"""The Interviews step: the workshop's interview list (with the offer to resume an
interrupted one) and the runner. Every change is saved by a background writer."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QFrame, QHBoxLayout, QHeaderView, QPushButton, QStackedWidget, QTableView,
    QVBoxLayout, QWidget,
)

from alignwork.interviews import flow as core
from alignwork.interviews import journal
from alignwork.interviews.autosave import AutosaveWriter
from alignwork.changes import Changes
from alignwork.paths import data_dir
from alignwork_gui.models.interview_table import InterviewTableModel
from alignwork_gui.pages import Page
from alignwork_gui.pages.interviews.runner import FLUSH_SECONDS, InterviewRunner
from alignwork_gui.widgets.empty_state import EmptyState, go_to_step
from alignwork_gui.widgets.labels import counted, header_row, make_label
from alignwork_gui.widgets.editable_table import keyboard_table


class _WriterSignals(QObject):
    """Carries the writer thread's reports to the GUI thread (queued across threads)."""

    saved = Signal(int)
    failed = Signal(str)
    recovered = Signal(str)


class InterviewPage(Page):
    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(context, parent)
        self._signals = _WriterSignals(self)
        self._signals.saved.connect(self._saved)
        self._signals.failed.connect(lambda message: context.tell(message, 8000))
        self._signals.recovered.connect(self._recovered)
        # what the database cannot take is kept in the data folder until it can (a team server down)
        self.writer = AutosaveWriter(context.database.engine, on_saved=self._signals.saved.emit,
                                     on_error=self._signals.failed.emit, on_recovered=self._signals.recovered.emit,
                                     journal_folder=data_dir())
        QApplication.instance().aboutToQuit.connect(self.close_writer)
        writer = self.writer  # not self: at exit the page's wrapper may already be half gone (a crash)
        self.destroyed.connect(lambda *_: writer.close())
        self.resume_points: list[core.ResumePoint] = []
        self.told_recovery = False

        self.runner = InterviewRunner(context, self.writer)
        self.runner.back_requested.connect(self._back_to_list)
        self.runner.finished.connect(self._back_to_list)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_list())
        self.stack.addWidget(self.runner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # ------------------------------------------------------------ the list
    def _build_list(self) -> QWidget:
        page = QWidget()
        self.title = make_label("Interviews", bold=True, size=1.3)
        self.summary = make_label("", muted=True)
        self.banner = QFrame()
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.banner.setObjectName("resumeBanner")
        self.banner.setStyleSheet("QFrame#resumeBanner { background: palette(alternate-base); }")
        self.banner_text = make_label("")
        self.banner_text.setAccessibleName("Interrupted interview")
        self.resume_button = QPushButton("Resume interview")
        self.resume_button.setAccessibleName("Resume the interrupted interview where it stopped")
        self.resume_button.setToolTip("Continue at the same question with the clock where it was")
        self.resume_button.clicked.connect(self.resume_interrupted)
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(12, 8, 12, 8)
        banner_layout.setSpacing(8)
        banner_layout.addWidget(self.banner_text, 1)
        banner_layout.addWidget(self.resume_button)
        self.banner.hide()

        self.model = InterviewTableModel(self)
        self.table = QTableView()
        keyboard_table(self.table)  # Tab leaves it, arrows move inside
        self.table.setModel(self.model)
        self.table.setAccessibleName("Interviews of this workshop")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.activated.connect(lambda _index: self.open_selected())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_open_button())

        self.empty = EmptyState(
            "No reps on the roster yet",
            "Add the sales reps you will interview on the Roster step, then start each interview here.",
            [go_to_step(self, self.context, "roster", "Go to the roster")])
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)

        self.open_button = QPushButton("Start interview")
        self.open_button.setAccessibleName("Start or open the selected interview")
        self.open_button.setToolTip("Start, resume or review the selected rep's interview (Enter)")
        self.open_button.clicked.connect(self.open_selected)
        self.footer = QWidget()  # only with rows to act on
        buttons = QHBoxLayout(self.footer)
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(make_label("Enter on a row starts, resumes or opens it for review.", muted=True), 1)
        buttons.addWidget(self.open_button)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(header_row(self.title, self.summary))
        layout.addWidget(self.banner)
        layout.addWidget(self.list_stack, 1)
        layout.addWidget(self.footer)
        return page

    def reload(self) -> None:
        if self.workshop_id is None:
            self.model.set_rows([])
            return
        selected = self.selected_row()
        with self.context.session() as session:
            rows = core.interview_rows(session=session, workshop_id=self.workshop_id)
            self.resume_points = core.interrupted_interviews(session=session, workshop_id=self.workshop_id)
        self.model.set_rows(rows)
        for column in range(1, self.model.columnCount()):
            self.table.resizeColumnToContents(column)
            self.table.setColumnWidth(column, self.table.columnWidth(column) + 16)  # air between columns
        self.list_stack.setCurrentWidget(self.table if rows else self.empty)
        self.footer.setVisible(bool(rows))
        done = sum(r.status == "done" for r in rows)
        running = sum(r.status == "in_progress" for r in rows)
        reps = len({r.participant_id for r in rows})
        self.summary.setText(f"{counted(reps, 'rep')} · {done} done · {running} in progress · "
                             "open any interview to review or correct it")
        self._show_banner()
        if rows:
            # keep the selection; with none yet, the interrupted interview the banner offers is the one
            interrupted = self.resume_points[0].interview_id if self.resume_points else None
            wanted = next((i for i, r in enumerate(rows) if selected and r.interview_id == selected.interview_id
                           and r.participant_id == selected.participant_id),
                          next((i for i, r in enumerate(rows) if r.interview_id == interrupted), 0))
            self.table.selectRow(wanted)
        self._update_open_button()

    def _show_banner(self) -> None:
        running = self.runner.interview_id is not None
        points = [p for p in self.resume_points if not running or p.interview_id != self.runner.interview_id]
        self.banner.setVisible(bool(points))
        if points:
            point = points[0]
            where = f"at “{point.prompt}”" if point.prompt else "on its opening card"
            more = f" ({len(points) - 1} more in progress)" if len(points) > 1 else ""
            self.banner_text.setText(f"{point.rep}'s interview stopped {where} after "
                                     f"{core.format_duration(point.elapsed_seconds)}{more}. "
                                     "Nothing was lost — resume where it stopped.")

    def selected_row(self) -> core.InterviewRow | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() and index.row() < len(self.model.rows) else None

    def _update_open_button(self) -> None:
        row = self.selected_row()
        labels = {"done": "Review interview", "in_progress": "Resume interview"}
        self.open_button.setText(labels.get(row.status, "Start interview") if row else "Start interview")
        self.open_button.setEnabled(row is not None)

    # ------------------------------------------------------------ opening interviews
    def open_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        if row.interview_id is None:
            self.start_for_participant(row.participant_id)
        else:
            self.open_interview(row.interview_id)

    def start_for_participant(self, participant_id: int) -> None:
        """Open the rep's interview (creating it if needed): asked for by the roster."""
        with self.context.session() as session:
            record = core.interview_for_participant(session=session, participant_id=participant_id)
        self.open_interview(record.id)

    def resume_interrupted(self) -> None:
        if self.resume_points:
            self.open_interview(self.resume_points[0].interview_id)

    def open_interview(self, interview_id: int) -> None:
        if self.runner.interview_id not in (None, interview_id):
            self.runner.leave()
        self.stack.setCurrentWidget(self.runner)
        self.runner.open(interview_id)
        self.context.announce(Changes(interviews=True, workshop_id=self.workshop_id))

    def _back_to_list(self, *_args) -> None:
        self.stack.setCurrentIndex(0)
        self.reload()
        self.context.announce(Changes(interviews=True, workshop_id=self.workshop_id))
        self.table.setFocus()

    def set_workshop(self, workshop_id: int | None) -> None:
        if workshop_id != self.workshop_id and self.runner.interview_id is not None:
            self.runner.leave()
        super().set_workshop(workshop_id)

    def wants(self, changes: Changes) -> bool:
        if (self.runner.interview_id is not None and changes.roster and changes.workshop_id in (None, self.workshop_id)
                and self.runner.drop_removed()):
            return True  # back on the list, which reloads
        if self.runner.interview_id is not None:
            # the list is hidden and reloads on the way back; a guide edit rebuilds the questions
            if changes.guide and changes.workshop_id in (None, self.workshop_id):
                self._guide_changed = True
            return False
        return super().wants(changes)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if getattr(self, "_guide_changed", False):
            self._guide_changed = False
            self.runner.refresh_guide()
        super().showEvent(event)

    # ------------------------------------------------------------ saving
    def _saved(self, _count: int) -> None:
        # after finishing or leaving, the runner has already said what was saved: keep its words
        if self.runner.interview_id is not None:
            self.context.saved("Saved")
        self.context.announce(Changes(interviews=True, workshop_id=self.workshop_id))

    @property
    def replaying(self) -> bool:
        """Changes an earlier run kept on this computer are being written, or were just said to be."""
        return self.told_recovery or journal.kept_for(self.writer.engine, data_dir())

    def _recovered(self, message: str) -> None:
        """Changes typed while the database was away (or kept from an earlier run) are in it now."""
        self.told_recovery = True
        self.context.tell(message, 15000)
        self.context.announce(Changes(interviews=True))  # any workshop's interviews: a kept change may be elsewhere

    def flush(self) -> None:
        """Before the window closes (or the app moves to another database): write what is queued; what
        the database cannot take now is kept on this computer, and the facilitator is told so."""
        if self.writer.closed:  # already closed (aboutToQuit came first): it said what it had to
            return
        if self.runner.interview_id is not None:
            self.runner.save_position()
        if self.writer.flush(timeout=FLUSH_SECONDS, or_kept=True):
            return
        report = self.writer.unsaved_report()
        if report:
            from alignwork_gui.dialogs import Icon, tell

            tell(self.window(), "Not in the database yet", report, icon=Icon.Information)

    def close_writer(self) -> None:
        if self.runner.interview_id is not None and self.runner.timer.running:
            self.runner.timer.pause()
        self.writer.close()
