"""Premortem core: seeding, phases, clock, votes, merging, the tiger rule, overdue, export."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import pytest
from markdown_it import MarkdownIt

from alignwork.premortem import checklist as pm
from alignwork.premortem import session as ps
from alignwork.premortem import votes
from alignwork import store
from alignwork.models import Risk
from alignwork.paths import resource
from alignwork.premortem.export import checklist_csv, checklist_markdown, export_checklist

pytestmark = pytest.mark.backends  # SQLite and PostgreSQL


@pytest.fixture
def workshop(session):
    return store.create_workshop(session=session, name="Premortem test")


def start(session, workshop, **extra):
    people = [{"name": "Ana", "team": "Sales"}, {"name": "Ben", "team": "Sales"},
              {"name": "Chloe", "team": "Marketing"}]
    return ps.start_session(session=session, workshop_id=workshop.id, initiative="Roll out v1",
                            people=people, **extra)


def test_library_has_the_named_failures_in_full():
    data = json.loads(resource("premortem_library.json").read_text(encoding="utf-8"))
    risks = data["risks"]
    assert len(risks) >= 18
    assert len({r["id"] for r in risks}) == len(risks)
    for risk in risks:
        assert risk["title"] and len(risk["why"]) > 40 and len(risk["mitigation"]) > 30
        assert risk["category"] in data["categories"]
        assert 1 <= risk["likelihood"] <= 5 and 1 <= risk["impact"] <= 5
    ids = {r["id"] for r in risks}
    assert {"no-agreed-definition", "vocabulary-drift", "volume-drop-surprise", "incentives-pull-elsewhere",
            "no-rejection-feedback", "no-follow-up-sla", "no-shared-pipeline-review", "unused-content",
            "no-review-meeting", "definition-drifts-from-buyers"} <= ids


def test_list_risks_seeds_once_from_the_library(session, workshop):
    risks = pm.list_risks(session=session, workshop_id=workshop.id)
    assert len(risks) == len(pm.library())
    assert {r.source for r in risks} == {"library"}
    assert all(r.score == r.likelihood * r.impact and r.suggestion for r in risks)
    assert [r.score for r in risks] == sorted((r.score for r in risks), reverse=True)
    pm.delete_risk(session=session, risk_id=risks[0].id)
    assert len(pm.list_risks(session=session, workshop_id=workshop.id)) == len(risks) - 1  # no re-seeding


def test_seeding_without_synthesis_module_degrades_to_library(session, workshop, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_synthesis(name, *args, **kwargs):
        if name == "alignwork.synthesis":
            raise ImportError("not here yet")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_synthesis)
    assert pm.synthesis_seeds(session=session, workshop_id=workshop.id) == []
    assert len(pm.list_risks(session=session, workshop_id=workshop.id)) == len(pm.library())


def test_add_seeds_is_idempotent_and_refreshes_evidence(session, workshop):
    seed = pm.RiskSeed(key="synthesis:volume", title="Volume", description="d", category="Change",
                       source="synthesis", likelihood=4, impact=4, evidence=("3 of 5 want volume",))
    assert len(pm.add_seeds(session=session, workshop_id=workshop.id, seeds=[seed])) == 1
    newer = pm.RiskSeed(**{**seed.__dict__, "evidence": ("4 of 6 want volume",)})
    assert pm.add_seeds(session=session, workshop_id=workshop.id, seeds=[newer]) == []
    risk = session.exec(__import__("sqlmodel").select(Risk).where(Risk.key == "synthesis:volume")).one()
    assert risk.evidence == ["4 of 6 want volume"] and risk.source == "synthesis"


def test_frame_validation_and_warnings(session, workshop):
    with pytest.raises(pm.PremortemError, match="people present"):
        ps.start_session(session=session, workshop_id=workshop.id, initiative="x", people=[])
    with pytest.raises(pm.PremortemError, match="initiative"):
        ps.start_session(session=session, workshop_id=workshop.id, initiative=" ", people=[{"name": "A"}])
    with pytest.raises(pm.PremortemError, match="same name"):
        ps.start_session(session=session, workshop_id=workshop.id, initiative="x",
                         people=[{"name": "A"}, {"name": "a"}])
    assert ps.frame_warnings([{"name": "A", "team": "Sales"}]) == [
        "No one from Marketing is present; the premortem works best with both teams."]
    assert pm.default_initiative(session=session, workshop_id=workshop.id) == "Roll out lead definition v1"
    assert ps.session_state(session=session, workshop_id=workshop.id).status == "not_started"


def test_team_of_roster_participant(session, workshop):
    mid = store.add_participant(session=session, workshop_id=workshop.id, name="Dev", team="Mid-market")
    mkt = store.add_participant(session=session, workshop_id=workshop.id, name="Eve", role="Demand gen lead")
    assert ps.team_of(mid) == "Sales" and ps.team_of(mkt) == "Marketing"


def test_phases_clock_pause_resume_and_tiger_rule(session, workshop):
    row = start(session, workshop, phase_minutes={2: 7})
    assert (row.phase, row.remaining_seconds, row.status) == (1, 300, "running")
    with pytest.raises(pm.PremortemError, match="already under way"):
        start(session, workshop)
    ps.pause_session(session=session, workshop_id=workshop.id, remaining_seconds=123)
    state = ps.session_state(session=session, workshop_id=workshop.id)
    assert (state.status, state.remaining_seconds, state.phase_key) == ("paused", 123, "brief")
    ps.resume_session(session=session, workshop_id=workshop.id)
    assert ps.advance(session=session, workshop_id=workshop.id).remaining_seconds == 7 * 60
    ps.set_phase_minutes(session=session, workshop_id=workshop.id, number=2, minutes=3)
    assert ps.session_state(session=session, workshop_id=workshop.id).remaining_seconds == 180
    with pytest.raises(pm.PremortemError, match="1 to 120"):
        ps.set_phase_minutes(session=session, workshop_id=workshop.id, number=2, minutes=0)
    ps.go_back(session=session, workshop_id=workshop.id)
    for _ in range(6):
        ps.advance(session=session, workshop_id=workshop.id)
    assert ps.session_state(session=session, workshop_id=workshop.id).phase == 7
    tiger = pm.list_risks(session=session, workshop_id=workshop.id)[0]
    pm.update_risk(session=session, risk_id=tiger.id, klass="Tiger", owner="Ana")
    with pytest.raises(pm.PremortemError, match="1 tiger"):
        ps.advance(session=session, workshop_id=workshop.id)
    pm.update_risk(session=session, risk_id=tiger.id, mitigation="Weekly review", due_date=date(2030, 1, 1))
    finished = ps.advance(session=session, workshop_id=workshop.id)
    assert finished.status == "finished" and finished.finished_at is not None
    with pytest.raises(pm.PremortemError, match="no premortem session"):
        ps.advance(session=session, workshop_id=workshop.id)


def test_round_robin_capture_attributed_then_anonymous(session, workshop):
    row = start(session, workshop)
    ana, ben, chloe = ps.members(session=session, session_id=row.id)
    assert ps.whose_turn(session=session, workshop_id=workshop.id).id == ana.id
    first = ps.capture(session=session, workshop_id=workshop.id, member_id=ana.id, title=" Reps ignore scores ")
    assert (first.title, first.author, first.source, first.session_id) == ("Reps ignore scores", "Ana",
                                                                          "participant", row.id)
    assert ps.whose_turn(session=session, workshop_id=workshop.id).id == ben.id
    assert ps.pass_turn(session=session, workshop_id=workshop.id).id == chloe.id
    ps.set_anonymous(session=session, workshop_id=workshop.id, anonymous=True)
    second = ps.capture(session=session, workshop_id=workshop.id, member_id=chloe.id, title="No CRM fields")
    assert second.author == "" and ps.whose_turn(session=session, workshop_id=workshop.id).id == ana.id
    with pytest.raises(pm.PremortemError, match="title"):
        ps.capture(session=session, workshop_id=workshop.id, member_id=ana.id, title="   ")


def test_votes_respect_dots_and_per_item_limits(session, workshop):
    row = start(session, workshop)
    ana = ps.members(session=session, session_id=row.id)[0]
    risks = pm.list_risks(session=session, workshop_id=workshop.id)
    votes.cast_vote(session=session, workshop_id=workshop.id, member_id=ana.id, risk_id=risks[0].id)
    with pytest.raises(pm.PremortemError, match="at most one dot"):
        votes.cast_vote(session=session, workshop_id=workshop.id, member_id=ana.id, risk_id=risks[0].id)
    for risk in risks[1:3]:
        votes.cast_vote(session=session, workshop_id=workshop.id, member_id=ana.id, risk_id=risk.id)
    with pytest.raises(pm.PremortemError, match="used all 3 dots"):
        votes.cast_vote(session=session, workshop_id=workshop.id, member_id=ana.id, risk_id=risks[3].id)
    votes.remove_vote(session=session, member_id=ana.id, risk_id=risks[2].id)
    votes.set_vote_rules(session=session, workshop_id=workshop.id, dots_per_member=3, max_dots_per_risk=2)
    assert votes.cast_vote(session=session, workshop_id=workshop.id, member_id=ana.id, risk_id=risks[0].id).votes == 2
    assert votes.member_votes(session=session, member_id=ana.id) == {risks[0].id: 2, risks[1].id: 1}
    with pytest.raises(pm.PremortemError, match="between 1 and the dots"):
        votes.set_vote_rules(session=session, workshop_id=workshop.id, dots_per_member=2, max_dots_per_risk=3)


def test_merge_moves_text_votes_and_can_be_split(session, workshop):
    row = start(session, workshop)
    ana, ben, _ = ps.members(session=session, session_id=row.id)
    one = ps.capture(session=session, workshop_id=workshop.id, member_id=ana.id, title="Reps ignore the score",
                     description="Too many fields")
    two = ps.capture(session=session, workshop_id=workshop.id, member_id=ben.id, title="Nobody looks at scores")
    votes.cast_vote(session=session, workshop_id=workshop.id, member_id=ana.id, risk_id=one.id)
    votes.cast_vote(session=session, workshop_id=workshop.id, member_id=ana.id, risk_id=two.id)
    votes.cast_vote(session=session, workshop_id=workshop.id, member_id=ben.id, risk_id=two.id)
    before = len(pm.list_risks(session=session, workshop_id=workshop.id))
    merged = ps.merge_risks(session=session, target_id=one.id, other_ids=[two.id], title="Scores are ignored")
    assert (merged.title, merged.votes, merged.merged_titles) == ("Scores are ignored", 3, ["Nobody looks at scores"])
    assert merged.author == "Ana, Ben"
    assert len(pm.list_risks(session=session, workshop_id=workshop.id)) == before - 1
    assert votes.member_votes(session=session, member_id=ana.id) == {one.id: 2}
    with pytest.raises(pm.PremortemError, match="at least two"):
        ps.merge_risks(session=session, target_id=one.id, other_ids=[one.id])
    back = ps.split_risk(session=session, risk_id=one.id)
    assert [r.id for r in back] == [two.id]
    assert len(pm.list_risks(session=session, workshop_id=workshop.id)) == before


def test_update_validation_sorting_filtering_and_overdue(session, workshop):
    risks = pm.list_risks(session=session, workshop_id=workshop.id)
    with pytest.raises(pm.PremortemError, match="likelihood: .*1 to 5"):
        pm.update_risk(session=session, risk_id=risks[0].id, likelihood=6)
    with pytest.raises(pm.PremortemError, match="class must be"):
        pm.update_risk(session=session, risk_id=risks[0].id, klass="lion")
    with pytest.raises(pm.PremortemError, match="status must be"):
        pm.update_risk(session=session, risk_id=risks[0].id, status="done")
    today = date(2030, 6, 1)
    late = pm.update_risk(session=session, risk_id=risks[1].id, due_date=today - timedelta(days=1), owner="Zoe")
    pm.update_risk(session=session, risk_id=risks[2].id, due_date=today - timedelta(days=3), status="closed")
    pm.update_risk(session=session, risk_id=risks[3].id, impact=None)
    risks = pm.list_risks(session=session, workshop_id=workshop.id)
    assert [r.id for r in pm.filter_risks(risks, overdue_only=True, today=today)] == [late.id]
    assert pm.is_overdue(late, today) and not pm.is_overdue(late, today - timedelta(days=5))
    assert [r.id for r in pm.filter_risks(risks, text="zoe")] == [late.id]
    assert len(pm.filter_risks(risks, status="closed")) == 1
    by_owner = pm.sort_risks(risks, "owner")
    assert by_owner[0].owner == "Zoe"  # empty owners sort last
    by_score = pm.sort_risks(risks, "score", descending=True)
    assert by_score[-1].score is None
    with pytest.raises(pm.PremortemError):
        pm.sort_risks(risks, "nonsense")
    pm.set_review_date(session=session, workshop_id=workshop.id, when=today - timedelta(days=1))
    assert pm.review_overdue(session=session, workshop_id=workshop.id, today=today)


def test_top_risks_prefers_tigers_and_skips_closed_and_paper_tigers(session, workshop):
    risks = pm.list_risks(session=session, workshop_id=workshop.id)
    low = risks[-1]
    pm.update_risk(session=session, risk_id=low.id, klass="tiger")
    pm.update_risk(session=session, risk_id=risks[0].id, klass="paper_tiger")
    pm.update_risk(session=session, risk_id=risks[1].id, status="closed")
    top = pm.top_risks(session=session, workshop_id=workshop.id, limit=3)
    assert top[0].id == low.id and len(top) == 3
    assert risks[0].id not in [r.id for r in top] and risks[1].id not in [r.id for r in top]


def test_exports_neutralise_formulas_and_escape_markdown(session, workshop, tmp_path):
    risk = pm.add_risk(session=session, workshop_id=workshop.id, title="=HYPERLINK(\"http://x\")")
    pm.update_risk(session=session, risk_id=risk.id, owner="<script>alert(1)</script>", klass="tiger",
                   due_date=date(2020, 1, 1))
    risks = pm.list_risks(session=session, workshop_id=workshop.id)
    path = export_checklist(tmp_path / "c.csv", risks)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(risks)
    mine = next(r for r in rows if "HYPERLINK" in r["title"])
    assert mine["title"].startswith("'=") and mine["klass"] == "Tiger" and mine["overdue"] == "yes"
    text = checklist_markdown(risks, title="Checklist", frame="Roll out v1")
    html = MarkdownIt().render(text)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert export_checklist(tmp_path / "c.md", risks).read_text(encoding="utf-8").startswith("# Premortem checklist")
    with pytest.raises(ValueError, match=".csv or .md"):
        export_checklist(tmp_path / "c.txt", risks)
    assert not (tmp_path / "c.txt").exists()
    assert checklist_csv([]).count("\n") == 1
