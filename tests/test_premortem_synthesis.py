"""risks_from_synthesis: a pure function of SynthesisResult.to_dict(), tested on hand-written dicts."""

from __future__ import annotations

from alignwork.premortem.from_synthesis import risks_from_synthesis


def result(**overrides):
    base = {
        "interviews": 9,
        "groups": {},
        "conflicts": [],
        "volume_vs_quality": {"fewer_better": 7, "more_volume": 1, "unsure": 1},
        "lead_quality_rating": {"mean": 3.6, "stdev": 0.5, "min": 3, "max": 4, "n": 9},
        "junk_share_percent": {"mean": 20, "median": 20, "n": 9},
        "teams": {"Enterprise": 4, "SMB": 5},
        "definition": {"criteria": []},
    }
    base.update(overrides)
    return base


def by_key(seeds):
    return {seed.key: seed for seed in seeds}


def test_a_healthy_synthesis_raises_nothing():
    assert risks_from_synthesis(result()) == []
    assert risks_from_synthesis({}) == []  # nothing synthesized yet
    assert risks_from_synthesis(result(interviews=0, teams={"A": 0})) == []


def test_contested_criteria_name_their_support():
    criteria = [
        {"id": "ideal_company.size", "section": "ideal_company", "label": "50 to 500 employees",
         "consensus": "contested", "support": 4, "evidence": {"participants": ["Ana", "Ben", "Cy", "Di"]}},
        {"id": "mql.webinar", "section": "mql", "label": "Attended a webinar", "consensus": "contested",
         "support": 3},
        {"id": "mql.demo", "section": "mql", "label": "Requested a demo", "consensus": "strong", "support": 9},
        {"id": "mql.ebook", "section": "mql", "label": "Downloaded an ebook", "consensus": "contested",
         "support": 3, "decision": "rejected"},
    ]
    seeds = by_key(risks_from_synthesis(result(definition={"criteria": criteria})))
    assert set(seeds) == {"synthesis:contested:ideal-company-size", "synthesis:contested:mql-webinar"}
    size = seeds["synthesis:contested:ideal-company-size"]
    assert "50 to 500 employees" in size.title and size.source == "synthesis"
    assert "4 of 9 interviews (44%)" in size.evidence[0]
    assert "Ana, Ben, Cy, Di" in size.evidence[1]
    assert seeds["synthesis:contested:mql-webinar"].impact == 4  # scored section matters more


def test_conflicts_between_teams_list_both_sides():
    conflict = {"question": "company_size", "summary": "Enterprise wants 1,000+ employees; SMB wants under 200.",
                "sides": [{"label": "1,000+", "participants": ["Ana", "Ben"], "teams": {"Enterprise": 2}},
                          {"label": "under 200", "participants": ["Cy"], "teams": ["SMB"]}]}
    same_team = {"question": "buying_signals", "summary": "Split on webinars.",
                 "sides": [{"label": "yes", "participants": ["Ana"], "teams": ["Enterprise"]},
                           {"label": "no", "participants": ["Ben"], "teams": ["Enterprise"]}]}
    seeds = risks_from_synthesis(result(conflicts=[conflict, same_team]))
    assert [s.title for s in seeds] == ["Teams disagree on company size", "Reps disagree on buying signals"]
    lead_in = dict(conflict, question="readiness",
                   summary="A confirmed budget before Sales takes a lead: SMB does not; Enterprise requires it.")
    assert risks_from_synthesis(result(conflicts=[lead_in]))[0].title == (
        "Teams disagree on a confirmed budget before Sales takes a lead")
    assert seeds[0].likelihood == 4 and seeds[1].likelihood == 3
    assert seeds[0].evidence == ("Enterprise wants 1,000+ employees; SMB wants under 200.",
                                 "“1,000+”: Ana, Ben (Enterprise)", "“under 200”: Cy (SMB)")
    again = risks_from_synthesis(result(conflicts=[conflict]))
    assert again[0].key == seeds[0].key  # stable across re-synthesis


def test_volume_wish_and_low_trust():
    seeds = by_key(risks_from_synthesis(result(
        volume_vs_quality={"fewer_better": 3, "more_volume": 5, "unsure": 1},
        lead_quality_rating={"mean": 1.8, "n": 9}, junk_share_percent={"mean": 60, "median": 55, "n": 8})))
    volume = seeds["synthesis:volume"]
    assert volume.likelihood == 5
    assert volume.evidence == ("5 of 9 reps (56%) chose “more volume” over “fewer but better”.",)
    trust = seeds["synthesis:trust"]
    assert trust.likelihood == 5
    assert trust.evidence == ("Today's leads rated 1.8 of 5 on average by 9 reps.",
                              "Reps put the junk share of today's leads at 55% (median of 8).")
    only_junk = by_key(risks_from_synthesis(result(junk_share_percent={"mean": 45, "median": None, "n": 3})))
    assert only_junk["synthesis:trust"].evidence == ("Reps put the junk share of today's leads at 45% (mean of 3).",)
    below = risks_from_synthesis(result(volume_vs_quality={"fewer_better": 8, "more_volume": 2, "unsure": 0}))
    assert "synthesis:volume" not in by_key(below)


def test_thin_teams_and_few_interviews():
    seeds = by_key(risks_from_synthesis(result(interviews=4, teams={"Enterprise": 3, "SMB": 1, "": 0})))
    assert seeds["synthesis:thin-team:smb"].title == "Too few interviews from SMB"
    assert seeds["synthesis:thin-team:smb"].evidence == ("1 of 4 interviews came from SMB.",)
    assert "synthesis:thin-team:enterprise" not in seeds
    assert seeds["synthesis:few-interviews"].evidence == ("The synthesis used only 4 interviews.",)
    one_team = risks_from_synthesis(result(interviews=6, teams={"Sales": 1}))
    assert one_team == []  # one team alone is not a thin segment
