"""A facilitator's whole loop through the real main window, on a real SQLite file:
workshop → roster → two interviews → Synthesis → Definition → Premortem → Agreement → Export.
Pages refresh from the change bus alone (no manual reload), as they would for a user."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from shell_helpers import Dialogs, focus, open_window

from alignwork import store

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
REPS = ("Dana Whitfield", "Eli Brooks", "Fay Ortiz")


def go(window, digit: Qt.Key, key: str):
    QTest.keyClick(window, digit, CTRL)
    page = window.stack.currentWidget()
    assert page is window.page(key)
    return page


def add_rep(qtbot, window, page, name: str) -> None:
    window.activateWindow()  # offscreen windows can lose activation when a cell editor closes
    qtbot.waitUntil(window.isActiveWindow, timeout=15000)  # slow under a loaded suite
    QTest.keyClick(window, Qt.Key.Key_N, CTRL | SHIFT)  # adds a rep with the name open for typing
    editor = QApplication.focusWidget()  # the new row's name cell, open for typing
    assert isinstance(editor, QLineEdit) and editor.parent() is page.table.viewport()
    editor.selectAll()
    QTest.keyClicks(editor, name)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # Enter commits on the next turn of the event loop


def interview(qtbot, keyboard, page, row: int, answers: tuple[str, str, list[str]]) -> None:
    """Open the rep on ``row`` from the list, begin, answer three questions, finish — keys only."""
    page.table.selectRow(row)
    focus(qtbot, page.table)
    keyboard.enter()  # the opening card
    runner = page.runner
    assert runner.pages.currentWidget() is runner.opening
    keyboard.enter()  # begin
    assert runner.current_key == "wiifm"
    wiifm, ideal, titles = answers
    keyboard.type(wiifm)
    keyboard.next_question()
    keyboard.type(ideal)
    keyboard.next_question()
    assert runner.current_key == "titles"
    for title in titles:
        keyboard.type(title)
        keyboard.enter()
    keyboard.ctrl_shift(Qt.Key.Key_Return)  # finish
    assert page.stack.currentIndex() == 0


def test_a_facilitators_whole_loop(qtbot, database, session, monkeypatch, tmp_path, keyboard):
    dialogs = Dialogs(monkeypatch)
    window = open_window(qtbot, database)
    window.resize(1280, 800)

    # a workshop, from the empty state's primary button, named by typing
    qtbot.mouseClick(window.empty.buttons[0], Qt.MouseButton.LeftButton)
    overview = window.stack.currentWidget()
    assert overview is window.page("overview") and overview.name.hasFocus()
    overview.name.selectAll()
    QTest.keyClicks(overview.name, "Northwind Q3 leads")
    QTest.keyClick(overview.name, Qt.Key.Key_Return)
    workshop_id = window.context.workshop_id
    assert store.get_workshop(session=session, workshop_id=workshop_id).name == "Northwind Q3 leads"

    # three reps on the roster
    roster = go(window, Qt.Key.Key_2, "roster")
    for name in REPS:
        add_rep(qtbot, window, roster, name)
    session.expire_all()
    assert [p.name for p in store.list_participants(session=session, workshop_id=workshop_id)] == list(REPS)

    # the later steps are opened before there is anything to show: they must catch up by themselves
    synthesis = go(window, Qt.Key.Key_5, "synthesis")
    definition = go(window, Qt.Key.Key_6, "definition")
    qtbot.waitUntil(lambda: definition.definition is not None and not definition.status.busy, timeout=15000)
    assert not definition.definition.criteria  # no answers yet: an empty draft
    agreement = go(window, Qt.Key.Key_9, "agreement")

    # two interviews through the interview page
    interviews = go(window, Qt.Key.Key_4, "interview")
    assert [row.rep for row in interviews.model.rows] == list(REPS)  # the roster's additions are there
    interview(qtbot, keyboard, interviews, 0, ("Fewer junk leads", "Finance leaders at mid-sized banks",
                                               ["CFO", "VP Finance"]))
    interview(qtbot, keyboard, interviews, 1, ("Leads with a budget", "Controllers at regional banks",
                                               ["CFO", "Controller"]))
    session.expire_all()
    done = [i for i in store.list_interviews(session=session, workshop_id=workshop_id) if i.status == "done"]
    assert len(done) == 2

    # Synthesis groups those answers without any reload by the test
    synthesis = go(window, Qt.Key.Key_5, "synthesis")
    qtbot.waitUntil(lambda: synthesis.data is not None and not synthesis.status.busy, timeout=15000)
    assert synthesis.status.text().startswith("2 interviews used")
    tree = synthesis.tag_views["titles"].tree
    groups = {tree.topLevelItem(i).text(0): int(tree.topLevelItem(i).text(1)) for i in range(tree.topLevelItemCount())}
    assert groups == {"Finance": 2}, groups  # titles group by function: CFO, VP Finance, Controller

    # Definition shows the draft synthesized from them; save it as version 1
    definition = go(window, Qt.Key.Key_6, "definition")
    # opened before the interviews, its draft is empty; the page says so and Ctrl+R brings the answers in
    qtbot.waitUntil(lambda: not definition.status.busy, timeout=15000)
    assert definition.stale.isVisible()
    assert definition.stale.text.text() == "Out of date — 2 new interviews since this draft was synthesized."
    keyboard.ctrl(Qt.Key.Key_R)  # a button's shortcut clicks it animated, a moment later
    qtbot.waitUntil(lambda: not definition.status.busy and not definition.stale.isVisible(), timeout=15000)
    assert definition.status.text().startswith("Working draft")
    assert definition.tree.topLevelItemCount() > 0
    labels = [c.label for c in definition.definition.criteria]
    assert labels, "the draft has criteria from the two interviews"
    assert definition.save_button.text() == "Save as version 1"
    qtbot.mouseClick(definition.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not definition.status.busy and definition.save_button.text() == "Save as version 2",
                    timeout=15000)

    # the premortem checklist is seeded (library and synthesis risks)
    premortem = go(window, Qt.Key.Key_7, "premortem")
    premortem.tabs.setCurrentWidget(premortem.checklist)
    qtbot.waitUntil(lambda: premortem.checklist.proxy.rowCount() > 0, timeout=15000)

    # Agreement: propose, a Sales and a Marketing signer, agree
    agreement = go(window, Qt.Key.Key_9, "agreement")
    # version 1, just saved in Definition, is the one selected: proposing it is the next step
    assert agreement._selected().number == 1 and agreement.propose_button.isEnabled()
    qtbot.mouseClick(agreement.propose_button, Qt.MouseButton.LeftButton)
    assert agreement._selected().status == "proposed" and agreement.agree_button.isEnabled()
    for name, team in (("Ana Ruiz", "Sales"), ("Maya Lindqvist", "Marketing")):
        qtbot.mouseClick(agreement.add_signer_button, Qt.MouseButton.LeftButton)
        model = agreement.signers.model()
        row = model.rowCount() - 1
        model.setData(model.index(row, 2), team)
        model.setData(model.index(row, 0), name)
    assert agreement.signoff_hint.text() == "Ready to agree."
    qtbot.mouseClick(agreement.agree_button, Qt.MouseButton.LeftButton)
    assert "locked" in agreement.signoff_hint.text()

    # Export the agreement as Markdown and read it back
    export = go(window, Qt.Key.Key_0, "export")
    export.format.setCurrentIndex(export.format.findData("md"))
    target = tmp_path / "agreement.md"
    export.path.setText(str(target))
    export.charts.setChecked(False)
    export.start_export()
    qtbot.waitUntil(lambda: export.task is None, timeout=15000)
    text = target.read_text(encoding="utf-8")
    assert "Northwind Q3 leads" in text
    assert labels[0] in text, labels[0]  # the first criterion of the agreed definition
    assert "Ana Ruiz" in text and "Maya Lindqvist" in text
    assert not [shown for shown in dialogs.shown if shown[0] != "Export"], dialogs.shown
