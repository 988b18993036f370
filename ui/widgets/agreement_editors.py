"""Editors of the agreement step: the SLA form and the glossary table. They show values and
report edits by signal; the page saves them to the working draft."""

from __future__ import annotations

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDateEdit, QFormLayout, QHBoxLayout, QSpinBox, QTableWidget, QTableWidgetItem,
    QStyledItemDelegate, QVBoxLayout, QWidget,
)

from alignwork.definition.agreement import CADENCES, ServiceLevel
from ui.widgets.buttons import action_button
from ui.widgets.labels import make_label

SPINS = (("mql_follow_up_hours", "MQL follow-up (hours)", 1, 720),
         ("demo_follow_up_hours", "Demo request follow-up (hours)", 1, 720),
         ("contact_attempts", "Contact attempts", 1, 30),
         ("attempt_window_days", "…over (days)", 1, 90),
         ("rejection_return_days", "Return rejected leads within (business days)", 1, 30),
         ("recycle_after_days", "Nurture period (days)", 1, 730))


class ChoiceDelegate(QStyledItemDelegate):
    """Edit a table cell by picking one of a few choices (a signer's team)."""

    def __init__(self, choices: tuple[str, ...], parent=None):
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent, _option, _index):  # noqa: N802 (Qt name)
        combo = QComboBox(parent)
        combo.addItems(list(self.choices))
        combo.setAccessibleName("Team")
        return combo

    def setEditorData(self, editor, index):  # noqa: N802 (Qt name)
        editor.setCurrentText(index.data() or self.choices[0])

    def setModelData(self, editor, model, index):  # noqa: N802 (Qt name)
        model.setData(index, editor.currentText())


class SlaForm(QWidget):
    """Service-level fields; ``edited(key, value)`` when one is changed by the user."""

    edited = Signal(str, object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._loading = False
        outer = QVBoxLayout(self)
        self.hint = make_label(muted=True)
        # above the form, not a form row: QFormLayout gives a wrapped label the height of one
        # line at narrow widths, and the hint was cut off top and bottom
        outer.addWidget(self.hint)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)  # numbers need no full width
        outer.addLayout(form)
        outer.addStretch(1)
        self.fields: dict[str, QWidget] = {}
        for key, label, low, high in SPINS:
            spin = QSpinBox()
            spin.setRange(low, high)
            spin.setAccessibleName(label)
            spin.editingFinished.connect(lambda k=key: self._changed(k))
            self.fields[key] = spin
            form.addRow(label, spin)
        for key, label in (("review_meeting", "Review meeting"), ("full_review", "Full review")):
            combo = QComboBox()
            combo.addItems(list(CADENCES))
            combo.setAccessibleName(label)
            combo.activated.connect(lambda _=0, k=key: self._changed(k))
            self.fields[key] = combo
            form.addRow(label, combo)
        when = QDateEdit()
        when.setCalendarPopup(True)
        when.setDisplayFormat("yyyy-MM-dd")
        when.setAccessibleName("Next review")
        when.editingFinished.connect(lambda: self._changed("next_review"))
        self.fields["next_review"] = when
        form.addRow("Next review", when)

    def set_sla(self, sla: ServiceLevel, hint: str) -> None:
        self._loading = True
        self.hint.setText(hint)
        for key, widget in self.fields.items():
            value = getattr(sla, key)
            if isinstance(widget, QSpinBox):
                widget.setValue(value)
            elif isinstance(widget, QComboBox):
                widget.setCurrentText(value)
            else:
                widget.setDate(QDate(value.year, value.month, value.day) if value else QDate.currentDate())
        self._loading = False

    def value(self, key: str):
        widget = self.fields[key]
        if isinstance(widget, QSpinBox):
            return widget.value()
        if isinstance(widget, QComboBox):
            return widget.currentText()
        return widget.date().toPython()

    def _changed(self, key: str) -> None:
        if not self._loading:
            self.edited.emit(key, self.value(key))


class GlossaryEditor(QWidget):
    """Term/meaning rows edited in place; ``edited(entries)`` once every row has both, else
    ``incomplete()`` so the page can say what is missing."""

    edited = Signal(list)
    incomplete = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._loading = False
        box = QVBoxLayout(self)
        hint = make_label("The agreed meaning of each word, in this company's words. Edit a cell to change it; "
                          "changes go to the working draft.", muted=True)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(("Term", "Meaning"))
        self.table.setAccessibleName("Glossary")
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 160)
        self.table.setWordWrap(True)
        self.table.itemChanged.connect(self._changed)
        row = QHBoxLayout()
        row.addWidget(action_button("Add term", "Add a glossary row", on_click=self._add))
        row.addWidget(action_button("Remove term", "Remove the selected term", on_click=self._remove))
        row.addStretch()
        box.addWidget(hint)
        box.addWidget(self.table, 1)
        box.addLayout(row)

    def set_entries(self, entries: list[dict[str, str]]) -> None:
        self._loading = True
        self.table.setRowCount(0)
        for entry in entries:
            self._append(entry["term"], entry["meaning"])
        self.table.resizeRowsToContents()
        self._loading = False

    def entries(self) -> list[dict[str, str]]:
        cell = lambda r, c: self.table.item(r, c).text() if self.table.item(r, c) else ""  # noqa: E731
        return [{"term": cell(r, 0), "meaning": cell(r, 1)} for r in range(self.table.rowCount())]

    def _append(self, term: str, meaning: str) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(term))
        self.table.setItem(row, 1, QTableWidgetItem(meaning))
        return row

    def _changed(self, _item=None) -> None:
        if self._loading:
            return
        entries = self.entries()
        if any(not e["term"].strip() or not e["meaning"].strip() for e in entries):
            self.incomplete.emit()
        else:
            self.edited.emit(entries)

    def _add(self) -> None:
        self._loading = True
        row = self._append("", "")
        self._loading = False
        self.table.setCurrentCell(row, 0)
        self.table.editItem(self.table.item(row, 0))

    def _remove(self) -> None:
        items = self.table.selectedItems()
        if items:
            self.table.removeRow(items[0].row())
            self._changed()
