"""Every runner shortcut works while the keyboard is inside a tag input (even with its
suggestions open) or a range input; the tab order through a section follows the page."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from alignwork import store

CTRL, SHIFT, ALT = (Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier,
                    Qt.KeyboardModifier.AltModifier)


@pytest.fixture
def runner_page(qtbot, context, session, show_page, keyboard):
    from alignwork_gui.pages.interviews.page import InterviewPage

    ws = store.create_workshop(session=session, name="Shortcuts", target_minutes=20)
    ana = store.add_participant(session=session, workshop_id=ws.id, name="Ana Lopez")
    ben = store.add_participant(session=session, workshop_id=ws.id, name="Ben Okafor")
    earlier = store.create_interview(session=session, participant_id=ben.id, status="done", held_on=date(2026, 11, 2))
    store.save_answer(session=session, interview_id=earlier.id, key="titles", value=["VP Finance", "VP Sales"])
    page = show_page(InterviewPage(context), ws.id)
    page.start_for_participant(ana.id)
    keyboard.enter()  # begin
    yield page
    page.close_writer()


def place(page, keyboard, key, text):
    """Go to ``key`` and type ``text`` there; for tags this leaves the suggestions open."""
    page.runner.go_to(key)
    keyboard.ctrl(Qt.Key.Key_A)
    keyboard.type(text)


@pytest.mark.parametrize("where", ["titles", "company_size"])
def test_each_shortcut_works_inside_tag_and_range_inputs(qtbot, runner_page, keyboard, where):
    page, runner = runner_page, runner_page.runner
    typed = "VP" if where == "titles" else "5k+"

    def popup():  # the runner rebuilds its inputs when the interview is opened again
        return runner.blocks["titles"].input.completer.popup()

    def inside():
        place(page, keyboard, where, typed)
        if where == "titles":
            qtbot.waitUntil(popup().isVisible)

    inside()
    keyboard.press(Qt.Key.Key_Down, CTRL)
    assert runner.current_key == {"titles": "industries", "company_size": "annual_revenue"}[where]
    assert not popup().isVisible()
    inside()
    keyboard.press(Qt.Key.Key_Up, CTRL)
    assert runner.current_key == {"titles": "ideal_lead", "company_size": "industries"}[where]
    inside()
    keyboard.press(Qt.Key.Key_PageDown, CTRL)
    assert runner.current_key == "readiness" and not popup().isVisible()
    inside()
    keyboard.press(Qt.Key.Key_PageUp, CTRL)
    assert runner.current_key == "wiifm" and not popup().isVisible()
    for letter, kind in ((Qt.Key.Key_Q, "quote"), (Qt.Key.Key_S, "surprise"), (Qt.Key.Key_P, "pain"),
                         (Qt.Key.Key_I, "idea")):
        inside()
        keyboard.press(letter, CTRL | SHIFT)
        assert runner.notes.editor.hasFocus() and runner.notes.kind == kind and not popup().isVisible()
        assert runner.notes.question_key == where
        keyboard.press(Qt.Key.Key_Escape)
        assert runner.current_key == where
    inside()
    keyboard.press(Qt.Key.Key_Space, CTRL | SHIFT)
    assert not runner.timer.running
    keyboard.press(Qt.Key.Key_Space, CTRL | SHIFT)
    assert runner.timer.running
    expected = ["VP"] if where == "titles" else "5k+"
    inside()
    keyboard.press(Qt.Key.Key_Left, ALT)  # back to the list: the half-typed tag is kept
    assert page.stack.currentIndex() == 0 and runner.interview_id is None
    page.open_interview(page.model.rows[0].interview_id)
    assert runner.blocks[where].input.value() == expected
    inside() if where == "titles" else place(page, keyboard, where, "")
    keyboard.press(Qt.Key.Key_Return, CTRL | SHIFT)
    assert page.stack.currentIndex() == 0 and not popup().isVisible()
    QApplication.processEvents()


def test_next_and_note_shortcuts_work_from_every_kind_of_input(qtbot, runner_page, keyboard):
    runner = runner_page.runner
    keys = [q.key for q in runner.questions]
    for key in keys[:-1]:
        runner.go_to(key)
        if key == "readiness":  # into the timeline, the last of BANT's four controls
            for _ in range(3):
                keyboard.press(Qt.Key.Key_Tab)
            assert runner.blocks[key].input.months.hasFocus()
        keyboard.press(Qt.Key.Key_Q, CTRL | SHIFT)
        assert runner.notes.editor.hasFocus() and runner.notes.question_key == key, key
        keyboard.press(Qt.Key.Key_Escape)
        keyboard.press(Qt.Key.Key_Down, CTRL)
        assert runner.current_key == keys[keys.index(key) + 1], key
