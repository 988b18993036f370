"""The roster as a table: a thin adaptor over the workshop's participants.

Edits go to ``save(participant_id, field, value)`` (the page calls the core); when the
core refuses, ``setData`` returns False and the message comes out of ``edit_failed``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

PROFILE_LABELS = {"rock_star": "Rock star", "engaged": "Engaged", "other": "Other"}
STATUS_LABELS = {"planned": "Planned", "in_progress": "In progress", "done": "Done"}


@dataclass(frozen=True)
class Column:
    field: str
    title: str
    tip: str
    editable: bool = True


COLUMNS = (
    Column("name", "Name", "The rep's name (required)"),
    Column("role", "Role", "Job title, e.g. Account Executive"),
    Column("team", "Team", "Team or segment, e.g. Mid-market"),
    Column("region", "Region", "Territory, e.g. EMEA"),
    Column("profile", "Profile", "Rock star, Engaged or Other: weighs whose view counts most"),
    Column("notes", "Notes", "Anything worth knowing before the interview"),
    Column("interview", "Interview", "The rep's latest interview", editable=False),
)
FIELD_COLUMN = {column.field: number for number, column in enumerate(COLUMNS)}
Index = QModelIndex | QPersistentModelIndex


class RosterModel(QAbstractTableModel):
    edit_failed = Signal(str)

    def __init__(self, save: Callable[[int, str, str], object], parent=None):
        super().__init__(parent)
        self._save = save
        self._rows: list = []  # Participant rows (detached copies)
        self._interviews: dict[int, str] = {}  # participant id → "Done · 3 Nov 2026"

    def set_rows(self, participants: list, interviews: dict[int, str]) -> None:
        self.beginResetModel()
        self._rows = list(participants)
        self._interviews = dict(interviews)
        self.endResetModel()

    def participant(self, row: int):
        return self._rows[row]

    def row_of(self, participant_id: int) -> int:
        return next((row for row, p in enumerate(self._rows) if p.id == participant_id), -1)

    # ------------------------------------------------------------ Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMNS[section].tip
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and COLUMNS[index.column()].editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        participant = self._rows[index.row()]
        field = COLUMNS[index.column()].field
        if field == "interview":
            text = self._interviews.get(participant.id, "")
            if role == Qt.ItemDataRole.DisplayRole:
                return text or "—"
            return None
        value = getattr(participant, field)
        if role == Qt.ItemDataRole.DisplayRole:
            return PROFILE_LABELS.get(value, value) if field == "profile" else value.replace("\n", " ")
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == Qt.ItemDataRole.ToolTipRole and field != "profile" and value:
            return value  # narrow windows cut roles and regions; the whole text is a hover away
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        participant = self._rows[index.row()]
        field = COLUMNS[index.column()].field
        if value == getattr(participant, field):
            return False
        try:
            self._rows[index.row()] = self._save(participant.id, field, value)
        except ValueError as error:  # the core's StoreError is a ValueError
            self.edit_failed.emit(str(error))
            return False
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True
