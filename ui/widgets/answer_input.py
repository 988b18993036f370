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


class CheckedLineInput(AnswerInput):
    """An answer typed in one line and checked at every keystroke (numbers, ranges).

    Readable text is saved at once. Unreadable text is not, and the answer goes back to
    what it was before this edit — so typing "140" where 0–100 fits never leaves the
    "14" typed on the way stored."""

    def _track(self, edit) -> None:
        self._saved = self._before = None
        edit.editingFinished.connect(self._edit_finished)

    def value(self) -> Any:
        return self._saved

    def _stored(self, value: Any) -> None:
        """A value set from the database (not an edit)."""
        self._saved = self._before = value

    def _accept(self, value: Any) -> None:
        if value != self._saved:
            self._saved = value
            self.changed.emit(value)

    def _refuse(self) -> None:
        if self._saved != self._before:
            self._saved = self._before
            self.changed.emit(self._before)

    def _edit_finished(self) -> None:
        self._before = self._saved
