"""One way to make actions: icon, shortcuts, tooltip naming the shortcut, status tip."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QWidget

from alignwork_gui.icons import icon


def make_action(parent: QObject, text: str, icon_name: str, shortcuts: str | list | QKeySequence.StandardKey,
                tip: str, slot: Callable | None = None, *,
                context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut) -> QAction:
    """``text`` is the menu label ("&New workshop"); ``tip`` says what it does, in one sentence."""
    action = QAction(icon(icon_name), text, parent)
    if isinstance(shortcuts, QKeySequence.StandardKey):
        action.setShortcuts(shortcuts)
    elif shortcuts:
        keys = [shortcuts] if isinstance(shortcuts, str) else shortcuts
        action.setShortcuts([QKeySequence(key) for key in keys])
    action.setShortcutContext(context)
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    plain = text.replace("&", "").rstrip("…").rstrip(".")
    action.setToolTip(f"{tip} ({keys})" if keys else tip)
    action.setStatusTip(tip)
    action.setObjectName(plain)
    if slot is not None:
        action.triggered.connect(lambda _checked=False: slot())
    return action


def name_button(button: QAbstractButton | QWidget, action: QAction) -> None:
    """Buttons built from actions get the action's name for screen readers."""
    button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
    button.setToolTip(action.toolTip())
