"""Agreement and Export pages driven through their widgets on a real database."""

from datetime import date

import pytest
from PySide6.QtCore import Qt

from alignwork.definition import agreement
from alignwork.definition import versions
from tests.agreement.workshop import make_workshop
from alignwork_gui.context import AppContext


@pytest.fixture
def context(database):
    with database.session() as session:
        make_workshop(session)
    return AppContext(database)


def _type(table, row, column, text):
    table.model().setData(table.model().index(row, column), text)


def _text(table, row, column):
    return table.model().index(row, column).data()


def test_propose_sign_agree_and_edit_the_draft(qtbot, context, database):
    from alignwork_gui.pages.agreement import AgreementPage

    page = AgreementPage(context)
    qtbot.addWidget(page)
    page.set_workshop(1)
    page.show()
    assert page.versions.rowCount() == 1 and page.versions.item(0, 0).text() == "Draft"
    assert not page.agree_button.isEnabled()
    qtbot.mouseClick(page.propose_button, Qt.MouseButton.LeftButton)
    assert page.versions.item(0, 0).text() == "Version 1" and page.versions.item(0, 1).text() == "Proposed"
    assert page.agree_button.isEnabled() and "Sales signer" in page.signoff_hint.text()
    qtbot.mouseClick(page.agree_button, Qt.MouseButton.LeftButton)  # refused in place, no dialog
    assert page.message.isVisible() and "needs a Sales signer" in page.message.text()

    for name, team in (("Ana Ruiz", "Sales"), ("Maya Lindqvist", "marketing")):
        qtbot.mouseClick(page.add_signer_button, Qt.MouseButton.LeftButton)
        row = page.signers.model().rowCount() - 1
        _type(page.signers, row, 2, team)
        _type(page.signers, row, 0, name)  # saved once it has a name
    assert page.signoff_hint.text() == "Ready to agree."
    qtbot.mouseClick(page.agree_button, Qt.MouseButton.LeftButton)
    with database.session() as session:
        version = versions.get_version(session=session, workshop_id=1, number=1)
        assert version.status == "agreed"
        assert [(s.name, s.team, s.signed_on) for s in agreement.list_signers(session=session, version_id=version.id)] \
            == [("Ana Ruiz", "Sales", date.today()), ("Maya Lindqvist", "Marketing", date.today())]
    assert "locked" in page.signoff_hint.text() and not page.add_signer_button.isEnabled()
    assert not page.message.isVisible()
    assert not page.propose_button.isEnabled() and "Nothing new to propose" in page.propose_button.toolTip()

    # SLA and glossary edits land in the working draft; the compare view shows them
    page.sla_fields["mql_follow_up_hours"].setValue(12)
    page.sla_fields["mql_follow_up_hours"].editingFinished.emit()
    _type(page.glossary, 1, 1, "Marketing qualified: Sales calls within 12 hours")
    with database.session() as session:
        draft = versions.load_definition(versions.current_draft(session=session, workshop_id=1))
    assert draft.sla["mql_follow_up_hours"] == 12
    assert page.propose_button.isEnabled()  # the edit made a draft with something new in it
    assert draft.glossary[1] == {"term": "MQL", "meaning": "Marketing qualified: Sales calls within 12 hours"}
    page.reload()
    page.compare_from.setCurrentIndex(0)
    page.compare_to.setCurrentIndex(1)
    page._show_compare()
    lines = [page.compare_list.item(i).text() for i in range(page.compare_list.count())]
    assert any("SLA MQL follow-up (hours): 24 → 12" in line for line in lines), lines


def test_export_page_writes_and_asks_before_replacing(qtbot, context, tmp_path, monkeypatch):
    pytest.importorskip("alignwork.premortem.checklist")  # documents list its top risks; lands with the premortem room
    from alignwork_gui.pages.export import ExportPage, recent_exports

    page = ExportPage(context)
    qtbot.addWidget(page)
    page.set_workshop(1)
    page.format.setCurrentIndex(page.format.findData("md"))
    assert page.path.text().endswith("acme-analytics-lead-definition-agreement.md")
    target = tmp_path / "agreement.md"
    page.path.setText(str(target))
    page.charts.setChecked(False)
    page.anonymise.setChecked(True)
    page.start_export()
    qtbot.waitUntil(lambda: page.task is None, timeout=10000)
    text = target.read_text(encoding="utf-8")
    assert "Lead definition agreement" in text and "Rep A" in text and "Dana Whitfield" not in text
    assert page.open_folder.isEnabled() and recent_exports()[0] == str(target)

    target.write_text("keep")
    monkeypatch.setattr("alignwork_gui.pages.export.confirm_destructive", lambda *args: False)
    page.start_export()
    assert page.task is None and target.read_text() == "keep"
    monkeypatch.setattr("alignwork_gui.pages.export.confirm_destructive", lambda *args: True)
    page.format.setCurrentIndex(page.format.findData("rules-csv"))
    assert page.path.text().endswith("agreement.csv") and not page.sections.isEnabled()
    page.start_export()
    qtbot.waitUntil(lambda: page.task is None, timeout=10000)
    assert (tmp_path / "agreement.csv").read_text().startswith("id,label,group,points,knockout")


