"""Team mode on the pages people edit together: the guide, a risk (checklist and session), a signer,
the SLA and the glossary. A colleague ("Dana", another app on the same database) saves first; this
page ("Lee") then saves over what it showed. Nothing is overwritten silently: the page asks
"changed by Dana at hh:mm — reload or keep yours"; Keep mine saves Lee's edit over Dana's version,
Reload shows Dana's and leaves what Lee typed on the clipboard. Saving twice in a row on one page
never asks (the page follows its own versions)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QApplication

from alignwork import store
from alignwork.definition import agreement, versions
from alignwork.interviews import guide_edit
from alignwork.premortem import checklist as pm
from alignwork.premortem import session as ps
from shell_helpers import Dialogs
from tests.agreement.workshop import make_workshop

CHOICES = ["Keep mine", "Reload"]


@pytest.fixture
def as_dana(monkeypatch, database):
    """Run ``change(session)`` as Dana on another machine, then be Lee again."""
    def run(change):
        monkeypatch.setenv("ALIGNWORK_FACILITATOR", "Dana")
        with database.session() as session:
            result = change(session)
        monkeypatch.setenv("ALIGNWORK_FACILITATOR", "Lee")
        return result
    monkeypatch.setenv("ALIGNWORK_FACILITATOR", "Lee")
    return run


def asked(dialogs: Dialogs, what: str) -> str:
    title, text = dialogs.last
    assert title == f"{what} changed meanwhile"
    assert "was changed by Dana at " in text and "reload or keep yours" in text
    return text


def clipboard() -> str:
    return QApplication.clipboard().text()


# ---------------------------------------------------------------- the guide

@pytest.mark.parametrize("choice", CHOICES)
def test_guide_reword_after_a_colleagues_save(qtbot, context, database, show_page, as_dana, monkeypatch, choice):
    from alignwork_gui.pages.guide.page import GuidePage

    with database.session() as session:
        workshop_id = store.create_workshop(session=session, name="Guide together").id
    page = show_page(GuidePage(context), workshop_id)
    as_dana(lambda s: guide_edit.edit_guide(session=s, workshop_id=workshop_id, expected_version=0,
                                            operation=lambda qs: guide_edit.reword(qs, "titles", prompt="Dana's")))
    QApplication.clipboard().clear()
    dialogs = Dialogs(monkeypatch, answer=choice)
    page._select("industries")
    page.tree.currentItem().setText(0, "Which sectors buy fastest?")  # Lee's inline edit
    qtbot.waitUntil(lambda: bool(dialogs.shown), timeout=3000)
    text = asked(dialogs, "The guide")
    with database.session() as session:
        prompts = {q.key: q.prompt for q in store.workshop_guide(session=session, workshop_id=workshop_id)}
    assert prompts["titles"] == "Dana's"  # never lost, whichever Lee picks
    if choice == "Keep mine":  # Lee's edit goes on top of Dana's guide
        assert prompts["industries"] == "Which sectors buy fastest?"
    else:
        assert prompts["industries"] != "Which sectors buy fastest?"
        assert clipboard() == "Which sectors buy fastest?" and "copied to the clipboard" in text
    qtbot.waitUntil(lambda: {q.key: q.prompt for q in page.questions} == prompts)

    count = len(dialogs.shown)  # Lee's next edits follow the version Lee's own save made: no question
    page._select("titles")
    page.tree.currentItem().setText(1, "Lee's hint")
    qtbot.waitUntil(lambda: next(q.hint for q in page.questions if q.key == "titles") == "Lee's hint")
    assert len(dialogs.shown) == count


# ---------------------------------------------------------------- a risk: the checklist and the session

@pytest.fixture
def premortem_page(qtbot, database):
    from alignwork_gui.context import AppContext
    from alignwork_gui.pages.premortem import PremortemPage

    with database.session() as session:
        workshop = store.create_workshop(session=session, name="Risks together")
        store.add_participant(session=session, workshop_id=workshop.id, name="Ana", team="Sales")
        risk = pm.add_risk(session=session, workshop_id=workshop.id, title="Sales ignores the new MQLs")
    page = PremortemPage(AppContext(database))
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.set_workshop(workshop.id)
    page.show()
    page.risk_id = risk.id
    return page


def stored_risk(database, risk_id):
    with database.session() as session:
        return pm.get_risk(session=session, risk_id=risk_id)


@pytest.mark.parametrize("choice", CHOICES)
def test_checklist_edit_after_a_colleagues_save(qtbot, premortem_page, database, as_dana, monkeypatch, choice):
    page = premortem_page
    page.tabs.setCurrentWidget(page.checklist)
    model = page.checklist.model
    row = next(i for i, r in enumerate(model.risks) if r.id == page.risk_id)
    column = pm.FIELDS.index("owner")
    as_dana(lambda s: pm.update_risk(session=s, risk_id=page.risk_id, mitigation="Weekly MQL review"))
    QApplication.clipboard().clear()
    dialogs = Dialogs(monkeypatch, answer=choice)
    model.setData(model.index(row, column), "Lee Park")
    text = asked(dialogs, f"The risk {'Sales ignores the new MQLs'!r}")
    risk = stored_risk(database, page.risk_id)
    assert risk.mitigation == "Weekly MQL review"
    if choice == "Keep mine":
        assert risk.owner == "Lee Park" and risk.changed_by == "Lee"
    else:
        assert risk.owner == "" and clipboard() == "Lee Park" and "copied to the clipboard" in text
        qtbot.waitUntil(lambda: any(r.mitigation == "Weekly MQL review" for r in model.risks))
    count = len(dialogs.shown)
    row = next(i for i, r in enumerate(model.risks) if r.id == page.risk_id)
    assert model.setData(model.index(row, column), "Lee P.")  # the page's own save: no question
    assert stored_risk(database, page.risk_id).owner == "Lee P." and len(dialogs.shown) == count


@pytest.mark.parametrize("choice", CHOICES)
def test_session_scoring_after_a_colleagues_save(qtbot, premortem_page, database, as_dana, monkeypatch, choice):
    page = premortem_page
    with database.session() as session:
        ps.start_session(session=session, workshop_id=page.workshop_id, initiative="Roll out v1",
                         people=[{"name": "Ana", "team": "Sales"}])
        while ps.session_state(session=session, workshop_id=page.workshop_id).phase < 6:
            ps.advance(session=session, workshop_id=page.workshop_id)
    page.tabs.setCurrentWidget(page.session_view)
    page.session_view.refresh()
    scoring = page.session_view.panels[5]
    row = next(r for r in range(scoring.table.rowCount()) if scoring.table.item(r, 0).text().endswith(
        "Sales ignores the new MQLs"))
    as_dana(lambda s: pm.update_risk(session=s, risk_id=page.risk_id, impact=5))
    dialogs = Dialogs(monkeypatch, answer=choice)
    scoring.table.cellWidget(row, 2).setValue(4)  # Lee's likelihood
    asked(dialogs, f"The risk {'Sales ignores the new MQLs'!r}")
    risk = stored_risk(database, page.risk_id)
    assert risk.impact == 5
    assert risk.likelihood == (4 if choice == "Keep mine" else None)
    if choice == "Reload":  # the panel shows Dana's risk again
        qtbot.waitUntil(lambda: page.session_view.panels[5].table.cellWidget(row, 3).value() == 5)
    count = len(dialogs.shown)
    page.session_view.panels[5].table.cellWidget(row, 2).setValue(2)
    assert stored_risk(database, page.risk_id).likelihood == 2 and len(dialogs.shown) == count


# ---------------------------------------------------------------- a signer, the SLA, the glossary

@pytest.fixture
def agreement_page(qtbot, database):
    from alignwork_gui.context import AppContext
    from alignwork_gui.pages.agreement import AgreementPage

    with database.session() as session:
        workshop_id = make_workshop(session)
    page = AgreementPage(AppContext(database))
    qtbot.addWidget(page)
    page.set_workshop(workshop_id)
    page.show()
    return page


def _type(table, row, column, text):
    table.model().setData(table.model().index(row, column), text)


@pytest.mark.parametrize("choice", CHOICES)
def test_signer_edit_after_a_colleagues_save(qtbot, agreement_page, database, as_dana, monkeypatch, choice):
    page = agreement_page
    with database.session() as session:
        version = agreement.propose(session=session, workshop_id=page.workshop_id)
        signer = agreement.add_signer(session=session, version_id=version.id, name="Ana Ruiz", role="", team="Sales")
    page.reload()
    as_dana(lambda s: agreement.update_signer(session=s, signer_id=signer.id, signed_on=date(2026, 11, 20)))
    dialogs = Dialogs(monkeypatch, answer=choice)
    _type(page.signers, 0, 1, "VP Sales")  # Lee types the role
    asked(dialogs, "The signer Ana Ruiz")
    with database.session() as session:
        now = agreement.list_signers(session=session, version_id=version.id)[0]
    assert now.signed_on == date(2026, 11, 20)
    assert now.role == ("VP Sales" if choice == "Keep mine" else "")
    if choice == "Reload":
        assert "VP Sales" in clipboard()
        qtbot.waitUntil(lambda: page.signers.model().index(0, 3).data() == "2026-11-20")
    count = len(dialogs.shown)
    _type(page.signers, 0, 1, "SVP Sales")
    with database.session() as session:
        assert agreement.list_signers(session=session, version_id=version.id)[0].role == "SVP Sales"
    assert len(dialogs.shown) == count


@pytest.mark.parametrize("choice", CHOICES)
def test_sla_and_glossary_after_a_colleagues_save(qtbot, agreement_page, database, as_dana, monkeypatch, choice):
    page = agreement_page

    def draft():
        with database.session() as session:
            return versions.load_definition(versions.current_draft(session=session, workshop_id=page.workshop_id))

    as_dana(lambda s: agreement.set_sla(session=s, workshop_id=page.workshop_id, demo_follow_up_hours=2))
    dialogs = Dialogs(monkeypatch, answer=choice)
    page.sla_fields["mql_follow_up_hours"].setValue(12)
    page.sla_fields["mql_follow_up_hours"].editingFinished.emit()
    asked(dialogs, "The definition draft")
    assert draft().sla["demo_follow_up_hours"] == 2
    assert draft().sla["mql_follow_up_hours"] == (12 if choice == "Keep mine" else 24)
    qtbot.waitUntil(lambda: page.sla_fields["demo_follow_up_hours"].value() == 2)

    count = len(dialogs.shown)  # the page's own saves follow each other without a question
    page.sla_fields["mql_follow_up_hours"].setValue(8)
    page.sla_fields["mql_follow_up_hours"].editingFinished.emit()
    _type(page.glossary, 1, 1, "Marketing qualified: Sales calls within 8 hours")
    assert draft().sla["mql_follow_up_hours"] == 8 and len(dialogs.shown) == count
    assert draft().glossary[1]["meaning"] == "Marketing qualified: Sales calls within 8 hours"

    theirs = [*draft().glossary, {"term": "ICP", "meaning": "Dana's ideal customer profile"}]
    as_dana(lambda s: agreement.set_glossary(session=s, workshop_id=page.workshop_id, entries=theirs))
    QApplication.clipboard().clear()
    _type(page.glossary, 0, 1, "Lee's meaning")
    asked(dialogs, "The definition draft")
    terms = {e["term"]: e["meaning"] for e in draft().glossary}
    if choice == "Keep mine":  # Lee chose to save the glossary Lee sees over Dana's
        assert "ICP" not in terms and "Lee's meaning" in terms.values()
    else:
        assert terms["ICP"] == "Dana's ideal customer profile" and "Lee's meaning" not in terms.values()
        assert "Lee's meaning" in clipboard()
        qtbot.waitUntil(lambda: any(e["term"] == "ICP" for e in page.glossary_editor.entries()))
