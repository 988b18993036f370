"""Workshops the product has never seen, each read by hand first (tests/synthesis/corpus/*.expected.json);
synthesis must match every expected group of three or more reps: its label, its raw members, its rep count."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alignwork.synthesis.engine import synthesize_bundle

CORPUS = Path(__file__).parent / "corpus"
WORKSHOPS = sorted(path.name.removesuffix(".expected.json") for path in CORPUS.glob("*.expected.json"))


def _load(name: str):
    bundle = json.loads((CORPUS / f"{name}.json").read_text(encoding="utf-8"))
    expected = json.loads((CORPUS / f"{name}.expected.json").read_text(encoding="utf-8"))
    return synthesize_bundle(bundle), expected


def _cases():
    for name in WORKSHOPS:
        expected = json.loads((CORPUS / f"{name}.expected.json").read_text(encoding="utf-8"))
        for key, groups in expected["groups"].items():
            for index, group in enumerate(groups):
                if group["support"] >= 3:
                    yield pytest.param(name, key, index, id=f"{name}-{key}-{group.get('label') or group['label_contains']}")


def _find(groups, spec):
    """The synthesized group holding the expected group's first member (or named like it)."""
    wanted = spec.get("members") or spec.get("members_include") or []
    for group in groups:
        if wanted and wanted[0] in group.members:
            return group
    for group in groups:
        if group.label == spec.get("label") or spec.get("label_contains", "\0") in group.label.casefold():
            return group
    return None


def test_corpus_has_four_workshops_one_in_german():
    assert len(WORKSHOPS) >= 4
    assert "kliniken_de" in WORKSHOPS


@pytest.mark.parametrize(("name", "key", "index"), list(_cases()))
def test_group_matches_the_hand_reading(name, key, index):
    result, expected = _load(name)
    spec = expected["groups"][key][index]
    groups = result.groups[key]
    group = _find(groups, spec)
    shown = [(g.label, g.support, g.members) for g in groups]
    assert group is not None, f"no group for {spec}: {shown}"
    if "label" in spec:
        assert group.label == spec["label"], shown
    else:
        assert spec["label_contains"] in group.label.casefold(), shown
    if "members" in spec:
        assert sorted(group.members) == sorted(spec["members"]), shown
    for member in spec.get("members_include", ()):
        assert member in group.members, shown
    assert group.support == spec["support"], shown


@pytest.mark.parametrize("name", WORKSHOPS)
def test_counts_knockouts_and_conflicts(name):
    result, expected = _load(name)
    assert result.count == expected["total"] and result.pending == expected["pending"]
    drafted = {c.id.split(".", 1)[1] for c in result.definition.criteria if c.section == "disqualifiers"}
    for code in expected["disqualifier_codes"]:
        assert code.lower().replace("_", "-") in drafted, drafted
    knockouts = {c.id.split(".", 1)[1] for c in result.definition.criteria if c.knockout}
    for code in expected.get("knockout_codes", ()):
        assert code.lower().replace("_", "-") in knockouts, knockouts
    assert knockouts, "no knock-out drafted"
    questions = {c.question for c in result.conflicts}
    for question in expected["conflicts"]:
        assert question in questions, [c.to_dict() for c in result.conflicts]


@pytest.mark.parametrize("name", WORKSHOPS)
def test_company_sizes_read(name):
    result, expected = _load(name)
    assert not result.company_size.unreadable, [a.text for a in result.company_size.unreadable]
    per_rep = {a.text: [a.low or None, None if a.high == float("inf") else int(a.high)]
               for a in result.company_size.answers}
    for text, bounds in expected.get("company_size", {}).items():
        assert per_rep[text] == bounds, (text, per_rep[text])
