"""BANT as four controls: need, budget and authority check boxes and a timeline in months."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from alignwork.interviews.guide import BANT_FLAGS
from alignwork_gui.widgets.answer_input import AnswerInput

NO_TIMELINE = -1


class BantInput(AnswerInput):
    def __init__(self, label: str = "Readiness", parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        self.boxes: dict[str, QCheckBox] = {}
        for flag in BANT_FLAGS:
            box = QCheckBox(flag.capitalize())
            box.setAccessibleName(f"{label}: {flag} required")
            box.setToolTip(f"Space ticks: the lead must have a {flag} before Sales takes it")
            box.toggled.connect(self._edited)
            self.boxes[flag] = box
            layout.addWidget(box)
        months_label = QLabel("Timeline")
        self.months = QSpinBox()
        self.months.setRange(NO_TIMELINE, 120)
        self.months.setSpecialValueText("no timeline")
        self.months.setSuffix(" months")
        self.months.setMinimumWidth(120)
        self.months.setValue(NO_TIMELINE)
        self.months.setAccessibleName(f"{label}: timeline in months")
        self.months.setToolTip("Months until they buy; type a number or use ↑ ↓ (lowest = no timeline)")
        months_label.setBuddy(self.months)
        self.months.valueChanged.connect(self._edited)
        layout.addWidget(months_label)
        layout.addWidget(self.months)
        layout.addStretch(1)
        self.setFocusProxy(self.boxes["need"])

    def value(self) -> dict | None:
        months = self.months.value()
        value = {flag: box.isChecked() for flag, box in self.boxes.items()}
        value["timeline_months"] = None if months == NO_TIMELINE else months
        if not any(value[flag] for flag in BANT_FLAGS) and value["timeline_months"] is None:
            return None  # nothing said yet
        return value

    def set_value(self, value) -> None:
        value = value if isinstance(value, dict) else {}
        for flag, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(bool(value.get(flag)))
            box.blockSignals(False)
        self.months.blockSignals(True)
        months = value.get("timeline_months")
        self.months.setValue(months if isinstance(months, int) else NO_TIMELINE)
        self.months.blockSignals(False)

    def _edited(self, *_args) -> None:
        self.changed.emit(self.value())
