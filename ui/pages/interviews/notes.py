"""The notes panel beside the runner: quote, surprise, pain or idea, attached to the
current question, each one keystroke away (Ctrl+Shift+Q/S/P/I); Enter keeps, Esc drops."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QGridLayout, QLabel, QLineEdit, QPushButton, QScrollArea, QStackedWidget, QVBoxLayout, QWidget,
)

from alignwork import store
from alignwork_gui.widgets.labels import make_label

NOTE_KEYS = {"quote": "Ctrl+Shift+Q", "surprise": "Ctrl+Shift+S", "pain": "Ctrl+Shift+P", "idea": "Ctrl+Shift+I"}
NOTE_MARKS = {"quote": "❝", "surprise": "!", "pain": "✗", "idea": "✦"}


class _NoteLine(QLineEdit):
    cancelled = Signal()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
            return
        super().keyPressEvent(event)


class NotesPanel(QWidget):
    note_added = Signal(str, str, object)  # kind, text, question key or None
    closed = Signal()  # the note editor closed: focus goes back to the answer

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFixedWidth(272)
        self.question_key: str | None = None
        self.kind = "quote"
        title = QLabel("<b>Notes</b>")
        self.target = make_label("On the opening", muted=True)
        self.target.setAccessibleName("Question the next note is attached to")
        grid = QGridLayout()
        grid.setSpacing(4)
        self.buttons: dict[str, QPushButton] = {}
        for index, (kind, keys) in enumerate(NOTE_KEYS.items()):
            button = QPushButton(f"{NOTE_MARKS[kind]} {kind.capitalize()}")
            native = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
            button.setToolTip(f"Note a {kind} on the current question ({native})")
            button.setAccessibleName(f"Add a {kind} note")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the shortcut is the keyboard way
            button.clicked.connect(lambda _=False, k=kind: self.start(k))
            self.buttons[kind] = button
            grid.addWidget(button, index // 2, index % 2)
        self.editor_label = QLabel()
        self.editor = _NoteLine()
        self.editor.setAccessibleName("Note text")
        self.editor.setToolTip("Enter keeps the note · Esc drops it")
        self.editor.returnPressed.connect(self._keep)
        self.editor.cancelled.connect(self._close_editor)
        editor_box = QWidget()
        editor_layout = QVBoxLayout(editor_box)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.setSpacing(4)
        editor_layout.addWidget(self.editor_label)
        editor_layout.addWidget(self.editor)
        self.editor_box = editor_box
        editor_box.hide()
        # labels in a scroll area rather than a list view: long notes always wrap in full
        self.list = QScrollArea()
        self.list.setAccessibleName("Notes of this interview")
        self.list.setWidgetResizable(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setBackgroundRole(QPalette.ColorRole.Base)
        self.note_box = QWidget()
        self.note_layout = QVBoxLayout(self.note_box)
        self.note_layout.setContentsMargins(8, 8, 8, 8)
        self.note_layout.setSpacing(8)
        self.note_layout.addStretch(1)
        self.list.setWidget(self.note_box)
        self.empty = make_label("No notes yet. Press Ctrl+Shift+Q for a quote, S for a surprise, "
                                "P for a pain, I for an idea — on the current question.", muted=True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.list)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(self.target)
        layout.addLayout(grid)
        layout.addWidget(editor_box)
        layout.addWidget(self.stack, 1)

    def install_shortcuts(self, scope: QWidget) -> None:
        """Make each note kind one keystroke away anywhere inside ``scope``."""
        for kind, keys in NOTE_KEYS.items():
            shortcut = QShortcut(QKeySequence(keys), scope)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda k=kind: self.start(k))

    def load(self, session, interview_id: int, prompts: dict[str, str]) -> None:
        self.prompts = prompts
        while self.note_layout.count() > 1:
            self.note_layout.takeAt(0).widget().deleteLater()
        for note in store.notes_for(session=session, interview_id=interview_id):
            self._show(note.kind, note.text, note.question)
        self.stack.setCurrentWidget(self.list if self.count() else self.empty)
        self.set_question(None, "")
        self._close_editor(refocus=False)

    def set_question(self, key: str | None, prompt: str) -> None:
        self.question_key = key
        self.target.setText(f"On: {prompt}" if key else "On the opening")

    def start(self, kind: str) -> None:
        self.kind = kind
        self.editor_label.setText(f"New {kind} — Enter keeps, Esc drops")
        self.editor.clear()
        self.editor_box.show()
        self.editor.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _keep(self) -> None:
        text = self.editor.text().strip()
        if text:
            self.note_added.emit(self.kind, text, self.question_key)
            self._show(self.kind, text, self.question_key)
        self._close_editor()

    def _close_editor(self, refocus: bool = True) -> None:
        if refocus:  # before hiding: else Qt hands the focus to some neighbour, which becomes current
            self.closed.emit()
        self.editor.clear()
        self.editor_box.hide()

    def _show(self, kind: str, text: str, key: str | None) -> None:
        label = make_label(f"{NOTE_MARKS.get(kind, '')} {text}")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where = getattr(self, "prompts", {}).get(key or "", "the opening")
        label.setToolTip(f"{kind.capitalize()} on: {where}")
        label.setAccessibleName(f"{kind.capitalize()} note")
        self.note_layout.insertWidget(self.note_layout.count() - 1, label)
        self.stack.setCurrentWidget(self.list)
        QTimer.singleShot(0, lambda: self.list.verticalScrollBar().setValue(self.list.verticalScrollBar().maximum()))

    def count(self) -> int:
        return self.note_layout.count() - 1  # the stretch at the end
