"""The base of the interview's answer inputs: one widget per question kind.

Every input reports a new value by ``changed(object)`` (None = no answer) and
takes a stored value by ``set_value`` without reporting it back.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget


class AnswerInput(QWidget):
    changed = Signal(object)

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def commit_pending(self) -> None:
        """Turn half-typed input into a value (a tag not yet entered); default: nothing pending."""
