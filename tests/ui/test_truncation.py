"""Nothing a user typed is cut off at 1024×640: owners, the signer's team, the sidebar's name,
the synthesis groups, the Definition's labels."""

from __future__ import annotations

from PySide6.QtCore import Qt
from shell_helpers import open_window

from alignwork import store
from alignwork.premortem import checklist as pm
from alignwork.premortem import session as ps

OWNER = "Maya Lindqvist"


def _fits(widget_width: int, metrics, text: str, padding: int = 12) -> bool:
    return metrics.horizontalAdvance(text) + padding <= widget_width


def test_premortem_owners_and_checklist_show_the_whole_owner(qtbot, context, session, show_page):
    from alignwork_gui.pages.premortem import PremortemPage
    from alignwork.premortem.checklist import FIELDS

    workshop = store.create_workshop(session=session, name="Owners")
    ps.start_session(session=session, workshop_id=workshop.id, initiative="Roll out v1",
                     people=[{"name": "Ana", "team": "Sales"}, {"name": OWNER, "team": "Marketing"}])
    risk = pm.add_risk(session=session, workshop_id=workshop.id, title="Reps ignore the score")
    pm.update_risk(session=session, risk_id=risk.id, klass="tiger", owner=OWNER)
    for _ in range(6):
        ps.advance(session=session, workshop_id=workshop.id)
    page = show_page(PremortemPage(context), workshop.id, size=(1024 - 232, 640 - 60))
    owners = page.session_view.panels[6]
    assert page.session_view.panel_stack.currentWidget() is owners
    row = next(r for r in range(owners.table.rowCount()) if owners.table.item(r, 0).data(Qt.ItemDataRole.UserRole)
               == risk.id)
    editor = owners.table.cellWidget(row, 1)
    assert editor.text() == OWNER and _fits(editor.width(), editor.fontMetrics(), OWNER)
    checklist = page.checklist
    column = FIELDS.index("owner")
    assert _fits(checklist.table.columnWidth(column), checklist.table.fontMetrics(), OWNER)


def test_the_signer_team_editor_shows_marketing(qtbot, context, database, show_page):
    from alignwork.definition import agreement
    from tests.agreement.workshop import make_workshop
    from alignwork_gui.pages.agreement import AgreementPage

    with database.session() as session:
        make_workshop(session)
        agreement.propose(session=session, workshop_id=1)
    page = show_page(AgreementPage(context), 1, size=(1024 - 232, 640 - 60))
    qtbot.mouseClick(page.add_signer_button, Qt.MouseButton.LeftButton)
    page.signers.setCurrentIndex(page.signer_model.index(0, 2))
    page.signers.edit(page.signer_model.index(0, 2))
    combo = page.signers.indexWidget(page.signer_model.index(0, 2)) or page.signers.focusWidget()
    assert combo.width() >= combo.sizeHint().width() and _fits(combo.width(), combo.fontMetrics(), "Marketing", 24)
    assert page.signers.horizontalScrollBar().maximum() == 0  # the columns fit the table


def test_the_sidebar_tooltip_names_the_workshop(qtbot, database, session):
    store.create_workshop(session=session, name="Brightpath — What is a good lead for the 2027 plan",
                          goal="Agree on an SQL")
    window = open_window(qtbot, database)
    item = window.sidebar.list.item(0)
    assert item.toolTip().startswith("Brightpath — What is a good lead for the 2027 plan")
    assert window.steps_label.toolTip() == "Brightpath — What is a good lead for the 2027 plan"


def test_the_synthesis_groups_table_shows_several_rows(qtbot, context, session, show_page):
    from tests.synthesis.cases import nine_reps, store_workshop
    from alignwork_gui.pages.synthesis import SynthesisPage

    workshop_id = store_workshop(session, nine_reps())
    page = show_page(SynthesisPage(context), workshop_id, size=(1024 - 232, 640 - 60))
    qtbot.waitUntil(lambda: page.data is not None, timeout=10000)
    from alignwork_gui.widgets.synthesis.views import TagView

    trees = [w for w in page.findChildren(TagView) if w.isVisible()]
    assert trees
    tree = trees[0].tree
    row = max(tree.sizeHintForRow(0), tree.fontMetrics().height() + 6)
    assert tree.height() >= tree.header().height() + 6 * row, (tree.height(), row)


def test_definition_labels_wrap_instead_of_being_cut_at_1024(qtbot, context, session, show_page):
    from tests.synthesis.cases import nine_reps, store_workshop
    from alignwork_gui.pages.definition import DefinitionPage

    workshop_id = store_workshop(session, nine_reps())
    page = show_page(DefinitionPage(context), workshop_id, size=(1024 - 232, 640 - 60))
    qtbot.waitUntil(lambda: page.definition is not None and not page.status.busy, timeout=10000)
    tree, metrics = page.tree, page.tree.fontMetrics()
    width = tree.columnWidth(0) - tree.indentation() * 2 - 16
    long = [tree.topLevelItem(i).child(j) for i in range(tree.topLevelItemCount())
            for j in range(tree.topLevelItem(i).childCount())
            if metrics.horizontalAdvance(tree.topLevelItem(i).child(j).text(0)) > width]
    assert long, "no label is longer than the column at this size: the test shows nothing"
    for item in long:
        assert tree.visualItemRect(item).height() >= 2 * metrics.height(), item.text(0)


def test_the_rule_editor_is_not_cut_off_at_1024(qtbot, context, session, show_page):
    """The criterion pane has no horizontal scroll bar, so it must be as wide as its condition rows."""
    from tests.synthesis.cases import nine_reps, store_workshop
    from tests.ui.test_synthesis_pages import select_criterion
    from alignwork_gui.pages.definition import DefinitionPage

    workshop_id = store_workshop(session, nine_reps())
    page = show_page(DefinitionPage(context), workshop_id, size=(1024 - 232, 640 - 60))
    qtbot.waitUntil(lambda: page.definition is not None and not page.status.busy, timeout=10000)
    scored = next(c for c in page.definition.criteria if c.conditions)
    select_criterion(page, scored.id)
    editor = page.editor
    qtbot.waitUntil(lambda: bool(editor.rows), timeout=5000)

    def overflow() -> list[int]:  # how far each row and the rule in words run past what the pane shows
        visible = editor._scroll.viewport().width()
        return [widget.mapTo(editor._body, widget.rect().topRight()).x() - visible
                for widget in (*editor.rows, editor.rule)]

    try:  # the layout settles after the selection
        qtbot.waitUntil(lambda: max(overflow()) <= 0, timeout=3000)
    except AssertionError:
        raise AssertionError(f"cut off by {max(overflow())} px at 1024") from None