def test_new_draft_from_an_agreed_version_asks_before_losing_edits(qtbot, context, database, monkeypatch):
    from alignwork_gui.pages.agreement import AgreementPage

    with database.session() as session:
        version = agreement.propose(session=session, workshop_id=1)
        for name, team in (("Ana", "Sales"), ("Maya", "Marketing")):
            agreement.add_signer(session=session, version_id=version.id, name=name, team=team,
                                 signed_on=date(2026, 11, 20))
        agreement.agree(session=session, workshop_id=1, number=1)
        agreement.set_sla(session=session, workshop_id=1, contact_attempts=9)  # an edit in the draft
    page = AgreementPage(context)
    qtbot.addWidget(page)
    page.set_workshop(1)
    page.show()
    page.versions.selectRow(1)
    assert page.versions.item(1, 0).text() == "Version 1" and page.new_draft_button.isEnabled()
    asked = []
    monkeypatch.setattr("alignwork_gui.pages.agreement.confirm_destructive", lambda *args: asked.append(args[2]) or False)
    qtbot.mouseClick(page.new_draft_button, Qt.MouseButton.LeftButton)
    assert "will be lost" in asked[0]
    with database.session() as session:
        assert agreement.sla_of(versions.load_definition(versions.current_draft(session=session, workshop_id=1))) \
            .contact_attempts == 9
    monkeypatch.setattr("alignwork_gui.pages.agreement.confirm_destructive", lambda *args: True)
    qtbot.mouseClick(page.new_draft_button, Qt.MouseButton.LeftButton)
    with database.session() as session:
        assert not agreement.draft_has_edits(session=session, workshop_id=1)
    assert page.sla_fields["contact_attempts"].value() == 5


def test_team_is_picked_from_sales_or_marketing(qtbot, context):
    from PySide6.QtWidgets import QComboBox

    from alignwork_gui.pages.agreement import AgreementPage

    page = AgreementPage(context)
    qtbot.addWidget(page)
    page.set_workshop(1)
    page.show()
    qtbot.mouseClick(page.propose_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.add_signer_button, Qt.MouseButton.LeftButton)
    delegate = page.signers.itemDelegateForColumn(2)
    index = page.signers.model().index(0, 2)
    combo = delegate.createEditor(page.signers, None, index)
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["Sales", "Marketing"]
    combo.setCurrentText("Marketing")
    delegate.setModelData(combo, page.signers.model(), index)
    assert _text(page.signers, 0, 2) == "Marketing"


def test_export_can_be_cancelled_and_writes_nothing(qtbot, context, tmp_path, monkeypatch):
    import time

    import alignwork_gui.pages.export as export_page

    def slow_export(*, progress, **_kwargs):
        progress.report(1, 3, "Building")
        while True:  # until the user cancels
            time.sleep(0.01)
            progress.check()

    monkeypatch.setattr(export_page, "export_workshop", slow_export)
    page = export_page.ExportPage(context)
    qtbot.addWidget(page)
    page.set_workshop(1)
    page.format.setCurrentIndex(page.format.findData("pdf"))
    page.path.setText(str(tmp_path / "never.pdf"))
    page.start_export()
    assert page.cancel_button.isEnabled() and not page.export_button.isEnabled()
    qtbot.waitUntil(lambda: page.progress.value() == 1, timeout=5000)
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.task is None, timeout=5000)
    assert "cancelled; nothing was written" in page.result.text()
    assert page.export_button.isEnabled() and not (tmp_path / "never.pdf").exists()



def test_export_page_refuses_a_folder_and_no_sections_before_asking(qtbot, context, tmp_path, monkeypatch):
    from alignwork_gui.pages.export import ExportPage

    asked = []
    monkeypatch.setattr("alignwork_gui.pages.export.confirm_destructive", lambda *args: asked.append(args) or True)
    page = ExportPage(context)
    qtbot.addWidget(page)
    page.set_workshop(1)
    page.format.setCurrentIndex(page.format.findData("md"))
    page.path.setText(str(tmp_path / "agreement.pdf"))  # a PDF name for a Markdown file: refused, not written
    page.start_export()
    assert page.task is None and "agreement.pdf is named like a .pdf file" in page.result.text()
    page.path.setText(str(tmp_path))  # an existing folder: no "Replace the file?" question
    page.start_export()
    assert page.task is None and not asked and "is a folder" in page.result.text()
    for index in range(page.sections.count()):
        page.sections.item(index).setCheckState(Qt.CheckState.Unchecked)
    page.path.setText(str(tmp_path / "empty.md"))
    page.start_export()
    assert page.task is None and page.result.text() == "Tick at least one section to export."
    assert not (tmp_path / "empty.md").exists()


