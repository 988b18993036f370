"""A whole interview run with the keyboard alone lands in the database with the right kinds."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from alignwork import store
from alignwork.models import Interview


@pytest.fixture
def workshop(session):
    ws = store.create_workshop(session=session, name="Keyboard run", company="Northwind", target_minutes=15)
    ana = store.add_participant(session=session, workshop_id=ws.id, name="Ana Lopez", role="AE")
    ben = store.add_participant(session=session, workshop_id=ws.id, name="Ben Okafor")
    earlier = store.create_interview(session=session, participant_id=ben.id, status="done",
                                     held_on=date(2026, 11, 2), duration_seconds=900)
    store.save_answer(session=session, interview_id=earlier.id, key="titles", value=["CFO", "VP Finance"])
    return ws, ana, ben


def current_key(page) -> str:
    return page.runner.current_key


def test_full_interview_by_keyboard(qtbot, context, session, workshop, keyboard, show_page):
    from alignwork_gui.pages.interviews.page import InterviewPage

    ws, ana, _ben = workshop
    page = show_page(InterviewPage(context), ws.id)
    assert [row.rep for row in page.model.rows] == ["Ana Lopez", "Ben Okafor"]
    page.table.setFocus()
    keyboard.enter()  # first row: Ana, not started → the opening card
    runner = page.runner
    assert runner.pages.currentWidget() is runner.opening
    assert "15 minutes and only ask what matters" in runner.script_labels[2].text()
    keyboard.enter()  # begin: the clock starts
    assert runner.timer.running and current_key(page) == "wiifm"

    keyboard.type("Leads that already have a budget")
    keyboard.next_question()
    keyboard.type("Finance leaders at mid-sized banks")
    keyboard.next_question()
    assert current_key(page) == "titles"
    keyboard.type("VP F")  # completion from Ben's earlier interview
    popup = runner.blocks["titles"].input.completer.popup()
    qtbot.waitUntil(popup.isVisible)
    keyboard.press(Qt.Key.Key_Down)
    keyboard.enter()
    keyboard.type("CFO")  # suggestions show, none picked: one Enter adds what was typed
    assert popup.isVisible()
    keyboard.enter()
    keyboard.type("Head of RevOps")
    keyboard.enter()
    keyboard.type("Typo")
    keyboard.enter()
    keyboard.press(Qt.Key.Key_Backspace)  # empty field: removes the last tag
    assert runner.blocks["titles"].input.tags == ["VP Finance", "CFO", "Head of RevOps"]
    keyboard.ctrl_shift(Qt.Key.Key_Q)  # a quote on the current question
    keyboard.type("Give me CFOs who already plan in a tool")
    keyboard.enter()
    assert current_key(page) == "titles" and runner.blocks["titles"].input.edit.hasFocus()
    keyboard.next_question()
    keyboard.type("fintech")
    keyboard.enter()
    keyboard.type("banks")
    keyboard.enter()
    keyboard.next_question()
    keyboard.type("5k+")
    assert runner.blocks["company_size"].input.feedback.text() == "Understood as 5,000 or more employees"
    keyboard.next_question()
    keyboard.type("lots")
    assert runner.blocks["annual_revenue"].input.feedback.text().startswith("Can't read “lots” as an amount of US "
                                                                           "dollars — not saved. Try “$10M-$50M”")
    assert runner.answers.get("annual_revenue") is None  # nothing unreadable is stored
    keyboard.ctrl(Qt.Key.Key_A)
    keyboard.type("$10M-$50M")
    assert runner.blocks["annual_revenue"].input.feedback.text() == "Understood as $10M–$50M"
    keyboard.next_question()
    keyboard.type("DACH")
    keyboard.enter()
    keyboard.next_question()  # next section: Readiness
    assert current_key(page) == "readiness" and "Section 3 of 6: Readiness" in runner.section_label.text()
    keyboard.press(Qt.Key.Key_Space)  # need
    keyboard.press(Qt.Key.Key_Tab)
    keyboard.press(Qt.Key.Key_Tab)  # skip budget
    keyboard.press(Qt.Key.Key_Space)  # authority
    keyboard.press(Qt.Key.Key_Tab)
    keyboard.ctrl(Qt.Key.Key_A)
    keyboard.type("6")
    keyboard.next_question()
    keyboard.type("asked for pricing")
    keyboard.enter()
    keyboard.next_question()
    keyboard.type("students")
    keyboard.enter()
    keyboard.next_question()
    keyboard.next_question()  # punt_signals left unanswered
    assert current_key(page) == "lead_quality_rating"
    keyboard.type("2")
    keyboard.next_question()
    keyboard.type("140")  # out of range: shown, not saved
    assert runner.blocks["junk_share_percent"].input.problem.text() == ("Not saved: expected a number ≤ 100, got 140; "
                                                                    "nothing is stored.")
    assert page.writer.flush() and "junk_share_percent" not in store.answers_for(
        session=session, interview_id=runner.interview_id)  # not even the "14" typed on the way
    keyboard.ctrl(Qt.Key.Key_A)
    keyboard.type("40")
    keyboard.next_question()
    keyboard.press(Qt.Key.Key_Down)  # combo: first option after "no answer"
    keyboard.next_question()
    keyboard.type("case studies")  # not entered: moving on keeps it
    keyboard.next_question()
    assert current_key(page) == "surprises"
    keyboard.type("They never read the newsletter")
    keyboard.ctrl_shift(Qt.Key.Key_S)
    keyboard.type("Reps build their own lead lists")
    keyboard.enter()
    keyboard.ctrl_shift(Qt.Key.Key_P)
    keyboard.press(Qt.Key.Key_Escape)  # dropped
    keyboard.ctrl_shift(Qt.Key.Key_Return)  # finish

    assert page.stack.currentIndex() == 0
    record = session.exec(store.select(Interview).where(Interview.participant_id == ana.id)).one()
    session.refresh(record)
    assert record.status == "done" and record.held_on == date.today() and record.duration_seconds >= 0
    answers = store.answers_for(session=session, interview_id=record.id)
    assert answers == {
        "wiifm": "Leads that already have a budget",
        "ideal_lead": "Finance leaders at mid-sized banks",
        "titles": ["VP Finance", "CFO", "Head of RevOps"],
        "industries": ["fintech", "banks"],
        "company_size": "5k+",
        "annual_revenue": "$10M-$50M",
        "regions": ["DACH"],
        "readiness": {"need": True, "budget": False, "authority": True, "timeline_months": 6},
        "buying_signals": ["asked for pricing"],
        "rejection_triggers": ["students"],
        "lead_quality_rating": 2,
        "junk_share_percent": 40,
        "volume_vs_quality": "fewer_better",
        "helpful_content": ["case studies"],
        "surprises": "They never read the newsletter",
    }
    assert type(answers["lead_quality_rating"]) is int and type(answers["junk_share_percent"]) is int
    notes = [(n.kind, n.question, n.text) for n in store.notes_for(session=session, interview_id=record.id)]
    assert notes == [("quote", "titles", "Give me CFOs who already plan in a tool"),
                     ("surprise", "surprises", "Reps build their own lead lists")]
    row = next(r for r in page.model.rows if r.participant_id == ana.id)
    assert (row.status, row.percent) == ("done", 94)  # 15 of 16


def test_review_a_finished_interview_and_correct_it(qtbot, context, session, workshop, keyboard, show_page):
    from alignwork_gui.pages.interviews.page import InterviewPage

    ws, _ana, ben = workshop
    page = show_page(InterviewPage(context), ws.id)
    page.table.selectRow(1)
    assert page.open_button.text() == "Review interview"
    page.table.setFocus()
    keyboard.enter()
    runner = page.runner
    assert runner.reviewing and not runner.timer.running and runner.timer.elapsed() == 900
    assert runner.blocks["titles"].input.tags == ["CFO", "VP Finance"]
    assert current_key(page) == "wiifm"
    keyboard.next_question()
    keyboard.next_question()
    keyboard.press(Qt.Key.Key_Backspace)  # correct: drop "VP Finance"
    keyboard.ctrl_shift(Qt.Key.Key_Return)
    record = session.get(Interview, store.list_interviews(session=session, workshop_id=ws.id)[0].id)
    session.refresh(record)
    assert (record.status, record.duration_seconds) == ("done", 900)
    assert store.answers_for(session=session, interview_id=record.id) == {"titles": ["CFO"]}


def test_empty_roster_says_what_to_do(qtbot, context, session, show_page):
    from alignwork_gui.pages.interviews.page import InterviewPage

    ws = store.create_workshop(session=session, name="Empty")
    page = show_page(InterviewPage(context), ws.id)
    assert page.list_stack.currentWidget() is page.empty
    requested = []
    context.step_requested.connect(requested.append)
    button = page.empty.findChild(type(page.open_button))
    button.click()
    assert requested == ["roster"]
    assert all(w.accessibleName() for w in page.findChildren(type(page.open_button)))
    QApplication.processEvents()


def test_roster_request_opens_the_runner_and_every_control_is_named(qtbot, context, session, workshop):
    from PySide6.QtWidgets import (
        QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit,
    )

    from alignwork_gui.main_window import MainWindow

    ws, ana, _ben = workshop
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.reload_workshops(ws.id)
    window.show()
    context.interview_requested.emit(ana.id)  # what the roster page does
    page = window.show_step("interview")
    assert page.stack.currentWidget() is page.runner
    assert page.runner.pages.currentWidget() is page.runner.opening
    page.runner.begin()
    controls = [w for w in page.findChildren(QWidget)
                if isinstance(w, (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox))
                or type(w).__name__ == "ScaleInput"]
    unnamed = [f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}" for w in controls
               if not w.accessibleName() and not isinstance(w.parent(), QAbstractSpinBox)
               and not isinstance(w.parent(), (QComboBox, QAbstractItemView))]  # Qt's own sub-widgets
    assert len(controls) >= 30 and unnamed == []
    page.close_writer()


def test_guide_edited_mid_interview_keeps_place_and_answers(qtbot, context, session, workshop, keyboard, show_page):
    from alignwork.changes import Changes
    from alignwork.interviews.guide_edit import edit_guide, reword, set_hidden
    from alignwork_gui.pages.interviews.page import InterviewPage

    ws, ana, _ben = workshop
    page = show_page(InterviewPage(context), ws.id)
    page.start_for_participant(ana.id)
    keyboard.enter()
    keyboard.next_question()
    keyboard.type("Banks")
    page.hide()  # the facilitator steps over to the Guide
    edit_guide(session=session, workshop_id=ws.id,
               operation=lambda qs: set_hidden(reword(qs, "ideal_lead", prompt="Who is your dream lead?"),
                                                "titles", True))
    context.announce(Changes(guide=True, workshop_id=ws.id))
    page.show()
    runner = page.runner
    assert "titles" not in runner.blocks and runner.current_key == "ideal_lead"
    assert runner.blocks["ideal_lead"].question.prompt == "Who is your dream lead?"
    assert runner.blocks["ideal_lead"].input.value() == "Banks" and runner.timer.running
    page.close_writer()
