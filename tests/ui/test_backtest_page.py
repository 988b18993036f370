"""The back-test page: choose a file, correct a column, run off the GUI thread, calibrate,
save the threshold to the draft, export, see the history; cancel leaves nothing behind."""

from __future__ import annotations

import csv
import threading

import pytest
from sqlmodel import select

from alignwork.definition import versions
from alignwork.models import BacktestRun, ColumnMapping, DefinitionVersion
from alignwork.store import create_workshop
from tests.test_backtest_run import DEFINITION, LEADS


@pytest.fixture
def workshop(session):
    workshop = create_workshop(session=session, name="Back-test page")
    session.add(DefinitionVersion(workshop_id=workshop.id, number=1, status="saved",
                                  body=DEFINITION.model_dump(mode="json")))
    session.commit()
    return workshop.id


@pytest.fixture
def leads(tmp_path):
    path = tmp_path / "q3-leads.csv"
    path.write_bytes(LEADS + b"\nBroken;row\n")  # a blank line, then a bad line 11
    return path


def test_running_calibrating_saving_and_exporting(qtbot, context, database, workshop, leads, tmp_path, show_page):
    from alignwork_gui.pages.backtest import BacktestPage

    page = show_page(BacktestPage(context), workshop)
    assert page.mapping_stack.currentIndex() == 0 and not page.run_button.isEnabled()
    assert [page.version_combo.itemText(i) for i in range(page.version_combo.count())] == \
        ["Working draft", "Version 1 (saved)"]
    page.version_combo.setCurrentIndex(1)

    page.choose_file(str(leads))
    qtbot.waitUntil(lambda: page.mapping_stack.currentIndex() == 1, timeout=10000)
    assert page.file_label.text() == "q3-leads.csv · 9 rows · 1 bad line skipped"
    assert "line 11: 2 fields where the header has 6" in page.message.text()
    assert page.mapping_view.mapping.outcome_column == "Stage"
    # a correction by hand is remembered at once (then put back)
    combo = page.mapping_view.combo_for("Industry")
    combo.setCurrentIndex(combo.findData(None))
    with database.session() as session:
        assert "Industry" not in session.exec(select(ColumnMapping)).one().columns
    combo.setCurrentIndex(combo.findData("industry"))

    qtbot.mouseClick(page.run_button, qtbot_left())
    qtbot.waitUntil(lambda: page.results_stack.currentIndex() == 1, timeout=10000)
    results = page.results_view
    assert results.stage_labels["SQL"].text() == "1  (12%)" and results.stage_labels["MQL"].text() == "3  (38%)"
    assert results.conversion_labels["lift"].text() == f"{0.5 / round(3 / 7, 4):.2f}×"
    assert results.confusion_cells[("failing", "positive")].text() == "1"
    qtbot.waitUntil(lambda: results.segment_chart.canvas is not None, timeout=5000)
    assert page.leads_model.rowCount() == 8
    model = page.leads_model
    source = next(i for i, (_label, name) in enumerate(model.columns) if name == "lead_source")
    sources = {model.line_at(row): model.data(model.index(row, source)) for row in range(8)}
    assert sources[2] == "Requested a demo" and sources[3] == "Attended a webinar" and sources[4] == ""
    # the results (stages, conversion, calibration) scroll: the window still fits a 1024×640 screen
    assert page.minimumSizeHint().height() <= 480, page.minimumSizeHint()
    from PySide6.QtWidgets import QAbstractItemView, QAbstractSpinBox, QComboBox, QPushButton, QSlider

    unnamed = [w for kind in (QPushButton, QComboBox, QAbstractSpinBox, QSlider, QAbstractItemView)
               for w in page.findChildren(kind)
               if not w.accessibleName() and not (isinstance(w, QPushButton) and w.text())
               and type(w).__name__ not in ("QHeaderView", "QComboBoxListView", "QListView")]
    assert unnamed == []

    results.spin.setValue(41)  # live: only the SQL lead passes
    assert results.stage_labels["MQL"].text() == "0  (0%)" and "Passing 1 of 8" in results.volume_label.text()
    qtbot.mouseClick(results.halve_button, qtbot_left())
    assert results.spin.value() == 30 and results.slider.value() == 30
    results.spin.setValue(35)
    page.stage_filter.setCurrentIndex(page.stage_filter.findData("MQL"))
    page.tabs.setCurrentWidget(page.leads_stack)
    assert page.leads_model.rowCount() == 1 and page.leads_count.text() == "1 lead at MQL 35"

    results.spin.setValue(70)  # above SQL 60: the page says saving raises SQL, and saving does
    assert "MQL 70 is above the SQL threshold 60: saving raises SQL to 70" in results.sql_note.text()
    qtbot.mouseClick(results.save_button, qtbot_left())
    assert page.message.text().startswith("The working draft now has MQL at 70 and SQL raised to 70")
    with database.session() as session:
        raised = versions.load_definition(versions.current_draft(session=session, workshop_id=workshop))
        assert (raised.mql_threshold, raised.sql_threshold) == (70, 70)
    results.spin.setValue(35)
    assert results.sql_note.text().startswith("SQL stays at 60")

    qtbot.mouseClick(results.save_button, qtbot_left())
    assert page.message.text() == "The working draft now has MQL at 35; saved versions are unchanged."
    with database.session() as session:
        draft = versions.current_draft(session=session, workshop_id=workshop)
        assert versions.load_definition(draft).mql_threshold == 35
        assert versions.load_definition(versions.get_version(session=session, workshop_id=workshop, number=1)) \
            .mql_threshold == 30
        runs = session.exec(select(BacktestRun)).all()
        assert [(r.version_number, r.rows, r.scored, r.bad_lines) for r in runs] == [(1, 9, 8, 1)]
    assert page.history.rowCount() == 1 and page.history.item(0, 1).text() == "q3-leads.csv"

    target = tmp_path / "scored.csv"
    page.export_scored(str(target))
    qtbot.waitUntil(lambda: target.exists() and page._task is None, timeout=10000)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 9 and [row[9] for row in rows[1:]].count("MQL") == 1  # exported at MQL 35


