"""Helpers for the shell tests: a real main window on a real SQLite file, and dialogs answered by the test."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox


class Dialogs:
    """Answers QMessageBox instances (exec) and records every static message shown."""

    def __init__(self, monkeypatch, answer: str | None = None):
        self.shown: list[tuple[str, str]] = []  # (title, full text)
        self.answer = answer  # text of the button to click in QMessageBox.exec; None = Cancel
        test = self

        def fake_exec(box: QMessageBox) -> int:
            test.shown.append((box.windowTitle(), f"{box.text()}\n{box.informativeText()}"))
            for button in box.buttons():
                if button.text().replace("&", "") == (test.answer or "Cancel"):
                    button.click()
                    break
            return 0

        def recorder(kind):
            def show(_parent, title, text, *args, **kwargs):
                test.shown.append((title, text))
                return QMessageBox.StandardButton.Ok
            return show

        monkeypatch.setattr(QMessageBox, "exec", fake_exec)
        for kind in ("information", "warning", "critical", "about"):
            monkeypatch.setattr(QMessageBox, kind, recorder(kind))

    @property
    def last(self) -> tuple[str, str]:
        assert self.shown, "no message was shown"
        return self.shown[-1]


def open_window(qtbot, database):
    from alignwork_gui.context import AppContext
    from alignwork_gui.main_window import MainWindow

    context = AppContext(database)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.reload_workshops()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # keyboard focus, as for a real user
    return window


def focus(qtbot, widget) -> None:
    """Give ``widget`` the keyboard focus in an active window (offscreen windows can lose activation)."""
    window = widget.window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