def test_a_refused_signing_date_shows_the_saved_one_again(qtbot, context, database):
    from alignwork_gui.pages.agreement import AgreementPage

    with database.session() as session:
        version = agreement.propose(session=session, workshop_id=1)
        agreement.add_signer(session=session, version_id=version.id, name="Ana Ruiz", role="VP Sales", team="Sales",
                             signed_on=date(2026, 11, 20))
    page = AgreementPage(context)
    qtbot.addWidget(page)
    page.set_workshop(1)
    page.show()
    _type(page.signers, 0, 3, "yesterday")
    assert "'yesterday' is not a date like 2026-11-25" in page.message.text()
    qtbot.waitUntil(lambda: _text(page.signers, 0, 3) == "2026-11-20")
    with database.session() as session:
        assert agreement.list_signers(session=session, version_id=version.id)[0].signed_on == date(2026, 11, 20)


def test_a_disabled_primary_button_loses_the_accent_rim(qtbot):
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QPushButton

    from alignwork_gui.widgets.buttons import make_primary

    button = make_primary(QPushButton("Propose draft"))
    qtbot.addWidget(button)
    button.resize(140, 32)
    button.setEnabled(False)
    image = button.grab().toImage()
    accent = button.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
    rim = [image.pixelColor(x, y) for x, y in ((70, 0), (0, 16), (139, 16), (70, 31))]
    assert all(colour != accent for colour in rim), [c.name() for c in rim]


def test_with_no_version_the_page_says_what_to_do_next(qtbot, database):
    from alignwork.store import create_interview, add_participant, create_workshop
    from alignwork_gui.pages.agreement import AgreementPage

    with database.session() as session:
        workshop_id = create_workshop(session=session, name="Fresh").id
    context = AppContext(database)
    steps = []
    context.step_requested.connect(steps.append)
    page = AgreementPage(context)
    qtbot.addWidget(page)
    page.set_workshop(workshop_id)
    page.resize(1024, 640)
    page.show()
    # no interviews: no draft can be synthesized, so the way is to the interviews (no empty signers table)
    assert page.right.currentWidget() is page.no_interviews and not page.signers.isVisible()
    assert not page.propose_button.isVisible()  # nothing to propose from: one next action, on the right
    assert "Run and finish the interviews" in page.no_interviews.text.text()
    qtbot.mouseClick(page.no_interviews.buttons[0], Qt.MouseButton.LeftButton)
    assert steps == ["interview"]

    with database.session() as session:
        rep = add_participant(session=session, workshop_id=workshop_id, name="Ana Ruiz", role="AE", team="Sales")
        create_interview(session=session, participant_id=rep.id, status="done")
    page.reload()
    assert page.right.currentWidget() is page.no_versions
    assert "press Propose draft: it becomes version 1" in page.no_versions.text.text()
    qtbot.mouseClick(page.no_versions.buttons[1], Qt.MouseButton.LeftButton)
    assert steps == ["interview", "definition"]
    qtbot.mouseClick(page.no_versions.buttons[0], Qt.MouseButton.LeftButton)  # proposes: version 1, to sign
    assert page.versions.item(0, 0).text() == "Version 1" and page.right.currentWidget() is page.tabs
    assert page.signers.isVisible() and "Still needed" in page.signoff_hint.text()
    assert page.agree_button.isVisible() and page.propose_button.isVisible()


def test_the_export_page_draws_the_charts_while_the_user_chooses(qtbot, context, tmp_path, monkeypatch, show_page):
    """The slow part of a first export is drawing the document's charts: the page draws them in the
    background once it shows, so the export itself draws none (it fails here if it tries)."""
    from alignwork.documents import builders
    from alignwork_gui.pages.export import ExportPage

    builders._PNG_CACHE.clear()
    page = show_page(ExportPage(context), 1)
    page.format.setCurrentIndex(page.format.findData("md"))
    qtbot.waitUntil(lambda: page._drawn_for is not None and page._drawing is None, timeout=30000)
    drawn = len(builders._PNG_CACHE)
    assert drawn >= 2  # the scoring model and the agreement per criterion at least

    def no_drawing(*_args, **_kwargs):
        raise AssertionError("the export drew a chart")

    monkeypatch.setattr("alignwork.charts.figure_png", no_drawing)
    target = tmp_path / "agreement.md"
    page.path.setText(str(target))
    page.start_export()
    qtbot.waitUntil(lambda: page.task is None, timeout=20000)
    assert "Nothing was written" not in page.result.text(), page.result.text()
    assert target.read_text(encoding="utf-8").count("data:image/png") == drawn
    page.anonymise.setChecked(True)  # other names on the charts: drawn again, ahead again
    monkeypatch.undo()
    qtbot.waitUntil(lambda: page._drawn_for == (1, "default", True) and page._drawing is None, timeout=30000)
