"""Push buttons made the same way everywhere: accessible name, tooltip naming the shortcut."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QPushButton


def action_button(text: str, tip: str, *, shortcut: str = "", name: str = "",
                  on_click: Callable[[], object] | None = None, enabled: bool = True) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name or text)
    button.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
    if shortcut:
        button.setShortcut(shortcut)
    if on_click is not None:
        button.clicked.connect(lambda _checked=False: on_click())
    button.setEnabled(enabled)
    return button
