"""Panels of the last three premortem phases: dot voting, scoring and classifying, and
owners with mitigations and due dates for every tiger."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QSpinBox, QTableWidgetItem,
)

from alignwork.premortem import votes
from alignwork.models import Risk
from alignwork.premortem.checklist import CLASS_TITLES
from alignwork_gui.widgets.buttons import action_button
from alignwork_gui.widgets.labels import LONG_NAME, counted, make_label
from alignwork_gui.widgets.optional_date import OptionalDateEdit
from alignwork_gui.widgets.premortem.phases import PhasePanel, Snapshot, plain_table


class VotePanel(PhasePanel):
    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self.member = QComboBox()
        self.member.setAccessibleName("Person voting")
        self.left = QLabel()
        self.left.setAccessibleName("Dots left")
        self.dots = QSpinBox(minimum=1, maximum=20, prefix="Dots each: ")
        self.dots.setAccessibleName("Dots per person")
        self.per_item = QSpinBox(minimum=1, maximum=20, prefix="Max per item: ")
        self.per_item.setAccessibleName("Most dots one person may put on one item")
        self.table = plain_table(["Risk", "Their dots", "Total"], "Items to vote on")
        self.add_button = action_button("Add dot", "Add this person's dot to the selected item",
                                        name="Add a dot to the selected item", shortcut="+")
        self.remove_button = action_button("Take back", "Take back this person's dot from the selected item",
                                           name="Take back a dot from the selected item", shortcut="-")
        top = QHBoxLayout()
        top.addWidget(QLabel("Voting:"))
        top.addWidget(self.member, 1)
        top.addWidget(self.left)
        top.addStretch(1)
        # the rules sit below the table: one row for all of it was too wide for a 1024-px window
        bottom = QHBoxLayout()
        bottom.addWidget(self.dots)
        bottom.addWidget(self.per_item)
        bottom.addStretch(1)
        bottom.addWidget(self.remove_button)
        bottom.addWidget(self.add_button)
        self.layout_.addLayout(top)
        self.layout_.addWidget(self.table, 1)
        self.layout_.addLayout(bottom)
        self.member.currentIndexChanged.connect(lambda _: self.controller.refresh())
        self.add_button.clicked.connect(lambda: self._vote(votes.cast_vote))
        self.remove_button.clicked.connect(lambda: self._vote(votes.remove_vote))
        self.table.cellDoubleClicked.connect(lambda *_: self._vote(votes.cast_vote))
        for spin in (self.dots, self.per_item):
            spin.editingFinished.connect(self._rules)

    def member_id(self) -> int | None:
        return self.member.currentData()

    def current_risk_id(self) -> int | None:
        item = self.table.item(self.table.currentRow(), 0)
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def vote(self, member_id: int, risk_id: int, *, add: bool = True):
        function = votes.cast_vote if add else votes.remove_vote
        return self.controller.call(function, member_id=member_id, risk_id=risk_id, scoped=add)

    def _vote(self, function) -> None:
        risk_id, member_id = self.current_risk_id(), self.member_id()
        if risk_id is None or member_id is None:
            self.controller.tell("Select an item first.")
            return
        self.vote(member_id, risk_id, add=function is votes.cast_vote)

    def _rules(self) -> None:
        state = self.controller.snapshot.state
        if (self.dots.value(), self.per_item.value()) != (state.dots_per_member, state.max_dots_per_risk):
            self.controller.call(votes.set_vote_rules, dots_per_member=self.dots.value(),
                                 max_dots_per_risk=self.per_item.value())

    def refresh(self, snap: Snapshot) -> None:
        current = self.member_id()
        self.member.blockSignals(True)
        self.member.clear()
        for member in snap.state.members:
            self.member.addItem(f"{member['name']} ({member['team']})", member["id"])
        index = self.member.findData(current)
        self.member.setCurrentIndex(max(0, index))
        self.member.blockSignals(False)
        for spin, value in ((self.dots, snap.state.dots_per_member), (self.per_item, snap.state.max_dots_per_risk)):
            spin.blockSignals(True)
            spin.setValue(value)
            spin.blockSignals(False)
        mine = snap.votes.get(self.member_id(), {})
        used = sum(mine.values())
        self.left.setText(f"{snap.state.dots_per_member - used} of {snap.state.dots_per_member} dots left")
        row_before, risk_before = self.table.currentRow(), self.current_risk_id()
        self.table.setRowCount(len(snap.risks))
        for row, risk in enumerate(snap.risks):
            title = QTableWidgetItem(risk.title)
            title.setData(Qt.ItemDataRole.UserRole, risk.id)
            title.setToolTip(risk.description)
            cells = [title, QTableWidgetItem("●" * mine.get(risk.id, 0)), QTableWidgetItem(str(risk.votes))]
            for column, cell in enumerate(cells):
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, cell)
        # the most voted come first, so a dot can move its risk: the selection follows the risk
        row = next((r for r, risk in enumerate(snap.risks) if risk.id == risk_before), None)
        self.table.setCurrentCell(row if row is not None else max(0, min(row_before, len(snap.risks) - 1)), 0)


class ScorePanel(PhasePanel):
    """Likelihood and impact 1–5 and a class per item, saved as soon as they change."""

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self.layout_.addWidget(make_label("Tiger: a real threat. Paper tiger: looks scary, is not. "
                                      "Elephant: everyone knows, nobody says.", muted=True))
        self.table = plain_table(["Risk", "Votes", "Likelihood", "Impact", "Score", "Class"], "Items to score")
        self.layout_.addWidget(self.table, 1)

    def refresh(self, snap: Snapshot) -> None:
        risks = sorted(snap.risks, key=lambda r: (-r.votes, r.position))
        self.table.setRowCount(len(risks))
        for row, risk in enumerate(risks):
            title = QTableWidgetItem(risk.title)
            title.setData(Qt.ItemDataRole.UserRole, risk.id)
            title.setToolTip(risk.description)
            self.table.setItem(row, 0, title)
            self.table.setItem(row, 1, QTableWidgetItem(str(risk.votes)))
            self.table.setItem(row, 4, QTableWidgetItem(str(risk.score or "–")))
            for column, name in ((2, "likelihood"), (3, "impact")):
                spin = QSpinBox(minimum=0, maximum=5, specialValueText="–")
                spin.setValue(getattr(risk, name) or 0)
                spin.setAccessibleName(f"{name.title()} of {risk.title}")
                spin.valueChanged.connect(lambda value, r=risk.id, n=name: self._save(r, **{n: value or None}))
                self.table.setCellWidget(row, column, spin)
            combo = QComboBox()
            combo.setAccessibleName(f"Class of {risk.title}")
            combo.addItem("Not classified", "")
            for key, text in CLASS_TITLES.items():
                combo.addItem(text, key)
            combo.setCurrentIndex(max(0, combo.findData(risk.klass or "")))
            combo.currentIndexChanged.connect(lambda _, r=risk.id, c=combo: self._save(r, klass=c.currentData()))
            self.table.setCellWidget(row, 5, combo)

    def _save(self, risk_id: int, **fields) -> None:
        risk = self.controller.update_risk(risk_id, **fields)
        if risk is not None:
            for row in range(self.table.rowCount()):
                if self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) == risk_id:
                    self.table.item(row, 4).setText(str(risk.score or "–"))


class OwnersPanel(PhasePanel):
    """Owner, mitigation and due date for every tiger (the session cannot finish without them)."""

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self.missing = make_label()
        self.missing.setAccessibleName("Tigers still missing a plan")
        self.table = plain_table(["Tiger", "Owner", "Mitigation", "Due"], "Tigers to assign")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(1, self.fontMetrics().horizontalAdvance(LONG_NAME) + 32)  # the whole name shows
        self.empty = make_label("No item is classified as a tiger. Go back to scoring if one should be.", muted=True)
        self.layout_.addWidget(self.missing)
        self.layout_.addWidget(self.empty)
        self.layout_.addWidget(self.table, 1)
        self.layout_.addStretch(0)  # keeps the empty state at the top while the table is hidden

    def refresh(self, snap: Snapshot) -> None:
        tigers = [r for r in snap.risks if r.klass == "tiger"]
        self.empty.setVisible(not tigers)
        self.missing.setVisible(bool(tigers))  # "every tiger has a plan" says nothing when there is none
        self.table.setVisible(bool(tigers))
        self.table.setRowCount(len(tigers))
        for row, risk in enumerate(tigers):
            title = QTableWidgetItem(risk.title)
            title.setData(Qt.ItemDataRole.UserRole, risk.id)
            title.setFlags(title.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, 0, title)
            owner = QLineEdit(risk.owner, placeholderText="Who")
            owner.setAccessibleName(f"Owner of {risk.title}")
            owner.editingFinished.connect(lambda r=risk.id, w=owner: self._save(r, owner=w.text()))
            mitigation = QLineEdit(risk.mitigation, placeholderText=risk.suggestion or "What we will do")
            mitigation.setAccessibleName(f"Mitigation of {risk.title}")
            mitigation.setToolTip(f"Suggested: {risk.suggestion}" if risk.suggestion else "")
            mitigation.editingFinished.connect(lambda r=risk.id, w=mitigation: self._save(r, mitigation=w.text()))
            due = OptionalDateEdit(risk.due_date)
            due.setAccessibleName(f"Due date of {risk.title}")
            due.value_changed.connect(lambda value, r=risk.id: self._save(r, due_date=value))
            for column, widget in ((1, owner), (2, mitigation), (3, due)):
                self.table.setCellWidget(row, column, widget)
        self._show_missing(tigers)

    def _show_missing(self, tigers: list[Risk]) -> None:
        missing = [r for r in tigers if not (r.owner.strip() and r.mitigation.strip() and r.due_date)]
        self.missing.setText(f"{len(missing)} of {counted(len(tigers), 'tiger')} still need an owner, a mitigation "
                             "and a due date." if missing else "Every tiger has an owner, a mitigation and a due date.")

    def _save(self, risk_id: int, **fields) -> None:
        self.controller.update_risk(risk_id, **fields)
        risks = self.controller.reload_snapshot().risks
        self._show_missing([r for r in risks if r.klass == "tiger"])
