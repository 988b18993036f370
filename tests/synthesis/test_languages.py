"""English and German answers read the same way; a third language is a resource file, not code.

Wordings here are typed the way a stranger would; none of them is in a curated list."""

from __future__ import annotations

import json

import pytest

from alignwork.synthesis import normalize, ranges, tag_groups, textmatch
from alignwork.synthesis.engine import Correction, InterviewData, synthesize
from alignwork.synthesis.normalize import industry_sector, region_of, size_range, title_function, title_seniority
from alignwork.synthesis.ranges import Range
from alignwork.synthesis.tag_groups import group_tags


@pytest.mark.parametrize("title, function, seniority", [
    ("Vertriebsleiterin", "Sales", "VP/Head"),  # feminine compound: Vertrieb + Leiterin
    ("Geschäftsführerin", "Executive/Owner", "C-level"),
    ("GF", "Executive/Owner", "C-level"),
    ("Einkaufsreferentin", "Procurement", "Individual contributor"),
    ("Teamleiterin Buchhaltung", "Finance", "Manager"),
    ("Sr. Mgr, Mfg Ops", "Operations", "Manager"),
    ("Reliability Engineer", None, "Individual contributor"),  # a function no taxonomy holds, not Engineering
    ("Leiterin Instandhaltung", None, "VP/Head"),
])
def test_titles_in_both_languages(title, function, seniority):
    assert (title_function(title), title_seniority(title)) == (function, seniority)


@pytest.mark.parametrize("said, sector", [
    ("Maschinenbauer", "Manufacturing"), ("Stadtwerke", "Energy & utilities"), ("Versicherungen", "Insurance"),
    ("Großhändler", "Wholesale & distribution"), ("Logistikdienstleister", "Transportation & logistics"),
    ("Kommunen", "Public sector"), ("Banken", "Financial services"), ("Pharma", "Life sciences & pharma"),
    ("F&B", "Manufacturing"), ("O & G", "Energy & utilities"), ("Utilites", "Energy & utilities"),
])
def test_industries_in_both_languages_and_shorthand(said, sector):
    assert industry_sector(said) == sector


@pytest.mark.parametrize("said", ["Österreich", "Niedersachsen", "Wien", "Kanton Zürich", "D-A-CH"])
def test_german_places_are_dach(said):
    assert region_of(said) == "DACH"


@pytest.mark.parametrize("said, low, high", [
    ("2.500 MA", 2500, 2500), ("ab 1.000 Mitarbeitende", 1000, None), ("bis 49 Mitarbeiter", None, 49),
    ("mehr als 10.000 Beschäftigte", 10001, None), ("Konzern", 1000, None), ("KMU", 1, 249),
    ("Mittelstand", 10, 499), ("1.5k", 1500, 1500),
])
def test_german_sizes(said, low, high):
    assert size_range(said) == Range(low, high)


def test_german_rejections_meet_the_known_reasons():
    groups = {g.label: g.members for g in group_tags(
        [["Konkurrenten", "Mitbewerber"], ["ein Wettbewerber", "gmx-Adresse"], ["Freemail-Adresse", "Studentin"]],
        key="rejection_triggers")}
    assert groups == {"Competitor": ["Konkurrenten", "Mitbewerber", "ein Wettbewerber"],
                      "Personal email address": ["gmx-Adresse", "Freemail-Adresse"],
                      "Student or academic": ["Studentin"]}


def test_german_signals():
    groups = {g.label: g.members for g in group_tags(
        [["Preisauskunft", "Testzugang beantragt"], ["Rückrufbitte"]], key="buying_signals")}
    assert groups["Asked for pricing"] == ["Preisauskunft"]
    assert groups["Started a free trial"] == ["Testzugang beantragt"]


def test_titles_outside_the_taxonomy_become_their_own_group():
    groups = group_tags([["Head of Maintenance", "maint. mgr"], ["Reliability Engineer", "Maintenance & Reliability Mgr"],
                         ["Fleet Mgr"], ["Maintenence supervisor"]], key="titles")
    assert [(g.label, g.members, g.curated) for g in groups] == [
        ("Maintenance", ["Head of Maintenance", "maint. mgr", "Reliability Engineer",
                         "Maintenance & Reliability Mgr", "Maintenence supervisor"], False),
        ("Fleet", ["Fleet Mgr"], False)]


def test_reasons_no_list_knows_group_by_shared_words():
    groups = group_tags(["wants a spare gasket only", "spare-parts requests", "Parts only!", "no framework contract"],
                        key="rejection_triggers")
    assert [g.members for g in groups] == [["wants a spare gasket only", "spare-parts requests", "Parts only!"],
                                           ["no framework contract"]]
    assert groups[0].label == "Wants a spare gasket only"  # all said once: the first wording names it


def _rep(name, team="One", status="done", **answers):
    return InterviewData(participant=name, team=team, status=status, answers=answers)


