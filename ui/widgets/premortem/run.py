"""The guided premortem session: the frame form, then the phase list, the countdown,
one panel per phase and a clear "Next step"."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QFrame, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QSpinBox, QStackedWidget, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from sqlalchemy.exc import SQLAlchemyError

from alignwork.premortem import checklist as premortem
from alignwork.premortem import session as ps
from alignwork.premortem import votes
from alignwork.store import StoreError, list_participants
from alignwork_gui.safe_write import database_problem, keep_or_reload
from alignwork_gui.widgets.buttons import action_button, make_primary
from alignwork_gui.widgets.labels import counted, make_label
from alignwork_gui.widgets.countdown import Countdown
from alignwork_gui.widgets.premortem.phases import (
    BriefPanel, MergePanel, RoundRobinPanel, SilentPanel, Snapshot,
)
from alignwork_gui.widgets.premortem.rating import OwnersPanel, ScorePanel, VotePanel
from alignwork_gui.widgets.editable_table import keyboard_table

PANELS = (BriefPanel, SilentPanel, RoundRobinPanel, MergePanel, VotePanel, ScorePanel, OwnersPanel)
SAVE_CLOCK_EVERY = 10  # seconds between clock saves while running (also saved on pause and every step)


class FramePanel(QWidget):
    """Initiative, horizon, who is present (roster or typed in), capture and voting rules."""

    start_requested = Signal(dict)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.initiative = QLineEdit()
        self.initiative.setAccessibleName("Initiative")
        self.horizon = QLineEdit("six months from now")
        self.horizon.setAccessibleName("Horizon")
        self.people = QTableWidget(0, 4)
        keyboard_table(self.people)  # Tab leaves it, arrows move inside
        self.people.setAccessibleName("People present")
        self.people.setHorizontalHeaderLabels(["Present", "Name", "On the roster", "Team"])
        self.people.verticalHeader().setVisible(False)
        self.people.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.people.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.people.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.name = QLineEdit(placeholderText="Someone not on the roster (Enter to add)")
        self.name.setAccessibleName("Name of a person to add")
        self.team = QComboBox(editable=True)
        self.team.addItems(ps.TEAMS)
        self.team.setAccessibleName("Team of the person to add")
        self.add_button = action_button("Add person", "Add someone who is not on the roster")
        self.anonymous = QCheckBox("Capture reasons anonymously")
        self.anonymous.setAccessibleName("Capture reasons anonymously")
        self.dots = QSpinBox(minimum=1, maximum=20, value=3, suffix=" dots each")
        self.dots.setAccessibleName("Dots per person")
        self.per_item = QSpinBox(minimum=1, maximum=20, value=1, prefix="at most ", suffix=" per item")
        self.per_item.setAccessibleName("Most dots per item")
        self.warnings = make_label()
        self.start_button = make_primary(action_button("Start session", "Start the premortem with the people ticked"))

        add_row = QHBoxLayout()
        add_row.addWidget(self.name, 1)
        add_row.addWidget(self.team)
        add_row.addWidget(self.add_button)
        rules = QHBoxLayout()
        rules.addWidget(self.dots)
        rules.addWidget(self.per_item)
        rules.addStretch(1)
        form = QFormLayout()
        form.addRow("Initiative", self.initiative)
        form.addRow("Horizon", self.horizon)
        form.addRow("Voting", rules)
        form.addRow("", self.anonymous)
        bottom = QHBoxLayout()
        bottom.addWidget(self.warnings, 1)
        bottom.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)  # the 8-px grid inside the tab frame
        layout.setSpacing(8)
        layout.addWidget(make_label("Frame the premortem", bold=True))
        layout.addWidget(make_label("Imagine the initiative has failed and ask why. Tick who is present from the "
                                "roster or add people by name: both Sales and Marketing.", muted=True))
        layout.addLayout(form)
        layout.addWidget(self.people, 1)
        layout.addLayout(add_row)
        layout.addLayout(bottom)
        self.name.returnPressed.connect(self.add_typed)
        self.add_button.clicked.connect(self.add_typed)
        self.start_button.clicked.connect(self._start)
        self.people.itemChanged.connect(lambda _: self._warn())

    def load(self, initiative: str, roster: list) -> None:
        self.initiative.setText(initiative)
        self.people.blockSignals(True)
        self.people.setRowCount(0)
        for participant in roster:
            roster = " · ".join(part for part in (participant.role, participant.team) if part)
            self._add_row(participant.name, ps.team_of(participant), participant.id, checked=False, roster=roster)
        self.people.blockSignals(False)
        self._warn()

    def _add_row(self, name: str, team: str, participant_id: int | None, checked: bool,
                 roster: str = "typed in") -> None:
        blocked = self.people.blockSignals(True)  # half-built rows must not reach _warn
        row = self.people.rowCount()
        self.people.insertRow(row)
        present = QTableWidgetItem()
        present.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        present.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        present.setData(Qt.ItemDataRole.UserRole, participant_id)
        self.people.setItem(row, 0, present)
        name_item = QTableWidgetItem(name)
        name_item.setFlags(name_item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.people.setItem(row, 1, name_item)
        roster_item = QTableWidgetItem(roster)
        roster_item.setFlags(roster_item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.people.setItem(row, 2, roster_item)
        team_box = QComboBox(editable=True)
        team_box.addItems(ps.TEAMS)
        team_box.setCurrentText(team)
        team_box.setAccessibleName(f"Team of {name}")
        team_box.currentTextChanged.connect(lambda _: self._warn())
        self.people.setCellWidget(row, 3, team_box)
        self.people.blockSignals(blocked)

    def add_typed(self) -> None:
        name = self.name.text().strip()
        if not name:
            return
        self._add_row(name, self.team.currentText().strip() or "Sales", None, checked=True)
        self.name.clear()
        self._warn()

    def set_present(self, name: str, present: bool = True) -> None:
        for row in range(self.people.rowCount()):
            if self.people.item(row, 1).text() == name:
                self.people.item(row, 0).setCheckState(Qt.CheckState.Checked if present else Qt.CheckState.Unchecked)

    def chosen(self) -> list[dict]:
        people = []
        for row in range(self.people.rowCount()):
            if self.people.item(row, 0).checkState() == Qt.CheckState.Checked:
                people.append({"name": self.people.item(row, 1).text(),
                               "team": self.people.cellWidget(row, 3).currentText().strip() or "Sales",
                               "participant_id": self.people.item(row, 0).data(Qt.ItemDataRole.UserRole)})
        return people

    def _warn(self) -> None:
        people = self.chosen()
        messages = ps.frame_warnings(people) if people else ["Tick or add the people present."]
        self.warnings.setText(" ".join(messages))

    def _start(self) -> None:
        self.start_requested.emit({"initiative": self.initiative.text(), "horizon": self.horizon.text(),
                                   "people": self.chosen(), "anonymous": self.anonymous.isChecked(),
                                   "dots_per_member": self.dots.value(),
                                   "max_dots_per_risk": self.per_item.value()})


class SessionView(QWidget):
    """Runs the session: every action goes through ``call`` (core function + refresh)."""

    changed = Signal()  # something was stored; the page announces it
    checklist_requested = Signal()  # the session is over: show the checklist

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.workshop_id: int | None = None
        self.snapshot = Snapshot(state=ps.SessionState(status="not_started"))
        self._ticks = 0
        self._frame_for: int | None = None

        self.frame = FramePanel()
        self.frame.start_requested.connect(self.start)

        self.phase_list = QListWidget()
        self.phase_list.setAccessibleName("Phases of the session")
        self.phase_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # shows progress; the buttons move it
        self.phase_list.setSpacing(3)
        for phase in ps.PHASES:
            self.phase_list.addItem(QListWidgetItem(f"{phase.number}. {phase.title}"))
        self.countdown = Countdown()
        self.countdown.tick.connect(self._on_tick)
        self.countdown.length_changed.connect(
            lambda minutes: self.call(ps.set_phase_minutes, number=self.snapshot.state.phase, minutes=minutes))
        self.countdown.pause_toggled.connect(self.toggle_pause)
        side = QVBoxLayout()
        side.setSpacing(8)
        side.addWidget(self.phase_list, 1)
        side.addWidget(self.countdown)
        side_widget = QWidget()
        side_widget.setLayout(side)
        side_widget.setFixedWidth(230)
        side.setContentsMargins(0, 0, 0, 0)

        self.phase_title = QLabel()
        font = QFont(self.phase_title.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.phase_title.setFont(font)
        self.instruction = make_label(muted=True)
        self.panels = [cls(self) for cls in PANELS]
        self.panel_stack = QStackedWidget()
        for panel in self.panels:
            self.panel_stack.addWidget(panel)
        self.back_button = action_button("Back", "Go back to the previous phase (nothing is lost)",
                                         name="Previous step")
        self.next_button = make_primary(action_button("Next step", "Move to the next phase", shortcut="Ctrl+Return"))
        self.back_button.clicked.connect(lambda: self.call(ps.go_back) is not None and self.focus_phase())
        self.next_button.clicked.connect(self.next_step)
        nav = QHBoxLayout()
        nav.addWidget(self.back_button)
        nav.addStretch(1)
        nav.addWidget(self.next_button)
        main = QVBoxLayout()
        main.setSpacing(8)
        main.addWidget(self.phase_title)
        main.addWidget(self.instruction)
        main.addWidget(self.panel_stack, 1)
        main.addLayout(nav)
        running = QHBoxLayout()
        running.setContentsMargins(8, 8, 8, 8)
        running.setSpacing(16)
        running.addWidget(side_widget)
        line = QFrame(frameShape=QFrame.Shape.VLine, frameShadow=QFrame.Shadow.Sunken)
        running.addWidget(line)
        running.addLayout(main, 1)
        self.running_view = QWidget()
        self.running_view.setLayout(running)
        self.finished_label = make_label()
        self.finished_label.setAccessibleName("Summary of the finished session")
        self.top_label = make_label()
        self.top_label.setAccessibleName("Top risks and their owners")
        self.top_label.setTextFormat(Qt.TextFormat.PlainText)
        self.new_button = action_button("Start a new session", "Frame and run another premortem")
        self.new_button.clicked.connect(self.show_frame)
        self.review_button = make_primary(action_button("Review the checklist",
                                                        "Show the checklist this session produced"))
        self.review_button.clicked.connect(self.checklist_requested.emit)
        finished = QVBoxLayout()
        finished.setSpacing(8)
        finished.addWidget(make_label("Premortem finished", bold=True))
        finished.addWidget(self.finished_label)
        finished.addWidget(make_label("Top risks", bold=True))
        finished.addWidget(self.top_label)
        row = QHBoxLayout()
        row.addWidget(self.review_button)
        row.addWidget(self.new_button)
        row.addStretch(1)
        finished.addLayout(row)
        finished.addStretch(1)
        self.finished_view = QWidget()
        self.finished_view.setLayout(finished)

        self.stack = QStackedWidget()
        for view in (self.frame, self.running_view, self.finished_view):
            self.stack.addWidget(view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # ------------------------------------------------------------ core calls
    def tell(self, message: str) -> None:
        self.context.tell(message)

    def call(self, function, *, scoped: bool = True, refresh: bool = True, **kwargs):
        """Run a core function in a fresh session; problems go to the status bar; None on failure."""
        if self.workshop_id is None:
            return None
        if scoped:
            kwargs["workshop_id"] = self.workshop_id
        try:
            with self.context.session() as session:
                result = function(session=session, **kwargs)
        except StoreError as error:
            self.tell(str(error))
            return None
        except SQLAlchemyError as error:  # locked or unreachable database: say so, change nothing
            self.tell(database_problem(error))
            return None
        self.changed.emit()
        if refresh:
            self.refresh()
        return result

    def update_risk(self, risk_id: int, **fields):
        """Save fields of one risk against the version this session shows (the stored risk, or
        None); a colleague's save meanwhile asks reload or keep mine (safe_write.keep_or_reload)."""
        risks = self.snapshot.risks
        shown = next((r for r in risks if r.id == risk_id), None)
        stored = keep_or_reload(self, lambda expected: self.call(
            premortem.update_risk, risk_id=risk_id, scoped=False, refresh=False, expected_version=expected, **fields),
            shown.version if shown is not None else None,
            typed=next((v for v in fields.values() if isinstance(v, str)), ""),
            on_reload=lambda: QTimer.singleShot(0, self.refresh))  # not inside the editor's own signal
        if stored is not None and shown is not None:  # the next edit of it expects this version
            risks[risks.index(shown)] = stored
        return stored

    def start(self, frame: dict) -> None:
        if self.call(ps.start_session, **frame) is not None:
            self.tell("Premortem started: brief the plan.")

    def next_step(self) -> None:
        self._save_clock()
        row = self.call(ps.advance)
        if row is not None and row.status == "finished":
            self.tell("Premortem finished: the checklist lives on in the Checklist tab.")
            self.checklist_requested.emit()
        elif row is not None:
            self.focus_phase()

    def focus_phase(self) -> None:
        """The new phase's main input gets the keyboard (not whatever sat next in the old one)."""
        panel = self.panel_stack.currentWidget()
        target = panel.main_input() if panel is not None else None
        (target or self.next_button).setFocus(Qt.FocusReason.OtherFocusReason)

    def toggle_pause(self, pause: bool) -> None:
        if pause:
            self.call(ps.pause_session, remaining_seconds=self.countdown.remaining)
        else:
            self.call(ps.resume_session)

    def _on_tick(self, remaining: int) -> None:
        self._ticks += 1
        if self._ticks % SAVE_CLOCK_EVERY == 0 or remaining == 0:
            self._save_clock()

    def _save_clock(self) -> None:
        if self.snapshot.state.status in ("running", "paused") and self.workshop_id is not None:
            with self.context.session() as session:
                ps.save_clock(session=session, workshop_id=self.workshop_id, remaining_seconds=self.countdown.remaining)

    # ------------------------------------------------------------ showing
    def set_workshop(self, workshop_id: int | None) -> None:
        if workshop_id != self.workshop_id:
            self.stop_clock()
        self.workshop_id = workshop_id
        self.refresh()

    def stop_clock(self) -> None:
        """Save and stop the clock (another workshop opens). Time keeps running while the
        facilitator looks at another tab or step, as it does in the room."""
        if self.countdown.running:
            self._save_clock()
            self.countdown.set_running(False)

    def reload_snapshot(self) -> Snapshot:
        with self.context.session() as session:
            state = ps.session_state(session=session, workshop_id=self.workshop_id)
            snap = Snapshot(state=state)
            if state.status in ("running", "paused"):
                snap.risks = premortem.list_risks(session=session, workshop_id=self.workshop_id)
                snap.plan = premortem.plan_summary(session=session, workshop_id=self.workshop_id)
                if state.phase == 1:
                    snap.plan_staleness = premortem.brief_staleness(session=session, workshop_id=self.workshop_id)
                snap.votes = {m["id"]: votes.member_votes(session=session, member_id=m["id"]) for m in state.members}
                snap.turn_member_id = ps.whose_turn(session=session, workshop_id=self.workshop_id).id
                snap.minutes = ps.current_session(session=session, workshop_id=self.workshop_id).phase_minutes
        self.snapshot = snap
        return snap

    def show_frame(self) -> None:
        """Fill the frame form afresh (default initiative, the roster) and show it."""
        with self.context.session() as session:
            self.frame.load(premortem.default_initiative(session=session, workshop_id=self.workshop_id),
                            list_participants(session=session, workshop_id=self.workshop_id))
        self._frame_for = self.workshop_id
        self.stack.setCurrentWidget(self.frame)

    def _show_finished(self, state: ps.SessionState) -> None:
        with self.context.session() as session:
            risks = premortem.list_risks(session=session, workshop_id=self.workshop_id)
            top = premortem.top_risks(session=session, workshop_id=self.workshop_id)
        when = state.finished_at.strftime("%Y-%m-%d") if state.finished_at else ""
        tigers = [r for r in risks if r.klass == "tiger"]
        captured = sum(r.session_id == state.session_id for r in risks)
        self.finished_label.setText(
            f"“{state.initiative}”, imagined {state.horizon}; finished {when} with "
            f"{', '.join(m['name'] for m in state.members)}. {counted(captured, 'reason')} captured, "
            f"{counted(len(tigers), 'tiger')}, each with an owner, a mitigation and a due date.")
        self.top_label.setText("\n".join(
            f"{n}. {r.title}" + (f"  ({r.owner}, due {r.due_date.isoformat()})" if r.owner and r.due_date else "")
            for n, r in enumerate(top, 1)) or "No open risk.")

    def refresh(self) -> None:
        if self.workshop_id is None:
            return
        snap = self.reload_snapshot()
        state = snap.state
        if state.status == "not_started":
            if self.stack.currentWidget() is not self.frame or self._frame_for != self.workshop_id:
                self.show_frame()  # keep what the facilitator is typing on later refreshes
            return
        if state.status == "finished":
            self.countdown.set_running(False)
            if self.stack.currentWidget() is not self.frame:
                self._show_finished(state)
                self.stack.setCurrentWidget(self.finished_view)
            return
        self.stack.setCurrentWidget(self.running_view)
        phase = ps.phase(state.phase)
        for row in range(self.phase_list.count()):
            item = self.phase_list.item(row)
            font = item.font()
            font.setBold(row + 1 == state.phase)
            item.setFont(font)
            done = row + 1 < state.phase
            item.setText(f"{'✓' if done else row + 1}  {ps.PHASES[row].title}")
        self.phase_list.setCurrentRow(state.phase - 1)
        self.phase_title.setText(f"{phase.number}. {phase.title}" + ("  (paused)" if state.status == "paused" else ""))
        self.instruction.setText(phase.instruction.format(horizon=state.horizon))
        panel = self.panels[state.phase - 1]
        panel.refresh(snap)
        self.panel_stack.setCurrentWidget(panel)
        self.back_button.setEnabled(state.phase > 1)
        self.next_button.setText("Finish session" if state.phase == len(ps.PHASES) else "Next step")
        self.countdown.show_phase(state.remaining_seconds or 0, int(snap.minutes.get(str(state.phase), phase.minutes)),
                                  running=state.status == "running")
        for widget in (self.panel_stack, self.next_button, self.back_button):
            widget.setEnabled(state.status == "running" and (widget is not self.back_button or state.phase > 1))