def test_cancel_stops_the_run_and_records_nothing(qtbot, context, database, workshop, leads, show_page,
                                                 monkeypatch):
    from alignwork.backtest import history as backtest_runs
    from alignwork_gui.pages.backtest import BacktestPage

    page = show_page(BacktestPage(context), workshop, size=(1024, 640))
    page.choose_file(str(leads))
    qtbot.waitUntil(lambda: page.run_button.isEnabled(), timeout=10000)
    release = threading.Event()
    original = backtest_runs.choose_definition

    def slow_choose(**kwargs):
        release.wait(5)  # the worker waits here until the test has pressed Cancel
        return original(**kwargs)

    monkeypatch.setattr(backtest_runs, "choose_definition", slow_choose)
    page.run_backtest()
    assert page.progress_row.isVisible() and not page.run_button.isEnabled()
    qtbot.mouseClick(page.cancel_button, qtbot_left())
    release.set()
    qtbot.waitUntil(lambda: page._task is None, timeout=10000)
    assert page.message.text() == "Cancelled; nothing changed." and page.run_button.isEnabled()
    assert page.results_stack.currentIndex() == 0
    with database.session() as session:
        assert session.exec(select(BacktestRun)).all() == []


def test_unreadable_file_is_told_in_one_line(qtbot, context, workshop, tmp_path, show_page):
    from alignwork_gui.pages.backtest import BacktestPage

    page = show_page(BacktestPage(context), workshop)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    page.choose_file(str(empty))
    qtbot.waitUntil(lambda: page._task is None, timeout=10000)
    assert page.message.text() == "empty.csv: the file is empty" and page.mapping_stack.currentIndex() == 0
    assert not page.run_button.isEnabled()


def test_another_workshop_starts_clean(qtbot, context, session, workshop, leads, show_page):
    from alignwork_gui.pages.backtest import BacktestPage

    page = show_page(BacktestPage(context), workshop)
    page.choose_file(str(leads))
    qtbot.waitUntil(lambda: page.run_button.isEnabled(), timeout=10000)
    other = create_workshop(session=session, name="Another").id
    page.set_workshop(other)
    assert page.table is None and page.file_label.text() == "No file chosen"
    assert page.mapping_stack.currentIndex() == 0 and not page.run_button.isEnabled()
    assert page.history_stack.currentIndex() == 0  # no runs in that workshop


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_an_outcome_column_without_won_or_lost_says_so(qtbot, context, workshop, tmp_path, show_page):
    from alignwork_gui.pages.backtest import BacktestPage

    leads = tmp_path / "open.csv"
    leads.write_text("Job Title,Industry,Email,Lead Status\nCMO,SaaS,a@acme.io,Open\nDev,Retail,b@x.io,New\n",
                     encoding="utf-8")
    page = show_page(BacktestPage(context), workshop)
    page.choose_file(str(leads))
    qtbot.waitUntil(lambda: page.run_button.isEnabled(), timeout=10000)
    outcome = page.mapping_view.outcome
    outcome.setCurrentIndex(outcome.findData("Lead Status"))  # chosen by hand: open/new are no outcomes
    qtbot.mouseClick(page.run_button, qtbot_left())
    qtbot.waitUntil(lambda: page.results_stack.currentIndex() == 1, timeout=10000)
    box = page.results_view.conversion_box
    assert box.isVisibleTo(page) and box.title() == "Conversion (no won/lost values)"
    assert "'Lead Status'" in box.toolTip() and page.results_view.conversion_labels["lift"].text() == "–"
