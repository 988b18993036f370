"""An item delegate that wraps long text onto more lines instead of eliding it."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate

PADDING = 8


class WrapDelegate(QStyledItemDelegate):
    def __init__(self, view: QAbstractItemView):
        super().__init__(view)
        self.view = view
        view.setWordWrap(True)
        view.setTextElideMode(Qt.TextElideMode.ElideNone)
        header = getattr(view, "header", None) or getattr(view, "horizontalHeader")
        # row heights depend on column widths: lay the rows out again when a column resizes
        header().sectionResized.connect(lambda *_: view.scheduleDelayedItemsLayout())

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 (Qt name)
        size = super().sizeHint(option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not isinstance(text, str) or not text:
            return QSize(size.width(), size.height() + PADDING)
        width = self.view.columnWidth(index.column()) - 2 * PADDING
        if index.column() == 0 and hasattr(self.view, "indentation"):
            depth, parent = 0, index.parent()
            while parent.isValid():
                depth, parent = depth + 1, parent.parent()
            width -= self.view.indentation() * (depth + 1)
        font = index.data(Qt.ItemDataRole.FontRole) or option.font
        from PySide6.QtGui import QFontMetrics

        bounds = QFontMetrics(font).boundingRect(QRect(0, 0, max(width, 40), 10_000),
                                                 Qt.TextFlag.TextWordWrap, text)
        return QSize(size.width(), max(size.height(), bounds.height()) + PADDING)
