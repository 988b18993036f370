"""Panels of the first four premortem phases (brief, silent writing, round robin, merge) and
what every panel shares (voting, scoring and owners: premortem_rating). Panels show a ``Snapshot`` and report what the
facilitator did through ``controller.call(core_function, **kwargs)``, which runs the
core, reports problems in the status bar and refreshes every panel."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QTableWidget, QVBoxLayout, QWidget,
)

from alignwork.premortem import session as ps
from alignwork.models import Risk
from alignwork.interviews.inputs import Staleness


from alignwork_gui.widgets.buttons import action_button
from alignwork_gui.widgets.labels import make_label
from alignwork_gui.widgets.editable_table import keyboard_table
from alignwork_gui.widgets.stale_banner import StaleBanner


@dataclass
class Snapshot:
    """Everything the phase panels show, read once per refresh."""

    state: ps.SessionState
    risks: list[Risk] = field(default_factory=list)
    plan: str | None = None
    plan_staleness: Staleness | None = None  # the draft the brief shows, against the interviews now
    votes: dict[int, dict[int, int]] = field(default_factory=dict)  # member id → risk id → dots
    turn_member_id: int | None = None
    minutes: dict[str, int] = field(default_factory=dict)


def _risk_item(risk: Risk, text: str | None = None) -> QListWidgetItem:
    item = QListWidgetItem(text or risk.title)
    item.setData(Qt.ItemDataRole.UserRole, risk.id)
    item.setToolTip("\n".join(p for p in (risk.description, *risk.evidence) if p) or risk.title)
    return item


def plain_table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    keyboard_table(table)  # Tab leaves it, arrows move inside
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

    def main_input(self) -> QWidget | None:
        """Where the keyboard goes when the phase opens: its line, list or table (None: Next)."""
        for name in ("title", "items", "table"):
            widget = getattr(self, name, None)
            if isinstance(widget, QWidget) and widget.isEnabled():
                return widget
        return None


class BriefPanel(PhasePanel):
    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self.frame = make_label()
        self.plan = make_label()
        self.plan.setAccessibleName("Summary of the draft definition")
        self.plan.setTextFormat(Qt.TextFormat.RichText)
        self.people = make_label()
        self.stale = StaleBanner("the draft was synthesized", "Re-synthesize the draft",
                                 "Bring the new interviews into the draft definition this brief shows; "
                                 "decisions taken on it stay")
        self.stale.refresh_requested.connect(self._resynthesize)
        self.layout_.addWidget(self.stale)
        for widget in (make_label("The plan we are testing", bold=True), self.frame, self.plan,
                       make_label("Present", bold=True), self.people):
            self.layout_.addWidget(widget)
        self.layout_.addStretch(1)

    def refresh(self, snap: Snapshot) -> None:
        self.frame.setText(f"Initiative: {snap.state.initiative}. Horizon: {snap.state.horizon}.")
        self.plan.setText(plan_html(snap.plan) if snap.plan else
                          "There is no draft definition yet. Brief the plan in your own words, "
                          "or run the synthesis step first to draft one.")
        self.people.setText(", ".join(f"{m['name']} ({m['team']})" for m in snap.state.members))
        self.stale.show_staleness(snap.plan_staleness if snap.plan else None)

    def _resynthesize(self) -> None:
        from alignwork.definition.versions import resynthesize_draft

        if self.controller.call(resynthesize_draft) is not None:
            self.controller.tell("The draft definition was re-synthesized from the finished interviews.")


class SilentPanel(PhasePanel):
    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self.prompt = make_label()
        font = self.prompt.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.prompt.setFont(font)
        self.hint = make_label("Think about people, incentives, data, tools and habits, not only the rules. "
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
        self.add_button = action_button("Add reason",
                                        "Capture this reason for the person whose turn it is (Enter in the field)")
        self.pass_button = action_button("Pass", "Nothing (more) to add: move to the next person",
                                         name="Pass to the next person")
        self.anonymous = QCheckBox("Anonymous (do not record who said it)")
        self.anonymous.setAccessibleName("Capture anonymously")
        self.captured = QListWidget()
        self.captured.setAccessibleName("Reasons captured in this session")
        self.captured.setSpacing(2)
        self.empty = make_label("No reasons yet. Start with the person named above.", muted=True)
        row = QHBoxLayout()
        row.addWidget(self.pass_button)
        row.addStretch(1)
        row.addWidget(self.anonymous)
        row.addWidget(self.add_button)
        form = QFormLayout()
        form.addRow("Reason", self.title)
        form.addRow("Why", self.why)
        for item in (self.turn, form, row, make_label("Captured so far", bold=True), self.empty, self.captured):
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
        self.turn.setText(f"<b>Now: {html.escape(member['name'])}</b> ({html.escape(member['team'])})"
                          if member else "")
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
        hint = make_label("Select items that say the same thing (Ctrl+click) and merge them, or drag one onto "
                      "another. The first selected item keeps its title unless you type a new one.", muted=True)
        self.items = MergeList()
        self.items.setAccessibleName("Checklist items to merge")
        self.items.merge_requested.connect(lambda target, sources: self._merge(target, sources))
        self.new_title = QLineEdit(placeholderText="Optional: title of the merged item")
        self.new_title.setAccessibleName("Title of the merged item")
        self.merge_button = action_button("Merge selected", "Merge the selected items into the first one",
                                          name="Merge selected items", shortcut="Ctrl+M")
        self.split_button = action_button("Split", "Bring back the items merged into the selected one",
                                          name="Undo the merge of the selected item")
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
