"""Push buttons built one way: accessible name, tooltip, shortcut, and the primary accent."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton


def make_primary(button: QPushButton) -> QPushButton:
    """The one accent colour: the primary action of a view."""
    button.setProperty("primary", True)
    button.setDefault(True)
    button.setStyleSheet("QPushButton { background: palette(highlight); color: palette(highlighted-text);"
                         " border: 1px solid palette(highlight); border-radius: 3px; padding: 4px 16px; }"
                         " QPushButton:disabled { background: palette(button); color: palette(mid); }")
    return button


def action_button(text: str, name: str | None = None, *, tip: str = "", shortcut: str = "",
                  primary: bool = False) -> QPushButton:
    """A button whose accessible name defaults to its text; the shortcut is named in the tooltip."""
    button = QPushButton(text)
    button.setAccessibleName(name or text.rstrip("…"))
    if shortcut:
        button.setShortcut(shortcut)
        tip = f"{tip} ({shortcut})" if tip else shortcut
    if tip:
        button.setToolTip(tip)
    return make_primary(button) if primary else button


def confirm_destructive(parent, title: str, text: str, action: str = "Delete") -> bool:
    """Ask before destroying data; the text says what will be lost. Cancel is the default."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    confirm = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
    box.exec()
    return box.clickedButton() is confirm
