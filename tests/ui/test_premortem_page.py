"""A whole premortem with three people, driven through the real widgets, then the checklist."""

from __future__ import annotations

import csv
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt

from alignwork.premortem import checklist as pm
from alignwork.premortem import session as ps
from alignwork import store
from alignwork.premortem.checklist import FIELDS


@pytest.fixture
def page(qtbot, database):
    from alignwork_gui.context import AppContext
    from alignwork_gui.pages.premortem import PremortemPage

    with database.session() as session:
        workshop = store.create_workshop(session=session, name="UI premortem")
        store.add_participant(session=session, workshop_id=workshop.id, name="Ana", team="Enterprise")
        store.add_participant(session=session, workshop_id=workshop.id, name="Ben", team="Mid-market")
    context = AppContext(database)
    messages: list[str] = []
    context.status.connect(lambda message, _timeout: messages.append(message))
    widget = PremortemPage(context)
    widget.messages = messages
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.set_workshop(workshop.id)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def click(qtbot, button):
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def state(page):
    with page.context.session() as session:
        return ps.session_state(session=session, workshop_id=page.workshop_id)


def stored(page):
    with page.context.session() as session:
        return pm.list_risks(session=session, workshop_id=page.workshop_id)


def test_whole_session_with_three_people(qtbot, page, tmp_path, monkeypatch):
    view = page.session_view
    frame = view.frame
    assert frame.initiative.text() == "Roll out lead definition v1"
    assert frame.people.rowCount() == 2
    frame.set_present("Ana")
    frame.set_present("Ben")
    assert "No one from Marketing" in frame.warnings.text()
    qtbot.keyClicks(frame.name, "Chloe")
    frame.team.setCurrentText("Marketing")
    qtbot.keyClick(frame.name, Qt.Key.Key_Return)
    assert frame.warnings.text() == ""
    click(qtbot, frame.start_button)
    current = state(page)
    assert current.status == "running" and [m["name"] for m in current.members] == ["Ana", "Ben", "Chloe"]
    assert [m["team"] for m in current.members] == ["Sales", "Sales", "Marketing"]

    # 1 brief: no draft yet, said plainly
    brief = view.panels[0]
    assert "no draft definition yet" in brief.plan.text()
    assert view.countdown.time_label.text() == "05:00"
    click(qtbot, view.countdown.plus)
    click(qtbot, view.countdown.pause_button)  # pause keeps the adjusted clock
    assert state(page).status == "paused" and state(page).remaining_seconds == 360
    assert not view.next_button.isEnabled()
    click(qtbot, view.countdown.pause_button)
    assert state(page).status == "running"
    click(qtbot, view.next_button)

    # 2 silent writing, with an adjusted length
    assert state(page).phase == 2 and view.countdown.time_label.text() == "05:00"
    view.countdown.length.setValue(7)
    view.countdown.length.editingFinished.emit()
    assert state(page).remaining_seconds == 420
    click(qtbot, view.next_button)

    # 3 round robin: one reason each in turn, then anonymous
    robin = view.panels[2]
    for text in ("Reps ignore the new score", "Volume drop read as failure", "CRM fields never built"):
        qtbot.keyClicks(robin.title, text)
        qtbot.keyClick(robin.title, Qt.Key.Key_Return)
    assert "Ana" in robin.turn.text()
    click(qtbot, robin.pass_button)
    assert "Ben" in robin.turn.text()
    robin.anonymous.setChecked(True)
    qtbot.keyClicks(robin.title, "Nobody looks at scores")
    click(qtbot, robin.add_button)
    mine = {r.title: r.author for r in stored(page) if r.source == "participant"}
    assert mine == {"Reps ignore the new score": "Ana", "Volume drop read as failure": "Ben",
                    "CRM fields never built": "Chloe", "Nobody looks at scores": ""}
    assert robin.captured.count() == 4
    click(qtbot, view.next_button)

    # 4 merge two duplicates by selection
    merge = view.panels[3]
    items = {merge.items.item(i).text().split(" (")[0]: merge.items.item(i) for i in range(merge.items.count())}
    items["Reps ignore the new score"].setSelected(True)
    items["Nobody looks at scores"].setSelected(True)
    qtbot.keyClicks(merge.new_title, "Reps ignore the score")
    click(qtbot, merge.merge_button)
    merged = next(r for r in stored(page) if r.title == "Reps ignore the score")
    assert merged.merged_titles == ["Nobody looks at scores"]
    assert "Nobody looks at scores" not in [r.title for r in stored(page)]
    click(qtbot, view.next_button)

    # 5 vote: everyone puts dots on the merged item; a second dot on one item is refused
    vote = view.panels[4]
    row_of = {vote.table.item(r, 0).text(): r for r in range(vote.table.rowCount())}
    for index in range(3):
        vote.member.setCurrentIndex(index)
        vote.table.setCurrentCell(row_of["Reps ignore the score"], 0)
        click(qtbot, vote.add_button)
    vote.table.setCurrentCell(row_of["Reps ignore the score"], 0)
    click(qtbot, vote.add_button)
    assert "at most one dot" in page.messages[-1]
    vote.table.setCurrentCell(row_of["CRM fields never built"], 0)
    click(qtbot, vote.add_button)
    assert vote.left.text() == "1 of 3 dots left"
    votes = {r.title: r.votes for r in stored(page)}
    assert votes["Reps ignore the score"] == 3 and votes["CRM fields never built"] == 1
    click(qtbot, view.next_button)

    # 6 score and classify through the row widgets
    score = view.panels[5]
    rows = {score.table.item(r, 0).text(): r for r in range(score.table.rowCount())}
    top = rows["Reps ignore the score"]
    assert top == 0  # most voted first
    score.table.cellWidget(top, 2).setValue(4)
    score.table.cellWidget(top, 3).setValue(5)
    klass = score.table.cellWidget(top, 5)
    klass.setCurrentIndex(klass.findData("tiger"))
    assert score.table.item(top, 4).text() == "20"
    elephant = score.table.cellWidget(rows["CRM fields never built"], 5)
    elephant.setCurrentIndex(elephant.findData("elephant"))
    click(qtbot, view.next_button)

    # 7 owners: finishing is refused until the tiger has owner, mitigation and due date
    owners = view.panels[6]
    assert owners.table.rowCount() == 1
    click(qtbot, view.next_button)
    assert "1 tiger still needs an owner" in page.messages[-1] and state(page).phase == 7
    owner = owners.table.cellWidget(0, 1)
    qtbot.keyClicks(owner, "Dana")
    qtbot.keyClick(owner, Qt.Key.Key_Return)
    mitigation = owners.table.cellWidget(0, 2)
    qtbot.keyClicks(mitigation, "Weekly score review")
    qtbot.keyClick(mitigation, Qt.Key.Key_Return)
    due = date.today() - timedelta(days=2)
    owners.table.cellWidget(0, 3).setDate(QDate(due.year, due.month, due.day))
    assert owners.missing.text().startswith("Every tiger")
    assert view.next_button.text() == "Finish session"
    click(qtbot, view.next_button)
    assert state(page).status == "finished"
    assert view.stack.currentWidget() is view.finished_view
    assert page.tabs.currentWidget() is page.checklist  # the checklist takes over
    assert view.top_label.text().startswith("1. Reps ignore the score  (Dana, due ")

    tiger = next(r for r in stored(page) if r.klass == "tiger")
    assert (tiger.title, tiger.likelihood, tiger.impact, tiger.score, tiger.votes, tiger.owner, tiger.mitigation,
            tiger.due_date) == ("Reps ignore the score", 4, 5, 20, 3, "Dana", "Weekly score review", due)

    # the checklist lives on: filter, inline status update, overdue highlight
    checklist = page.checklist
    proxy = checklist.proxy
    checklist.class_filter.setCurrentIndex(checklist.class_filter.findData("tiger"))
    assert proxy.rowCount() == 1
    status_index = proxy.index(0, FIELDS.index("status"))
    assert proxy.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None  # overdue
    assert proxy.setData(status_index, "closed")
    assert next(r for r in stored(page) if r.klass == "tiger").status == "closed"
    assert proxy.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None  # closed is never overdue
    checklist.class_filter.setCurrentIndex(0)
    qtbot.keyClicks(checklist.search, "zzz-nothing")
    assert proxy.rowCount() == 0 and "No item matches" in checklist.empty.text()
    checklist.search.clear()
    checklist.table.sortByColumn(FIELDS.index("votes"), Qt.SortOrder.DescendingOrder)
    assert proxy.index(0, 0).data() == "Reps ignore the score"
    review = date.today() + timedelta(days=30)
    checklist.review.setDate(QDate(review.year, review.month, review.day))
    with page.context.session() as session:
        assert pm.review_date(session=session, workshop_id=page.workshop_id) == review

    # deleting asks first and says what is lost
    from alignwork_gui.widgets import buttons

    asked = []
    answers = iter([False, True])

    def answer(_parent, _title, text, action="Delete"):
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(buttons, "confirm_destructive", answer)
    checklist.table.setCurrentIndex(proxy.index(0, 0))
    count = len(stored(page))
    click(qtbot, checklist.delete_button)
    assert len(stored(page)) == count and "removes its votes, owner" in asked[0]
    click(qtbot, checklist.delete_button)
    assert len(stored(page)) == count  # one deleted, the item merged into it is back
    assert "Reps ignore the score" not in [r.title for r in stored(page)]
    assert "Nobody looks at scores" in [r.title for r in stored(page)]  # the merged item comes back

    # export and charts
    path = page.export_to(tmp_path / "checklist.csv")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert any(r["title"] == "Nobody looks at scores" for r in rows) and len(rows) == len(stored(page))
    page.tabs.setCurrentWidget(page.charts)
    assert len(page.charts.canvases) == 2


