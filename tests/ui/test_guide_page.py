"""The guide editor: inline edits by keyboard keep answers; the kit PDF has the script and prompts."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pypdf import PdfReader

from alignwork import store
from alignwork.interviews.guide import default_question


@pytest.fixture
def workshop(session):
    ws = store.create_workshop(session=session, name="Guide edits", company="Northwind", target_minutes=25)
    rep = store.add_participant(session=session, workshop_id=ws.id, name="Ana")
    record = store.create_interview(session=session, participant_id=rep.id)
    store.save_answer(session=session, interview_id=record.id, key="industries", value=["fintech"])
    store.save_answer(session=session, interview_id=record.id, key="surprises", value="Nobody reads the newsletter")
    return ws, record


def select(page, key):
    page._select(key)
    assert page.selected_key() == key
    page.tree.setFocus()


def guide_keys(session, ws):
    return [q.key for q in store.workshop_guide(session=session, workshop_id=ws.id)]


def test_guide_editing_by_keyboard_keeps_answers(qtbot, context, session, workshop, keyboard, show_page):
    from alignwork_gui.pages.guide.page import GuidePage

    ws, record = workshop
    page = show_page(GuidePage(context), ws.id)
    assert page.tree.topLevelItemCount() == 6  # the default guide's sections

    select(page, "industries")
    keyboard.press(Qt.Key.Key_F2)  # inline edit of the prompt
    keyboard.ctrl(Qt.Key.Key_A)
    keyboard.type("Which sectors buy fastest?")
    keyboard.enter()
    qtbot.waitUntil(lambda: page.questions[guide_keys(session, ws).index("industries")].prompt
                    == "Which sectors buy fastest?")

    select(page, "titles")
    keyboard.press(Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert guide_keys(session, ws)[2:5] == ["industries", "titles", "company_size"]
    assert page.selected_key() == "titles"

    select(page, "surprises")
    keyboard.ctrl(Qt.Key.Key_H)
    hidden = {q.key for q in store.workshop_guide(session=session, workshop_id=ws.id) if q.hidden}
    assert hidden == {"surprises"}

    page.new_section.setCurrentText("Today's leads")
    page.new_kind.setCurrentIndex(page.new_kind.findData("choice:"))
    page.new_prompt.setFocus()
    keyboard.type("Preferred first channel?")
    keyboard.press(Qt.Key.Key_Tab)
    keyboard.type("email, phone, LinkedIn")
    keyboard.enter()
    custom = {q.key: q for q in store.workshop_guide(session=session, workshop_id=ws.id)}["custom_preferred_first_channel"]
    assert (custom.kind, custom.options, custom.section) == ("choice", ("email", "phone", "LinkedIn"), "Today's leads")
    assert page.selected_key() == custom.key and page.new_prompt.text() == ""

    # a custom question without answers can go; a built-in one cannot
    select(page, "titles")
    keyboard.press(Qt.Key.Key_Delete)
    assert "titles" in guide_keys(session, ws)

    assert store.answers_for(session=session, interview_id=record.id) == {
        "industries": ["fintech"], "surprises": "Nobody reads the newsletter"}
    assert guide_keys(session, ws).count("industries") == 1 and len(guide_keys(session, ws)) == 17


def test_add_question_refuses_a_choice_without_options(qtbot, context, session, workshop, show_page):
    from alignwork_gui.pages.guide.page import GuidePage

    ws, _record = workshop
    messages = []
    context.status.connect(lambda message, _timeout: messages.append(message))
    page = show_page(GuidePage(context), ws.id)
    page.new_kind.setCurrentIndex(page.new_kind.findData("choice:"))
    page.new_prompt.setText("Pick one")
    page.add_question()
    assert messages[-1] == "A choice question needs at least two options"
    assert len(guide_keys(session, ws)) == 16 and page.new_prompt.text() == "Pick one"


def test_interview_kit_pdf(qtbot, context, session, workshop, tmp_path, show_page):
    from alignwork.interviews.guide_edit import edit_guide, reword, set_hidden
    from alignwork_gui.pages.guide.page import GuidePage

    ws, _record = workshop
    edit_guide(session=session, workshop_id=ws.id,
               operation=lambda qs: set_hidden(reword(qs, "titles", prompt="Who <signs> & who “approves”?"),
                                                "helpful_content", True))
    page = show_page(GuidePage(context), ws.id)
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "kit.pdf"
    assert page.print_kit(target) == target.resolve()
    reader = PdfReader(target)
    assert 1 <= len(reader.pages) <= 2
    text = re.sub(r"\s+", " ", " ".join(page_.extract_text() for page_ in reader.pages))
    assert "We'll keep this to 25 minutes and only ask what matters." in text
    assert "What's in it for you" in text and "Northwind Marketing" in text
    assert "Who <signs> & who “approves”?" in text
    assert default_question("company_size").prompt in text
    assert default_question("helpful_content").prompt not in text
    assert "Scale 1–5" in text and "Press 1–5" not in text  # a paper guide, not screen hints
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["kit.pdf"]  # no temp file left behind

    assert page.print_kit(tmp_path / "missing-folder" / "kit.pdf") is None
    assert not (tmp_path / "missing-folder").exists()
    QApplication.processEvents()
