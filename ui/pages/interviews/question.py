"""One question of the interview runner: number and prompt, the hint, the answer input."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QVBoxLayout

from alignwork_gui.widgets.answer_input import AnswerInput
from alignwork_gui.widgets.labels import make_label


class QuestionBlock(QFrame):
    """One question: number and prompt, the hint, the input. Marked while current."""

    def __init__(self, number: int, question, answer_input: AnswerInput):
        super().__init__()
        self.question = question
        self.input = answer_input
        self.setObjectName("questionBlock")
        self.setProperty("current", False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(4)
        layout.addWidget(make_label(f"{number}. {question.prompt}", bold=True))
        if question.hint:
            layout.addWidget(make_label(question.hint, muted=True))
        if question.kind == "scale":
            layout.addWidget(answer_input, 0, Qt.AlignmentFlag.AlignLeft)
        else:
            layout.addWidget(answer_input)

    def set_current(self, current: bool) -> None:
        self.setProperty("current", current)
        self.style().unpolish(self)
        self.style().polish(self)
