"""The main window: create, rename, archive and delete workshops through the real widgets;
the overview's inline editing; geometry and the last workshop restored in a new window."""

from __future__ import annotations

import re
import sys

from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QWidget
from shell_helpers import Dialogs, focus, open_window

from alignwork import store
from alignwork_gui.pages import STEPS, Page, PageSpec


def names(session) -> list[tuple[str, bool]]:
    session.expire_all()
    return [(w.name, w.archived) for w in store.list_workshops(session=session)]


def sidebar_texts(window) -> list[str]:
    lst = window.sidebar.list
    return [lst.item(row).text() for row in range(lst.count())]


def test_empty_state_then_create_rename_archive_delete(qtbot, database, session, monkeypatch):
    window = open_window(qtbot, database)
    assert window.stack.currentWidget() is window.empty
    assert window.empty.title.text() == "Create a workshop or open the demo"
    text = window.empty.text  # wrapped text gets all the lines it needs (none is cut off)
    assert text.isVisible() and text.height() >= text.heightForWidth(text.width()) > text.fontMetrics().height()
    assert not window.actions.delete.isEnabled()

    # New workshop from the empty state's primary button: the overview opens with the name ready to type
    qtbot.mouseClick(window.empty.buttons[0], Qt.MouseButton.LeftButton)
    assert names(session) == [("New workshop", False)]
    page = window.stack.currentWidget()
    assert page is window.page("overview") and page.name.hasFocus()
    QTest.keyClicks(page.name, "Q3 lead definition")
    QTest.keyClick(page.name, Qt.Key.Key_Return)
    assert names(session) == [("Q3 lead definition", False)]
    assert sidebar_texts(window) == ["Q3 lead definition"]
    assert re.fullmatch(r"Saved \d\d:\d\d", window.statusBar().currentMessage())

    # a second one by shortcut; giving it the first one's name is refused inline, nothing saved
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    page.name.selectAll()
    QTest.keyClicks(page.name, "Q3 lead definition")
    page.flush()
    assert page.errors["name"].isVisible()
    assert "already exists" in page.errors["name"].text() and "not saved" in page.errors["name"].text()
    assert sorted(names(session)) == [("New workshop", False), ("Q3 lead definition", False)]
    # the goal is saved by itself after a pause in typing (debounced), the name still refused
    QTest.keyClicks(page.goal, "Agree on an SQL")
    qtbot.waitUntil(lambda: store.get_workshop(session=session, workshop_id=window.context.workshop_id).goal
                    == "Agree on an SQL", timeout=3000)
    session.expire_all()
    assert store.get_workshop(session=session, workshop_id=window.context.workshop_id).name == "New workshop"

    # rename in place in the sidebar: F2, type, Enter
    focus(qtbot, window.sidebar.list)
    QTest.keyClick(window.sidebar.list, Qt.Key.Key_F2)
    editor = window.sidebar.list.findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    editor.selectAll()
    QTest.keyClicks(editor, "Pilot")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ("Pilot", False) in names(session))
    assert page.name.text() == "Pilot" and window.windowTitle() == "Pilot — Alignwork"

    # archive: it leaves the list (the other one opens) and comes back, dimmed, under its own heading
    window.actions.archive.trigger()
    assert ("Pilot", True) in names(session)
    assert sidebar_texts(window) == ["Q3 lead definition"]
    assert window.page("overview").name.text() == "Q3 lead definition"
    window.sidebar.archived_toggle.click()
    assert sidebar_texts(window) == ["Q3 lead definition", "Archived (1)", "Pilot"]
    heading, archived = window.sidebar.list.item(1), window.sidebar.list.item(2)
    assert not heading.flags() & Qt.ItemFlag.ItemIsSelectable
    assert archived.foreground().color() != window.sidebar.list.item(0).foreground().color()
    window.sidebar.list.setCurrentItem(archived)
    assert window.actions.archive.text() == "Un&archive workshop"
    window.actions.archive.trigger()
    assert ("Pilot", False) in names(session)

    # delete asks first, naming what goes; Cancel keeps everything
    workshop = store.get_workshop(session=session, workshop_id=window.context.workshop_id)
    doomed = workshop.name
    rep = store.add_participant(session=session, workshop_id=workshop.id, name="Dana")
    store.create_interview(session=session, participant_id=rep.id, status="done")
    dialogs = Dialogs(monkeypatch)
    focus(qtbot, window.sidebar.list)
    QTest.keyClick(window.sidebar.list, Qt.Key.Key_Delete)
    title, text = dialogs.last
    assert title == "Delete workshop" and f"“{doomed}”" in text
    assert "1 rep, 1 interview (1 done)" in text
    assert len(names(session)) == 2
    dialogs.answer = "Delete workshop"
    window.actions.delete.trigger()
    assert [n for n, _ in names(session)] == [n for n in ("Pilot", "Q3 lead definition") if n != doomed]
    assert window.context.workshop_id is not None and window.stack.currentWidget() is window.page("overview")

    # deleting the last one brings the empty state back
    window.actions.delete.trigger()
    assert names(session) == []
    assert window.stack.currentWidget() is window.empty
    assert not window.step_list.isVisible()


