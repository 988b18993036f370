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


def make_primary(button: QPushButton) -> QPushButton:
    """The one accent colour: the primary action of a view (default button, accent fill)."""
    button.setProperty("primary", True)
    button.setDefault(True)
    button.setStyleSheet("QPushButton { background: palette(highlight); color: palette(highlighted-text);"
                         " border: 1px solid palette(highlight); border-radius: 3px; padding: 4px 16px; }"
                         " QPushButton:disabled { background: palette(button); color: palette(mid);"
                         " border-color: palette(mid); }")  # a disabled primary keeps no accent rim
    return button


def confirm_destructive(parent, title: str, text: str, action: str = "Delete") -> bool:
    """Ask before destroying data; the text says what will be lost. Cancel is the default."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    confirm = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
    box.exec()
    return box.clickedButton() is confirm
