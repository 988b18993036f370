"""Table model over the premortem checklist, and the proxy that sorts and filters it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from alignwork.models import RISK_CLASSES, RISK_STATUSES, Risk
from alignwork.premortem.checklist import CLASS_TITLES, FIELDS, field_text, is_overdue
from ui.widgets.labels import PROBLEM_COLOUR

HEADERS = {"title": "Risk", "description": "Why", "category": "Category", "source": "Source",
           "likelihood": "Likelihood", "impact": "Impact", "score": "Score", "klass": "Class", "votes": "Votes",
           "owner": "Owner", "mitigation": "Mitigation", "due_date": "Due", "status": "Status",
           "review_notes": "Review notes", "evidence": "Evidence"}
EDITABLE = ("title", "category", "likelihood", "impact", "klass", "owner", "mitigation", "due_date", "status",
            "review_notes")
CHOICES = {"klass": ("", *RISK_CLASSES), "status": RISK_STATUSES}
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
RISK_ROLE = Qt.ItemDataRole.UserRole + 2


def overdue_colour() -> QColor:
    """A soft red that reads on light and dark palettes."""
    base = QApplication.palette().color(QPalette.ColorRole.Base)
    colour = QColor(PROBLEM_COLOUR)
    colour.setAlpha(70 if base.lightness() > 128 else 110)
    return colour


class RiskTableModel(QAbstractTableModel):
    """One row per checklist item; edits go through ``save(risk_id, field, value)`` (the core)."""

    def __init__(self, save: Callable[[int, str, object], bool], parent=None):
        super().__init__(parent)
        self._save = save
        self.risks: list[Risk] = []
        self.today = date.today()

    def set_risks(self, risks: list[Risk]) -> None:
        self.beginResetModel()
        self.risks = list(risks)
        self.today = date.today()
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.risks)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(FIELDS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[FIELDS[section]] if orientation == Qt.Orientation.Horizontal else str(section + 1)
        return None

    def flags(self, index):
        flags = super().flags(index)
        if FIELDS[index.column()] in EDITABLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        risk, name = self.risks[index.row()], FIELDS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            text = field_text(risk, name)
            return text.replace("\n", " ") if name in ("description", "mitigation", "review_notes") else text
        if role == Qt.ItemDataRole.EditRole:
            value = getattr(risk, name)
            if name == "due_date":
                return QDate(value.year, value.month, value.day) if value else QDate.currentDate().addDays(14)
            if name in ("likelihood", "impact"):
                return value or 3
            return value or ""
        if role == SORT_ROLE:
            value = getattr(risk, name)
            if value is None or value == "" or value == []:
                return None
            return value.isoformat() if name == "due_date" else (
                value if isinstance(value, int) else field_text(risk, name).casefold())
        if role == RISK_ROLE:
            return risk
        if role == Qt.ItemDataRole.ToolTipRole:
            if name == "due_date" and is_overdue(risk, self.today):
                return f"Overdue since {risk.due_date.isoformat()}"
            if name in ("title", "description", "evidence"):
                parts = [risk.description, *(f"Evidence: {e}" for e in risk.evidence)]
                return "\n".join(p for p in parts if p) or None
            return None
        if role == Qt.ItemDataRole.BackgroundRole and is_overdue(risk, self.today):
            return overdue_colour()
        if role == Qt.ItemDataRole.TextAlignmentRole and name in ("likelihood", "impact", "score", "votes"):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        name = FIELDS[index.column()]
        if isinstance(value, QDate):
            value = value.toPython() if value.isValid() else None
        if name in ("likelihood", "impact"):
            value = int(value) if value not in (None, "", 0) else None
        if not self._save(self.risks[index.row()].id, name, value):
            return False
        row = index.row()
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(FIELDS) - 1))
        return True

    def replace(self, risk: Risk) -> None:
        """Show the stored version of one item after the core changed it."""
        for row, current in enumerate(self.risks):
            if current.id == risk.id:
                self.risks[row] = risk
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(FIELDS) - 1))


class RiskFilterProxy(QSortFilterProxyModel):
    """Sort by any column (empty values last); filter by text, class, status, source, overdue."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.text = ""
        self.equals: dict[str, str] = {}
        self.overdue_only = False

    def set_filters(self, *, text: str = "", overdue_only: bool = False, **equals: str) -> None:
        modern = hasattr(self, "beginFilterChange")  # Qt ≥ 6.9; invalidateRowsFilter before
        if modern:
            self.beginFilterChange()
        self.text = text.casefold().strip()
        self.equals = {k: v for k, v in equals.items() if v}
        self.overdue_only = overdue_only
        if modern:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, row, parent) -> bool:  # noqa: N802
        risk: Risk = self.sourceModel().risks[row]
        if any((getattr(risk, name) or "") != value for name, value in self.equals.items()):
            return False
        if self.overdue_only and not is_overdue(risk, self.sourceModel().today):
            return False
        return not self.text or any(self.text in field_text(risk, name).casefold() for name in FIELDS)

    def lessThan(self, left, right) -> bool:  # noqa: N802
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        descending = self.sortOrder() == Qt.SortOrder.DescendingOrder
        if a is None or b is None:  # empties always sort last
            return (a is not None) != descending if (a is None) != (b is None) else False
        return a < b


def class_title(value: str) -> str:
    return CLASS_TITLES.get(value, "Not classified")
