"""The answer-settings pane of the Guide step, driven by keyboard: a choice's options, a
number's limits, a range's unit — and refusals that name the interview they protect."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from alignwork import store
from alignwork.interviews import guide_edit


@pytest.fixture
def workshop(session):
    ws = store.create_workshop(session=session, name="Settings pane")
    ana = store.add_participant(session=session, workshop_id=ws.id, name="Ana Lopez")
    questions = store.workshop_guide(session=session, workshop_id=ws.id)
    keys = {}
    for prompt, kind, extra in (("Channel?", "choice", {"options": ["email", "phone"]}), ("Seats?", "number", {}),
                                ("Fit?", "scale", {}), ("Spend?", "range", {"unit": "employees"})):
        questions, keys[kind] = guide_edit.add_question(questions, section="Close", prompt=prompt, kind=kind, **extra)
    store.save_guide(session=session, workshop_id=ws.id, questions=questions)
    record = store.create_interview(session=session, participant_id=ana.id)
    store.save_answer(session=session, interview_id=record.id, key=keys["choice"], value="phone")
    store.save_answer(session=session, interview_id=record.id, key=keys["number"], value=40)
    store.save_answer(session=session, interview_id=record.id, key=keys["range"], value="10-50")
    return ws, record, keys


def saved(session, ws, key):
    session.expire_all()
    return {q.key: q for q in store.workshop_guide(session=session, workshop_id=ws.id)}[key]


def test_settings_pane_by_keyboard(qtbot, context, session, workshop, keyboard, show_page):
    from alignwork_gui.pages.guide.page import GuidePage

    ws, record, keys = workshop
    messages = []
    context.status.connect(lambda message, _timeout: messages.append(message))
    page = show_page(GuidePage(context), ws.id)
    pane = page.settings

    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QLineEdit, QWidget

    kinds = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView)
    controls = [w for w in page.findChildren(QWidget) if isinstance(w, kinds)
                and not any(isinstance(a, (QComboBox, QAbstractItemView)) for a in (w.parent(), w.parent().parent()))]
    assert len(controls) >= 12 and [type(w).__name__ for w in controls if not w.accessibleName()] == []

    page._select("volume_vs_quality")
    assert pane.stack.currentIndex() == 0 and "fixed" in pane.note.text()

    choice = keys["choice"]
    page._select(choice)
    page.tree.setFocus()
    keyboard.ctrl(Qt.Key.Key_E)
    assert pane.options.hasFocus()
    keyboard.press(Qt.Key.Key_Tab)
    keyboard.type("events")
    keyboard.enter()
    assert saved(session, ws, choice).options == ("email", "phone", "events")
    assert messages[-1].startswith("Options saved")
    keyboard.type("EMAIL")
    keyboard.enter()
    assert messages[-1] == "“EMAIL” is already an option" and pane.new_option.text() == "EMAIL"
    page.tree.setFocus()
    keyboard.press(Qt.Key.Key_Delete)  # the question itself: answered, so it can only be hidden
    assert messages[-1] == ("“Channel?” is answered in Ana Lopez's interview; hide it instead (Ctrl+H) to keep "
                            "the answers.")

    pane.options.setFocus()
    pane.options.setCurrentRow(1)  # "phone", which Ana chose
    keyboard.press(Qt.Key.Key_Delete)
    assert messages[-1] == "“phone” is the answer in Ana Lopez's interview; change that answer first or keep the option"
    assert saved(session, ws, choice).options == ("email", "phone", "events")
    assert [pane.options.item(i).text() for i in range(3)] == ["email", "phone", "events"]

    keyboard.press(Qt.Key.Key_F2)  # rename "phone": Ana's answer follows
    keyboard.ctrl(Qt.Key.Key_A)
    keyboard.type("Phone call")
    keyboard.enter()
    qtbot.waitUntil(lambda: saved(session, ws, choice).options == ("email", "Phone call", "events"))
    assert store.answers_for(session=session, interview_id=record.id)[choice] == "Phone call"

    pane.options.setFocus()
    pane.options.setCurrentRow(0)
    keyboard.press(Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert saved(session, ws, choice).options == ("Phone call", "email", "events")
    keyboard.press(Qt.Key.Key_Delete)  # the selection followed "email": nobody chose it
    assert saved(session, ws, choice).options == ("Phone call", "events")
    assert [q.key for q in store.workshop_guide(session=session, workshop_id=ws.id)].index(choice) > 0

    number = keys["number"]
    page._select(number)
    page.tree.setFocus()
    keyboard.ctrl(Qt.Key.Key_E)
    assert pane.lowest.hasFocus() and pane.lowest.placeholderText() == "no limit"
    keyboard.type("1")
    keyboard.press(Qt.Key.Key_Tab)
    keyboard.type("10")
    keyboard.press(Qt.Key.Key_Tab)  # 10 is below Ana's 40: refused, named
    assert messages[-1] == "Ana Lopez's interview answered 40, outside 1–10; change that answer first"
    assert (saved(session, ws, number).minimum, saved(session, ws, number).maximum) == (1, None)
    assert pane.highest.text() == ""
    pane.highest.setFocus()
    keyboard.type("1,000")
    keyboard.enter()
    assert saved(session, ws, number).maximum == 1000
    keyboard.ctrl(Qt.Key.Key_A)
    keyboard.type("lots")
    keyboard.enter()
    assert messages[-1].startswith("The lowest and highest values must be numbers")
    assert saved(session, ws, number).maximum == 1000 and pane.highest.text() == "1000"

    scale = keys["scale"]
    page._select(scale)
    assert (pane.lowest.text(), pane.highest.text()) == ("1", "5")
    pane.highest.setFocus()
    keyboard.ctrl(Qt.Key.Key_A)
    keyboard.type("7")
    keyboard.enter()
    assert saved(session, ws, scale).maximum == 7

    spend = keys["range"]
    page._select(spend)
    page.tree.setFocus()
    keyboard.ctrl(Qt.Key.Key_E)
    assert pane.unit.hasFocus()
    keyboard.press(Qt.Key.Key_Down)  # employees → US dollars
    assert saved(session, ws, spend).unit == "usd" and page.selected_key() == spend
    assert messages[-1].startswith("Unit saved · 1 answer now read in US dollars")
    assert "US dollars" in page.tree.currentItem().text(2) or "USD" in page.tree.currentItem().text(2)
    QApplication.processEvents()
