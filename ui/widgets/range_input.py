"""Range input: type a range the way the rep says it ("200-2000", "5k+", "mid-market");
the line under it says how it was understood — or, when it cannot be read, why, and
that it was not saved (the last readable answer stays).

The value is the text as typed (the guide stores spoken ranges verbatim)."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from alignwork.synthesis.ranges import Range, parse_range, range_from_answer
from alignwork_gui.widgets.answer_input import CheckedLineInput
from alignwork_gui.widgets.labels import PROBLEM_COLOUR

EXAMPLES = {"employees": ("200-2000", "5k+", "mid-market", "under 50"),
            "usd": ("$10M-$50M", "over 100 million", "1-5bn"),
            "": ("10-50", "100+", "under 20")}
UNIT_WORDS = {"employees": "a number of employees", "usd": "an amount of US dollars", "": "a range of numbers"}


def describe(parsed: Range, unit: str) -> str:
    """How a range reads in its unit (a plain range has no unit word)."""
    text = parsed.describe(unit or "employees")
    return text.removesuffix(" employees") if not unit else text


class RangeInput(CheckedLineInput):
    def __init__(self, label: str = "Range", unit: str = "employees", parent: QWidget | None = None):
        super().__init__(parent)
        self.unit = unit if unit in EXAMPLES else ""
        self.edit = QLineEdit()
        self.edit.setAccessibleName(label)
        self.edit.setPlaceholderText("e.g. " + ", ".join(EXAMPLES[self.unit]))
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
        self._track(self.edit)
        self._show_understanding()

    def _parsed(self, text: str) -> Range | None:
        return parse_range(text, self.unit)

    def understood(self) -> str:
        text = self.edit.text().strip()
        if not text:
            return ""
        parsed = self._parsed(text)
        if parsed is None:
            examples = ", ".join(f"“{e}”" for e in EXAMPLES[self.unit][:3])
            kept = f"; the answer stays “{self._saved}”" if self._saved else ""
            return f"Can't read “{text}” as {UNIT_WORDS[self.unit]} — not saved{kept}. Try {examples}."
        return "Understood as " + describe(parsed, self.unit)

    def set_value(self, value) -> None:
        if isinstance(value, dict):  # the structured form from a bundle: show it in words
            parsed = range_from_answer(value, self.unit or "employees")
            value = describe(parsed, self.unit) if parsed else ""
        self._stored(value if isinstance(value, str) and value.strip() else None)
        self.edit.setText(value if isinstance(value, str) else "")
        self._show_understanding()

    def _edited(self, text: str) -> None:
        text = text.strip()
        if not text or self._parsed(text) is not None:
            self._accept(text or None)
        else:
            self._refuse()
        self._show_understanding()

    def _show_understanding(self) -> None:
        message = self.understood()
        problem = message.startswith("Can't")
        self.feedback.setText(message or "Not answered yet")
        self.feedback.setForegroundRole(QPalette.ColorRole.WindowText if message
                                        else QPalette.ColorRole.PlaceholderText)
        self.feedback.setStyleSheet(f"color: {PROBLEM_COLOUR};" if problem else "")


if __name__ == "__main__":
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    widget = RangeInput("Company size")
    widget.set_value("5k+")
    widget.show()
    app.exec()
