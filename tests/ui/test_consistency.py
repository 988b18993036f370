"""What every step shares: the same header frame, one red for problems, sentences in the status bar."""

import pytest

from tests.ui.shell_helpers import open_window


@pytest.fixture
def window(qtbot, database):
    from alignwork.workshops.bundle import import_demo

    with database.session() as session:
        workshop_id = import_demo(session=session).workshop_id
    window = open_window(qtbot, database)
    window.resize(1024, 640)
    window.open_workshop(workshop_id, select=True)
    return window


def page_title(page):
    from PySide6.QtWidgets import QLabel

    return next(label for label in page.findChildren(QLabel) if label.isVisible() and label.text()
                and label.mapTo(page, label.rect().topLeft()).y() < 40)


@pytest.mark.parametrize("key", ["overview", "roster", "guide", "interview", "synthesis", "definition", "premortem"])
def test_every_step_has_the_same_header_frame_and_fits_1024(window, qtbot, key):
    from alignwork_gui.pages import STEPS

    reference = window.show_step("roster")
    qtbot.waitUntil(reference.isVisible)
    expected = page_title(reference)
    page = window.show_step(key)
    qtbot.waitUntil(page.isVisible)
    title = page_title(page)
    step = next(s for s in STEPS if s.key == key)
    assert title.text() == step.title  # the workshop is named once, above the steps
    assert title.font().pointSizeF() == expected.font().pointSizeF() and title.font().bold()
    assert title.mapTo(page, title.rect().topLeft()) == expected.mapTo(reference, expected.rect().topLeft())
    # a step wider than a 1024-px window would squeeze the workshop list beside it
    assert page.minimumSizeHint().width() <= page.width(), key


def test_one_red_for_every_problem():
    from alignwork_gui.widgets import inline_message, interview_timer
    from alignwork_gui.widgets.labels import PROBLEM_COLOUR

    assert inline_message.ERROR_COLOUR == interview_timer.RED == PROBLEM_COLOUR


def test_core_errors_read_as_sentences_in_the_status_bar(qapp, database):
    from alignwork_gui.context import AppContext

    context = AppContext(database)
    said = []
    context.status.connect(lambda message, _timeout: said.append(message))
    context.tell("a question needs a prompt")
    assert said == ["A question needs a prompt"]


def test_a_refused_rename_is_told_in_a_sentence(qtbot, database, monkeypatch):
    from alignwork import store
    from tests.ui.shell_helpers import Dialogs

    with database.session() as session:
        first = store.create_workshop(session=session, name="First")
        store.create_workshop(session=session, name="Second")
    window = open_window(qtbot, database)
    dialogs = Dialogs(monkeypatch)
    said = []
    window.context.status.connect(lambda message, _timeout: said.append(message))
    window.actions.apply_rename(first.id, "Second")
    assert dialogs.shown == []  # one clear message, not a status line and a modal box too
    assert said == ["Not renamed: a workshop named 'Second' already exists; the name was left as it was."]


def test_work_that_outlives_its_status_line_tells_nobody(qtbot):
    import threading

    from alignwork_gui.tasks import wait_for_tasks
    from alignwork_gui.widgets.task_status import TaskStatus

    release, told = threading.Event(), []
    status = TaskStatus("Work")
    status.run(lambda progress: release.wait(5) and "result", "Working…",
               on_done=told.append, on_error=told.append)
    status.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(status))
    release.set()
    assert wait_for_tasks(5000)
    qtbot.wait(50)  # the queued signals arrive; a dead status line must ignore them
    assert told == []



def test_the_agreement_chart_fits_the_narrow_definition_tab(qtbot):
    from alignwork.charts.synthesis import agreement_figure
    from alignwork_gui.widgets.chart_view import ChartView

    criteria = [{"label": f"Industry: a long sector name {i}", "share": i / 10, "consensus": level, "decision": "open"}
                for i, level in enumerate(["strong", "contested", "weak", "outlier"] * 2)]
    view = ChartView("Agreement")
    qtbot.addWidget(view)
    view.show()
    view.show_figure(lambda theme: agreement_figure({"criteria": criteria}, theme))
    qtbot.waitUntil(lambda: view.canvas is not None)
    view.resize(330, 480)  # the Agreement tab at 1024 × 640
    qtbot.waitUntil(lambda: view.canvas.width() == 330)
    figure = view.canvas.figure
    view.canvas.draw()
    renderer = figure.canvas.get_renderer()
    for artist in (figure.legends[0], figure.axes[0].xaxis.label):
        box = artist.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= figure.bbox.width, (artist, box)


def test_counts_read_as_plain_english():
    from alignwork_gui.widgets.labels import counted

    assert (counted(1, "rep"), counted(12, "rep"), counted(0, "tiger")) == ("1 rep", "12 reps", "0 tigers")


def test_owners_phase_without_tigers_shows_only_its_empty_state_at_the_top(qtbot):
    from alignwork.premortem import session as ps
    from alignwork.models import Risk
    from alignwork_gui.widgets.premortem.phases import Snapshot
    from alignwork_gui.widgets.premortem.rating import OwnersPanel

    panel = OwnersPanel(controller=None)
    qtbot.addWidget(panel)
    panel.resize(600, 500)
    panel.show()
    panel.refresh(Snapshot(state=ps.SessionState(status="running"), risks=[Risk(id=1, workshop_id=1, title="x")]))
    qtbot.waitExposed(panel)
    assert panel.empty.isVisible() and not panel.missing.isVisible() and not panel.table.isVisible()
    assert panel.empty.geometry().top() < 40  # not floating half-way down the panel


def test_roster_cells_cut_by_a_narrow_window_show_their_text_on_hover(qapp):
    from types import SimpleNamespace

    from PySide6.QtCore import Qt

    from alignwork_gui.models.roster_model import COLUMNS, RosterModel

    rep = SimpleNamespace(id=1, name="Dana Whitfield", role="Senior Enterprise Account Executive", team="Enterprise",
                          region="North America (East)", profile="rock_star", notes="")
    model = RosterModel(save=lambda *_args: None)
    model.set_rows([rep], {})
    tips = {column.key: model.data(model.index(0, i), Qt.ItemDataRole.ToolTipRole) for i, column in enumerate(COLUMNS)}
    assert tips["role"] == rep.role and tips["region"] == rep.region and tips["notes"] is None


def test_an_open_interview_whose_rep_is_removed_closes_and_says_so(qtbot, database, monkeypatch):
    from alignwork import store
    from tests.ui.shell_helpers import Dialogs

    with database.session() as session:
        workshop = store.create_workshop(session=session, name="W")
        rep_id = store.add_participant(session=session, workshop_id=workshop.id, name="Temp Rep").id
    window = open_window(qtbot, database)
    window.open_workshop(workshop.id, select=True)
    told = []
    window.context.status.connect(lambda message, _timeout: told.append(message))
    interviews = window.show_step("interview")
    interviews.start_for_participant(rep_id)
    interviews.runner.begin()
    assert interviews.stack.currentWidget() is interviews.runner
    roster = window.show_step("roster")
    roster.table.selectRow(0)
    dialogs = Dialogs(monkeypatch, answer="Remove")
    roster.remove_selected()
    assert "interview in progress" in dialogs.last[1]
    window.show_step("interview")
    assert interviews.runner.interview_id is None and interviews.stack.currentIndex() == 0
    assert any("removed with its rep" in message for message in told)
    assert not any(message.startswith("Not saved") for message in told), told
