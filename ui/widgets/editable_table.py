"""One pattern for every table in the app, editable or not, driven by the keyboard alone.

* Tab and Shift+Tab leave the table (they do not walk its cells); the arrow keys move inside.
* Enter, F2 or typing edits the current cell; Tab inside an open editor commits it and edits
  the next cell of the row, as in a spreadsheet.
* An editable table is a ``RowsModel`` (signers, glossary, roster, premortem checklist): one
  dict or stored record per row, updated *in place* when the page reloads (only the cells that
  changed), so an open editor keeps its own cell and what is typed in it, and commits there (a QTableWidget rebuilt from
  an ``itemChanged`` handler handed the editor's text to whatever row then sat at its index —
  "commitData called with an editor that does not belong to this view").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QStyledItemDelegate, QTableView

EDIT_TRIGGERS = (QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                 | QAbstractItemView.EditTrigger.AnyKeyPressed | QAbstractItemView.EditTrigger.SelectedClicked)


class _EnterEdits(QObject):
    """Enter on a cell (not in an editor) starts editing it, as F2 does."""

    def eventFilter(self, view, event) -> bool:  # noqa: N802 (Qt name)
        if (event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and view.state() != QAbstractItemView.State.EditingState):
            index = view.currentIndex()
            if index.isValid() and index.flags() & Qt.ItemFlag.ItemIsEditable:
                view.edit(index)
                return True
        return False


def keyboard_table(view: QAbstractItemView, *, editable: bool = False) -> QAbstractItemView:
    """Make ``view`` one Tab stop; an ``editable`` one also edits on Enter/F2/typing."""
    view.setTabKeyNavigation(False)
    if editable:
        view.setEditTriggers(EDIT_TRIGGERS)
        view._enter_edits = _EnterEdits(view)  # kept alive with the view
        view.installEventFilter(view._enter_edits)
    return view


def rows_view(model: "QAbstractItemModel", name: str, *, several: bool = False,
              numbers: bool = False) -> QTableView:
    """The view of an editable ``RowsModel`` (or a proxy over one): whole rows selected, one at a
    time unless ``several``; row numbers only with ``numbers``; keyboard as described above."""
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.verticalHeader().setVisible(numbers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if several
                          else QAbstractItemView.SelectionMode.SingleSelection)
    return keyboard_table(view, editable=True)


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    editable: bool = True
    tip: str = ""


ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the row itself (a dict, a Participant, a Risk)


def _plain(value: Any) -> str:
    return "" if value is None else str(value)


class RowsModel(QAbstractTableModel):
    """Rows shown in ``columns``: dicts, or stored records read by attribute (``value``).

    Without ``save`` the model keeps the edit in the row dict and the page saves it on
    ``edited(row, key, value)`` (signers, glossary). With ``save(row, key, value)`` the edit
    goes through it first: it returns the stored row, which replaces the shown one, or None to
    refuse; a ``ValueError`` refuses with its message in ``edit_failed`` (roster, checklist).

    ``set_rows`` keeps the open editor's cell when the shape is the same. A table that shows
    its rows differently overrides the hooks ``text``, ``edit_value``, ``tip``, ``to_stored``
    and ``cell`` (any other role), never the Qt methods."""

    edited = Signal(int, str, object)
    edit_failed = Signal(str)

    def __init__(self, columns: Sequence[Column], parent: QObject | None = None, *,
                 save: Callable[[Any, str, Any], Any] | None = None):
        super().__init__(parent)
        self.columns = tuple(columns)
        self.rows: list[Any] = []
        self.read_only = False
        self.save = save

    # -- hooks: how one cell of one row is shown and edited
    def value(self, row: Any, key: str) -> Any:
        return row.get(key) if isinstance(row, dict) else getattr(row, key, None)

    def text(self, row: Any, key: str) -> str:
        return _plain(self.value(row, key))

    def edit_value(self, row: Any, key: str) -> Any:
        """What the editor starts from."""
        return self.text(row, key)

    def tip(self, row: Any, key: str) -> str | None:
        text = self.text(row, key)
        return text if len(text) > 24 else None  # a cut-off cell can be read in full

    def to_stored(self, key: str, value: Any) -> Any:
        """The editor's value as the row keeps it (a QDate → a date, …)."""
        return value

    def cell(self, row: Any, key: str, role: int) -> Any:
        """Any other role (background, alignment, a sort key)."""
        return None

    # -- Qt model
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt name)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, key = self.rows[index.row()], self.columns[index.column()].key
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, key)
        if role == Qt.ItemDataRole.EditRole:
            return self.edit_value(row, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tip(row, key)
        if role == ROW_ROLE:
            return row
        return self.cell(row, key, role)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Vertical:  # the row's number in the list, whatever a proxy's sort
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        if not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.columns[section].tip or None
        return None

    def flags(self, index):
        flags = super().flags(index)
        if index.isValid() and self.columns[index.column()].editable and not self.read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        key = self.columns[index.column()].key
        position, value = index.row(), self.to_stored(key, value)
        row = self.rows[position]
        if _plain(self.value(row, key)) == _plain(value):
            return False  # nothing changed: no save
        if self.save is None:
            row[key] = value
        else:
            try:
                stored = self.save(row, key, value)
            except ValueError as error:  # the core's refusals (StoreError, PremortemError) are ValueErrors
                self.edit_failed.emit(str(error))
                return False
            if stored is None:
                return False
            self.rows[position] = stored
        # the whole row: a cell may follow another (a risk's score its likelihood)
        self.dataChanged.emit(self.index(position, 0), self.index(position, len(self.columns) - 1))
        self.edited.emit(position, key, value)
        return True

    # -- the page's side
    def shown(self) -> list[list[tuple]]:
        """What every cell shows now (its text and background), to tell which ones a reload changes."""
        return [[(self.text(row, c.key), self.cell(row, c.key, Qt.ItemDataRole.BackgroundRole)) for c in self.columns]
                for row in self.rows]

    def set_rows(self, rows: list[Any], *, read_only: bool = False, before: list[list[tuple]] | None = None) -> None:
        """Show ``rows``. Same number of rows: only the cells that now show something else are
        updated (an open editor keeps its cell and what is typed in it); otherwise the model is
        reset. ``before``: ``shown()`` taken before the subclass changed what cells depend on."""
        rows = [dict(row) if isinstance(row, dict) else row for row in rows]
        if len(rows) == len(self.rows) and read_only == self.read_only:
            before = self.shown() if before is None else before
            self.rows = rows
            for r, (old, new) in enumerate(zip(before, self.shown())):
                for c in (c for c, (a, b) in enumerate(zip(old, new)) if a != b):
                    self.dataChanged.emit(self.index(r, c), self.index(r, c))
            return
        self.beginResetModel()
        self.rows, self.read_only = rows, read_only
        self.endResetModel()

    def append(self, row: dict[str, Any]) -> int:
        position = len(self.rows)
        self.beginInsertRows(QModelIndex(), position, position)
        self.rows.append(dict(row))
        self.endInsertRows()
        return position

    def remove(self, position: int) -> None:
        self.beginRemoveRows(QModelIndex(), position, position)
        del self.rows[position]
        self.endRemoveRows()

    def position_of(self, row_id: Any) -> int:
        """The position of the row whose ``id`` is ``row_id``, or -1."""
        return next((n for n, row in enumerate(self.rows) if self.value(row, "id") == row_id), -1)

    def column_of(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)


class ChoiceDelegate(QStyledItemDelegate):
    """Edit a cell by picking one of ``choices`` (a dict key → label, or a tuple of labels).
    The combo is as wide as its longest choice, and a pick commits at once."""

    def __init__(self, choices: dict[str, str] | Sequence[str], parent=None, *, placeholder: str = ""):
        super().__init__(parent)
        self.labels = dict(choices) if isinstance(choices, dict) else {c: c for c in choices}
        self.placeholder = placeholder

    def createEditor(self, parent, _option, index):  # noqa: N802 (Qt name)
        combo = QComboBox(parent)
        combo.setAccessibleName(str(index.model().headerData(index.column(), Qt.Orientation.Horizontal)))
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        if self.placeholder:
            combo.setPlaceholderText(self.placeholder)
        for key, label in self.labels.items():
            combo.addItem(label, key)
        combo.activated.connect(lambda _row: self.commitData.emit(combo))
        return combo

    def updateEditorGeometry(self, editor, option, _index) -> None:  # noqa: N802
        # never narrower than its longest choice ("Marketing", not "Sa")
        rect = option.rect
        rect.setWidth(max(rect.width(), editor.sizeHint().width()))
        editor.setGeometry(rect)

    def setEditorData(self, editor: QComboBox, index) -> None:  # noqa: N802
        value = index.data(Qt.ItemDataRole.EditRole)
        row = editor.findData(value)
        if row < 0:
            row = editor.findText(str(value or ""), Qt.MatchFlag.MatchFixedString)
        editor.setCurrentIndex(row if row >= 0 or self.placeholder else 0)

    def setModelData(self, editor: QComboBox, model, index) -> None:  # noqa: N802
        if editor.currentIndex() >= 0:
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
