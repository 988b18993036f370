"""Results built from the interviews say when they are out of date, and refresh (one banner)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from alignwork import store
from alignwork.changes import Changes
from tests.synthesis.cases import nine_reps, store_workshop


@pytest.fixture
def workshop_id(session):
    return store_workshop(session, nine_reps())


def _definition_page(context, show_page, qtbot, workshop_id):
    from alignwork_gui.pages.definition import DefinitionPage

    page = show_page(DefinitionPage(context), workshop_id)
    qtbot.waitUntil(lambda: page.definition is not None and not page.status.busy, timeout=10000)
    return page


def _another_finished_interview(session, workshop_id):
    rep = store.add_participant(session=session, workshop_id=workshop_id, name="Zoë Adeyemi", team="SMB")
    store.create_interview(session=session, participant_id=rep.id, status="done", held_on=date(2026, 11, 20))


def test_the_definition_says_it_is_out_of_date_after_a_new_interview(qtbot, context, session, show_page,
                                                                    workshop_id):
    page = _definition_page(context, show_page, qtbot, workshop_id)
    assert not page.stale.isVisible()
    _another_finished_interview(session, workshop_id)
    context.announce(Changes(interviews=True, workshop_id=workshop_id))
    assert page.stale.isVisible()
    assert page.stale.text.text() == "Out of date — 1 new interview since this draft was synthesized."

    # known after a restart too: the draft keeps what it was built from
    again = _definition_page(context, show_page, qtbot, workshop_id)
    assert again.stale.isVisible() and "1 new interview" in again.stale.text.text()

    qtbot.mouseClick(again.stale.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not again.status.busy and not again.stale.isVisible(), timeout=10000)


def test_the_premortem_seeds_and_brief_say_they_are_out_of_date(qtbot, context, session, show_page, workshop_id):
    from alignwork.definition import versions
    from alignwork.premortem import checklist as pm
    from alignwork_gui.pages.premortem import PremortemPage

    versions.current_draft(session=session, workshop_id=workshop_id)
    pm.seed_checklist(session=session, workshop_id=workshop_id)
    session.commit()
    _another_finished_interview(session, workshop_id)
    page = show_page(PremortemPage(context), workshop_id)
    checklist = page.checklist
    page.tabs.setCurrentWidget(checklist)
    assert checklist.stale.isVisible(), "the seeded risks do not say they are stale"
    assert checklist.stale.text.text() == "Out of date — 1 new interview since the risks were seeded."
    qtbot.mouseClick(checklist.stale.button, Qt.MouseButton.LeftButton)
    assert not checklist.stale.isVisible()


def test_the_premortem_brief_says_the_draft_is_out_of_date(qtbot, context, session, show_page, workshop_id):
    from alignwork.definition import versions
    from alignwork.premortem import session as ps
    from alignwork_gui.pages.premortem import PremortemPage

    versions.current_draft(session=session, workshop_id=workshop_id)
    ps.start_session(session=session, workshop_id=workshop_id, initiative="Roll out v1",
                     people=[{"name": "Ana", "team": "Sales"}, {"name": "Maya", "team": "Marketing"}])
    _another_finished_interview(session, workshop_id)
    page = show_page(PremortemPage(context), workshop_id)
    brief = page.session_view.panels[0]
    assert brief.stale.isVisible()
    assert brief.stale.text.text() == "Out of date — 1 new interview since the draft was synthesized."
    qtbot.mouseClick(brief.stale.button, Qt.MouseButton.LeftButton)
    assert not brief.stale.isVisible()
