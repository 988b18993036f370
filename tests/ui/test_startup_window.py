"""What the window does right after start-up, and the keys that reach every step:
an interview left running is offered for resuming; Ctrl+1…9, Ctrl+0 and Ctrl+Tab / Ctrl+Shift+Tab
reach the steps, and no page takes those keys for itself."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtTest import QTest
from shell_helpers import focus, open_window

from alignwork import store
from alignwork.workshops import bundle
from alignwork.interviews import flow as interviews
from alignwork.db import open_database
from alignwork_gui.main_window import step_shortcut
from alignwork_gui.pages import STEPS, PageSpec

CTRL = Qt.KeyboardModifier.ControlModifier
ROOT = Path(__file__).resolve().parents[2]


def interrupted_workshop(session, name: str = "Q3 alignment"):
    """A workshop whose rep Dana has an interview left in progress, with answers, at ``titles``."""
    workshop = store.create_workshop(session=session, name=name)
    store.add_participant(session=session, workshop_id=workshop.id, name="Ari Lane")
    dana = store.add_participant(session=session, workshop_id=workshop.id, name="Dana Reyes")
    running = interviews.interview_for_participant(session=session, participant_id=dana.id)
    interviews.start_interview(session=session, interview_id=running.id)
    store.save_answer(session=session, interview_id=running.id, key="wiifm", value="Fewer junk leads")
    store.save_answer(session=session, interview_id=running.id, key="titles", value=["VP Sales", "CRO"])
    interviews.save_position(session=session, interview_id=running.id, current_key="titles", elapsed_seconds=340)
    return workshop


def test_an_interrupted_interview_is_offered_once_the_window_is_open(qtbot, database, session):
    workshop = interrupted_workshop(session)
    window = open_window(qtbot, database)
    assert window.context.workshop_id == workshop.id
    assert window.stack.currentWidget() is window.page("overview")  # the remembered step opens first

    window.offer_resume()  # what run() schedules once the start-up figure is taken

    page = window.page("interview")
    assert window.stack.currentWidget() is page
    assert STEPS[window.step_list.currentRow()].key == "interview"
    assert page.banner.isVisible() and page.resume_button.isVisible()
    assert "Dana Reyes" in page.banner_text.text()
    assert "Dana Reyes's interview was interrupted" in window.statusBar().currentMessage()
    page.resume_button.click()  # the offer really resumes: same interview, same question
    assert page.runner.interview_id == page.resume_points[0].interview_id
    assert page.runner.isVisible()


def test_without_an_interrupted_interview_the_remembered_step_stays(qtbot, database, session):
    workshop = store.create_workshop(session=session, name="Quiet")
    dana = store.add_participant(session=session, workshop_id=workshop.id, name="Dana Reyes")
    done = interviews.interview_for_participant(session=session, participant_id=dana.id)
    interviews.start_interview(session=session, interview_id=done.id)
    interviews.finish_interview(session=session, interview_id=done.id, elapsed_seconds=900)
    window = open_window(qtbot, database)
    window.offer_resume()
    assert window.stack.currentWidget() is window.page("overview")
    assert "interview" not in window._pages  # nothing was built for an offer not made


def test_the_go_menu_lists_every_step_and_keys_reach_the_tenth_and_beyond(qtbot, database, session):
    store.create_workshop(session=session, name="Q3")
    added = [PageSpec(key, title, "document", "alignwork_gui.pages.workshop", "WorkshopPage", "")
             for key, title in (("appendix-a", "Appendix A"), ("appendix-b", "Appendix B"), ("appendix-c", "Appendix C"))]
    real_steps = len(STEPS)
    STEPS.extend(added[: max(0, 11 - real_steps)])  # eleven steps: one more than there are digits
    try:
        window = open_window(qtbot, database)
        go_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Go")
        entries = [a for a in go_menu.actions() if not a.isSeparator()]
        assert [a.text() for a in entries] == [s.title for s in STEPS] + ["&Next step", "&Previous step"]
        keys = [a.shortcut().toString() for a in entries[: len(STEPS)]]
        assert keys == [f"Ctrl+{d}" for d in "1234567890"] + [f"Alt+{d}" for d in "1234567890"][: len(STEPS) - 10]
        assert window.step_list.item(9).toolTip() == f"{STEPS[9].title} (Ctrl+0)"

        goal = window.page("overview").goal  # from inside a text box too
        focus(qtbot, goal)
        QTest.keyClick(goal, Qt.Key.Key_Tab, CTRL)
        assert window.stack.currentWidget() is window.page("roster")
        focus(qtbot, window.step_list)
        QTest.keyClick(window.step_list, Qt.Key.Key_0, CTRL)
        assert window.step_list.currentRow() == 9
        QTest.keyClick(window.step_list, Qt.Key.Key_Tab, CTRL)  # the eleventh: no digit, one step on
        assert window.step_list.currentRow() == 10
        assert window.stack.currentWidget() is window.page(STEPS[10].key)
        QTest.keyClick(window.step_list, Qt.Key.Key_Tab, CTRL)  # the last step stays the last
        assert window.step_list.currentRow() == 10
        QTest.keyClick(window.step_list, Qt.Key.Key_Backtab, CTRL | Qt.KeyboardModifier.ShiftModifier)
        assert window.step_list.currentRow() == 9
        QTest.keyClick(window.step_list, Qt.Key.Key_1, CTRL)
        window.previous_step.trigger()  # the first step stays the first
        assert window.step_list.currentRow() == 0
    finally:
        del STEPS[real_steps:]


def test_no_page_takes_a_step_key_for_itself(qtbot, database, session):
    interrupted_workshop(session)
    window = open_window(qtbot, database)
    for spec in STEPS:  # every page built, the interview runner included
        window.show_step(spec.key)
    window.page("interview").resume_interrupted()
    step_keys = {QKeySequence(step_shortcut(row)) for row in range(len(STEPS)) if step_shortcut(row)}
    step_keys |= set(window.next_step.shortcuts()) | set(window.previous_step.shortcuts())
    assert len(step_keys) >= len(STEPS) + 2
    taken = {}
    for action in window.findChildren(QAction):
        if action not in window.step_actions:
            for keys in action.shortcuts():
                taken.setdefault(keys, []).append(f"action {action.text()!r}")
    for shortcut in window.findChildren(QShortcut):
        for keys in shortcut.keys():
            taken.setdefault(keys, []).append(f"shortcut of {shortcut.parent().__class__.__name__}")
    assert len(taken) > 20  # the pages' own keys were found
    clashes = {keys.toString(): users for keys, users in taken.items() if keys in step_keys}
    assert clashes == {}


def test_the_window_is_ready_with_only_the_workshop_table_built(tmp_path):
    """Guards the start-up figure: a page or widget on the start path that imports the interview,
    kit or another room's module would build every table before the window is ready (~40 ms)."""
    database = open_database(f"sqlite:///{tmp_path / 'alignwork.db'}")
    with database.session() as session:
        interrupted_workshop(session)  # reps, an interview, answers: the overview counts them
        bundle.import_demo(session=session)
    database.dispose()
    environment = {**os.environ, "ALIGNWORK_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen",
                   "ALIGNWORK_REPORT_HEAVY_MODULES": "1"}
    environment.pop("ALIGNWORK_DB", None)
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--quit-after-ready"], capture_output=True,
                            text=True, cwd=ROOT, env=environment, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ready in ") and lines[1] == "heavy modules: none"
    assert lines[2] == "tables built: workshop"
