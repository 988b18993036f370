"""Synthesis on interview sets written for the purpose: groups, consensus, numbers, conflicts, draft."""

import json

import pytest

from alignwork.synthesis.engine import InterviewData, SynthesisInputError, consensus_level, synthesize, synthesize_bundle
from tests.synthesis.cases import bant, nine_reps, rep


@pytest.fixture(scope="module")
def result():
    return synthesize(nine_reps())


def labels(result, key):
    return {g.label: (g.support, g.consensus) for g in result.groups[key]}


def test_only_done_interviews_count(result):
    assert result.count == 8 and result.pending == 1
    assert "Barista" not in json.dumps(result.to_dict())


def test_consensus_levels():
    assert [consensus_level(s, 9) for s in (9, 6, 5, 3, 2, 1)] == [
        "strong", "strong", "contested", "contested", "weak", "outlier"]
    assert consensus_level(1, 1) == "strong"


def test_tag_groups_gather_messy_wording(result):
    rejections = {g.label: sorted(g.members) for g in result.groups["rejection_triggers"]}
    assert rejections["Student or academic"] == ["Students!", "student email", "students"]
    assert rejections["Competitor"] == ["Competitors", "competitor"]
    assert rejections["Personal email address"] == ["gmail", "gmail address", "personal e-mail"]
    titles = {g.label: g for g in result.groups["titles"]}
    assert titles["Marketing"].support == 5
    assert {"VP Marketing", "vp mktg", "Vice President, Marketing", "CMO", "SVP Marketing"} <= set(
        titles["Marketing"].members)
    assert titles["IT"].participants == ["Dev", "Eve"]
    assert labels(result, "industries")["Financial services"] == (5, "contested")
    assert labels(result, "industries")["Hospitality & travel"] == (1, "outlier")
    assert labels(result, "titles_seniority")["C-level"] == (6, "strong")


def test_breakdowns_by_team_and_profile(result):
    pricing = next(g for g in result.groups["buying_signals"] if g.label == "Asked for pricing")
    assert pricing.by_team == {"Mid-Market": 2, "Enterprise": 2}
    assert pricing.by_profile == {"rock_star": 2, "engaged": 2}
    assert pricing.share == pytest.approx(0.5)


def test_numbers(result):
    data = result.to_dict()
    assert data["readiness"] == {"n": 8, "need": 1.0, "budget": 0.5, "authority": 0.75,
                                 "timeline_months_median": 6.0}
    assert data["volume_vs_quality"] == {"fewer_better": 5, "more_volume": 2, "unsure": 1}
    assert data["lead_quality_rating"] == {"mean": 2.88, "stdev": 0.83, "min": 2, "max": 4, "n": 8}
    assert data["junk_share_percent"] == {"mean": 32.5, "median": 32.5, "n": 8}
    assert data["teams"] == {"Mid-Market": 3, "Enterprise": 3, "SMB": 2}


def test_company_size_clusters_and_core(result):
    size = result.to_dict()["company_size"]
    assert [(c["min_employees"], c["max_employees"], c["support"]) for c in size["clusters"]] == [
        (100, None, 6), (None, 49, 2)]
    assert size["core"] == {"min_employees": 250, "max_employees": 5000}
    assert len(size["per_rep"]) == 8


def test_conflicts_a_person_would_expect(result):
    conflicts = {(c.question, c.kind): c for c in result.conflicts}
    size = conflicts[("company_size", "ranges")]
    assert [s.label for s in size.sides] == ["up to 49 employees", "100 or more employees"]
    assert size.sides[0].to_dict()["participants"] == ["Gus", "Hana"]
    volume = conflicts[("volume_vs_quality", "team")]
    assert volume.summary == ("Volume or quality: team SMB wants more volume; "
                              "teams Mid-Market and Enterprise want fewer but better leads.")
    budget = [c for c in result.conflicts if "budget" in c.summary]
    assert len(budget) == 1 and budget[0].sides[0].label == "Team Enterprise"


def test_signal_named_both_ways_is_a_conflict():
    interviews = [
        rep("A", "East", buying_signals=["attended our webinar"]),
        rep("B", "East", buying_signals=["webinar attendance"]),
        rep("C", "West", rejection_triggers=["webinar only leads"]),
    ]
    conflict = next(c for c in synthesize(interviews).conflicts if c.kind == "signal_vs_rejection")
    assert "Attended a webinar" in conflict.summary
    assert [s.to_dict()["participants"] for s in conflict.sides] == [["A", "B"], ["C"]]


def test_no_conflicts_when_everyone_agrees():
    interviews = [rep(name, "One", company_size="200-2000", volume_vs_quality="fewer_better",
                      readiness=bant()) for name in "ABCD"]
    assert synthesize(interviews).conflicts == []


def test_surprises(result):
    surprises = result.surprises
    assert {"participant": "Hana", "question": "buying_signals", "kind": "note",
            "text": "SMB buyers never take a demo; they want the trial."} in surprises
    singles = [s for s in surprises if s["kind"] == "single_rep_answer"]
    assert {"participant": "Ben", "question": "helpful_content", "text": "ROI calculator",
            "group": "ROI calculator", "kind": "single_rep_answer"} in singles


