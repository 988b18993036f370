"""Table model over the premortem checklist (the shared ``RowsModel``), and the proxy that sorts and filters it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from alignwork.models import RISK_CLASSES, RISK_STATUSES, Risk
from alignwork.premortem.checklist import CLASS_TITLES, FIELDS, field_text, is_overdue
from alignwork_gui.widgets.editable_table import ROW_ROLE, Column, RowsModel
from alignwork_gui.widgets.labels import PROBLEM_COLOUR

HEADERS = {"title": "Risk", "description": "Why", "category": "Category", "source": "Source",
           "likelihood": "Likelihood", "impact": "Impact", "score": "Score", "klass": "Class", "votes": "Votes",
           "owner": "Owner", "mitigation": "Mitigation", "due_date": "Due", "status": "Status",
           "review_notes": "Review notes", "evidence": "Evidence"}
EDITABLE = ("title", "category", "likelihood", "impact", "klass", "owner", "mitigation", "due_date", "status",
            "review_notes")
CHOICES = {"klass": ("", *RISK_CLASSES), "status": RISK_STATUSES}
COLUMNS = tuple(Column(name, HEADERS[name], editable=name in EDITABLE) for name in FIELDS)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
RISK_ROLE = ROW_ROLE  # the Risk of a row


def overdue_colour() -> QColor:
    """A soft red that reads on light and dark palettes."""
    base = QApplication.palette().color(QPalette.ColorRole.Base)
    colour = QColor(PROBLEM_COLOUR)
    colour.setAlpha(70 if base.lightness() > 128 else 110)
    return colour


class RiskTableModel(RowsModel):
    """One row per checklist item, on the shared ``RowsModel``; edits go through
    ``save(risk, field, value)`` (the core), which returns the stored item or None."""

    def __init__(self, save: Callable[[Risk, str, object], Risk | None], parent=None):
        super().__init__(COLUMNS, parent, save=save)
        self.today = date.today()

    @property
    def risks(self) -> list[Risk]:
        return self.rows

    def set_risks(self, risks: list[Risk]) -> None:
        before = self.shown()
        self.today = date.today()
        self.set_rows(list(risks), before=before)

    # ------------------------------------------------------------ how a cell shows
    def text(self, risk: Risk, name: str) -> str:
        text = field_text(risk, name)
        return text.replace("\n", " ") if name in ("description", "mitigation", "review_notes") else text

    def edit_value(self, risk: Risk, name: str):
        value = getattr(risk, name)
        if name == "due_date":
            return QDate(value.year, value.month, value.day) if value else QDate.currentDate().addDays(14)
        if name in ("likelihood", "impact"):
            return value or 3
        return value or ""

    def to_stored(self, name: str, value):
        if isinstance(value, QDate):
            value = value.toPython() if value.isValid() else None
        if name in ("likelihood", "impact"):
            value = int(value) if value not in (None, "", 0) else None
        return value

    def tip(self, risk: Risk, name: str) -> str | None:
        if name == "due_date" and is_overdue(risk, self.today):
            return f"Overdue since {risk.due_date.isoformat()}"
        if name in ("title", "description", "evidence"):
            parts = [risk.description, *(f"Evidence: {e}" for e in risk.evidence)]
            return "\n".join(p for p in parts if p) or None
        return None

    def cell(self, risk: Risk, name: str, role: int):
        if role == SORT_ROLE:
            value = getattr(risk, name)
            if value is None or value == "" or value == []:
                return None
            return value.isoformat() if name == "due_date" else (
                value if isinstance(value, int) else field_text(risk, name).casefold())
        if role == Qt.ItemDataRole.BackgroundRole and is_overdue(risk, self.today):
            return overdue_colour()
        if role == Qt.ItemDataRole.TextAlignmentRole and name in ("likelihood", "impact", "score", "votes"):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


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
