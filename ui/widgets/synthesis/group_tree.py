"""Synthesis groups of one question as a tree: groups with support and consensus,
their raw answers below. The facilitator corrects the machine here: drag answers
onto another group, edit a group's name in place, merge or split by selection.

The tree never changes the data itself; it reports intent by signal and is
reloaded from the next synthesis.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTreeWidget, QTreeWidgetItem


GROUP_ROLE = Qt.ItemDataRole.UserRole
ANSWER_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Group / answer", "Reps", "Share", "Consensus", "By team", "By profile")
_FIT, _SHARE = QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch
COLUMN_MODES = (_SHARE, _FIT, _FIT, _FIT, _SHARE, _SHARE)
PROFILE_WORDS = {"rock_star": "rock stars", "engaged": "engaged", "other": "others"}


class GroupTree(QTreeWidget):
    move_requested = Signal(list, str)  # raw answers, target group
    merge_requested = Signal(list)  # group labels (first = the name kept)
    split_requested = Signal(str, list)  # group label, raw answers leaving it
    rename_requested = Signal(str, str)  # old label, new label

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Answer groups")
        self.setColumnCount(len(COLUMNS))
        self.setHeaderLabels(COLUMNS)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.itemChanged.connect(self._item_changed)
        # fit the width: the group name and the team and profile counts share what the short columns leave,
        # eliding long text (the tooltips say it in full), so nothing scrolls sideways
        header = self.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(48)
        for column, mode in enumerate(COLUMN_MODES):
            header.setSectionResizeMode(column, mode)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._loading = False

    # ------------------------------------------------------------ content
    def set_groups(self, groups: list[dict], colours: dict[str, str] | None = None) -> None:
        """Show groups (``Group.to_dict()`` shapes), keeping expansion of groups still there."""
        expanded = {self.topLevelItem(i).data(0, GROUP_ROLE) for i in range(self.topLevelItemCount())
                    if self.topLevelItem(i).isExpanded()}
        colours = colours or {}
        self._loading = True
        self.clear()
        for group in groups:
            item = QTreeWidgetItem([group["label"], str(group["support"]), f"{group['share'] * 100:.0f}%",
                                    f"● {group['consensus']}", _counts(group["by_team"]),
                                    _counts({PROFILE_WORDS.get(k, k): v for k, v in group["by_profile"].items()})])
            item.setData(0, GROUP_ROLE, group["label"])
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
                          | Qt.ItemFlag.ItemIsDropEnabled)
            item.setToolTip(0, "Double-click or F2 to rename; drop answers here to move them into this group")
            item.setToolTip(4, f"{_counts(group['by_team'])}: {', '.join(group['participants'])}")
            item.setToolTip(5, item.text(5))
            if group["consensus"] in colours:
                item.setForeground(3, QBrush(QColor(colours[group["consensus"]])))
            for column in (1, 2):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            said_by: dict[str, list[str]] = {}
            for mention in group.get("mentions", []):
                said_by.setdefault(mention["text"], []).append(mention["participant"])
            for member in group["members"]:
                child = QTreeWidgetItem([member, str(len(said_by.get(member, []))), "", "",
                                         ", ".join(said_by.get(member, []))])
                child.setToolTip(4, ", ".join(said_by.get(member, [])))
                child.setData(0, ANSWER_ROLE, member)
                child.setData(0, GROUP_ROLE, group["label"])
                child.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                               | Qt.ItemFlag.ItemIsDragEnabled)
                child.setToolTip(0, "Drag onto another group to move this answer")
                child.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.addChild(child)
            self.addTopLevelItem(item)
            item.setExpanded(group["label"] in expanded)
        self._loading = False

    def group_labels(self) -> list[str]:
        return [self.topLevelItem(i).data(0, GROUP_ROLE) for i in range(self.topLevelItemCount())]

    def selected_groups(self) -> list[str]:
        return [item.data(0, GROUP_ROLE) for item in self.selectedItems() if item.parent() is None]

    def selected_answers(self) -> list[tuple[str, str]]:
        """(group, raw answer) of the selected answer rows."""
        return [(item.data(0, GROUP_ROLE), item.data(0, ANSWER_ROLE)) for item in self.selectedItems()
                if item.parent() is not None]

    def select_group(self, label: str) -> None:
        for index in range(self.topLevelItemCount()):
            item = self.topLevelItem(index)
            if item.data(0, GROUP_ROLE) == label:
                self.setCurrentItem(item, 0, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                self.scrollToItem(item)
                return

    # ------------------------------------------------------------ intents
    def request_merge(self) -> None:
        groups = self.selected_groups()
        if len(groups) >= 2:
            self.merge_requested.emit(groups)

    def request_split(self) -> None:
        answers = self.selected_answers()
        sources = {group for group, _answer in answers}
        if len(sources) == 1 and answers:
            self.split_requested.emit(sources.pop(), [answer for _group, answer in answers])

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._loading or column != 0 or item.parent() is not None:
            return
        old, new = item.data(0, GROUP_ROLE), " ".join(item.text(0).split())
        if new and new != old:
            self.rename_requested.emit(old, new)
        else:
            self._loading = True
            item.setText(0, old)
            self._loading = False

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt name)
        target = self.itemAt(event.position().toPoint())
        if target is not None and target.parent() is not None:
            target = target.parent()
        answers = [answer for group, answer in self.selected_answers()
                   if target is not None and group != target.data(0, GROUP_ROLE)]
        event.ignore()  # the tree is rebuilt from the next synthesis, not moved by Qt
        if target is not None and answers:
            self.move_requested.emit(answers, target.data(0, GROUP_ROLE))

    def _context_menu(self, position) -> None:
        menu = QMenu(self)
        groups, answers = self.selected_groups(), self.selected_answers()
        merge = menu.addAction("Merge selected groups")
        merge.setEnabled(len(groups) >= 2)
        merge.triggered.connect(self.request_merge)
        rename = menu.addAction("Rename group")
        rename.setEnabled(len(groups) == 1)
        rename.triggered.connect(lambda: self.editItem(self.selectedItems()[0], 0))
        split = menu.addAction("Split selected answers into a new group")
        split.setEnabled(bool(answers) and len({g for g, _a in answers}) == 1)
        split.triggered.connect(self.request_split)
        move = menu.addMenu("Move selected answers to")
        move.setEnabled(bool(answers))
        for label in self.group_labels():
            action = move.addAction(label)
            action.triggered.connect(lambda _=False, target=label: self.move_requested.emit(
                [answer for group, answer in self.selected_answers() if group != target], target))
        menu.exec(self.viewport().mapToGlobal(position))


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in counts.items())
