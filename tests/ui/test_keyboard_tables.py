"""Tables driven by the keyboard alone: sign-off typed with Tab, Tab leaves a table."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication

from alignwork.definition import agreement
from tests.agreement.workshop import make_workshop


@pytest.fixture
def agreement_page(qtbot, context, database, show_page):
    from ui.pages.agreement import AgreementPage

    with database.session() as session:
        make_workshop(session)
        agreement.propose(session=session, workshop_id=1)
    return show_page(AgreementPage(context), 1)


def _signers(database):
    with database.session() as session:
        version = agreement.all_versions(session=session, workshop_id=1)
        proposed = next(v for v in version if v.status == "proposed")
        return [(s.name, s.role, s.team, s.signed_on)
                for s in agreement.list_signers(session=session, version_id=proposed.id)]


def test_signers_typed_with_tab_land_in_their_own_cells(qtbot, agreement_page, database, keyboard):
    page = agreement_page
    for name, role, team_key in (("Ana Ruiz", "VP Sales", "S"), ("Maya Lindqvist", "Head of Marketing", "M")):
        qtbot.mouseClick(page.add_signer_button, Qt.MouseButton.LeftButton)
        keyboard.type(name)
        keyboard.press(Qt.Key.Key_Tab)
        keyboard.type(role)
        keyboard.press(Qt.Key.Key_Tab)
        keyboard.type(team_key)  # the team combo: a letter picks Sales or Marketing
        keyboard.press(Qt.Key.Key_Tab)
        keyboard.enter()  # the signing date stays today
        QApplication.processEvents()
    assert _signers(database) == [("Ana Ruiz", "VP Sales", "Sales", date.today()),
                                  ("Maya Lindqvist", "Head of Marketing", "Marketing", date.today())]
    assert page.signoff_hint.text() == "Ready to agree."


def test_a_new_signer_has_no_team_until_one_is_chosen(qtbot, agreement_page, database, keyboard):
    page = agreement_page
    qtbot.mouseClick(page.add_signer_button, Qt.MouseButton.LeftButton)
    keyboard.type("Li Wei")
    keyboard.enter()
    model = page.signers.model()
    assert model.index(0, 2).data() == ""  # not "Sales"
    assert _signers(database) == []  # waits for a team
    assert "team" in page.signoff_hint.text()


def _tables(widget):
    return [view for view in widget.findChildren(QAbstractItemView) if view.isVisibleTo(widget)]


def test_tab_leaves_every_table_of_the_agreement_page(agreement_page):
    for view in agreement_page.findChildren(QAbstractItemView):
        if view.metaObject().className() in ("QTableView", "QTableWidget", "QTreeWidget", "QTreeView"):
            assert not view.tabKeyNavigation(), view.accessibleName()


def test_tab_leaves_the_tables_of_every_step(qtbot, context, database):
    """About 72 Tabs left the Interviews table; every table is now one Tab stop."""
    import importlib

    from ui.pages import STEPS

    with database.session() as session:
        make_workshop(session)
    for spec in STEPS:
        page = getattr(importlib.import_module(spec.module), spec.class_name)(context)
        qtbot.addWidget(page)
        page.set_workshop(1)
        walking = [view.accessibleName() or view.objectName() for view in page.findChildren(QAbstractItemView)
                   if view.metaObject().className() in ("QTableView", "QTableWidget", "QTreeWidget", "QTreeView")
                   and view.tabKeyNavigation()]
        assert walking == [], spec.key
