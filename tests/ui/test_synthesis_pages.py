"""The Synthesis and Definition pages, driven through their widgets on a real database."""

import pytest
from PySide6.QtCore import Qt

from alignwork.synthesis import corrections
from alignwork.definition import versions
from tests.synthesis.cases import nine_reps, store_workshop


@pytest.fixture
def workshop_id(session):
    return store_workshop(session, nine_reps())


@pytest.fixture
def synthesis_page(context, show_page, qtbot, workshop_id):
    from alignwork_gui.pages.synthesis import SynthesisPage

    page = show_page(SynthesisPage(context), workshop_id)
    qtbot.waitUntil(lambda: page.data is not None, timeout=10000)
    return page


def groups_in(tree):
    return {tree.topLevelItem(i).text(0): int(tree.topLevelItem(i).text(1)) for i in range(tree.topLevelItemCount())}


def reloaded(page, qtbot, check):
    qtbot.waitUntil(lambda: not page.status.busy and check(), timeout=10000)


def test_synthesis_page_shows_groups_numbers_and_conflicts(synthesis_page):
    page = synthesis_page
    assert page.status.text().startswith("8 interviews used · 1 not done yet")
    view = page.tag_views["rejection_triggers"]
    assert groups_in(view.tree) == {"Student or academic": 4, "Personal email address": 4, "Competitor": 4,
                                    "Only a download, list or badge scan": 1}
    student = view.tree.topLevelItem(0)
    assert sorted(student.child(i).text(0) for i in range(student.childCount())) == [
        "Students!", "student email", "students"]
    assert view.chart.canvas is None  # charts of hidden views are drawn when shown
    page.show_view("rejection_triggers")
    assert view.chart.canvas is not None
    page.show_view("conflicts")
    assert "team SMB wants more volume" in page.conflicts.toPlainText()
    assert page.surprises.rowCount() == len(page.data["surprises"])
    rows = [[page.surprises.item(row, column).text() for column in range(3)]
            for row in range(page.surprises.rowCount())]
    # "About" names the question as the views do, never a raw key or the answer itself
    single = next(row for row in rows if row[2].startswith("Only this rep said: "))
    assert single[1] in {"Titles by function", "Industries", "Regions", "Buying signals", "Rejection reasons",
                         "When reps give up", "Helpful content", "Seniority"}, single
    assert all("_" not in row[1] and row[1][:1] == row[1][:1].upper() for row in rows), rows


def test_merge_by_selection_and_rename_in_place(synthesis_page, qtbot, session, workshop_id):
    page = synthesis_page
    page.show_view("rejection_triggers")
    tree = page.tag_views["rejection_triggers"].tree
    tree.topLevelItem(0).setSelected(True)
    tree.topLevelItem(1).setSelected(True)
    button = page.tag_views["rejection_triggers"].merge_button
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    reloaded(page, qtbot, lambda: "Student or academic" in groups_in(tree) and groups_in(tree)["Student or academic"] == 6)
    assert "Personal email address" not in groups_in(tree)
    item = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                if tree.topLevelItem(i).text(0) == "Student or academic")
    item.setText(0, "Not a business contact")  # what finishing an in-place edit does
    reloaded(page, qtbot, lambda: "Not a business contact" in groups_in(tree))
    stored = corrections.list_corrections(session=session, workshop_id=workshop_id)
    assert [(c.op, c.target) for c in stored] == [("merge", "Student or academic"),
                                                  ("rename", "Not a business contact")]
    qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    reloaded(page, qtbot, lambda: "Student or academic" in groups_in(tree))