def test_new_window_restores_geometry_last_workshop_and_step(qtbot, database, session):
    first = store.create_workshop(session=session, name="Alpha")
    second = store.create_workshop(session=session, name="Beta")
    window = open_window(qtbot, database)
    assert window.context.workshop_id == first.id  # first in the list when nothing was remembered
    last_step = window.step_list.visualItemRect(window.step_list.item(len(STEPS) - 1))
    assert window.step_list.viewport().rect().contains(last_step)  # every step shows, none scrolled away
    window.sidebar.select(second.id)
    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # Go → Roster
    assert window.stack.currentWidget() is window.page("roster")
    window.resize(760, 560)  # within the offscreen screen (800×600): restoreGeometry keeps windows on screen
    window.move(QPoint(40, 30))
    window.close()

    again = open_window(qtbot, database)
    assert again is not window
    assert again.context.workshop_id == second.id
    assert again.sidebar.current_id() == second.id
    assert again.stack.currentWidget() is again.page("roster")
    assert again.size() == QSize(760, 560)


def test_a_deleted_last_workshop_falls_back_to_the_first(qtbot, database, session):
    kept = store.create_workshop(session=session, name="Kept")
    gone = store.create_workshop(session=session, name="Gone")
    window = open_window(qtbot, database)
    window.sidebar.select(gone.id)
    window.close()
    store.delete_workshop(session=session, workshop_id=gone.id)
    again = open_window(qtbot, database)
    assert again.context.workshop_id == kept.id


def test_every_action_has_icon_shortcut_and_tooltip(qtbot, database):
    window = open_window(qtbot, database)
    actions = [a for top in window.menuBar().actions() for a in top.menu().actions() if not a.isSeparator()]
    assert len(actions) >= 12
    for action in actions:
        assert not action.icon().isNull(), action.text()
        assert not action.shortcut().isEmpty(), action.text()
        assert action.toolTip() and action.toolTip() != action.text(), action.text()


def test_closing_saves_what_was_just_typed_and_a_taken_name_is_refused(qtbot, database, session, monkeypatch):
    store.create_workshop(session=session, name="Alpha")
    beta = store.create_workshop(session=session, name="<b>Beta</b> & co")
    window = open_window(qtbot, database)
    window.sidebar.select(beta.id)
    assert window.steps_label.text() == "<b>Beta</b> & co"  # user text is shown as typed, never as markup
    assert window.steps_label.textFormat() == Qt.TextFormat.PlainText

    dialogs = Dialogs(monkeypatch)
    window.actions.apply_rename(beta.id, "Alpha")
    assert dialogs.shown == [] and "already exists" in window.statusBar().currentMessage()
    assert sidebar_texts(window) == ["<b>Beta</b> & co", "Alpha"]  # the list still shows the stored names
    assert ("Alpha", False) in names(session) and ("<b>Beta</b> & co", False) in names(session)

    page = window.page("overview")
    QTest.keyClicks(page.company, "Northwind")  # still inside the save delay when a rename reloads the page
    assert page._timer.isActive()
    window.actions.apply_rename(beta.id, "Beta")
    assert page.name.text() == "Beta" and page.company.text() == "Northwind"
    QTest.keyClicks(page.facilitator, "Sam")  # still inside the save delay when the window closes
    window.close()
    session.expire_all()
    saved = store.get_workshop(session=session, workshop_id=beta.id)
    assert (saved.name, saved.company, saved.facilitator) == ("Beta", "Northwind", "Sam")


def test_every_control_of_the_shell_is_named(qtbot, database, session):
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox, QPlainTextEdit

    workshop = store.create_workshop(session=session, name="Q3")
    store.add_participant(session=session, workshop_id=workshop.id, name="Ana")
    window = open_window(qtbot, database)
    for key in ("overview", "roster"):
        window.show_step(key)
    parts = [window.sidebar, window.step_list, window.empty, window.page("overview"), window.page("roster")]
    controls = [w for part in parts for w in [part, *part.findChildren(QWidget)]
                if isinstance(w, (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox,
                                  QAbstractItemView))
                and not isinstance(w.parent(), (QAbstractSpinBox, QComboBox, QAbstractItemView))]
    unnamed = [f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}" for w in controls if not w.accessibleName()]
    assert len(controls) >= 15 and unnamed == []
    icon_only = [w for w in controls if isinstance(w, QAbstractButton) and not w.text() and not w.toolTip()]
    assert icon_only == []


class BrokenPage(Page):
    """A step whose loading fails, as a page with a bug (or a missing table) would."""

    def reload(self) -> None:
        raise RuntimeError("no such table: premortemsession")


def test_a_broken_step_is_told_and_the_window_goes_on(qtbot, database, session, monkeypatch):
    workshop = store.create_workshop(session=session, name="Q3")
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    from alignwork_gui import app as app_module

    log = database.path.parent / "errors.log"
    STEPS.append(PageSpec("broken", "Broken", "about", __name__, "BrokenPage", ""))
    try:
        window = open_window(qtbot, database)
        dialogs = Dialogs(monkeypatch)
        app_module.install_excepthook(app_module.Messenger(interactive=True), lambda: window, log)
        window.step_list.setCurrentRow(len(STEPS) - 1)
        assert "no such table" in dialogs.last[1]
        assert window.step_list.currentRow() == 0 and window.stack.currentWidget() is window.page("overview")
        assert "broken" not in window._pages and window.context.workshop_id == workshop.id
    finally:
        STEPS.pop()
