"""Answer inputs for text, number, choice and scale questions, and ``make_input`` for any kind."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSizePolicy, QVBoxLayout,
    QWidget,
)

from alignwork.interviews.guide import AnswerError, Question, validate_answer
from alignwork_gui.widgets.answer_input import AnswerInput, CheckedLineInput
from alignwork_gui.widgets.labels import PROBLEM_COLOUR


def parse_number(text: str) -> int | float | None:
    """A number as people type it: "40", "40 %", "2,5", "1,000", "1 000"; "" → None.
    Raises ValueError on anything else."""
    text = text.strip().rstrip("%").strip().replace(" ", "")
    if not text:
        return None
    # "1,000" groups thousands; "2,5" is a European decimal
    text = text.replace(",", "") if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", text) else text.replace(",", ".")
    number = float(text)
    return int(number) if number.is_integer() else number


class TextInput(AnswerInput):
    def __init__(self, label: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.edit = QPlainTextEdit()
        self.edit.setAccessibleName(label)
        self.edit.setTabChangesFocus(True)  # Tab leaves the field, as in a form
        self.edit.setPlaceholderText("Their words, as close as you can")
        self.edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(lambda: self.changed.emit(self.value()))

    def value(self) -> str | None:
        text = self.edit.toPlainText()
        return text if text.strip() else None

    def set_value(self, value) -> None:
        self.edit.blockSignals(True)
        self.edit.setPlainText(value if isinstance(value, str) else "")
        self.edit.blockSignals(False)


class NumberInput(CheckedLineInput):
    """A number typed freely; out-of-range or unreadable input is shown, not saved."""

    def __init__(self, question: Question, parent: QWidget | None = None):
        super().__init__(parent)
        self.question = question
        self.edit = QLineEdit()
        self.edit.setAccessibleName(question.prompt)
        self.edit.setMaximumWidth(160)
        bounds = [f"{b:g}" for b in (question.minimum, question.maximum) if b is not None]
        self.edit.setPlaceholderText("–".join(bounds) if len(bounds) == 2 else "a number")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {PROBLEM_COLOUR};")
        self.problem.setAccessibleName(f"{question.prompt}: problem")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.edit)
        layout.addWidget(self.problem, 1)
        self.setFocusProxy(self.edit)
        self.edit.textEdited.connect(self._edited)
        self._track(self.edit)

    def set_value(self, value) -> None:
        self._stored(value)
        self.edit.setText("" if value is None else f"{value:g}" if isinstance(value, float) else str(value))
        self.problem.clear()

    def _edited(self, text: str) -> None:
        try:
            value = validate_answer(self.question, parse_number(text))
        except ValueError as error:  # AnswerError is a ValueError too
            self._refuse()
            reason = error.message if isinstance(error, AnswerError) else "that is not a number"
            kept = "nothing is stored" if self._saved is None else f"the answer stays {self._saved:g}"
            self.problem.setText(f"Not saved: {reason}; {kept}.")
            return
        self.problem.clear()
        self._accept(value)


def choice_label(option: str) -> str:
    """"fewer_better" → "Fewer better"; "LinkedIn" stays "LinkedIn" (only the first letter is raised)."""
    text = option.replace("_", " ")
    return text[:1].upper() + text[1:]


class ChoiceInput(AnswerInput):
    def __init__(self, question: Question, parent: QWidget | None = None):
        super().__init__(parent)
        self.combo = QComboBox()
        self.combo.setAccessibleName(question.prompt)
        self.combo.setToolTip("↑ ↓ or the first letter picks an option")
        self.combo.addItem("— no answer —", None)
        for option in question.options:
            self.combo.addItem(choice_label(option), option)
        self.combo.setMinimumWidth(200)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addStretch(1)
        self.setFocusProxy(self.combo)
        self.combo.currentIndexChanged.connect(lambda _i: self.changed.emit(self.value()))

    def value(self):
        return self.combo.currentData()

    def set_value(self, value) -> None:
        self.combo.blockSignals(True)
        index = self.combo.findData(value) if value is not None else 0
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.blockSignals(False)


class ScaleInput(AnswerInput):
    """The scale's points as buttons (1–5 unless the guide says otherwise); a digit key picks,
    Delete (or 0 when 0 is not a point) clears, ← → step."""

    BASE_STYLE = ("ScaleInput { border: 1px solid transparent; border-radius: 4px; padding: 2px; }"
                  "QPushButton:checked { background: palette(highlight); color: palette(highlighted-text); }")

    def __init__(self, question: Question, parent: QWidget | None = None):
        super().__init__(parent)
        self.low = int(question.minimum if question.minimum is not None else 1)
        self.high = int(question.maximum if question.maximum is not None else 5)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)  # for the focus frame
        self.setAccessibleName(question.prompt)
        clear = "Delete clears" if self.low == 0 else "0 or Delete clears"
        self.setToolTip(f"Press {self.low}–{self.high} to rate; {clear}")
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(4)
        for number in range(self.low, self.high + 1):
            button = QPushButton(str(number))
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the widget itself takes the keys
            button.setFixedWidth(40)
            button.setAccessibleName(f"Rate {number}")
            self.group.addButton(button, number)
            layout.addWidget(button)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.setStyleSheet(self.BASE_STYLE)
        self.group.idClicked.connect(self._clicked)
        self._value: int | None = None

    def value(self) -> int | None:
        return self._value

    def set_value(self, value) -> None:
        self._value = value if isinstance(value, int) and self.low <= value <= self.high else None
        for button in self.group.buttons():
            button.setChecked(self.group.id(button) == self._value)

    def _choose(self, value: int | None) -> None:
        self.set_value(value)
        self.changed.emit(self._value)

    def _clicked(self, number: int) -> None:
        self._choose(None if number == self._value and not self.group.button(number).isChecked() else number)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        text = event.text()
        if text.isdigit() and self.low <= int(text) <= self.high and event.modifiers() in (
                Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
            self._choose(int(text))
        elif event.key() in (Qt.Key.Key_0, Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._choose(None)
        elif event.key() == Qt.Key.Key_Right:
            self._choose(min(self.high, (self._value or self.low - 1) + 1))
        elif event.key() == Qt.Key.Key_Left:
            self._choose(max(self.low, (self._value or self.low + 1) - 1))
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:  # noqa: N802
        self.setStyleSheet(self.BASE_STYLE.replace("transparent", "palette(highlight)"))
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802
        self.setStyleSheet(self.BASE_STYLE)
        super().focusOutEvent(event)


def make_input(question: Question) -> AnswerInput:
    """The input widget for a question's kind."""
    from alignwork_gui.widgets.bant_input import BantInput
    from alignwork_gui.widgets.range_input import RangeInput
    from alignwork_gui.widgets.tag_input import TagInput

    kind = question.kind
    if kind == "tags":
        return TagInput(question.prompt)
    if kind == "range":
        return RangeInput(question.prompt, question.unit)
    if kind == "bant":
        return BantInput(question.prompt)
    if kind == "scale":
        return ScaleInput(question)
    if kind == "number":
        return NumberInput(question)
    if kind == "choice":
        return ChoiceInput(question)
    return TextInput(question.prompt)
