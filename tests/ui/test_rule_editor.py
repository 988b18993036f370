"""The Definition page edits rules inline and shows, for the last back-tested lead file, how many
leads each criterion hits with three of them, refreshed (off the GUI thread) as the rule changes;
company-list knock-outs ask for their list and say they are inactive until it is filled."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from alignwork.backtest.history import record_run
from alignwork.backtest.leads import read_csv_bytes
from alignwork.backtest.mapping import auto_mapping
from alignwork.backtest.run import run_backtest
from alignwork.definition import knockouts, versions
from alignwork.definition.criteria import Condition, Criterion, Definition
from alignwork.store import create_workshop
from tests.ui.test_synthesis_pages import select_criterion as _select

LEADS = ("Job Title,Email,Company,Employees\n"
         "Marketing Intern,a@acme.io,Acme,500\n"
         "Student,b@mit.edu,MIT,12000\n"
         "CMO,c@rivalsoft.com,RIVALSOFT GmbH,300\n"
         "CMO,d@buyer.io,Buyer,250\n"
         "Internal Comms Lead,e@buyer.io,Buyer,250\n").encode()


def _definition() -> Definition:
    def knockout(code, label):
        return knockouts.apply_default(Criterion(id=f"disqualifiers.{code.lower()}", section="disqualifiers",
                                                 label=label, knockout=True), code)

    return Definition(mql_threshold=10, sql_threshold=40, sql_min_intent=10, criteria=[
        Criterion(id="ideal_company.employees", section="ideal_company", label="Company size: 200–1,000", points=20,
                  conditions=[Condition(field="employees", operator="between", value={"min": 200, "max": 1000})]),
        knockout("STUDENT", "Student or academic"), knockout("COMPETITOR", "Competitor")])


@pytest.fixture
def page(context, show_page, qtbot, session):
    from alignwork_gui.pages.definition import DefinitionPage

    workshop = create_workshop(session=session, name="Rules UI")
    versions.update_draft(session=session, workshop_id=workshop.id, definition=_definition())
    table = read_csv_bytes(LEADS)
    table.file_name = "leads.csv"
    definition = _definition()
    result = run_backtest(table, definition, auto_mapping(table.columns))
    record_run(session=session, workshop_id=workshop.id, result=result, version=None)
    page = show_page(DefinitionPage(context), workshop.id)
    qtbot.waitUntil(lambda: page.definition is not None and not page.status.busy, timeout=10000)
    return page, workshop.id


def _stored(database, workshop_id):
    with database.session() as session:
        return versions.load_definition(versions.current_draft(session=session, workshop_id=workshop_id))


def test_conditions_edit_inline_and_hits_follow(page, qtbot, keyboard, database):
    page, workshop_id = page
    assert "Type the company list for: Competitor" in page.summary.text()
    _select(page, "disqualifiers.student")
    editor = page.editor
    assert len(editor.rows) == 3 and editor.match.currentData() == "any"
    qtbot.waitUntil(lambda: "Hits 2 of 5 leads in leads.csv" in editor.hits.text(), timeout=10000)
    assert "Marketing Intern" in editor.hits.text() and "b@mit.edu" in editor.hits.text()
    assert "Internal Comms" not in editor.hits.text()  # "intern" is a word, not a prefix
    # only title words, edited in place: the intern is no longer hit
    for row in editor.rows[1:]:
        qtbot.mouseClick(row.remove, Qt.MouseButton.LeftButton)
    assert len(editor.rows) == 1
    editor.rows[0].value.setFocus()
    editor.rows[0].value.selectAll()
    keyboard.type("student, werkstudent")
    keyboard.enter()
    qtbot.waitUntil(lambda: [(c.field, c.operator, c.value) for c in _stored(database, workshop_id).criterion(
        "disqualifiers.student").conditions] == [("title", "contains_any", ["student", "werkstudent"])], timeout=5000)
    qtbot.waitUntil(lambda: "Student · b@mit.edu" in editor.hits.text(), timeout=10000)
    assert "Hits 1 of 5 leads" in editor.hits.text() and "Marketing Intern" not in editor.hits.text()
    # a condition on another field, added inline
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    row = editor.rows[-1]
    row.field.setCurrentIndex(row.field.findData("company"))
    row.field.activated.emit(row.field.currentIndex())
    row.operator.setCurrentIndex(row.operator.findData("is_any_of"))
    row.operator.activated.emit(row.operator.currentIndex())
    row.value.setFocus()
    keyboard.type("BUYER Inc.")  # the file says "Buyer": legal suffix and case do not matter
    keyboard.enter()
    qtbot.waitUntil(lambda: "Hits 3 of 5 leads" in editor.hits.text(), timeout=10000)
    assert "or company name is BUYER Inc." in editor.rule.text()
    # the rule in words shows the user's text as typed: an ampersand is not "&amp;"
    row.value.setFocus()
    row.value.selectAll()
    keyboard.type("Smith & Sons")
    keyboard.enter()
    qtbot.waitUntil(lambda: "company name is Smith & Sons" in editor.rule.text(), timeout=5000)
    assert editor.rule.textFormat() == Qt.TextFormat.PlainText


def test_a_bad_value_is_refused_in_place(page, qtbot, keyboard, database):
    page, workshop_id = page
    _select(page, "ideal_company.employees")
    qtbot.waitUntil(lambda: "Hits 4 of 5" in page.editor.hits.text(), timeout=10000)
    page.editor.value.setFocus()
    page.editor.value.selectAll()
    keyboard.type("lots")
    keyboard.enter()
    assert page.editor.value_error.isVisible() and "range" in page.editor.value_error.text()
    assert _stored(database, workshop_id).criterion("ideal_company.employees").value == {"min": 200, "max": 1000}


def test_competitor_list_is_asked_for_and_activates_the_rule(page, qtbot, keyboard, database):
    page, workshop_id = page
    _select(page, "disqualifiers.competitor")
    editor = page.editor
    assert editor.company_list.isVisible() and "inactive until this list is filled" in editor.company_caption.text()
    qtbot.waitUntil(lambda: "hits no lead" in editor.hits.text(), timeout=10000)
    editor.company_list.setFocus()
    keyboard.type("Rivalsoft")
    qtbot.waitUntil(lambda: knockouts.company_list_entries(
        _stored(database, workshop_id).criterion("disqualifiers.competitor")) == ["Rivalsoft"], timeout=5000)
    qtbot.waitUntil(lambda: "Hits 1 of 5" in editor.hits.text(), timeout=10000)
    assert "RIVALSOFT GmbH" in editor.hits.text()
    qtbot.waitUntil(lambda: "Type the company list" not in page.summary.text(), timeout=5000)


@pytest.mark.parametrize("size", [(1280, 800), (1024, 640)])
def test_screens(page, qtbot, size):
    page, _workshop_id = page
    page.resize(*size)
    _select(page, "disqualifiers.student")
    qtbot.waitUntil(lambda: "Hits" in page.editor.hits.text(), timeout=10000)
    page.grab().save(f"/tmp/rules-definition-{size[0]}.png")
    _select(page, "disqualifiers.competitor")
    qtbot.wait(300)
    page.grab().save(f"/tmp/rules-competitor-{size[0]}.png")