def test_split_and_move_answers(synthesis_page, qtbot):
    page = synthesis_page
    page.show_view("titles")
    view = page.tag_views["titles"]
    marketing = next(view.tree.topLevelItem(i) for i in range(view.tree.topLevelItemCount())
                     if view.tree.topLevelItem(i).text(0) == "Marketing")
    marketing.setExpanded(True)
    demand = next(marketing.child(i) for i in range(marketing.childCount())
                  if marketing.child(i).text(0) == "Head of Demand Gen")
    view.tree.setCurrentItem(demand)
    assert view.split_button.isEnabled()
    qtbot.mouseClick(view.split_button, Qt.MouseButton.LeftButton)
    reloaded(page, qtbot, lambda: groups_in(view.tree).get("Head of Demand Gen") == 1)
    # move it back, as dropping it on the Marketing group does
    view.tree.move_requested.emit(["Head of Demand Gen"], "Marketing")
    reloaded(page, qtbot, lambda: "Head of Demand Gen" not in groups_in(view.tree))


@pytest.fixture
def definition_page(context, show_page, qtbot, workshop_id):
    from alignwork_gui.pages.definition import DefinitionPage

    page = show_page(DefinitionPage(context), workshop_id)
    qtbot.waitUntil(lambda: page.definition is not None and not page.status.busy, timeout=10000)
    return page


def select_criterion(page, criterion_id):
    tree = page.tree
    for i in range(tree.topLevelItemCount()):
        section = tree.topLevelItem(i)
        for j in range(section.childCount()):
            if section.child(j).data(0, Qt.ItemDataRole.UserRole) == criterion_id:
                tree.setCurrentItem(section.child(j))
                return section.child(j)
    raise AssertionError(criterion_id)


def stored_draft(database, workshop_id):
    with database.session() as session:
        return versions.load_definition(versions.current_draft(session=session, workshop_id=workshop_id))


def test_decide_edit_resynthesize_and_save_version(definition_page, qtbot, keyboard, database, workshop_id):
    page = definition_page
    assert page.tree.topLevelItem(0).text(0).startswith("Ideal company")
    row = select_criterion(page, "sql.signal.asked-for-pricing")
    assert "Anna" in page.editor.evidence.toPlainText()
    page.editor.decision.setCurrentText("accepted")
    page.editor.rationale.setFocus()
    keyboard.type("Everyone calls these first")
    qtbot.waitUntil(lambda: stored_draft(database, workshop_id).criterion(
        "sql.signal.asked-for-pricing").rationale == "Everyone calls these first", timeout=5000)
    assert row.text(3) == "accepted"
    select_criterion(page, "ideal_company.employees")
    page.editor.value.setFocus()
    page.editor.value.selectAll()
    keyboard.type("under 5")
    keyboard.enter()
    assert page.editor.value_error.isHidden()
    qtbot.waitUntil(lambda: stored_draft(database, workshop_id).criterion(
        "ideal_company.employees").decision == "edited", timeout=5000)
    page.editor.value.selectAll()
    keyboard.type("lots")
    keyboard.enter()
    assert page.editor.value_error.isVisible()  # refused in place, nothing saved
    assert stored_draft(database, workshop_id).criterion("ideal_company.employees").value == {"min": None, "max": 4}

    from alignwork.changes import Changes

    from alignwork import store
    from alignwork.models import Interview
    from sqlmodel import select

    with database.session() as session:  # a finished interview is corrected
        interview = session.exec(select(Interview).where(Interview.workshop_id == workshop_id,
                                                         Interview.status == "done")).first()
        store.save_answer(session=session, interview_id=interview.id, key="wiifm", value="Fewer junk leads")
    page.context.announce(Changes(interviews=True, workshop_id=workshop_id))
    assert page.stale.text.text() == "Out of date — 1 interview changed since this draft was synthesized."
    qtbot.mouseClick(page.resynthesize_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.status.busy and page.resynthesize_button.isEnabled(), timeout=10000)
    assert page.status.text().startswith("Working draft") and not page.stale.isVisible()
    kept = stored_draft(database, workshop_id).criterion("sql.signal.asked-for-pricing")
    assert (kept.decision, kept.rationale) == ("accepted", "Everyone calls these first")

    assert page.save_button.text() == "Save as version 1" and page.save_button.isEnabled()
    assert page.save_button.toolTip().startswith("Freeze the draft")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.status.busy and page.save_button.text() == "Save as version 2", timeout=10000)
    index = page.version_combo.findData(1)
    assert index > 0
    page.version_combo.setCurrentIndex(index)
    page.version_combo.activated.emit(index)
    qtbot.waitUntil(lambda: not page.status.busy and page.read_only, timeout=10000)
    assert not page.editor.decision.isEnabled() and not page.save_button.isEnabled()
    assert "never changes" in page.status.text()


