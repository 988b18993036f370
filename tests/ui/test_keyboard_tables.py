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
    from alignwork_gui.pages.agreement import AgreementPage

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

    from alignwork_gui.pages import STEPS

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


# -- the roster and the premortem checklist are the same RowsModel pattern as the signers


def test_a_roster_edit_in_progress_survives_a_reload_and_lands_on_its_own_rep(qtbot, context, database, show_page,
                                                                             keyboard):
    from alignwork import store
    from alignwork_gui.models.roster_model import FIELD_COLUMN
    from alignwork_gui.pages.roster import RosterPage

    with database.session() as session:
        workshop = store.create_workshop(session=session, name="Q3")
        for name in ("Ana Ruiz", "Ben Okafor"):
            store.add_participant(session=session, workshop_id=workshop.id, name=name)
    page = show_page(RosterPage(context), workshop.id)
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(1, FIELD_COLUMN["role"]))
    keyboard.enter()  # Enter edits, as F2
    keyboard.type("Account Exec")
    page.reload()  # another window saved something meanwhile: the page reloads under the open editor
    keyboard.type("utive")
    keyboard.press(Qt.Key.Key_Tab)  # commits and edits the next cell of the row (Team)
    keyboard.type("Mid-market")
    keyboard.enter()
    with database.session() as session:
        roles = [(p.name, p.role, p.team) for p in store.list_participants(session=session, workshop_id=workshop.id)]
    assert roles == [("Ana Ruiz", "", ""), ("Ben Okafor", "Account Executive", "Mid-market")]
    keyboard.press(Qt.Key.Key_Tab)
    assert not page.table.hasFocus()  # Tab leaves the table once no editor is open


def test_a_checklist_edit_in_progress_survives_a_reload_and_lands_on_its_own_risk(qtbot, context, database,
                                                                                 show_page, keyboard):
    from alignwork import store
    from alignwork.premortem import checklist as pm
    from alignwork.premortem.checklist import FIELDS
    from alignwork_gui.widgets.premortem.checklist import ChecklistView

    with database.session() as session:
        workshop = store.create_workshop(session=session, name="Risks")
        low = pm.add_risk(session=session, workshop_id=workshop.id, title="CRM fields never built")
        high = pm.add_risk(session=session, workshop_id=workshop.id, title="Reps ignore the score")
        pm.update_risk(session=session, risk_id=low.id, likelihood=2, impact=2)
        pm.update_risk(session=session, risk_id=high.id, likelihood=5, impact=4)
    view = show_page(ChecklistView(context), workshop.id)
    table, proxy = view.table, view.proxy
    titles = [proxy.index(r, FIELDS.index("title")).data() for r in range(proxy.rowCount())]
    assert titles.index("Reps ignore the score") < titles.index("CRM fields never built")  # by score
    row = titles.index("CRM fields never built")
    # the row number is the item's number on the charts (checklist order), whatever the sort
    table.sortByColumn(FIELDS.index("title"), Qt.SortOrder.AscendingOrder)
    numbers = [proxy.headerData(r, Qt.Orientation.Vertical) for r in range(proxy.rowCount())]
    assert numbers == [str(proxy.mapToSource(proxy.index(r, 0)).row() + 1) for r in range(proxy.rowCount())]
    assert numbers != [str(r + 1) for r in range(proxy.rowCount())]
    table.sortByColumn(FIELDS.index("score"), Qt.SortOrder.DescendingOrder)
    table.setFocus()
    table.setCurrentIndex(proxy.index(row, FIELDS.index("owner")))
    keyboard.enter()
    keyboard.type("Maya Lind")
    view.reload()  # the session tab saved something meanwhile
    keyboard.type("qvist")
    keyboard.enter()
    with database.session() as session:
        owners = {r.title: r.owner for r in pm.list_risks(session=session, workshop_id=workshop.id)}
    assert owners["CRM fields never built"] == "Maya Lindqvist"
    assert [title for title, owner in owners.items() if owner] == ["CRM fields never built"]
    assert view.current_risk().title == "CRM fields never built"
    assert "CRM fields never built" in view.details.toPlainText()
