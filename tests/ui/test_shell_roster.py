"""The roster page: add, edit (text and profile), remove with confirmation, CSV import
(good and bad file), and the request to start an interview."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QLineEdit
from shell_helpers import Dialogs, focus, open_window

from alignwork import store
from alignwork_gui.models.roster_model import FIELD_COLUMN


def reps(session, workshop_id):
    session.expire_all()
    return [(p.name, p.role, p.profile) for p in store.list_participants(session=session, workshop_id=workshop_id)]


def press_return(editor) -> None:
    """Enter in a cell editor commits on the next turn of the event loop (Qt queues it)."""
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()


def roster_window(qtbot, database, session):
    workshop = store.create_workshop(session=session, name="Q3")
    window = open_window(qtbot, database)
    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    page = window.stack.currentWidget()
    assert page is window.page("roster")
    return window, page, workshop


def test_add_edit_and_remove_reps(qtbot, database, session, monkeypatch):
    window, page, workshop = roster_window(qtbot, database, session)
    assert page.body.currentWidget() is page.empty
    assert "No reps on the roster yet" in page.empty.title.text()

    # Ctrl+Shift+N adds a rep and opens their name for typing
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    editor = page.table.viewport().findChild(QLineEdit)
    assert editor is not None and editor.hasFocus()
    editor.selectAll()
    QTest.keyClicks(editor, "Dana Whitfield")
    press_return(editor)
    assert reps(session, workshop.id) == [("Dana Whitfield", "", "other")]
    assert window.statusBar().currentMessage().startswith("Saved ")

    # Insert adds another; type into the role cell (any key starts editing), Enter saves silently
    focus(qtbot, page.table)
    QTest.keyClick(page.table, Qt.Key.Key_Escape)
    QTest.keyClick(window, Qt.Key.Key_Insert)
    press_return(page.table.viewport().findChild(QLineEdit))
    page.table.setCurrentIndex(page.model.index(1, FIELD_COLUMN["role"]))
    QTest.keyClicks(page.table, "S")  # any key opens the editor with that key typed
    QTest.keyClicks(QApplication.focusWidget(), "DR")
    press_return(page.table.focusWidget())
    assert reps(session, workshop.id)[1] == ("New rep", "SDR", "other")

    # the profile is a choice shown in words
    index = page.model.index(0, FIELD_COLUMN["profile"])
    page.table.setCurrentIndex(index)
    page.table.edit(index)
    combo = page.table.viewport().findChild(QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["Rock star", "Engaged", "Other"]
    combo.setCurrentIndex(0)
    combo.activated.emit(0)
    assert reps(session, workshop.id)[0] == ("Dana Whitfield", "", "rock_star")
    assert index.data() == "Rock star"

    # an empty name is refused and said so; nothing is saved
    name_index = page.model.index(0, FIELD_COLUMN["name"])
    assert not page.model.setData(name_index, "   ")
    assert page.message.isVisible() and "name" in page.message.text()
    assert reps(session, workshop.id)[0][0] == "Dana Whitfield"

    # remove: the confirmation names the interview that goes with the rep; Cancel keeps them
    dana = store.list_participants(session=session, workshop_id=workshop.id)[0]
    interview = store.create_interview(session=session, participant_id=dana.id, status="done")
    store.save_answer(session=session, interview_id=interview.id, key="wiifm", value="Fewer junk leads")
    dialogs = Dialogs(monkeypatch)
    page.table.selectRow(0)
    focus(qtbot, page.table)
    QTest.keyClick(page.table, Qt.Key.Key_Delete)
    title, text = dialogs.last
    assert "Remove Dana Whitfield" in text and "finished interview" in text and "(1 answer, " in text
    assert len(reps(session, workshop.id)) == 2
    dialogs.answer = "Remove"
    page.remove_action.trigger()
    assert reps(session, workshop.id) == [("New rep", "SDR", "other")]
    assert store.list_interviews(session=session, workshop_id=workshop.id) == []
    assert page.model.rowCount() == 1


def test_csv_import_reports_added_rows_and_ignored_columns(qtbot, database, session, monkeypatch, tmp_path):
    window, page, workshop = roster_window(qtbot, database, session)
    csv_file = tmp_path / "reps.csv"
    csv_file.write_text("Name,Title,Segment,Region,Profile,Employee ID\n"
                        "Dana Whitfield,Senior AE,Enterprise,North America,Rock star,E1\n"
                        "Lucía Fernández,AE,Mid-Market,LATAM,engaged,E2\n"
                        "\"=cmd|' /C calc'!A0\",SDR,SMB,EMEA,,E3\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(csv_file), "CSV files (*.csv)"))
    dialogs = Dialogs(monkeypatch)
    QTest.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    title, text = dialogs.last
    assert title == "Reps imported"
    assert "Added 3 reps from reps.csv" in text and "Employee ID" in text
    assert reps(session, workshop.id) == [("Dana Whitfield", "Senior AE", "rock_star"),
                                          ("Lucía Fernández", "AE", "engaged"),
                                          ("=cmd|' /C calc'!A0", "SDR", "other")]
    assert page.body.currentWidget() is page.table and page.model.rowCount() == 3


def test_bad_csv_names_the_lines_and_imports_nothing(qtbot, database, session, monkeypatch, tmp_path):
    window, page, workshop = roster_window(qtbot, database, session)
    store.add_participant(session=session, workshop_id=workshop.id, name="Already here")
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text("name,profile\nGood Rep,engaged\n,other\nThird,superstar\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(csv_file), ""))
    dialogs = Dialogs(monkeypatch)
    page.import_action.trigger()
    title, text = dialogs.last
    assert title == "Reps not imported"
    assert "line 3: the name is empty" in text and "line 4:" in text and "superstar" in text
    assert "nothing was imported" in text
    assert [name for name, _, _ in reps(session, workshop.id)] == ["Already here"]

    # a file that is not text at all is refused the same way
    csv_file.write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    page.import_action.trigger()
    assert dialogs.last[0] == "Reps not imported"
    assert [name for name, _, _ in reps(session, workshop.id)] == ["Already here"]


def test_start_interview_asks_the_window_for_the_selected_rep(qtbot, database, session):
    from alignwork_gui.context import AppContext
    from alignwork_gui.pages.roster import RosterPage

    workshop = store.create_workshop(session=session, name="Q3")
    store.add_participant(session=session, workshop_id=workshop.id, name="Ana")
    ben = store.add_participant(session=session, workshop_id=workshop.id, name="Ben")
    page = RosterPage(AppContext(database))
    qtbot.addWidget(page)
    page.set_workshop(workshop.id)
    page.show()
    assert not page.interview_action.isEnabled()  # nobody selected yet
    page.table.selectRow(1)
    assert page.interview_action.isEnabled()
    with qtbot.waitSignal(page.context.interview_requested) as signal:
        page.buttons["interview"].click()
    assert signal.args == [ben.id]