def test_pages_have_empty_states(context, show_page, qtbot, session):
    from alignwork import store
    from alignwork_gui.pages.definition import DefinitionPage
    from alignwork_gui.pages.synthesis import SynthesisPage

    workshop = store.create_workshop(session=session, name="Empty")
    synthesis = show_page(SynthesisPage(context), workshop.id)
    qtbot.waitUntil(lambda: synthesis.data is not None, timeout=10000)
    assert synthesis.main.currentWidget() is synthesis.empty
    definition = show_page(DefinitionPage(context), workshop.id)
    qtbot.waitUntil(lambda: definition.definition is not None and not definition.status.busy, timeout=10000)
    assert "No criteria yet" in definition.tree.topLevelItem(5).text(0)
    assert definition.tree.topLevelItem(5).isFirstColumnSpanned()
    # nothing to freeze: the primary action waits and says why
    assert not definition.save_button.isEnabled()
    assert definition.save_button.toolTip().startswith("Nothing to save yet: the draft has no criteria")
    assert synthesis.empty.buttons[0].text() == "Go to the interviews"


def test_typing_then_moving_on_keeps_the_text(definition_page, qtbot, keyboard, database, workshop_id):
    page = definition_page
    select_criterion(page, "disqualifiers.competitor")
    page.editor.rationale.setFocus()
    keyboard.type("Sales knows them by name")
    select_criterion(page, "disqualifiers.student")  # at once, before the typing pause
    assert page.editor.rationale.toPlainText() == ""
    qtbot.waitUntil(lambda: stored_draft(database, workshop_id).criterion(
        "disqualifiers.competitor").rationale == "Sales knows them by name", timeout=5000)


def test_custom_tag_question_gets_its_own_view(context, show_page, qtbot, session):
    from tests.synthesis.cases import rep
    from alignwork_gui.pages.synthesis import SynthesisPage

    workshop_id = store_workshop(session, [rep("A", "East", custom_partner_types=["resellers"]),
                                           rep("B", "East", custom_partner_types=["Reseller", "SIs"])])
    page = show_page(SynthesisPage(context), workshop_id)
    qtbot.waitUntil(lambda: page.data is not None, timeout=10000)
    page.show_view("custom_partner_types")
    assert page.questions.currentItem().text() == "Partner types  (2)"
    assert page.views.currentWidget() is page.tag_views["custom_partner_types"]
    assert groups_in(page.tag_views["custom_partner_types"].tree) == {"Resellers": 2, "SIs": 1}
    page.show_view("numbers")
    assert page.views.currentWidget().widget() is page.numbers


def test_long_work_shows_progress_and_cancels(qtbot):
    import time

    from alignwork_gui.widgets.task_status import TaskStatus

    status = TaskStatus("Work status")
    qtbot.addWidget(status)
    status.show()
    results = []

    def work(progress):
        for step in range(500):
            progress.report(step, 500, "Grouping answers")
            time.sleep(0.01)
        return "finished"

    status.run(work, "Working…", on_done=results.append, on_error=results.append)
    qtbot.waitUntil(status.cancel_button.isVisible, timeout=5000)
    assert "Grouping answers (" in status.text()
    qtbot.mouseClick(status.cancel_button, Qt.MouseButton.LeftButton)
    assert status.text() == "Cancelled; nothing was changed." and not status.busy
    from alignwork_gui.tasks import wait_for_tasks

    assert wait_for_tasks(5000)
    qtbot.wait(20)
    assert results == []  # the cancelled work delivered nothing


