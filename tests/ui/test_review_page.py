"""The Review page: add months off the GUI thread, see the same key metrics, accept a finding's
proposal into the draft, type the issues and decisions of the meeting, export the pack."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from alignwork.definition import versions
from alignwork.review import periods
from tests.review_data import PERIODS, agreed_workshop, period_csv


@pytest.fixture
def workshop(session):
    return agreed_workshop(session).id


@pytest.fixture
def files(tmp_path):
    paths = {}
    for period in PERIODS[:4]:
        paths[period] = tmp_path / f"crm-{period}.csv"
        paths[period].write_bytes(period_csv(period, leads=600))
    return paths


def _add(qtbot, page, period, path):
    page.new_period.setText(period)
    page.add_period(str(path))
    qtbot.waitUntil(lambda: page.current is not None and page.current.period == period and not page.status.busy,
                    timeout=20000)


def test_months_metrics_findings_meeting_and_pack(qtbot, context, database, workshop, files, tmp_path, show_page,
                                                 keyboard):
    from alignwork_gui.pages.review import ReviewPage

    page = show_page(ReviewPage(context), workshop)
    assert page.body.currentIndex() == 0 and "No review period yet" in page.empty.text()
    assert page.version_combo.currentText() == "Version 1 (agreed)"
    assert page.next_review.isVisible() and "review" in page.next_review.text()
    page.new_period.setText("2027-13")
    page.add_period(str(files["2027-01"]))
    assert "YYYY-MM" in page.status.text() and page.current is None  # refused, nothing read

    for period, path in files.items():
        _add(qtbot, page, period, path)
    assert page.body.currentIndex() == 1
    assert [page.period_combo.itemText(i) for i in range(page.period_combo.count())] == list(reversed(files))
    assert page.status.text().startswith("2027-04 added: 2 findings.")
    # the same rows every month, one column per period
    assert [page.metrics.horizontalHeaderItem(c).text() for c in range(page.metrics.columnCount())] == \
        ["Metric", *files]
    assert page.metrics.item(0, 0).text() == "Leads created" and page.metrics.item(0, 4).text() == "601"
    assert "Already a customer" in page.returns.text()
    assert "of the way to double the quality" in page.goal.text()

    # the won lead the knock-out stops: accept its proposal
    titles = [page.findings.item(i).text() for i in range(page.findings.count())]
    assert len(titles) == 2 and any("knock-out" in t for t in titles)
    page.findings.setCurrentRow(next(i for i, t in enumerate(titles) if "knock-out" in t))
    assert "founder" not in page.finding_leads.text() and "lines of crm-2027-04.csv" in page.finding_leads.text()
    qtbot.mouseClick(page.accept_button, Qt.MouseButton.LeftButton)
    assert "working draft" in page.status.text() and not page.accept_button.isEnabled()
    assert page.findings.currentItem().text().startswith("✓ ")
    with database.session() as session:
        draft = versions.current_draft(session=session, workshop_id=workshop)
        assert versions.load_definition(draft).criterion("disqualifiers.personal").decision == "rejected"

    # the meeting: issues and decisions are kept per period
    page.tabs.setCurrentIndex(2)
    page.issues.setFocus()
    qtbot.keyClicks(page.issues, "Webinar lists reach Sales unfiltered")
    qtbot.waitUntil(lambda: not page._issues_timer.isActive(), timeout=3000)
    page.decisions.setFocus()
    page.decisions.setCurrentIndex(page.decision_rows.index(0, 0))
    keyboard.type("Knock students out")  # typing edits the cell; Tab commits it and edits the next
    keyboard.press(Qt.Key.Key_Tab)
    keyboard.type("Ana")
    keyboard.enter()
    qtbot.waitUntil(lambda: page.decision_rows.rowCount() == 2, timeout=3000)  # a fresh row for the next one
    with database.session() as session:
        row = periods.get_period(session=session, workshop_id=workshop, period="2027-04")
        assert row.issues == ["Webinar lists reach Sales unfiltered"]
        assert row.decisions == [{"decision": "Knock students out", "owner": "Ana", "due": ""}]
    page.period_combo.setCurrentIndex(1)  # 2027-03 has its own (empty) notes
    assert page.current.period == "2027-03" and page.issues.toPlainText() == ""
    page.period_combo.setCurrentIndex(0)
    assert page.issues.toPlainText() == "Webinar lists reach Sales unfiltered"

    page.tabs.setCurrentIndex(3)
    qtbot.waitUntil(lambda: page.trend_chart.canvas is not None and page.returns_chart.canvas is not None)
    for size, name in (((1280, 800), "large"), ((1024, 640), "small")):
        page.resize(*size)
        for tab in range(4):
            page.tabs.setCurrentIndex(tab)
            qtbot.wait(50)
            page.grab().save(str(tmp_path / f"review-{name}-{tab}.png"))
    import os
    if os.environ.get("REVIEW_SHOTS"):
        import shutil
        for png in tmp_path.glob("review-*.png"):
            shutil.copy(png, os.environ["REVIEW_SHOTS"])

    target = tmp_path / "pack.docx"
    page.export_pack(str(target))
    qtbot.waitUntil(lambda: not page.status.busy and "Wrote pack.docx" in page.status.text(), timeout=20000)
    import docx

    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "Monthly lead review" in text and "Vocabulary refresher" in text


def test_no_agreed_version_says_what_comes_first(qtbot, context, session, show_page):
    from alignwork.store import create_workshop
    from alignwork_gui.pages.review import ReviewPage

    workshop = create_workshop(session=session, name="Fresh")
    page = show_page(ReviewPage(context), workshop.id)
    assert page.body.currentIndex() == 0 and "Agreement step" in page.empty.text()
    assert not page.add_button.isEnabled() and not page.export_button.isEnabled()
    assert not page.next_review.isVisible()


def test_the_overview_says_when_the_next_review_is_due(qtbot, context, workshop, show_page):
    from alignwork_gui.pages.workshop import WorkshopPage

    page = show_page(WorkshopPage(context), workshop)
    assert page.review_due.isVisible()
    assert page.review_due.text().startswith(("Next monthly review: 3 Feb 2027", "The monthly review was due"))


def test_the_columns_read_can_be_chosen_again_and_are_kept(qtbot, context, database, workshop, tmp_path, show_page,
                                                          monkeypatch):
    """A rejection reason under a header nobody recognises ("Warum zurück?"): the Columns tab shows
    it was not read, the facilitator picks that column and reads the month again; the returns then
    have their codes, and next month's file with the same headers is read with that choice."""
    import csv
    import io

    from tests.review_data import period_rows

    def write(period):
        rows = period_rows(period, 300)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=[("Warum zurück?" if k == "Rejection Reason" else k)
                                                    for k in rows[0]], lineterminator="\n")
        writer.writeheader()
        writer.writerows({("Warum zurück?" if k == "Rejection Reason" else k): v for k, v in row.items()}
                         for row in rows)
        path = tmp_path / f"odd-{period}.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        return path

    from alignwork_gui.pages.review import ReviewPage

    page = show_page(ReviewPage(context), workshop)
    _add(qtbot, page, "2027-01", write("2027-01"))
    assert "reason" not in page.current.metrics["mapping"]["review"]
    assert "Not in the file: rejection reason (the Columns tab can choose them)." in page.status.text()
    page.tabs.setCurrentIndex(4)
    reason = page.column_combos["reason"]
    assert reason.currentData() is None and reason.findData("Warum zurück?") > 0
    assert not page.reread_button.isEnabled()
    reason.setCurrentIndex(reason.findData("Warum zurück?"))
    assert page.reread_button.isEnabled()
    for size, name in (((1280, 800), "large"), ((1024, 640), "small")):
        page.resize(*size)
        qtbot.wait(20)
        page.grab().save(str(tmp_path / f"columns-{name}.png"))
    qtbot.mouseClick(page.reread_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.status.busy and page.current.metrics["mapping"]["review"].get("reason")
                    == "Warum zurück?", timeout=20000)
    returned = {row["code"]: row["leads"] for row in page.current.metrics["returned_by_code"]}
    assert returned["STUDENT"] > 0
    assert page.column_combos["reason"].currentData() == "Warum zurück?" and not page.reread_button.isEnabled()
    _add(qtbot, page, "2027-02", write("2027-02"))  # same headers: read with the choice
    assert page.current.metrics["mapping"]["review"].get("reason") == "Warum zurück?"
    moved = tmp_path / "moved.csv"  # the month's file moved away: asked for, then read with the choice
    write("2027-02").rename(moved)
    asked = []
    monkeypatch.setattr("alignwork_gui.pages.review.QFileDialog.getOpenFileName",
                        lambda *args, **kwargs: (asked.append(args[1]) or str(moved), ""))
    page.column_combos["owner"].setCurrentIndex(0)  # (not in the file)
    page.read_again()
    qtbot.waitUntil(lambda: not page.status.busy and "owner" not in page.current.metrics["mapping"]["review"],
                    timeout=20000)
    assert asked == ["The CRM export of 2027-02"] and page.current.metrics.get("owners") is None
    with database.session() as session:
        assert [row.period for row in periods.list_periods(session=session, workshop_id=workshop)] == \
            ["2027-01", "2027-02"]
