"""End to end on the demo workshop: the synthesis seeds risks with their evidence."""

from __future__ import annotations

import pytest

from alignwork.premortem import checklist as pm
from alignwork.workshops.bundle import import_demo


def test_demo_workshop_seeds_synthesis_risks_with_evidence(session):
    pytest.importorskip("alignwork.synthesis", reason="the synthesis room has not landed in this branch")
    demo = import_demo(session=session)
    risks = pm.list_risks(session=session, workshop_id=demo.workshop_id)
    derived = [r for r in risks if r.source == "synthesis"]
    assert derived, "the demo's interviews disagree; the synthesis must raise risks"
    assert all(r.evidence and r.key.startswith("synthesis:") for r in derived)
    assert any(r.title.startswith("Teams disagree on") for r in derived)
    assert len({r.title for r in derived}) == len(derived)
    assert len(risks) == len(derived) + len(pm.library())
    assert pm.refresh_from_synthesis(session=session, workshop_id=demo.workshop_id) == []  # nothing doubled
    summary = pm.plan_summary(session=session, workshop_id=demo.workshop_id)
    assert summary and "Disqualifiers:" in summary
    top = pm.top_risks(session=session, workshop_id=demo.workshop_id, limit=3)
    assert len(top) == 3 and top[0].score >= top[-1].score
