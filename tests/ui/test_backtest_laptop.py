"""The back-test at laptop size: its actions in view at 1280×800 and 1024×640 (none in a scroll
area), skipped lines listed in the page, the last run back after a restart, history rows open."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QScrollArea
from shell_helpers import open_window

from tests.ui.test_backtest_page import leads, workshop  # noqa: F401 (fixtures)


def _run(qtbot, page, path):
    page.version_combo.setCurrentIndex(1)
    page.choose_file(str(path))
    qtbot.waitUntil(lambda: page.mapping_stack.currentIndex() == 1, timeout=10000)
    qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.results_stack.currentIndex() == 1 and page._task is None, timeout=10000)


def _in_scroll_area(widget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


@pytest.mark.parametrize("size", [(1280, 800), (1024, 640)])
def test_the_primary_actions_are_in_view(qtbot, database, workshop, leads, size):  # noqa: F811
    window = open_window(qtbot, database)
    window.resize(*size)
    page = window.show_step("backtest")
    _run(qtbot, page, leads)
    qtbot.wait(50)
    results = page.results_view
    shown = window.rect()
    for button in (results.halve_button, results.save_button, results.export_button, results.spin):
        assert button.isVisible(), button.text()
        assert not _in_scroll_area(button), f"{button.text()} is in a nested scroll area"
        corner = button.mapTo(window, QPoint(button.width() - 1, button.height() - 1))
        assert shown.contains(button.mapTo(window, QPoint(0, 0))) and shown.contains(corner), \
            (button.text() or button.accessibleName(), size, corner)
        assert button.width() >= button.minimumSizeHint().width(), button.text()  # not squeezed


def test_skipped_lines_are_listed_in_the_page(qtbot, context, workshop, leads, show_page):  # noqa: F811
    from alignwork_gui.pages.backtest import BacktestPage

    page = show_page(BacktestPage(context), workshop)
    page.choose_file(str(leads))
    qtbot.waitUntil(lambda: page.mapping_stack.currentIndex() == 1, timeout=10000)
    assert page.skipped.rowCount() == 1
    assert page.skipped.item(0, 0).text() == "11" and "2 fields where the header has 6" in page.skipped.item(0, 1).text()
    assert "CLI" not in page.message.text() and "Skipped lines tab" in page.message.text()
    assert page.tabs.tabText(page.tabs.indexOf(page.skipped_stack)) == "S&kipped lines (1)"


def test_the_last_run_survives_a_restart_and_history_rows_open(qtbot, context, workshop, leads,  # noqa: F811
                                                                show_page):
    from alignwork_gui.pages.backtest import BacktestPage

    first = show_page(BacktestPage(context), workshop)
    _run(qtbot, first, leads)
    first.close()

    again = show_page(BacktestPage(context), workshop)  # a new page, as after a restart
    assert again.results_stack.currentIndex() == 2
    assert "Back-test of q3-leads.csv with version 1" in again.last_run.title.text()
    assert "8 scored, 1 bad line skipped" in again.last_run.numbers.text()
    assert again.last_run.again_button.isVisible()
    qtbot.mouseClick(again.last_run.again_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: again.results_stack.currentIndex() == 1 and again._task is None, timeout=10000)
    assert again.results_view.stage_labels["SQL"].text() == "1  (12%)"

    assert again.history.rowCount() == 2
    again.tabs.setCurrentWidget(again.history_stack)
    again.history.setCurrentCell(1, 0)
    again.history.setFocus()
    qtbot.keyClick(again.history, Qt.Key.Key_Return)
    assert again.tabs.currentWidget() is again.results_stack and again.results_stack.currentIndex() == 2
