"""The answer-settings pane of the Guide step: beside the question list, it edits how the
selected custom question is answered — a choice's options (add, rename with F2, Delete
removes), a number's or scale's lowest and highest value, a range's unit. Inline, no dialog.

It only reports intent by signals; the page asks the core and reloads.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFormLayout, QGridLayout, QGroupBox, QLineEdit, QListWidget, QListWidgetItem,
    QPushButton, QStackedWidget, QVBoxLayout, QWidget,
)

from alignwork.interviews.guide import Question
from alignwork.interviews.guide_settings import SCALE_LIMITS, UNIT_NAMES
from alignwork_gui.widgets.labels import make_label
from alignwork_gui.widgets.simple_inputs import choice_label, parse_number

OPTION_ROLE = Qt.ItemDataRole.UserRole
KIND_NOTES = {
    "text": "Text answers have no settings.",
    "tags": "Tag answers have no settings; earlier tags are offered as you type.",
    "bant": "BANT: need, budget, authority and a timeline in months.",
}


class AnswerSettingsPane(QGroupBox):
    options_changed = Signal(str, list)  # key, options in order
    option_renamed = Signal(str, str, str)  # key, old, new
    bounds_changed = Signal(str, object, object)  # key, lowest, highest (None = no limit)
    unit_changed = Signal(str, str)  # key, unit
    problem = Signal(str)  # input the pane itself cannot read

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Answer settings", parent)
        self.setAccessibleName("Answer settings of the selected question")
        self.setFixedWidth(248)
        self.question: Question | None = None
        self.heading = make_label("", bold=True)
        self.note = make_label("", muted=True)
        self.stack = QStackedWidget()
        self.stack.addWidget(QWidget())  # nothing to edit: the note says why
        self.stack.addWidget(self._build_options())
        self.stack.addWidget(self._build_bounds())
        self.stack.addWidget(self._build_unit())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        layout.addWidget(self.heading)
        layout.addWidget(self.note)
        layout.addWidget(self.stack, 1)
        self.show_question(None)

    # ------------------------------------------------------------ building
    def _build_options(self) -> QWidget:
        box = QWidget()
        self.options = QListWidget()
        self.options.setAccessibleName("Options of the choice")
        self.options.setToolTip("F2 renames the option (its answers follow) · Delete removes it · "
                                "Alt+↑/↓ moves it")
        self.options.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                     | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.options.itemChanged.connect(self._option_edited)
        for keys, slot in (("Delete", self.remove_option), ("Alt+Up", lambda: self.move_option(-1)),
                           ("Alt+Down", lambda: self.move_option(+1))):
            shortcut = QShortcut(QKeySequence(keys), self.options)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        self.new_option = QLineEdit()
        self.new_option.setAccessibleName("New option")
        self.new_option.setPlaceholderText("New option")
        self.new_option.setToolTip("Type an option and press Enter to add it")
        self.new_option.returnPressed.connect(self.add_option)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setAccessibleName("Remove the selected option")
        self.remove_button.setToolTip("Remove the selected option (Delete); refused while an answer uses it")
        self.remove_button.clicked.connect(self.remove_option)
        grid = QGridLayout(box)  # the list over the new-option line and the Remove button
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        grid.addWidget(self.options, 0, 0, 1, 2)
        grid.addWidget(self.new_option, 1, 0)
        grid.addWidget(self.remove_button, 1, 1)
        grid.setRowStretch(0, 1)
        return box

    def _build_bounds(self) -> QWidget:
        box = QWidget()
        self.lowest, self.highest = QLineEdit(), QLineEdit()
        for edit, name in ((self.lowest, "Lowest"), (self.highest, "Highest")):
            edit.setAccessibleName(f"{name} value accepted")
            edit.setMaximumWidth(120)
            edit.editingFinished.connect(self._bounds_edited)
        form = QFormLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        form.setSpacing(8)
        form.addRow("&Lowest", self.lowest)
        form.addRow("&Highest", self.highest)
        self.bounds_help = make_label("", muted=True)
        form.addRow(self.bounds_help)
        return box

    def _build_unit(self) -> QWidget:
        box = QWidget()
        self.unit = QComboBox()
        self.unit.setAccessibleName("What the range counts")
        for unit in ("employees", "usd", ""):
            self.unit.addItem(choice_label(UNIT_NAMES[unit]), unit)
        self.unit.activated.connect(lambda _i: self._unit_picked())
        form = QFormLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("&Counts", self.unit)
        return box

    # ------------------------------------------------------------ showing
    def show_question(self, question: Question | None) -> None:
        self.question = question
        if question is None:
            self.heading.setText("No question selected")
            self.note.setText("Select a question to see how it is answered.")
            self.stack.setCurrentIndex(0)
            return
        self.heading.setText(question.prompt)
        if question.kind in KIND_NOTES:
            self.note.setText(KIND_NOTES[question.kind])
            self.stack.setCurrentIndex(0)
        elif question.builtin:
            self.note.setText(self._fixed_description(question) + " Built-in: fixed, so synthesis can read it.")
            self.stack.setCurrentIndex(0)
        elif question.kind == "choice":
            self.note.setText("One option per answer. Renaming keeps the answers that chose it.")
            self._fill_options(question)
            self.stack.setCurrentIndex(1)
        elif question.kind in ("number", "scale"):
            self._fill_bounds(question)
            self.stack.setCurrentIndex(2)
        else:
            self.note.setText("Typed as said (“200-2000”, “5k+”) and read in this unit.")
            self.unit.setCurrentIndex(max(0, self.unit.findData(question.unit)))
            self.stack.setCurrentIndex(3)

    @staticmethod
    def _fixed_description(question: Question) -> str:
        if question.kind == "choice":
            return "Options: " + ", ".join(o.replace("_", " ") for o in question.options) + "."
        if question.kind == "range":
            return f"A range of {UNIT_NAMES.get(question.unit, question.unit)}."
        return f"From {question.minimum:g} to {question.maximum:g}."

    def _fill_options(self, question: Question) -> None:
        current = self.options.currentRow()
        self.options.blockSignals(True)
        self.options.clear()
        for option in question.options:
            item = QListWidgetItem(option)
            item.setData(OPTION_ROLE, option)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            self.options.addItem(item)
        self.options.setCurrentRow(min(max(current, 0), self.options.count() - 1))
        self.options.blockSignals(False)

    def _fill_bounds(self, question: Question) -> None:
        scale = question.kind == "scale"
        low, high = SCALE_LIMITS
        self.note.setText(f"A scale of whole numbers, {low}–{high}; each point is one key in the interview."
                          if scale else "Answers outside are shown to you and not saved.")
        for edit, bound in ((self.lowest, question.minimum), (self.highest, question.maximum)):
            edit.setText("" if bound is None else f"{bound:g}")
            edit.setPlaceholderText("" if scale else "no limit")
        self.bounds_help.setText("" if scale else "Leave empty for no limit. Enter or Tab saves.")

    def focus_first(self) -> None:
        """Put the keyboard in the first editor shown (Ctrl+E on the question list)."""
        first = {1: self.options, 2: self.lowest, 3: self.unit}.get(self.stack.currentIndex())
        if first is not None:
            first.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # ------------------------------------------------------------ reporting intent
    def _current_options(self) -> list[str]:
        return [self.options.item(row).data(OPTION_ROLE) for row in range(self.options.count())]

    def add_option(self) -> None:
        text = " ".join(self.new_option.text().split())
        if self.question is None or not text:
            return
        if text.casefold() in {option.casefold() for option in self._current_options()}:
            self.problem.emit(f"“{text}” is already an option")
            return
        self.new_option.clear()
        self.options_changed.emit(self.question.key, [*self._current_options(), text])

    def remove_option(self) -> None:
        row = self.options.currentRow()
        if self.question is not None and row >= 0:
            options = self._current_options()
            del options[row]
            self.options_changed.emit(self.question.key, options)

    def move_option(self, step: int) -> None:
        row = self.options.currentRow()
        options = self._current_options()
        if self.question is not None and 0 <= row and 0 <= row + step < len(options):
            options[row], options[row + step] = options[row + step], options[row]
            self.options.setCurrentRow(row + step)
            self.options_changed.emit(self.question.key, options)

    def _option_edited(self, item: QListWidgetItem) -> None:
        old = item.data(OPTION_ROLE)
        if self.question is not None and item.text() != old:
            self.option_renamed.emit(self.question.key, old, item.text())

    def _bounds_edited(self) -> None:
        if self.question is None or self.question.kind not in ("number", "scale"):
            return
        try:
            lowest, highest = parse_number(self.lowest.text()), parse_number(self.highest.text())
        except ValueError:
            self.problem.emit("The lowest and highest values must be numbers (or empty for no limit).")
            self._fill_bounds(self.question)
            return
        if (lowest, highest) != (self.question.minimum, self.question.maximum):
            self.bounds_changed.emit(self.question.key, lowest, highest)

    def _unit_picked(self) -> None:
        if self.question is not None and self.unit.currentData() != self.question.unit:
            self.unit_changed.emit(self.question.key, self.unit.currentData())
