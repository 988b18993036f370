"""Table model over the interview list rows (``alignwork.interviews.flow.InterviewRow``)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from alignwork.interviews.flow import InterviewRow, format_duration

COLUMNS = ("Rep", "Team", "Status", "Date", "Duration", "Answered")
RIGHT_ALIGNED = ("Date", "Duration", "Answered")


class InterviewTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[InterviewRow] = []

    def set_rows(self, rows: list[InterviewRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt name)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[section] in RIGHT_ALIGNED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)  # over its figures
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "Rep":
                return row.rep + (f" — {row.role}" if row.role else "")
            if column == "Team":
                return row.team
            if column == "Status":
                return row.status_label
            if column == "Date":
                return row.held_on.isoformat() if row.held_on else ""
            if column == "Duration":
                seconds = row.duration_seconds if row.status == "done" else (row.elapsed_seconds or None)
                return format_duration(seconds)
            if column == "Answered":
                return f"{row.percent}%" if row.interview_id else ""
        if role == Qt.ItemDataRole.TextAlignmentRole and column in RIGHT_ALIGNED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == "Answered" and row.interview_id:
            return f"{row.answered} of {row.total} visible questions answered"
        return None
