"""Editors of the agreement step: the SLA form and the glossary table. They show values and
report edits by signal; the page saves them to the working draft."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QFormLayout, QHBoxLayout, QSpinBox, QVBoxLayout, QWidget,
)

from alignwork.definition.agreement import CADENCES, ServiceLevel
from alignwork_gui.widgets.buttons import action_button
from alignwork_gui.widgets.editable_table import Column, RowsModel, rows_view
from alignwork_gui.widgets.labels import make_label

SPINS = (("mql_follow_up_hours", "MQL follow-up (hours)", 1, 720),
         ("demo_follow_up_hours", "Demo request follow-up (hours)", 1, 720),
         ("contact_attempts", "Contact attempts", 1, 30),
         ("attempt_window_days", "…over (days)", 1, 90),
         ("rejection_return_days", "Return rejected leads within (business days)", 1, 30),
         ("recycle_after_days", "Nurture period (days)", 1, 730))


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
        box = QVBoxLayout(self)
        hint = make_label("The agreed meaning of each word, in this company's words. Edit a cell to change it; "
                          "changes go to the working draft.", muted=True)
        self.model = RowsModel((Column("term", "Term"), Column("meaning", "Meaning")), self)
        self.model.edited.connect(self._changed)
        self.table = rows_view(self.model, "Glossary")
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 160)
        self.table.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(action_button("Add term", "Add a glossary row", on_click=self._add))
        row.addWidget(action_button("Remove term", "Remove the selected term", on_click=self._remove))
        row.addStretch()
        box.addWidget(hint)
        box.addWidget(self.table, 1)
        box.addLayout(row)

    def set_entries(self, entries: list[dict[str, str]]) -> None:
        self.model.set_rows([{"term": e["term"], "meaning": e["meaning"]} for e in entries])
        self.table.resizeRowsToContents()

    def entries(self) -> list[dict[str, str]]:
        return [{"term": str(r.get("term") or ""), "meaning": str(r.get("meaning") or "")} for r in self.model.rows]

    def _changed(self, *_edit) -> None:
        entries = self.entries()
        if any(not e["term"].strip() or not e["meaning"].strip() for e in entries):
            self.incomplete.emit()
        else:
            self.edited.emit(entries)

    def _add(self) -> None:
        index = self.model.index(self.model.append({"term": "", "meaning": ""}), 0)
        self.table.setCurrentIndex(index)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.table.edit(index)

    def _remove(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.model.remove(index.row())
            self._changed()
