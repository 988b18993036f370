"""Where the main window opens: always inside the screen's available area (no status bar under a
task bar), with a size remembered as a share of that area so it restores sensibly on another
screen or at another scale factor (a size saved at 200 % no longer comes back tiny at 100 %)."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QRect, QSize

PREFERRED = QSize(1280, 800)
SMALLEST_SHARE = 0.4  # a remembered window smaller than this share of the screen is grown to it


def fractions_of(window_rect: QRect, available: QRect) -> list[float]:
    """The window (frame top-left, client size) as shares of the available area."""
    w, h = max(available.width(), 1), max(available.height(), 1)
    return [(window_rect.x() - available.x()) / w, (window_rect.y() - available.y()) / h,
            window_rect.width() / w, window_rect.height() / h]


def fitted(available: QRect, saved: list[float] | None = None, frame: QMargins = QMargins(),
           preferred: QSize = PREFERRED) -> QRect:
    """The rect to give the window: x, y of its frame and the size of its client area, wholly
    inside ``available`` once the ``frame`` (title bar, borders) is added."""
    room = QSize(available.width() - frame.left() - frame.right(),
                 available.height() - frame.top() - frame.bottom())
    if saved and len(saved) == 4 and all(isinstance(v, float) and 0 <= abs(v) <= 4 for v in saved):
        x_share, y_share, w_share, h_share = saved
        size = QSize(round(max(w_share, SMALLEST_SHARE) * available.width()),
                     round(max(h_share, SMALLEST_SHARE) * available.height()))
        x, y = available.x() + round(x_share * available.width()), available.y() + round(y_share * available.height())
    else:
        size = preferred
        x = y = None
    size = size.boundedTo(room)
    outer = QSize(size.width() + frame.left() + frame.right(), size.height() + frame.top() + frame.bottom())
    if x is None:  # centred the first time
        x = available.x() + (available.width() - outer.width()) // 2
        y = available.y() + (available.height() - outer.height()) // 2
    x = min(max(x, available.x()), available.x() + available.width() - outer.width())
    y = min(max(y, available.y()), available.y() + available.height() - outer.height())
    return QRect(x, y, size.width(), size.height())
