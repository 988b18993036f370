"""One panel per premortem phase. Panels show a ``Snapshot`` and report what the
facilitator did through ``controller.call(core_function, **kwargs)``, which runs the
core, reports problems in the status bar and refreshes every panel."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QSpinBox, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from alignwork import premortem, premortem_session as ps
from alignwork.models import Risk
from alignwork.premortem import CLASS_TITLES


from ui.widgets.buttons import action_button
from ui.widgets.optional_date import OptionalDateEdit


@dataclass
class Snapshot:
    """Everything the phase panels show, read once per refresh."""

    state: ps.SessionState
    risks: list[Risk] = field(default_factory=list)
    plan: str | None = None
    votes: dict[int, dict[int, int]] = field(default_factory=dict)  # member id → risk id → dots
    turn_member_id: int | None = None
    minutes: dict[str, int] = field(default_factory=dict)


def _label(text: str = "", *, wrap: bool = True, muted: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if muted:
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def _heading(text: str) -> QLabel:
    label = QLabel(f"<b>{text}</b>")
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


def _risk_item(risk: Risk, text: str | None = None) -> QListWidgetItem:
    item = QListWidgetItem(text or risk.title)
    item.setData(Qt.ItemDataRole.UserRole, risk.id)
    item.setToolTip("\n".join(p for p in (risk.description, *risk.evidence) if p) or risk.title)
    return item


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setAccessibleName(name)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, len(headers)):
        table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return table


def plan_html(plan: str) -> str:
    """The plan summary as a paragraph and a list: "Section: rules" lines get a bold label."""
    paragraphs, items = [], []
    for line in plan.splitlines():
        label, sep, rest = line.partition(": ")
        if sep and len(label) < 30:
            items.append(f"<li><b>{html.escape(label)}:</b> {html.escape(rest)}</li>")
        else:
            paragraphs.append(f"<p>{html.escape(line)}</p>")
    return "".join(paragraphs) + (f"<ul style='margin-left:0'>{''.join(items)}</ul>" if items else "")


class PhasePanel(QWidget):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(8)

    def refresh(self, snap: Snapshot) -> None:
        raise NotImplementedError


class BriefPanel(PhasePanel):
    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self.frame = _label()
        self.plan = _label()
        self.plan.setAccessibleName("Summary of the draft definition")
        self.plan.setTextFormat(Qt.TextFormat.RichText)
        self.people = _label()
        for widget in (_heading("The plan we are testing"), self.frame, self.plan, _heading("Present"), self.people):
            self.layout_.addWidget(widget)
        self.layout_.addStretch(1)

    def refresh(self, snap: Snapshot) -> None:
        self.frame.setText(f"Initiative: {snap.state.initiative}. Horizon: {snap.state.horizon}.")
        self.plan.setText(plan_html(snap.plan) if snap.plan else
                          "There is no draft definition yet. Brief the plan in your own words, "
                          "or run the synthesis step first to draft one.")
        self.people.setText(", ".join(f"{m['name']} ({m['team']})" for m in snap.state.members))


class SilentPanel(PhasePanel):
    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self.prompt = _label()
        font = self.prompt.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.prompt.setFont(font)
        self.hint = _label("Think about people, incentives, data, tools and habits, not only the rules. "
                           "When the time is up, the round robin collects every reason.", muted=True)
        self.layout_.addWidget(self.prompt)
        self.layout_.addWidget(self.hint)
        self.layout_.addStretch(1)

    def refresh(self, snap: Snapshot) -> None:
        self.prompt.setText(f"It is {snap.state.horizon}. “{snap.state.initiative}” has failed. "
                            "What went wrong?")


class RoundRobinPanel(PhasePanel):
    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self.turn = QLabel()
        self.turn.setAccessibleName("Whose turn it is")
        self.title = QLineEdit(placeholderText="One reason it failed, in their words (Enter to add)")
        self.title.setAccessibleName("Reason")
        self.why = QLineEdit(placeholderText="Optional: why it would happen")
        self.why.setAccessibleName("Why it would happen")
        self.add_button = action_button("Add reason")
        self.pass_button = action_button("Pass", "Pass to the next person",
                                         tip="Nothing (more) to add: move to the next person")
        self.anonymous = QCheckBox("Anonymous (do not record who said it)")
        self.anonymous.setAccessibleName("Capture anonymously")
        self.captured = QListWidget()
        self.captured.setAccessibleName("Reasons captured in this session")
        self.captured.setSpacing(2)
        self.empty = _label("No reasons yet. Start with the person named above.", muted=True)
        row = QHBoxLayout()
        row.addWidget(self.pass_button)
        row.addStretch(1)
        row.addWidget(self.anonymous)
        row.addWidget(self.add_button)
        form = QFormLayout()
        form.addRow("Reason", self.title)
        form.addRow("Why", self.why)
        for item in (self.turn, form, row, _heading("Captured so far"), self.empty, self.captured):
            (self.layout_.addLayout if isinstance(item, QHBoxLayout | QFormLayout) else self.layout_.addWidget)(item)
        self.title.returnPressed.connect(self.add)
        self.why.returnPressed.connect(self.add)
        self.add_button.clicked.connect(self.add)
        self.pass_button.clicked.connect(lambda: self.controller.call(ps.pass_turn))
        self.anonymous.toggled.connect(lambda on: self.controller.call(ps.set_anonymous, anonymous=on))
        self._member_id: int | None = None

    def add(self) -> None:
        if not self.title.text().strip():
            self.controller.tell("Type the reason first.")
            return
        if self.controller.call(ps.capture, member_id=self._member_id, title=self.title.text(),
                                description=self.why.text()) is not None:
            self.title.clear()
            self.why.clear()
            self.title.setFocus()

    def refresh(self, snap: Snapshot) -> None:
        self._member_id = snap.turn_member_id
        member = next((m for m in snap.state.members if m["id"] == snap.turn_member_id), None)
        self.turn.setText(f"<b>Now: {member['name']}</b> ({member['team']})" if member else "")
        self.anonymous.blockSignals(True)
        self.anonymous.setChecked(snap.state.anonymous)
        self.anonymous.blockSignals(False)
        self.captured.clear()
        mine = [r for r in snap.risks if r.session_id == snap.state.session_id and r.source == "participant"]
        for risk in sorted(mine, key=lambda r: r.position):
            self.captured.addItem(_risk_item(risk, f"{risk.title}  ({risk.author or 'anonymous'})"))
        self.empty.setVisible(not mine)


class MergeList(QListWidget):
    """Drag one or more items onto another to fold them into it."""

    merge_requested = Signal(int, list)  # target id, source ids

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSpacing(2)

    def dropEvent(self, event) -> None:  # noqa: N802
        target = self.itemAt(event.position().toPoint())
        sources = [i.data(Qt.ItemDataRole.UserRole) for i in self.selectedItems()]
        event.ignore()  # never reorder: a drop means "merge into the item under the pointer"
        if target is not None:
            target_id = target.data(Qt.ItemDataRole.UserRole)
            sources = [s for s in sources if s != target_id]
            if sources:  # after the drop returns: the merge rebuilds this list
                QTimer.singleShot(0, lambda: self.merge_requested.emit(target_id, sources))


class MergePanel(PhasePanel):
    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        hint = _label("Select items that say the same thing (Ctrl+click) and merge them, or drag one onto "
                      "another. The first selected item keeps its title unless you type a new one.", muted=True)
        self.items = MergeList()
        self.items.setAccessibleName("Checklist items to merge")
        self.items.merge_requested.connect(lambda target, sources: self._merge(target, sources))
        self.new_title = QLineEdit(placeholderText="Optional: title of the merged item")
        self.new_title.setAccessibleName("Title of the merged item")
        self.merge_button = action_button("Merge selected", "Merge selected items",
                                          tip="Merge the selected items into the first one", shortcut="Ctrl+M")
        self.split_button = action_button("Split", "Undo the merge of the selected item",
                                          tip="Bring back the items merged into the selected one")
        self.merge_button.clicked.connect(self.merge_selected)
        self.split_button.clicked.connect(self.split_selected)
        row = QHBoxLayout()
        row.addWidget(self.new_title, 1)
        row.addWidget(self.split_button)
        row.addWidget(self.merge_button)
        self.layout_.addWidget(hint)
        self.layout_.addWidget(self.items, 1)
        self.layout_.addLayout(row)

    def selected_ids(self) -> list[int]:
        rows = sorted(self.items.row(i) for i in self.items.selectedItems())
        return [self.items.item(r).data(Qt.ItemDataRole.UserRole) for r in rows]

    def merge_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) < 2:
            self.controller.tell("Select at least two items to merge.")
            return
        self._merge(ids[0], ids[1:])

    def _merge(self, target: int, sources: list[int]) -> None:
        if self.controller.call(ps.merge_risks, target_id=target, other_ids=sources,
                                title=self.new_title.text() or None, scoped=False) is not None:
            self.new_title.clear()

    def split_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            self.controller.tell("Select the one merged item to split.")
            return
        self.controller.call(ps.split_risk, risk_id=ids[0], scoped=False)

    def refresh(self, snap: Snapshot) -> None:
        self.items.clear()
        for risk in sorted(snap.risks, key=lambda r: (r.source != "participant", r.position)):
            merged = f"  [+{len(risk.merged_titles)} merged]" if risk.merged_titles else ""
            who = f" ({risk.author})" if risk.author else ""
            self.items.addItem(_risk_item(risk, f"{risk.title}{who}{merged}"))


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
        self.table = _table(["Risk", "Their dots", "Total"], "Items to vote on")
        self.add_button = action_button("Add dot", "Add a dot to the selected item",
                                        tip="Add this person's dot to the selected item", shortcut="+")
        self.remove_button = action_button("Take back", "Take back a dot from the selected item",
                                           tip="Take back this person's dot from the selected item", shortcut="-")
        top = QHBoxLayout()
        top.addWidget(QLabel("Voting:"))
        top.addWidget(self.member, 1)
        top.addWidget(self.left)
        top.addStretch(1)
        top.addWidget(self.dots)
        top.addWidget(self.per_item)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.remove_button)
        bottom.addWidget(self.add_button)
        self.layout_.addLayout(top)
        self.layout_.addWidget(self.table, 1)
        self.layout_.addLayout(bottom)
        self.member.currentIndexChanged.connect(lambda _: self.controller.refresh())
        self.add_button.clicked.connect(lambda: self._vote(ps.cast_vote))
        self.remove_button.clicked.connect(lambda: self._vote(ps.remove_vote))
        self.table.cellDoubleClicked.connect(lambda *_: self._vote(ps.cast_vote))
        for spin in (self.dots, self.per_item):
            spin.editingFinished.connect(self._rules)

    def member_id(self) -> int | None:
        return self.member.currentData()

    def current_risk_id(self) -> int | None:
        item = self.table.item(self.table.currentRow(), 0)
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def vote(self, member_id: int, risk_id: int, *, add: bool = True):
        function = ps.cast_vote if add else ps.remove_vote
        return self.controller.call(function, member_id=member_id, risk_id=risk_id, scoped=add)

    def _vote(self, function) -> None:
        risk_id, member_id = self.current_risk_id(), self.member_id()
        if risk_id is None or member_id is None:
            self.controller.tell("Select an item first.")
            return
        self.vote(member_id, risk_id, add=function is ps.cast_vote)

    def _rules(self) -> None:
        state = self.controller.snapshot.state
        if (self.dots.value(), self.per_item.value()) != (state.dots_per_member, state.max_dots_per_risk):
            self.controller.call(ps.set_vote_rules, dots_per_member=self.dots.value(),
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
        row_before = self.table.currentRow()
        self.table.setRowCount(len(snap.risks))
        for row, risk in enumerate(snap.risks):
            title = QTableWidgetItem(risk.title)
            title.setData(Qt.ItemDataRole.UserRole, risk.id)
            title.setToolTip(risk.description)
            cells = [title, QTableWidgetItem("●" * mine.get(risk.id, 0)), QTableWidgetItem(str(risk.votes))]
            for column, cell in enumerate(cells):
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, cell)
        self.table.setCurrentCell(max(0, min(row_before, len(snap.risks) - 1)), 0)


class ScorePanel(PhasePanel):
    """Likelihood and impact 1–5 and a class per item, saved as soon as they change."""

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self.layout_.addWidget(_label("Tiger: a real threat. Paper tiger: looks scary, is not. "
                                      "Elephant: everyone knows, nobody says.", muted=True))
        self.table = _table(["Risk", "Votes", "Likelihood", "Impact", "Score", "Class"], "Items to score")
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
        risk = self.controller.call(premortem.update_risk, risk_id=risk_id, scoped=False, refresh=False, **fields)
        if risk is not None:
            for row in range(self.table.rowCount()):
                if self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) == risk_id:
                    self.table.item(row, 4).setText(str(risk.score or "–"))


class OwnersPanel(PhasePanel):
    """Owner, mitigation and due date for every tiger (the session cannot finish without them)."""

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self.missing = _label()
        self.missing.setAccessibleName("Tigers still missing a plan")
        self.table = _table(["Tiger", "Owner", "Mitigation", "Due"], "Tigers to assign")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(1, 150)
        self.empty = _label("No item is classified as a tiger. Go back to scoring if one should be.", muted=True)
        self.layout_.addWidget(self.missing)
        self.layout_.addWidget(self.empty)
        self.layout_.addWidget(self.table, 1)

    def refresh(self, snap: Snapshot) -> None:
        tigers = [r for r in snap.risks if r.klass == "tiger"]
        self.empty.setVisible(not tigers)
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
        self.missing.setText(f"{len(missing)} of {len(tigers)} tiger(s) still need an owner, a mitigation "
                             "and a due date." if missing else "Every tiger has an owner, a mitigation and a due date.")

    def _save(self, risk_id: int, **fields) -> None:
        self.controller.call(premortem.update_risk, risk_id=risk_id, scoped=False, refresh=False, **fields)
        risks = self.controller.reload_snapshot().risks
        self._show_missing([r for r in risks if r.klass == "tiger"])


PANELS = (BriefPanel, SilentPanel, RoundRobinPanel, MergePanel, VotePanel, ScorePanel, OwnersPanel)
