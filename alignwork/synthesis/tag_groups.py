"""Group tag answers that mean the same thing ("students" + "student email";
"competitor" + "Competitors"; "gmail" + "personal e-mail").

How an answer finds its group, per question key:

- ``titles`` → the title's function (``normalize.title_function``);
  ``titles_seniority`` → the title's seniority;
  ``industries`` → sector; ``regions`` → region;
- ``buying_signals``, ``rejection_triggers``, ``punt_signals``,
  ``helpful_content`` → the curated groups of ``resources/normalize/tag_synonyms.json``:
  the group whose phrase the answer contains (whole words, longest phrase
  wins), else the closest phrase by rapidfuzz ratio ≥ 88;
- anything left (and custom questions) is clustered by rapidfuzz
  ``token_sort_ratio`` ≥ 85 on its significant words, labelled by the most
  frequent wording.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from alignwork.synthesis import normalize
from alignwork.synthesis.textmatch import PhraseIndex, load_json, tokens

CURATED_KEYS = ("buying_signals", "rejection_triggers", "punt_signals", "helpful_content")
_STOPWORDS = frozenset({"a", "an", "the", "of", "to", "for", "from", "with", "and", "or", "is", "are", "was",
                        "they", "their", "them", "on", "in", "at", "by", "lead", "who", "that", "when",
                        "if", "just", "really", "very", "some", "any", "be", "been", "it", "this", "has", "have"})
LEFTOVER_CUTOFF = 85
CURATED_CUTOFF = 88


@dataclass
class TagGroup:
    label: str
    members: list[str] = field(default_factory=list)  # distinct raw answers, first seen first
    curated: bool = False  # the label comes from a vocabulary, not from the answers
    meta: dict[str, Any] = field(default_factory=dict)  # curated extras: code, rule, knockout, lead_source


@cache
def curated_groups(key: str) -> list[dict[str, Any]]:
    """The curated groups of a tag question (label, phrases and extras), [] if none."""
    return list(load_json("tag_synonyms.json").get(key, []))


@cache
def _curated_index(key: str) -> tuple[PhraseIndex, dict[str, int]]:
    index, flat = PhraseIndex(), {}
    for position, spec in enumerate(curated_groups(key)):
        for phrase in (spec["label"], *spec["phrases"]):
            index.add(phrase, position)
            flat.setdefault(" ".join(tokens(phrase)), position)
    return index, flat


@cache
def _curated_phrases(key: str) -> list[str]:
    return list(_curated_index(key)[1])


def _meta(spec: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in spec.items() if name not in ("label", "phrases")}


@lru_cache(maxsize=65536)
def group_label(text: str, key: str | None) -> tuple[str, bool] | None:
    """(label, curated) of the known group an answer belongs to, or None when no vocabulary knows it."""
    table = {"titles": normalize.title_function, "titles_seniority": normalize.title_seniority,
             "industries": normalize.industry_sector, "regions": normalize.region_of}.get(key or "")
    if table is not None:
        label = table(text)
        return (label, True) if label else None
    if key not in CURATED_KEYS:
        return None
    index, flat = _curated_index(key)
    words = tokens(text)
    position = flat.get(" ".join(words))
    if position is None:
        # longest phrase wins; among equals the group listed first (the stronger signal)
        found = index.find_all(words)
        position = max(found, key=lambda item: (item[1], -item[2]))[2] if found else None
    if position is None and words:
        from rapidfuzz import fuzz, process

        match = process.extractOne(" ".join(words), _curated_phrases(key), scorer=fuzz.ratio,
                                   score_cutoff=CURATED_CUTOFF)
        position = flat[match[0]] if match else None
    return (curated_groups(key)[position]["label"], True) if position is not None else None


def significant_words(text: str) -> str:
    words = [word for word in tokens(text) if word not in _STOPWORDS]
    return " ".join(words) or " ".join(tokens(text))


def _flatten(values: Iterable[Any]) -> list[str]:
    flat: list[str] = []
    for value in values:
        if isinstance(value, str):
            flat.append(value)
        elif isinstance(value, (list, tuple)):
            flat.extend(item for item in value if isinstance(item, str))
    return [item for item in flat if item.strip()]


def _tidy(label: str) -> str:
    label = " ".join(label.split())
    return label[:1].upper() + label[1:] if label[:1].islower() else label


def group_tags(values: Iterable[str | tuple[str, ...] | list[str]], *, key: str | None = None) -> list[TagGroup]:
    """Group tag answers of the same meaning.

    ``values``: raw answers; an item may itself be a list/tuple (one rep's tags).
    ``key``: the guide question key, which picks the vocabulary (see module doc).
    Returns groups in first-seen order; each distinct raw answer is in exactly one group.
    """
    answers = _flatten(values)
    counts = Counter(answers)
    groups: dict[str, TagGroup] = {}
    leftovers: list[tuple[str, list[str]]] = []  # (significant words, raw members)
    by_prefix: dict[str, list[int]] = {}  # first three letters of a word → leftover clusters having it
    specs = {spec["label"]: spec for spec in curated_groups(key)} if key in CURATED_KEYS else {}
    from rapidfuzz import fuzz, process

    for raw in counts:  # distinct, first seen first
        known = group_label(raw.strip(), key)
        if known is not None:
            label = known[0]
            group = groups.get(label)
            if group is None:
                meta = _meta(specs[label]) if label in specs else {}
                group = groups[label] = TagGroup(label=label, curated=True, meta=meta)
            group.members.append(raw)
            continue
        words = significant_words(raw)
        # only clusters sharing a word beginning can reach the cut-off in practice: comparing
        # against those keeps thousands of distinct answers near-linear instead of quadratic
        prefixes = {word[:3] for word in words.split()}
        candidates = sorted({index for prefix in prefixes for index in by_prefix.get(prefix, ())})
        match = process.extractOne(words, {index: leftovers[index][0] for index in candidates},
                                   scorer=fuzz.token_sort_ratio, score_cutoff=LEFTOVER_CUTOFF) if candidates else None
        if match is not None:
            leftovers[match[2]][1].append(raw)
        else:
            for prefix in prefixes:
                by_prefix.setdefault(prefix, []).append(len(leftovers))
            leftovers.append((words, [raw]))
    for _words, members in leftovers:
        label = _tidy(max(members, key=lambda member: (counts[member], -members.index(member))))
        while label in groups:  # a wording that happens to equal a curated label stays distinct
            label += " (other)"
        groups[label] = TagGroup(label=label, members=list(members))
    return list(groups.values())