def test_export_mid_session_and_resume_after_reopen(qtbot, page, tmp_path):
    from alignwork_gui.pages.premortem import PremortemPage

    frame = page.session_view.frame
    frame.set_present("Ana")
    qtbot.keyClicks(frame.name, "Chloe")
    qtbot.keyClick(frame.name, Qt.Key.Key_Return)
    click(qtbot, frame.start_button)
    click(qtbot, page.session_view.next_button)
    click(qtbot, page.session_view.countdown.pause_button)
    markdown = page.export_to(tmp_path / "mid.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Premortem checklist: UI premortem") and "Ana (Sales)" in markdown

    again = PremortemPage(page.context)
    qtbot.addWidget(again)
    again.set_workshop(page.workshop_id)
    assert again.session_view.phase_title.text() == "2. It failed: write silently  (paused)"
    assert again.session_view.countdown.pause_button.text() == "Resume"


def test_drop_one_item_onto_another_merges_them(qtbot, page):
    from PySide6.QtCore import QMimeData, QPointF
    from PySide6.QtGui import QDropEvent

    frame = page.session_view.frame
    frame.set_present("Ana")
    click(qtbot, frame.start_button)
    for _ in range(3):
        click(qtbot, page.session_view.next_button)
    merge = page.session_view.panels[3]
    source, target = merge.items.item(0), merge.items.item(1)
    source_title, target_id = source.text(), target.data(Qt.ItemDataRole.UserRole)
    before = merge.items.count()
    source.setSelected(True)
    drop_at = QPointF(merge.items.visualItemRect(target).center())
    event = QDropEvent(drop_at, Qt.DropAction.MoveAction, QMimeData(), Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    merge.items.dropEvent(event)
    qtbot.waitUntil(lambda: merge.items.count() == before - 1, timeout=2000)
    kept = next(r for r in stored(page) if r.id == target_id)
    assert kept.merged_titles == [source_title]


def test_optional_date_clears_with_delete_and_opens_near_today(qtbot):
    from alignwork_gui.widgets.optional_date import OptionalDateEdit

    field = OptionalDateEdit(date(2030, 1, 2))
    qtbot.addWidget(field)
    values = []
    field.value_changed.connect(values.append)
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    assert values == [None] and field.text() == "Not set"
    qtbot.keyClick(field, Qt.Key.Key_Up)
    assert field.value() is not None and abs(field.value().year - date.today().year) <= 1


def test_a_locked_database_is_told_not_raised(qtbot, page, monkeypatch):
    from sqlalchemy.exc import OperationalError

    frame = page.session_view.frame
    frame.set_present("Ana")
    click(qtbot, frame.start_button)
    click(qtbot, page.session_view.next_button)
    click(qtbot, page.session_view.next_button)

    def locked(**_kwargs):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(ps, "capture", locked)
    robin = page.session_view.panels[2]
    qtbot.keyClicks(robin.title, "Lost?")
    qtbot.keyClick(robin.title, Qt.Key.Key_Return)
    assert "database is locked" in page.messages[-1] and "nothing was changed" in page.messages[-1]
    assert robin.title.text() == "Lost?"  # kept for another try
    assert not [r for r in stored(page) if r.source == "participant"]
