"""The sidebar's workshop list: active workshops, then (when shown) the archived ones, dimmed,
under their own heading. Names are renamed in place (F2); the list reports intent by signal."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMenu, QStackedLayout, QToolButton,
    QVBoxLayout, QWidget,
)

from alignwork_gui.actions import name_button
from alignwork_gui.icons import icon, list_icon
from alignwork_gui.widgets.labels import make_label

ID_ROLE = Qt.ItemDataRole.UserRole
ARCHIVED_ROLE = Qt.ItemDataRole.UserRole + 1


class WorkshopList(QWidget):
    selected = Signal(object)  # workshop id or None
    renamed = Signal(int, str)  # workshop id, new name (typed in place)
    show_archived_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._context_actions: list[QAction | None] = []
        self._names: dict[int, str] = {}

        title = QLabel("<b>Workshops</b>")
        self.archived_toggle = QToolButton()
        self.archived_toggle.setCheckable(True)
        self.archived_toggle.setIcon(icon("show-archived"))
        self.archived_toggle.setAutoRaise(True)
        self.archived_toggle.setAccessibleName("Show archived workshops")
        self.archived_toggle.toggled.connect(self.show_archived_toggled)
        self.header = QHBoxLayout()
        self.header.setContentsMargins(0, 0, 0, 0)
        self.header.addWidget(title)
        self.header.addStretch(1)
        self.header.addWidget(self.archived_toggle)

        self.list = QListWidget()
        self.list.setAccessibleName("Workshops")
        self.list.setToolTip("Workshops: F2 renames, right-click for more")
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # long names elide
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._show_menu)
        self.list.currentItemChanged.connect(self._current_changed)
        self.list.itemChanged.connect(self._item_edited)
        self.empty = make_label("No workshops yet. Press Ctrl+N to create one, or open the demo from the "
                                "File menu.", muted=True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty.setAccessibleName("No workshops yet")
        self.body = QStackedLayout()
        for widget in (self.list, self.empty):
            self.body.addWidget(widget)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for part in (self.header, self.body):
            layout.addLayout(part)

    def add_header_action(self, action: QAction) -> None:
        """An icon button beside the title (before the archived toggle)."""
        button = QToolButton()
        button.setDefaultAction(action)
        button.setAutoRaise(True)
        name_button(button, action)
        self.header.insertWidget(self.header.count() - 1, button)

    def set_context_actions(self, actions: list[QAction | None]) -> None:
        """The right-click menu (None = separator)."""
        self._context_actions = actions

    # ------------------------------------------------------------ content
    def populate(self, workshops, current_id: int | None, show_archived: bool) -> None:
        """Show ``workshops`` (Workshop rows); keeps ``current_id`` selected if it is listed."""
        archived = [w for w in workshops if w.archived]
        active = [w for w in workshops if not w.archived]
        with QSignalBlocker(self.archived_toggle):
            self.archived_toggle.setChecked(show_archived)
        word = "Hide" if show_archived else "Show"
        self.archived_toggle.setToolTip(f"{word} archived workshops ({len(archived)})")
        self.archived_toggle.setEnabled(bool(archived) or show_archived)
        self._names = {w.id: w.name for w in workshops}
        with QSignalBlocker(self.list):
            self.list.clear()
            for workshop in active:
                self._add(workshop)
            if show_archived and archived:
                heading = QListWidgetItem(f"Archived ({len(archived)})")
                heading.setFlags(Qt.ItemFlag.NoItemFlags)
                font = heading.font()
                font.setBold(True)
                heading.setFont(font)
                self.list.addItem(heading)
                for workshop in archived:
                    self._add(workshop)
            for row in range(self.list.count()):
                if self.list.item(row).data(ID_ROLE) == current_id and current_id is not None:
                    self.list.setCurrentRow(row)
        self.body.setCurrentWidget(self.list if workshops else self.empty)

    def _add(self, workshop) -> None:
        item = QListWidgetItem(list_icon("archive" if workshop.archived else "workshop"), workshop.name)
        item.setData(ID_ROLE, workshop.id)
        item.setData(ARCHIVED_ROLE, workshop.archived)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        # the full name first (a long one is cut off in the list), then the goal
        tip = workshop.name + (f"\n{workshop.goal}" if workshop.goal else "")
        if workshop.archived:
            item.setForeground(self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
            tip += " (archived)"
        item.setToolTip(tip)
        self.list.addItem(item)

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(ID_ROLE) if item is not None else None

    def is_current_archived(self) -> bool:
        item = self.list.currentItem()
        return bool(item is not None and item.data(ARCHIVED_ROLE))

    def first_id(self) -> int | None:
        for row in range(self.list.count()):
            workshop_id = self.list.item(row).data(ID_ROLE)
            if workshop_id is not None:
                return workshop_id
        return None

    def select(self, workshop_id: int | None) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(ID_ROLE) == workshop_id:
                self.list.setCurrentRow(row)
                return

    def start_rename(self) -> None:
        item = self.list.currentItem()
        if item is not None and item.data(ID_ROLE) is not None:
            self.list.setFocus()
            self.list.editItem(item)

    # ------------------------------------------------------------ signals
    def _current_changed(self, item, _previous) -> None:
        self.selected.emit(item.data(ID_ROLE) if item is not None else None)

    def _item_edited(self, item: QListWidgetItem) -> None:
        workshop_id = item.data(ID_ROLE)
        if workshop_id is None:
            return
        name = item.text()
        if name != self._names.get(workshop_id):
            with QSignalBlocker(self.list):  # the window reloads the list with the stored name
                item.setText(self._names.get(workshop_id, name))
            self.renamed.emit(workshop_id, name)

    def _show_menu(self, position) -> None:
        item = self.list.itemAt(position)
        if item is not None and item.data(ID_ROLE) is not None:
            self.list.setCurrentItem(item)
        menu = QMenu(self)
        for action in self._context_actions:
            if action is None:
                menu.addSeparator()
            elif action.isEnabled() or action.isVisible():
                menu.addAction(action)
        menu.exec(self.list.viewport().mapToGlobal(position))
