"""The main window at laptop size: it opens inside the screen, restores sensibly at another scale,
the sidebar collapses, Ctrl+digit puts the keyboard in the page, Help has the guide and the keys."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from shell_helpers import open_window

from alignwork import store
from alignwork_gui.window_geometry import fitted, fractions_of


def test_the_window_opens_inside_the_available_screen(qtbot, database, session):
    store.create_workshop(session=session, name="Alpha")
    window = open_window(qtbot, database)
    available = window.screen().availableGeometry()
    assert available.contains(window.frameGeometry()), (window.frameGeometry(), available)
    assert window.statusBar().isVisible()
    assert available.contains(window.statusBar().mapToGlobal(window.statusBar().rect().bottomRight()))


def test_a_laptop_screen_with_a_task_bar_gets_a_window_that_fits():
    laptop = QRect(0, 44, 1280, 756)  # 1280×800 with a 44-px bar on top
    rect = fitted(laptop)
    assert rect.y() >= 44 and rect.y() + rect.height() + 32 <= 800 or rect.bottom() < 800
    assert laptop.contains(rect)


def test_a_size_saved_at_one_scale_restores_at_the_same_share_at_another():
    # saved on a 2560×1440 screen at 100 %, restored at 200 % (1280×720 logical)
    big, scaled = QRect(0, 0, 2560, 1400), QRect(0, 0, 1280, 680)
    shares = fractions_of(QRect(200, 100, 1600, 1000), big)
    rect = fitted(scaled, shares)
    assert rect.size() == QSize(800, 486) and scaled.contains(rect)
    # a remembered window that would be tiny comes back at a usable share
    tiny = fitted(scaled, [0.0, 0.0, 0.05, 0.05])
    assert tiny.width() >= 0.4 * 1280 and tiny.height() >= 0.4 * 680


def test_the_sidebar_collapses_and_stays_collapsed(qtbot, database, session):
    store.create_workshop(session=session, name="Alpha")
    window = open_window(qtbot, database)
    assert window.side.isVisible()
    window.toggle_sidebar.trigger()
    assert not window.side.isVisible() and window.stack.isVisible()
    window.close()
    again = open_window(qtbot, database)
    assert not again.side.isVisible() and not again.toggle_sidebar.isChecked()
    again.toggle_sidebar.trigger()
    assert again.side.isVisible()


def test_ctrl_digit_puts_the_keyboard_in_the_page(qtbot, database, session):
    store.create_workshop(session=session, name="Alpha")
    window = open_window(qtbot, database)
    window.step_list.setFocus()
    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    page = window.page("roster")
    assert window.stack.currentWidget() is page
    focus = QApplication.focusWidget()
    assert focus is not None and page.isAncestorOf(focus), focus


def test_help_lists_every_shortcut_of_the_actions(qtbot, database, session):
    store.create_workshop(session=session, name="Alpha")
    window = open_window(qtbot, database)
    text = window.shortcut_text()
    for action in window.findChildren(type(window.next_step)):
        keys = action.shortcut().toString()
        if keys and action.text():
            assert keys in text and action.text().replace("&", "") in text, action.text()
    assert "Ctrl+0" in text and "Export" in text


def test_help_opens_the_user_guide_from_the_shipped_docs(qtbot, database, session):
    store.create_workshop(session=session, name="Alpha")
    window = open_window(qtbot, database)
    window.show_user_guide()
    guide = window.user_guide
    qtbot.waitExposed(guide)
    assert guide.browser.document().toPlainText().strip()
    assert "Ctrl+5" in guide.browser.document().toPlainText() or guide.pages.count() > 1
    assert not guide.browser.openExternalLinks()


def test_on_resume_the_selected_row_is_the_interrupted_interview(qtbot, context, database, session, show_page):
    from alignwork.interviews import flow
    from alignwork_gui.pages.interviews.page import InterviewPage

    ws = store.create_workshop(session=session, name="Resume")
    done = store.add_participant(session=session, workshop_id=ws.id, name="Ana Ruiz")
    stopped = store.add_participant(session=session, workshop_id=ws.id, name="Ben Okafor")
    first = flow.interview_for_participant(session=session, participant_id=done.id)
    flow.start_interview(session=session, interview_id=first.id)
    flow.finish_interview(session=session, interview_id=first.id, elapsed_seconds=900)
    second = flow.interview_for_participant(session=session, participant_id=stopped.id)
    flow.start_interview(session=session, interview_id=second.id)
    page = show_page(InterviewPage(context), ws.id)
    assert page.banner.isVisible()
    assert page.selected_row().participant_id == stopped.id
    assert page.open_button.text() == "Resume interview"
