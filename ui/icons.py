"""Icons from resources/icons (one consistent SVG set); a missing file gives an empty icon."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from alignwork.paths import resource


@cache
def icon(name: str) -> QIcon:
    path = resource("icons", f"{name}.svg")
    if not path.exists():
        return QIcon()
    result = QIcon(str(path))
    # untinted on a selected row: Qt's default selected tint washes the grey line icons out
    result.addFile(str(path), QSize(), QIcon.Mode.Selected)
    return result
