"""The few dialogs the app shows: a message and a confirmation of a destructive step.

Texts are always plain (a workshop called "<b>Q3</b>" is shown as typed, never as markup).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

Icon = QMessageBox.Icon


def _box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, details: str) -> QMessageBox:
    box = QMessageBox(icon, title, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if details:
        box.setInformativeText(details)
    return box


def tell(parent: QWidget | None, title: str, text: str, details: str = "", *, icon: Icon = Icon.Warning) -> None:
    _box(parent, icon, title, text, details).exec()


def confirm(parent: QWidget | None, title: str, question: str, consequences: str, action: str) -> bool:
    """Ask before destroying data; ``consequences`` says what will be lost. Cancel is the default."""
    box = _box(parent, Icon.Warning, title, question, consequences)
    go = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is go
