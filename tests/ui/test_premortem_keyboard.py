"""Premortem by keyboard: a dot stays with its risk when the table re-sorts; Next lands on the
phase's main input."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from alignwork import store
from alignwork.premortem import session as ps


@pytest.fixture
def voting(qtbot, context, database, show_page):
    from alignwork_gui.pages.premortem import PremortemPage

    with database.session() as session:
        workshop = store.create_workshop(session=session, name="Votes")
        ps.start_session(session=session, workshop_id=workshop.id, initiative="Roll out v1",
                         people=[{"name": "Ana", "team": "Sales"}, {"name": "Maya", "team": "Marketing"}])
        members = ps.members(session=session, session_id=ps.current_session(session=session,
                                                                            workshop_id=workshop.id).id)
        for title in ("Reps ignore the score", "Volume drop read as failure", "CRM fields never built"):
            ps.capture(session=session, workshop_id=workshop.id, member_id=members[0].id, title=title)
        for _ in range(4):
            ps.advance(session=session, workshop_id=workshop.id)
    page = show_page(PremortemPage(context), workshop.id)
    return page, page.session_view


def _titles(table):
    return [table.item(row, 0).text() for row in range(table.rowCount())]


def test_the_selection_follows_the_risk_when_a_dot_re_sorts_the_table(qtbot, voting):
    page, view = voting
    vote = view.panels[4]
    assert view.panel_stack.currentWidget() is vote
    last = vote.table.rowCount() - 1
    chosen = vote.table.item(last, 0).text()
    vote.table.setCurrentCell(last, 0)
    qtbot.mouseClick(vote.add_button, Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    assert _titles(vote.table).index(chosen) < last  # most voted first: it moved up
    assert vote.table.item(vote.table.currentRow(), 0).text() == chosen


def test_next_puts_the_keyboard_in_the_phase_main_input(qtbot, voting):
    page, view = voting
    page.activateWindow()
    qtbot.mouseClick(view.back_button, Qt.MouseButton.LeftButton)  # to merging
    assert QApplication.focusWidget() is view.panels[3].items
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)  # voting again
    focus = QApplication.focusWidget()
    assert focus is view.panels[4].table, focus.accessibleName() if focus else None
