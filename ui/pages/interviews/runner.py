"""The interview runner: opening card, then the guide one section at a time, a clock,
notes one keystroke away, and every change handed to the autosave writer at once."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication, QFrame, QHBoxLayout, QPushButton, QScrollArea, QStackedWidget, QVBoxLayout, QWidget,
)

from alignwork.interviews import flow as core
from alignwork import store
from alignwork.models import Interview, Participant
from alignwork.interviews.guide import is_answered
from alignwork.interviews.kit import opening_script
from alignwork_gui.pages.interviews.notes import NotesPanel
from alignwork_gui.pages.interviews.question import QuestionBlock
from alignwork_gui.safe_write import try_write
from alignwork_gui.widgets.interview_timer import InterviewTimer
from alignwork_gui.widgets.labels import header_row, make_label
from alignwork_gui.widgets.simple_inputs import make_input
from alignwork_gui.widgets.tag_input import TagInput

FLUSH_SECONDS = 3  # how long the GUI waits for the writer when finishing or leaving
SHORTCUTS = {
    "next": "Ctrl+Down", "previous": "Ctrl+Up", "next_section": "Ctrl+PgDown", "previous_section": "Ctrl+PgUp",
    "pause": "Ctrl+Shift+Space", "finish": "Ctrl+Shift+Return", "back": "Alt+Left",
}


class InterviewRunner(QWidget):
    back_requested = Signal()
    finished = Signal(int)  # interview id

    def __init__(self, context, writer, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.writer = writer
        self.interview_id: int | None = None
        self.reviewing = False
        self.questions = []
        self.blocks: dict[str, QuestionBlock] = {}
        self.section_pages: list[QScrollArea] = []
        self.current_key: str | None = None
        self.answers: dict = {}
        self.setStyleSheet("QFrame#questionBlock { border-left: 3px solid transparent; }"
                           "QFrame#questionBlock[current=\"true\"] { border-left: 3px solid palette(highlight);"
                           " background: palette(alternate-base); }"
                           "QPushButton#primary { background: palette(highlight); color: palette(highlighted-text);"
                           " border: 1px solid palette(highlight); border-radius: 3px; padding: 5px 16px; }"
                           "QPushButton#primary:focus { border: 1px solid palette(text); }")

        self.rep_label = make_label("", bold=True, size=1.2)
        self.section_label = make_label("", muted=True)
        self.timer = InterviewTimer()
        self.timer.ticked.connect(lambda _s: self.save_position())
        header = header_row(self.rep_label, self.section_label, self.timer)

        self.pages = QStackedWidget()
        self.opening = self._build_opening()
        self.pages.addWidget(self.opening)
        self.notes = NotesPanel()
        self.notes.note_added.connect(self._note_added)
        self.notes.closed.connect(self._focus_current)
        self.notes.install_shortcuts(self)
        body = QHBoxLayout()
        body.setSpacing(8)
        body.addWidget(self.pages, 1)
        body.addWidget(self.notes)

        self.previous_button = self._button("◀ Previous", "Previous question", "previous", self.go_previous)
        self.next_button = self._button("Next ▶", "Next question", "next", self.go_next)
        self.back_button = self._button("Interview list", "Back to the interview list (the interview stays open)",
                                        "back", self.leave)
        self.finish_button = self._button("Finish interview", "Finish: stop the clock and store the duration",
                                          "finish", self.finish)
        self.finish_button.setObjectName("primary")
        footer = QHBoxLayout()
        footer.setSpacing(8)
        footer.addWidget(self.back_button)
        footer.addStretch(1)
        footer.addWidget(self.previous_button)
        footer.addWidget(self.next_button)
        footer.addSpacing(16)
        footer.addWidget(self.finish_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addLayout(body, 1)
        layout.addLayout(footer)
        self._shortcut("pause", self.timer.toggle)
        self._shortcut("next_section", lambda: self.go_section(+1))
        self._shortcut("previous_section", lambda: self.go_section(-1))
        QApplication.instance().focusChanged.connect(self._focus_changed)

    # ------------------------------------------------------------ building
    def _shortcut(self, name: str, slot) -> QShortcut:
        shortcut = QShortcut(QKeySequence(SHORTCUTS[name]), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
        return shortcut

    def _button(self, text: str, tip: str, shortcut: str, slot) -> QPushButton:
        button = QPushButton(text)
        keys = QKeySequence(SHORTCUTS[shortcut]).toString(QKeySequence.SequenceFormat.NativeText)
        button.setToolTip(f"{tip} ({keys})")
        button.setAccessibleName(tip)
        button.clicked.connect(slot)
        self._shortcut(shortcut, slot)
        return button

    def _build_opening(self) -> QWidget:
        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(12)
        layout.addWidget(make_label("Before the first question — say this", bold=True, size=1.3))
        self.script_labels = [make_label("") for _ in range(4)]
        for label in self.script_labels:
            layout.addWidget(label)
        self.begin_button = QPushButton("Begin interview — start the clock")
        self.begin_button.setAccessibleName("Begin interview and start the clock")
        self.begin_button.setToolTip("Begin the interview (Enter)")
        self.begin_button.setObjectName("primary")
        self.begin_button.clicked.connect(self.begin)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), card)
            enter.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            enter.activated.connect(self.begin)
        row = QHBoxLayout()
        row.addWidget(self.begin_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addSpacing(16)
        layout.addWidget(make_label("What we will cover", bold=True))
        self.plan_label = make_label("", muted=True)
        layout.addWidget(self.plan_label)
        layout.addStretch(1)
        return card

    def _clear_sections(self) -> None:
        for page in self.section_pages:
            self.pages.removeWidget(page)
            page.deleteLater()
        self.section_pages, self.blocks = [], {}

    def _build_sections(self, workshop_id: int, session) -> None:
        self._clear_sections()
        number = 0
        for _section, members in core.sections_of(self.questions):
            container = QWidget()
            column = QVBoxLayout(container)
            column.setContentsMargins(0, 0, 8, 0)
            column.setSpacing(8)
            for question in members:
                number += 1
                answer_input = make_input(question)
                answer_input.set_value(self.answers.get(question.key))
                if isinstance(answer_input, TagInput):
                    answer_input.set_suggestions(core.tag_suggestions(
                        session=session, workshop_id=workshop_id, key=question.key))
                answer_input.changed.connect(lambda value, q=question: self._answer_changed(q, value))
                block = QuestionBlock(number, question, answer_input)
                self.blocks[question.key] = block
                column.addWidget(block)
            column.addStretch(1)
            scroll = QScrollArea()
            scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from answer to answer, no dead stop
            scroll.setWidgetResizable(True)
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(container)
            self.section_pages.append(scroll)
            self.pages.addWidget(scroll)
        self._order_tabs()

    def _order_tabs(self) -> None:
        """Tab runs through a section's answers, then the footer, then the clock — as the page reads.
        (The sections are built after the footer, so by default they would come last.)"""
        if not self.section_pages:
            return
        container = self.section_pages[-1].widget()
        last, widget = None, container.nextInFocusChain()
        while container.isAncestorOf(widget):
            if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                last = widget
            widget = widget.nextInFocusChain()
        chain = [last, self.back_button, self.previous_button, self.next_button, self.finish_button,
                 self.timer.pause_button]
        for first, second in zip(chain, chain[1:]):
            if first is not None:
                QWidget.setTabOrder(first, second)

    # ------------------------------------------------------------ opening an interview
    def open(self, interview_id: int) -> None:
        """Show an interview: a planned one on its opening card, a running one where it stopped,
        a finished one for review (the clock stays as stored)."""
        with self.context.session() as session:
            interview = session.get(Interview, interview_id)
            participant = session.get(Participant, interview.participant_id)
            workshop = store.get_workshop(session=session, workshop_id=interview.workshop_id)
            self.questions = core.visible_questions(session=session, workshop_id=workshop.id)
            self.answers = store.answers_for(session=session, interview_id=interview_id)
            self._build_sections(workshop.id, session)
            self.notes.load(session, interview_id, {q.key: q.prompt for q in self.questions})
        self.interview_id = interview_id
        self.reviewing = interview.status == "done"
        self.current_key = None
        who = " · ".join(filter(None, [participant.role, participant.team]))
        self.rep_label.setText(participant.name + (f" — {who}" if who else ""))
        for label, text in zip(self.script_labels, opening_script(
                rep=participant.name.split()[0], company=workshop.company, minutes=workshop.target_minutes)):
            label.setText(text)
        self.script_labels[2].setFont(self.rep_label.font())
        elapsed = interview.duration_seconds if self.reviewing else interview.elapsed_seconds
        self.timer.start(elapsed or 0, workshop.target_minutes, running=interview.status == "in_progress")
        self.timer.pause_button.setVisible(interview.status == "in_progress")
        self.finish_button.setText("Done reviewing" if self.reviewing else "Finish interview")
        self.plan_label.setText("\n".join(
            f"{section} — {len(members)} question{'s' if len(members) != 1 else ''}"
            for section, members in core.sections_of(self.questions)))
        if interview.status == "planned":
            self.pages.setCurrentWidget(self.opening)
            self._update_header()
            self.begin_button.setFocus()
        else:
            keys = [q.key for q in self.questions]
            self.go_to(interview.current_key if interview.current_key in keys else (keys[0] if keys else None))

    def refresh_guide(self) -> None:
        """Rebuild the questions after the guide changed, keeping the place and the clock."""
        if self.interview_id is None:
            return
        self._commit_current()
        self.writer.flush(timeout=FLUSH_SECONDS)  # what it cannot write yet stays queued
        elapsed, running, key = self.timer.elapsed(), self.timer.running, self.current_key
        on_opening = self.pages.currentWidget() is self.opening
        self.open(self.interview_id)
        if not self.reviewing:
            self.timer.start(elapsed, self.timer.target_seconds // 60, running=running)
        if not on_opening and key in self.blocks:
            self.go_to(key)

    def begin(self) -> None:
        if self.interview_id is None or self.pages.currentWidget() is not self.opening:
            return
        if not self.questions:
            self.context.tell("Every question of this guide is hidden: show some on the Guide step first.", 8000)
            return
        interview_id = self.interview_id
        if not try_write(self.context, "Interview not started", lambda session: core.start_interview(
                session=session, interview_id=interview_id)):
            return
        self.timer.resume()
        self.timer.pause_button.show()
        self.go_to(self.questions[0].key if self.questions else None)

    # ------------------------------------------------------------ navigation
    def _section_index(self, key: str) -> int:
        sections = [name for name, _ in core.sections_of(self.questions)]
        return sections.index(next(q.section for q in self.questions if q.key == key))

    def go_to(self, key: str | None) -> None:
        if key is None or key not in self.blocks:
            self._update_header()
            return
        if key != self.current_key:
            self._commit_current()  # a half-typed tag is kept, and its suggestions close
        page = self.section_pages[self._section_index(key)]
        self.pages.setCurrentWidget(page)
        block = self.blocks[key]
        self._set_current(key)
        block.input.setFocus(Qt.FocusReason.ShortcutFocusReason)
        page.ensureWidgetVisible(block, 0, 16)

    def _step(self, step: int) -> None:
        if self.pages.currentWidget() is self.opening:
            if step > 0:
                self.begin()
            return
        keys = [q.key for q in self.questions]
        if self.current_key in keys:
            self.blocks[self.current_key].input.commit_pending()
            index = keys.index(self.current_key) + step
            if 0 <= index < len(keys):
                self.go_to(keys[index])
            elif index >= len(keys):
                self.finish_button.setFocus()

    def go_next(self) -> None:
        self._step(+1)

    def go_previous(self) -> None:
        self._step(-1)

    def go_section(self, step: int) -> None:
        if self.current_key is None:
            return self._step(step)
        sections = core.sections_of(self.questions)
        index = self._section_index(self.current_key) + step
        if 0 <= index < len(sections):
            self.go_to(sections[index][1][0].key)

    def _focus_changed(self, _old, new) -> None:
        if new is None or not self.isVisible():
            return
        for key, block in self.blocks.items():
            if block.isAncestorOf(new):
                if key != self.current_key:
                    self._set_current(key)
                return

    def _focus_current(self) -> None:
        if self.current_key in self.blocks:
            self.blocks[self.current_key].input.setFocus()
        else:
            self.begin_button.setFocus()

    def _set_current(self, key: str) -> None:
        if self.current_key in self.blocks:
            self.blocks[self.current_key].set_current(False)
        self.current_key = key
        self.blocks[key].set_current(True)
        self.notes.set_question(key, self.blocks[key].question.prompt)
        self._update_header()
        self.save_position()

    def _update_header(self) -> None:
        answered = core.count_answered(self.questions, self.answers)
        progress = f"{answered} of {len(self.questions)} answered"
        on_opening = self.pages.currentWidget() is self.opening
        for button in (self.previous_button, self.next_button, self.finish_button):
            button.setVisible(not on_opening)
        if self.current_key is None or on_opening:
            self.section_label.setText(f"Opening card · {progress}")
            return
        sections = core.sections_of(self.questions)
        index = self._section_index(self.current_key)
        mode = " · review" if self.reviewing else ""
        self.section_label.setText(f"Section {index + 1} of {len(sections)}: {sections[index][0]} · {progress}{mode}")

    # ------------------------------------------------------------ saving
    def _answer_changed(self, question, value) -> None:
        if self.interview_id is None:
            return
        self.answers[question.key] = value
        self.writer.set_answer(self.interview_id, question.key, value, question)
        if question.key != self.current_key and question.key in self.blocks:
            self._set_current(question.key)
        self._update_header()

    def save_position(self) -> None:
        if self.interview_id is not None and not self.reviewing and self.pages.currentWidget() is not self.opening:
            self.writer.set_position(self.interview_id, self.current_key, self.timer.elapsed())

    def _note_added(self, kind: str, text: str, key) -> None:
        if self.interview_id is not None:
            self.writer.add_note(self.interview_id, kind, text, key)

    def _commit_current(self) -> None:
        if self.current_key in self.blocks:
            self.blocks[self.current_key].input.commit_pending()

    def leave(self) -> None:
        """Back to the list; a running interview stays in progress and can be resumed."""
        if self.interview_id is not None:
            self._commit_current()
            if self.timer.running:
                self.timer.pause()
            self.save_position()
            if self.writer.flush(timeout=FLUSH_SECONDS, or_kept=True):
                self.context.saved("Review saved" if self.reviewing else "Interview kept in progress · saved")
            elif self.writer.kept:
                self.context.tell(f"Interview kept in progress · not in the database yet ({self.writer.problem}); "
                                  "kept on this computer and written once the database is back", 10000)
        self.interview_id = None
        self.back_requested.emit()

    def drop_removed(self) -> bool:
        """If the open interview was deleted elsewhere (its rep removed from the roster), close it
        without writing and say so; True when that happened."""
        if self.interview_id is None:
            return False
        with self.context.session() as session:
            if session.get(Interview, self.interview_id) is not None:
                return False
        self.timer.stop()
        self.interview_id = None
        self.context.tell(f"{self.rep_label.text()}: this interview was removed with its rep; nothing more is saved.",
                          10000)
        self.back_requested.emit()
        return True

    def finish(self) -> None:
        if self.interview_id is None:
            return
        self._commit_current()
        interview_id, elapsed = self.interview_id, self.timer.elapsed()
        # answers first, then the status change; a database that stays locked keeps the interview open
        if not self.writer.flush(timeout=FLUSH_SECONDS, or_kept=True):
            where = "on this computer" if self.writer.kept else "in memory"
            self.context.tell(f"Not finished: the answers are not in the database yet "
                              f"({self.writer.problem or 'the database is busy'}). Nothing is lost — they are kept "
                              f"{where} and retried; finish again once the database answers.", 10000)
            return
        if not self.reviewing and not try_write(
                self.context, "Interview not finished", lambda session: core.finish_interview(
                    session=session, interview_id=interview_id, elapsed_seconds=elapsed)):
            return
        self.timer.stop()
        self.interview_id = None
        answered = core.count_answered(self.questions, self.answers)
        if self.reviewing:
            self.context.tell(f"Review saved: {answered} of {len(self.questions)} answered")
        else:
            self.context.tell(f"Interview finished: {answered} of {len(self.questions)} answered in "
                              f"{core.format_duration(elapsed)}")
        self.finished.emit(interview_id)

    def has_answered(self, key: str) -> bool:
        return is_answered(self.answers.get(key))
