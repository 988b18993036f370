"""Range input: type a range the way the rep says it ("200-2000", "5k+", "mid-market");
the line under it says how it was understood, or that it cannot be read.

The value is the text as typed (the guide stores spoken ranges verbatim)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from alignwork.ranges import parse_range, range_from_answer
from ui.widgets.answer_input import AnswerInput

EXAMPLES = {"employees": "e.g. 200-2000, 5k+, mid-market, under 50",
            "usd": "e.g. $10M-$50M, over 100 million, 1-5bn"}


class RangeInput(AnswerInput):
    def __init__(self, label: str = "Range", unit: str = "employees", parent: QWidget | None = None):
        super().__init__(parent)
        self.unit = unit
        self.edit = QLineEdit()
        self.edit.setAccessibleName(label)
        self.edit.setPlaceholderText(EXAMPLES.get(unit, "e.g. 10-50, 100+, under 20"))
        self.edit.setToolTip("Type it as said; the line below shows how it was understood")
        self.feedback = QLabel()
        self.feedback.setAccessibleName(f"{label}: how it was understood")
        self.feedback.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.edit)
        layout.addWidget(self.feedback)
        self.setFocusProxy(self.edit)
        self.edit.textEdited.connect(self._edited)
        self._show_understanding()

    def understood(self) -> str:
        text = self.edit.text().strip()
        if not text:
            return ""
        parsed = parse_range(text, self.unit or "employees")
        if parsed is None:
            return "Can't read that as a range — it is kept as typed."
        return "Understood as " + parsed.describe(self.unit or "employees")

    def value(self) -> str | None:
        return self.edit.text().strip() or None

    def set_value(self, value) -> None:
        if isinstance(value, dict):  # the structured form from a bundle: show it in words
            parsed = range_from_answer(value, self.unit or "employees")
            value = parsed.describe(self.unit or "employees") if parsed else ""
        self.edit.setText(value if isinstance(value, str) else "")
        self._show_understanding()

    def _edited(self, _text: str) -> None:
        self._show_understanding()
        self.changed.emit(self.value())

    def _show_understanding(self) -> None:
        message = self.understood()
        self.feedback.setText(message or " ")
        self.feedback.setEnabled(not message.startswith("Can't"))
        self.feedback.setStyleSheet("color: #b3261e;" if message.startswith("Can't") else "")


if __name__ == "__main__":
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    widget = RangeInput("Company size")
    widget.set_value("5k+")
    widget.show()
    app.exec()