def test_draft_definition(result):
    definition = result.definition
    ids = {c.id: c for c in definition.criteria}
    assert ids["ideal_company.industry.financial-services"].value == ["Financial services"]
    assert ids["ideal_company.employees"].value == {"min": 250, "max": 5000}
    assert ids["ideal_company.employees"].consensus == "strong"
    assert ids["persona.function.marketing"].points == 8  # contested
    assert ids["sql.signal.asked-for-pricing"].value == ["pricing_page"]
    assert ids["sql.signal.asked-for-pricing"].axis == "intent"
    assert ids["sql.signal.asked-for-pricing"].evidence.quotes == [
        "If they looked at pricing twice, I call within the hour."]
    assert ids["mql.signal.attended-a-webinar"].section == "mql"
    student = ids["disqualifiers.student"]
    # the default rule of the STUDENT reason code (alignwork.definition.knockouts): title words or academic mail
    assert (student.match, student.reason_code, student.knockout) == ("any", "STUDENT", True)
    assert [(c.field, c.operator) for c in student.conditions] == [
        ("title", "contains_any"), ("email", "in_domain_list"), ("email_domain", "contains_any")]
    assert {"student", "intern"} <= set(student.conditions[0].value) and "edu" in student.conditions[1].value
    assert ids["disqualifiers.personal-email"].points == -10 and not ids["disqualifiers.personal-email"].knockout
    assert "ideal_company.industry.hospitality-travel" not in ids  # one rep only
    assert ids["sql.bant.need"].support == 8
    assert definition.sql_threshold > definition.mql_threshold > 0
    assert [r.code for r in definition.reason_codes][:3] == ["STUDENT", "PERSONAL_EMAIL", "COMPETITOR"]
    assert definition.reason_codes[-1].code == "OTHER"
    assert definition.summary.startswith("Drafted from 8 interviews.")


def test_ids_are_stable_and_json_is_plain(result):
    again = synthesize(nine_reps())
    assert [c.id for c in again.definition.criteria] == [c.id for c in result.definition.criteria]
    data = json.loads(json.dumps(result.to_dict()))
    assert set(data) >= {"interviews", "groups", "company_size", "annual_revenue", "readiness",
                         "volume_vs_quality", "lead_quality_rating", "junk_share_percent", "conflicts",
                         "surprises", "teams", "profiles", "definition"}
    group = data["groups"]["titles"][0]
    assert set(group) >= {"label", "support", "share", "consensus", "members", "participants", "by_team",
                          "by_profile"}


def test_empty_workshop_synthesizes_to_an_empty_draft():
    result = synthesize([InterviewData(participant="A", status="planned")])
    assert result.count == 0 and result.definition.criteria == []
    assert result.to_dict()["lead_quality_rating"]["mean"] is None


def test_bundle_input_and_errors():
    bundle = {"format": "alignwork-bundle", "version": 1, "workshop": {"name": "W"},
              "participants": [{"ref": "p1", "name": "Ann", "team": "East"}],
              "interviews": [{"participant": "p1", "status": "done",
                              "answers": {"titles": ["CMO"], "readiness": bant()}}]}
    assert synthesize_bundle(bundle).groups["titles"][0].label == "Marketing"
    bundle["interviews"][0]["answers"]["readiness"] = {"need": "yes"}
    with pytest.raises(SynthesisInputError, match=r"interviews\[0\]\.answers\.readiness\.need: expected true/false"):
        synthesize_bundle(bundle)
    with pytest.raises(SynthesisInputError, match="not an Alignwork workshop bundle"):
        synthesize_bundle({"format": "other"})


def test_groups_no_vocabulary_knows_become_descriptive_criteria():
    interviews = [rep(name, "One", titles=["Chief Happiness Officer"], regions=["Atlantis", "EMEA"])
                  for name in "ABC"]
    definition = synthesize(interviews).definition
    function = definition.criterion("persona.function.happiness")
    assert (function.attribute, function.value, function.consensus) == (None, None, "strong")
    assert definition.criterion("persona.seniority.c-level").value == ["C-level"]
    emea = definition.criterion("ideal_company.region.emea")
    assert "DACH" in emea.value and "North America" not in emea.value  # a super-region scores as its members
    assert definition.criterion("ideal_company.region.atlantis").attribute is None


def test_custom_tag_questions_are_grouped_too():
    interviews = [rep("A", "One", custom_partner_types=["resellers", "Reseller"]),
                  rep("B", "One", custom_partner_types=["reseller", "SIs"])]
    groups = {g.label: g.support for g in synthesize(interviews).groups["custom_partner_types"]}
    assert groups == {"Reseller": 2, "SIs": 1}  # the most common wording, case aside ("Reseller", "reseller")


def test_teams_apart_even_when_a_chain_links_all_ranges():
    sizes = {"SMB": ["under 50", "10-80 people"], "Middle": ["40-600", "500-2,500"], "Enterprise": ["2k+", "5000+"]}
    interviews = [rep(f"{team} {n}", team, company_size=said) for team, said_list in sizes.items()
                  for n, said in enumerate(said_list)]
    result = synthesize(interviews)
    assert len(result.company_size.clusters) == 1  # 40-600 and 500-2,500 bridge the ends
    conflict = next(c for c in result.conflicts if c.question == "company_size")
    assert conflict.kind == "team"
    assert [s.label for s in conflict.sides] == [
        "Team SMB: up to 80 employees", "Team Middle: 40–2,500 employees", "Team Enterprise: 2,000 or more employees"]


def test_revenue_bands_that_never_meet():
    interviews = [rep("A", "One", annual_revenue="under $5M"), rep("B", "One", annual_revenue="$1M-$3M"),
                  rep("C", "Two", annual_revenue="$500M+"), rep("D", "Two", annual_revenue="over 1 billion")]
    conflict = next(c for c in synthesize(interviews).conflicts if c.question == "annual_revenue")
    assert conflict.kind == "ranges"
    assert conflict.summary.startswith("Annual revenue: the ranges reps gave do not overlap — A and B want up to $5M")
