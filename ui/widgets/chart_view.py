"""Host a core-built matplotlib Figure in a widget (FigureCanvasQTAgg), themed like the window.

matplotlib is imported when the first chart is shown, never at start-up.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from alignwork.charts import DARK, LIGHT, ChartTheme


def chart_theme(widget: QWidget) -> ChartTheme:
    """The light or dark chart theme matching the widget's palette, with its window colour."""
    from dataclasses import replace

    palette = widget.palette()
    window = palette.color(QPalette.ColorRole.Window)
    base = DARK if window.lightness() < 128 else LIGHT
    return replace(base, background=window.name(), foreground=palette.color(QPalette.ColorRole.WindowText).name())


class ChartView(QWidget):
    """Shows one Figure; ``show_figure(build)`` calls ``build(theme)`` and swaps the canvas."""

    def __init__(self, name: str, parent: QWidget | None = None, *, natural_height: bool = False):
        super().__init__(parent)
        self.setAccessibleName(name)
        # in a scroll area a chart keeps the height its figure asks for (e.g. one bar per item)
        self.natural_height = natural_height
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.canvas = None
        self._pending: Callable[[ChartTheme], object] | None = None
        self.placeholder = QLabel("No chart yet")
        self.placeholder.setEnabled(False)
        self._layout.addWidget(self.placeholder)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name) — the same before and after a chart is drawn
        return QSize(640, 360)

    def show_figure(self, build: Callable[[ChartTheme], object]) -> None:
        """Show ``build(theme)``; a hidden view builds it when first shown (hidden pages and tabs
        cost nothing)."""
        self._pending = build
        if self.isVisible():
            self._draw()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if self._pending is not None:
            self._draw()

    def _draw(self) -> None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        build, self._pending = self._pending, None
        figure = build(chart_theme(self))
        canvas = FigureCanvasQTAgg(figure)
        canvas.setAccessibleName(self.accessibleName())
        canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        canvas.setMinimumSize(240, int(figure.get_figheight() * figure.dpi) if self.natural_height else 160)
        if self.canvas is not None:
            self._layout.removeWidget(self.canvas)
            self.canvas.deleteLater()
        self.placeholder.hide()
        self.canvas = canvas
        self._layout.addWidget(canvas)
        canvas.draw_idle()
