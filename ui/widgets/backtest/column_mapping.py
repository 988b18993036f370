"""The lead file's columns and what each one means: an editable mapping table.

One row per file column (its name, a few example values, and a combo box for
the attribute it feeds) plus one combo for the outcome column. Every change is
reported at once by ``changed``; the page remembers it.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget,
)

from alignwork.backtest.mapping import TARGET_TITLES, Mapping, set_target
from alignwork_gui.widgets.editable_table import keyboard_table

NOT_USED = "— not used —"
NO_OUTCOME = "— no outcome column —"


class ColumnMappingView(QWidget):
    changed = Signal(object)  # Mapping

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.columns: list[str] = []
        self.mapping = Mapping()
        self._filling = False

        self.outcome = QComboBox()
        self.outcome.setAccessibleName("Outcome column")
        self.outcome.setToolTip("The column saying whether a lead was won/accepted or lost/rejected; "
                                "with it the back-test shows conversion and lift")
        self.outcome.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.outcome.currentIndexChanged.connect(self._outcome_changed)
        self.outcome_values = QLabel()
        self.outcome_values.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.outcome_values.setWordWrap(True)
        outcome_row = QHBoxLayout()
        outcome_row.setSpacing(8)
        label = QLabel("Outcome colum&n:")
        label.setBuddy(self.outcome)
        outcome_row.addWidget(label)
        outcome_row.addWidget(self.outcome)
        outcome_row.addWidget(self.outcome_values, 1)

        self.table = QTableWidget(0, 3)
        keyboard_table(self.table)  # Tab leaves it, arrows move inside
        self.table.setAccessibleName("Column mapping")
        self.table.setHorizontalHeaderLabels(["Column in the file", "Example values", "Scored as"])
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(outcome_row)
        layout.addWidget(self.table, 1)

    def set_columns(self, columns: list[str], examples: dict[str, list[str]], mapping: Mapping) -> None:
        """Show a file's columns with ``mapping`` selected."""
        self._filling = True
        self.columns, self.mapping = list(columns), Mapping(dict(mapping.columns), mapping.outcome_column)
        self.table.setRowCount(len(columns))
        for row, column in enumerate(columns):
            name = QTableWidgetItem(column)
            name.setToolTip(column)
            self.table.setItem(row, 0, name)
            shown = ", ".join(value for value in examples.get(column, []) if value)[:160]
            sample = QTableWidgetItem(shown or "(empty)")
            sample.setToolTip(shown)
            sample.setForeground(self.palette().placeholderText())
            self.table.setItem(row, 1, sample)
            combo = QComboBox()
            combo.setAccessibleName(f"Attribute scored from column {column}")
            combo.addItem(NOT_USED, None)
            for attribute, title in TARGET_TITLES.items():
                combo.addItem(title, attribute)
            combo.setCurrentIndex(max(0, combo.findData(self.mapping.columns.get(column))))
            combo.currentIndexChanged.connect(lambda _index, c=column, box=combo: self._column_changed(c, box))
            self.table.setCellWidget(row, 2, combo)
        self.outcome.clear()
        self.outcome.addItem(NO_OUTCOME, None)
        for column in columns:
            self.outcome.addItem(column, column)
        self.outcome.setCurrentIndex(max(0, self.outcome.findData(self.mapping.outcome_column)))
        self._filling = False
        self._describe_outcome()

    def combo_for(self, column: str) -> QComboBox:
        return self.table.cellWidget(self.columns.index(column), 2)

    def _column_changed(self, column: str, combo: QComboBox) -> None:
        if self._filling:
            return
        set_target(self.mapping, column, combo.currentData())
        # one column per attribute: another column that had it now shows "not used"
        self._filling = True
        for other in self.columns:
            box = self.combo_for(other)
            box.setCurrentIndex(max(0, box.findData(self.mapping.columns.get(other))))
        self._filling = False
        self.changed.emit(self.mapping)

    def _outcome_changed(self) -> None:
        if self._filling:
            return
        self.mapping.outcome_column = self.outcome.currentData()
        self._describe_outcome()
        self.changed.emit(self.mapping)

    def _describe_outcome(self) -> None:
        self.outcome_values.setText(
            "won, closed won, accepted, converted, qualified, yes… count as won; lost, rejected, unqualified, "
            "no… as lost; other values (open, new) are left out" if self.mapping.outcome_column else
            "Without an outcome column the back-test shows volumes and stages, not conversion.")