def test_changes_in_one_workshop_do_not_mark_another_draft_outdated(definition_page, qtbot, session):
    from alignwork import store
    from alignwork.changes import Changes

    page = definition_page
    page.context.announce(Changes(synthesis=True, workshop_id=page.workshop_id))  # a correction
    assert "changed since this draft" in page.status.text()
    other = store.create_workshop(session=session, name="Another")
    page.set_workshop(other.id)
    qtbot.waitUntil(lambda: not page.status.busy and page._state is not None, timeout=10000)
    assert "changed since this draft" not in page.status.text()
    assert page.status.text().startswith("Working draft")


def test_the_definition_button_names_the_definition_steps_shortcut(synthesis_page):
    from alignwork_gui.pages import STEPS

    shortcut = next(step.shortcut for step in STEPS if step.key == "definition")
    assert f"({shortcut})" in synthesis_page.definition_button.toolTip()


def test_reason_code_labels_get_the_room_not_the_counts(definition_page):
    codes = definition_page.codes
    assert codes.rowCount() > 0
    needed = max(codes.sizeHintForColumn(2), codes.horizontalHeader().sectionSizeHint(2))
    assert codes.columnWidth(2) <= needed + 8 < codes.columnWidth(1)


def test_a_locked_database_is_told_in_words_not_sql(synthesis_page, context, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from alignwork.synthesis import corrections

    def locked(**_kwargs):
        raise OperationalError("INSERT INTO synthesiscorrection …", {}, Exception("database is locked"))

    messages = []
    context.status.connect(lambda message, _timeout: messages.append(message))
    monkeypatch.setattr(corrections, "add_correction", locked)
    synthesis_page.correct("rename", "rejection_triggers", label="Students")
    assert messages and messages[-1].startswith("The correction was not saved: the database cannot be written")
    assert "database is locked" in messages[-1] and "[SQL" not in messages[-1] and "INSERT" not in messages[-1]


@pytest.mark.parametrize("choice", ["Keep mine", "Reload"])
def test_a_colleagues_draft_save_meanwhile_asks_reload_or_keep_mine(definition_page, qtbot, database, workshop_id,
                                                                     monkeypatch, choice):
    from shell_helpers import Dialogs

    page = definition_page
    monkeypatch.setenv("ALIGNWORK_FACILITATOR", "Dana")
    with database.session() as session:  # Dana, on another machine, saves the draft first
        draft = versions.current_draft(session=session, workshop_id=workshop_id)
        theirs = versions.load_definition(draft).model_copy(update={"summary": "Dana's summary"})
        versions.update_draft(session=session, workshop_id=workshop_id, definition=theirs,
                              expected_version=draft.version)
    monkeypatch.setenv("ALIGNWORK_FACILITATOR", "Lee")
    dialogs = Dialogs(monkeypatch, answer=choice)
    page.summary_edit.setPlainText("Lee's summary")
    page._save_draft()
    title, text = dialogs.last
    assert title == "The definition draft changed meanwhile"
    assert "The definition draft was changed by Dana at " in text and "reload or keep yours" in text
    expected = "Lee's summary" if choice == "Keep mine" else "Dana's summary"
    qtbot.waitUntil(lambda: stored_draft(database, workshop_id).summary == expected, timeout=5000)
    qtbot.waitUntil(lambda: page.summary_edit.toPlainText() == expected and not page.status.busy, timeout=5000)
    if choice == "Reload":  # nothing typed is lost: Lee's words wait on the clipboard
        from PySide6.QtWidgets import QApplication

        assert "Lee's summary" in QApplication.clipboard().text()
        assert "copied to the clipboard" in text