def test_german_workshop_drafts_knockouts_and_counts_only_finished_interviews():
    interviews = [_rep("A", rejection_triggers=["Studenten", "Konkurrenz"]),
                  _rep("B", rejection_triggers=["Studierende", "Mitbewerber"]),
                  _rep("C", rejection_triggers=["Student:innen", "Wettbewerber"]),
                  _rep("D", status="in_progress", rejection_triggers=["Praktikanten", "Konkurrenten"])]
    result = synthesize(interviews)
    assert result.count == 3 and result.pending == 1
    groups = {g.label: (g.support, g.members) for g in result.groups["rejection_triggers"]}
    assert groups == {"Student or academic": (3, ["Studenten", "Studierende", "Student:innen"]),
                      "Competitor": (3, ["Konkurrenz", "Mitbewerber", "Wettbewerber"])}
    knockouts = {c.id for c in result.definition.criteria if c.knockout}
    assert {"disqualifiers.student", "disqualifiers.competitor"} <= knockouts


def test_a_wrong_merge_is_seen_in_the_raw_wordings_and_undone():
    interviews = [_rep("A", titles=["Maintenance Manager"]), _rep("B", titles=["Reliability Engineer"]),
                  _rep("C", titles=["Maintenance & Reliability Lead"])]
    group = synthesize(interviews).groups["titles"][0]
    assert (group.label, group.support) == ("Maintenance", 3)
    assert group.members == ["Maintenance Manager", "Reliability Engineer", "Maintenance & Reliability Lead"]
    split = Correction(op="split", key="titles", labels=("Maintenance",), members=("Reliability Engineer",),
                       target="Reliability")
    groups = {g.label: (g.support, g.members) for g in synthesize(interviews, [split]).groups["titles"]}
    assert groups == {"Maintenance": (2, ["Maintenance Manager", "Maintenance & Reliability Lead"]),
                      "Reliability": (1, ["Reliability Engineer"])}


def _clear_caches():
    for module in (textmatch, normalize, tag_groups, ranges):
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


@pytest.fixture
def french(monkeypatch):
    """A third language added the documented way: one more resource, no code."""
    english_and_german = textmatch.languages()
    spec = {"language": "French", "stemmer": "french",
            "stopwords": ["le", "la", "les", "des", "de", "du", "d", "et", "un", "une"],
            "abbreviations": {"dir": "directeur"},
            "glossary": {"directeur": "director", "directrice": "director", "achats": "procurement",
                         "concurrent": "competitor", "étudiant": "student", "hôpital": "hospital"},
            "ranges": {"employee_words": ["salariés", "employés"], "words": {"plus de": "more than"},
                       "employee_classes": {"eti": [250, 4999]}}}
    json.dumps(spec)  # a resource file is plain JSON
    _clear_caches()
    monkeypatch.setattr(textmatch, "languages", lambda: (*english_and_german, spec))
    yield
    monkeypatch.undo()
    _clear_caches()


def test_a_third_language_is_a_resource(french):
    assert title_function("Directrice des achats") == "Procurement"
    assert industry_sector("Hôpitaux") == "Healthcare"
    assert size_range("plus de 500 salariés") == Range(501, None)
    assert size_range("ETI") == Range(250, 4999)
    groups = {g.label: g.members for g in group_tags(["concurrents", "étudiants"], key="rejection_triggers")}
    assert groups == {"Competitor": ["concurrents"], "Student or academic": ["étudiants"]}


@pytest.mark.parametrize("said, flag", [("ja", True), ("Budget freigegeben", True), ("nein", False),
                                        ("kein Budget", False), ("approved", True), ("not yet", False),
                                        ("vielleicht", False), ("hmm", None), (True, True)])
def test_readiness_flags_in_words(said, flag):
    from alignwork.synthesis.numbers import bant_flag

    assert bant_flag(said) is flag


@pytest.mark.parametrize("said, months", [("in 6 Monaten", 6), ("innerhalb eines Jahres", 12), ("ein halbes Jahr", 6),
                                          ("within a year", 12), ("sofort", 0), ("nächstes Quartal", 3),
                                          ("18 Monate", 18), (9, 9), ("Q3", None)])
def test_timelines_in_words(said, months):
    from alignwork.synthesis.numbers import timeline_months

    assert timeline_months(said) == months


def test_readiness_said_in_words_counts_as_said():
    interviews = [_rep("A", readiness={"need": "ja", "budget": "nein", "authority": True, "timeline_months": "in 6 Monaten"}),
                  _rep("B", readiness={"need": True, "budget": "kein Budget", "authority": "ja", "timeline_months": 3})]
    result = synthesize(interviews)
    assert (result.readiness["need"], result.readiness["budget"], result.readiness["authority"]) == (1.0, 0.0, 1.0)
    assert result.readiness["timeline_months_median"] == 4.5
    assert result.definition.criterion("sql.bant.budget") is None  # "nein" is not a confirmed budget


def test_a_lone_state_code_is_its_country():
    assert normalize.region_of("TX") == "North America"
    assert normalize.region_of("DE") == "DACH"  # a country code comes first
