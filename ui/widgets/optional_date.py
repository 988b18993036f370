"""A date field that may be empty ("Not set"): Delete clears it; opening it starts at today."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QDateEdit

EMPTY = QDate(2000, 1, 1)  # the minimum, shown as "Not set"


class OptionalDateEdit(QDateEdit):
    value_changed = Signal(object)  # date | None

    def __init__(self, value: date | None = None, parent=None):
        super().__init__(parent, calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.setMinimumDate(EMPTY)
        self.setSpecialValueText("Not set")
        self.setToolTip("Pick a date; Delete clears it")
        self.set_value(value)
        self.dateChanged.connect(lambda _: self.value_changed.emit(self.value()))

    def value(self) -> date | None:
        return None if self.date() == EMPTY else self.date().toPython()

    def set_value(self, value: date | None) -> None:
        blocked = self.blockSignals(True)
        self.setDate(QDate(value.year, value.month, value.day) if value else EMPTY)
        self.blockSignals(blocked)

    def _start_from_today(self) -> None:
        # an empty field would open its calendar in January 2000
        if self.date() == EMPTY:
            self.setDate(QDate.currentDate())

    def mousePressEvent(self, event) -> None:  # noqa: N802
        self._start_from_today()
        super().mousePressEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.date() != EMPTY:
            self.setDate(EMPTY)
            return
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_F4) or event.text().isdigit():
            self._start_from_today()
        super().keyPressEvent(event)
