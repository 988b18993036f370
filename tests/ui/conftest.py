"""Helpers for driving the interview pages by keyboard, as a facilitator would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


class Keyboard:
    """Types into whatever has the focus — never into a widget picked by the test."""

    def __init__(self, qtbot):
        self.qtbot = qtbot

    @staticmethod
    def focus():
        # a real keyboard goes to an open popup (the completer's list) before the focus widget
        widget = QApplication.activePopupWidget() or QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def type(self, text: str) -> None:
        for character in text:
            QTest.keyClicks(self.focus(), character)
        QApplication.processEvents()  # the event loop runs between real keystrokes

    def press(self, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        QTest.keyClick(self.focus(), key, modifiers)
        QApplication.processEvents()

    def enter(self) -> None:
        self.press(Qt.Key.Key_Return)

    def ctrl(self, key: Qt.Key) -> None:
        self.press(key, Qt.KeyboardModifier.ControlModifier)

    def ctrl_shift(self, key: Qt.Key) -> None:
        self.press(key, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)

    def next_question(self) -> None:
        self.ctrl(Qt.Key.Key_Down)


@pytest.fixture
def keyboard(qtbot):
    return Keyboard(qtbot)


@pytest.fixture
def context(qapp, database):
    from alignwork_gui.context import AppContext

    context = AppContext(database)
    yield context
    context.stop_feed()


@pytest.fixture
def show_page(qtbot):
    def show(page, workshop_id: int, size=(1280, 800)):
        qtbot.addWidget(page)
        page.set_workshop(workshop_id)
        page.resize(*size)
        page.show()
        qtbot.waitExposed(page)
        page.activateWindow()
        qtbot.waitUntil(page.isActiveWindow)
        return page

    return show


@pytest.fixture(scope="session", autouse=True)
def _tidy_qt_at_exit(qapp):
    """Windows left over by the tests are deleted while Qt still runs: left to the interpreter's
    exit, their destruction order can crash the process after every test passed (exit 139)."""
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    yield
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
