"""A table model over a scored polars frame: only the rows on screen are turned into Python.

Rows are fetched in blocks of ``BLOCK`` when first painted and a few blocks are
kept; a million-lead back-test costs the view what a screenful costs. Clicking a
header sorts the frame itself (polars, not Qt's proxy).
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

BLOCK = 256
KEEP_BLOCKS = 8
COLUMNS = (("Line", "_line"), ("Stage", "stage"), ("Score", "score"), ("Fit", "fit_score"),
           ("Intent", "intent_score"), ("Why (rules that fired)", "reasons"), ("Outcome", "_outcome"),
           ("Title", "title"), ("Industry", "industry"), ("Region", "region"), ("Source", "lead_source"))
WHY_COLUMN = 5
NUMERIC = {"_line", "score", "fit_score", "intent_score"}


def _outcome_text(value) -> str:
    return "" if value is None else ("won" if value else "lost")


def _source_labels() -> dict[str, str]:
    """Lead-source kinds in the documents' words ("pricing_page" → "Asked for pricing")."""
    from alignwork.synthesis.normalize import lead_source_kinds

    return lead_source_kinds()


class ScoredLeadsModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.frame = None
        self.columns = list(COLUMNS)
        self._labels: dict[str, str] | None = None
        self._blocks: OrderedDict[int, list[tuple]] = OrderedDict()

    def set_frame(self, frame, *, with_outcome: bool = True) -> None:
        self.beginResetModel()
        self.columns = [c for c in COLUMNS if with_outcome or c[1] != "_outcome"]
        self.frame = frame.select([name for _, name in self.columns]) if frame is not None else None
        self._blocks.clear()
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() or self.frame is None else self.frame.height

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section][0]
        return None

    def _row(self, row: int) -> tuple:
        block = row // BLOCK
        rows = self._blocks.get(block)
        if rows is None:
            rows = self.frame.slice(block * BLOCK, BLOCK).rows()
            self._blocks[block] = rows
            if len(self._blocks) > KEEP_BLOCKS:
                self._blocks.popitem(last=False)
        else:
            self._blocks.move_to_end(block)
        return rows[row - block * BLOCK]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.frame is None:
            return None
        name = self.columns[index.column()][1]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = self._row(index.row())[index.column()]
            if name == "_outcome":
                return _outcome_text(value)
            if name == "lead_source" and value is not None:  # said as the documents and the results say it
                if self._labels is None:
                    self._labels = _source_labels()
                return self._labels.get(value, value)
            if role == Qt.ItemDataRole.ToolTipRole and name != "reasons":
                return None
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and name in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if self.frame is None:
            return
        self.layoutAboutToBeChanged.emit()
        self.frame = self.frame.sort(self.columns[column][1], descending=order == Qt.SortOrder.DescendingOrder,
                                     nulls_last=True, maintain_order=True)
        self._blocks.clear()
        self.layoutChanged.emit()

    def line_at(self, row: int) -> int:
        return self._row(row)[0]
