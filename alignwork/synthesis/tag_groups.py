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
  failing that, the same on Snowball word keys ("consultancies" meets
  "consultant"), so a wording or language the list does not hold still finds
  its group; free-mail providers named in an answer ("web.de", "gmx") read as
  "free email";
- anything left (and custom questions) is grouped by what the answers share:
  their significant words as Snowball keys (stop words and filler of every
  language set aside; for titles also the seniority and role words, so what is
  left is the function: "Maintenance Manager", "Maint. Supervisor" and "Head of
  Maintenance" share "maintenance"), with typos caught by rapidfuzz ratio ≥ 85
  between keys. Two answers join when at least half of the shorter one's keys
  are shared (transitively). A group is named by its most common wording (for
  titles, the most common wording of the function words).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

import re

from alignwork.synthesis import normalize
from alignwork.synthesis.textmatch import (
    PhraseIndex, canonical, fold, ignorable_words, load_json, raw_words, tiny_size_pattern, tokens, word_key,
)

CURATED_KEYS = ("buying_signals", "rejection_triggers", "punt_signals", "helpful_content")
LEFTOVER_CUTOFF = 85
CURATED_CUTOFF = 88
SHARED_WORDS = 0.5  # share of the shorter answer's keys two answers must have in common to join


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


def _keys(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(word_key(word) for word in words)


@cache
def _curated_key_index(key: str) -> tuple[PhraseIndex, dict[str, int]]:
    """The curated phrases as Snowball word keys (stop words kept, so phrases stay whole)."""
    index, flat = PhraseIndex(), {}
    for position, spec in enumerate(curated_groups(key)):
        for phrase in (spec["label"], *spec["phrases"]):
            words = _keys(tokens(phrase, stemmed=False))
            if words and words not in index:
                index._values[words] = position
                index.longest = max(index.longest, len(words))
            flat.setdefault(" ".join(words), position)
    return index, flat


@cache
def _curated_key_phrases(key: str) -> list[str]:
    return list(_curated_key_index(key)[1])


@cache
def _free_mail() -> re.Pattern:
    """Free-mail providers as people name them in an answer ("web.de", "gmx", "t-online")."""
    data = load_json("email_domains.json")
    names = {domain for domain in data["free_mail_domains"]} | set(data["free_mail_labels"])
    names |= {domain.split(".")[0] for domain in data["free_mail_domains"] if "-" in domain.split(".")[0]}
    pattern = "|".join(sorted((re.escape(name) for name in names if len(name) >= 3), key=len, reverse=True))
    return re.compile(rf"(?<![\w.-])(?:{pattern})(?!\w)")


def _best(index: PhraseIndex, words: tuple[str, ...]) -> int | None:
    found = index.find_all(words)  # longest phrase wins; among equals the group listed first
    return max(found, key=lambda item: (item[1], -item[2]))[2] if found else None


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
    text = _free_mail().sub(" free email ", fold(text))
    words = tokens(text)
    position = flat.get(" ".join(words))
    if position is None:
        position = _best(index, words)
    if position is None:
        key_index, key_flat = _curated_key_index(key)
        keys = _keys(tokens(text, stemmed=False))
        position = key_flat.get(" ".join(keys))
        if position is None:
            position = _best(key_index, keys)
    if position is None and words:
        from rapidfuzz import fuzz, process

        match = process.extractOne(" ".join(words), _curated_phrases(key), scorer=fuzz.ratio,
                                   score_cutoff=CURATED_CUTOFF)
        position = flat[match[0]] if match else None
        if position is None:
            match = process.extractOne(" ".join(keys), _curated_key_phrases(key), scorer=fuzz.ratio,
                                       score_cutoff=CURATED_CUTOFF)
            position = key_flat[match[0]] if match else None
    if position is None and key == "rejection_triggers" and (tiny := tiny_size_pattern()) and tiny.search(text):
        position = next((index for index, spec in enumerate(curated_groups(key)) if spec.get("code") == "TOO_SMALL"), None)
    if position is None and key == "buying_signals" and normalize.names_a_lead_source(text):
        kind = normalize.lead_source_kind(text)  # the lead-source vocabulary knows more activities ("RFP")
        position = next((index for index, spec in enumerate(curated_groups(key))
                         if kind and spec.get("lead_source") == kind), None)
    return (curated_groups(key)[position]["label"], True) if position is not None else None


def _shared_words(raw: str, key: str | None) -> tuple[str, ...]:
    """What an answer is grouped by: its significant words (for titles: its function words)."""
    if key in ("titles", "titles_seniority"):
        words = normalize.title_core(raw)
    else:
        ignore = ignorable_words()
        words = tuple(word for word in tokens(raw, stemmed=False) if word not in ignore)
    return tuple(dict.fromkeys(_keys(words) or _keys(tokens(raw, stemmed=False))))


def _wording(raw: str, key: str | None) -> str:
    """How an answer names its group: for titles the typed words that are not role words."""
    if key not in ("titles", "titles_seniority"):
        return raw
    roles = normalize.title_role_words()
    typed = re.findall(r"[^\W_][\w&'.-]*", raw)
    kept = [word for word in typed if any(part not in roles for part in _typed_parts(word))]
    return " ".join(kept).strip(" .,-") or raw


def _typed_parts(word: str) -> tuple[str, ...]:
    from alignwork.synthesis.textmatch import stem

    return tuple(stem(part) for item in raw_words(word) for part in canonical(item))


class _Leftovers:
    """Answers no vocabulary knows, joined when they share enough word keys (union-find)."""

    def __init__(self) -> None:
        self.parent: list[int] = []
        self.keys: list[tuple[str, ...]] = []
        self.raws: list[str] = []
        self.by_key: dict[str, list[int]] = {}
        self.by_prefix: dict[str, list[str]] = {}  # first three letters → known keys, for typos
        self.spelling: dict[str, str] = {}

    def _find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def _known(self, word: str) -> str:
        """A key as already seen, typos mended ("maintenac" → "mainten")."""
        if word in self.by_key or len(word) < 5:
            return word
        if word not in self.spelling:
            from rapidfuzz import fuzz, process

            match = process.extractOne(word, self.by_prefix.get(word[:3], ()), scorer=fuzz.ratio,
                                       score_cutoff=LEFTOVER_CUTOFF)
            self.spelling[word] = match[0] if match else word
        return self.spelling[word]

    def add(self, raw: str, words: tuple[str, ...]) -> None:
        item = len(self.raws)
        keys = tuple(dict.fromkeys(self._known(word) for word in words))
        self.parent.append(item)
        self.keys.append(keys)
        self.raws.append(raw)
        mine = set(keys)
        for word in keys:
            for other in self.by_key.get(word, ())[:64]:
                theirs = self.keys[other]
                if len(mine.intersection(theirs)) >= SHARED_WORDS * min(len(mine), len(theirs)):
                    self.parent[self._find(other)] = self._find(item)
        for word in keys:
            if word not in self.by_key:
                self.by_key[word] = []
                self.by_prefix.setdefault(word[:3], []).append(word)
            self.by_key[word].append(item)

    def clusters(self) -> list[list[str]]:
        """Clusters in the order their first answer was seen."""
        roots: dict[int, list[str]] = {}
        for item, raw in enumerate(self.raws):
            roots.setdefault(self._find(item), []).append(raw)
        return list(roots.values())


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
    leftovers = _Leftovers()
    specs = {spec["label"]: spec for spec in curated_groups(key)} if key in CURATED_KEYS else {}
    weak: list[tuple[str, str, frozenset[str]]] = []  # (raw, curated label, its words that label does not know)
    for raw in counts:  # distinct, first seen first
        known = group_label(raw.strip(), key)
        if known is not None:
            label = known[0]
            group = groups.get(label)
            if group is None:
                meta = _meta(specs[label]) if label in specs else {}
                group = groups[label] = TagGroup(label=label, curated=True, meta=meta)
            group.members.append(raw)
            if label in specs:
                words = frozenset(_shared_words(raw, key))
                foreign = words - _group_words(key, label)
                if foreign and 2 * len(foreign) >= len(words):
                    weak.append((raw, label, foreign))
            continue
        leftovers.add(raw, _shared_words(raw, key))
    clusters = leftovers.clusters()
    if specs:
        clusters = _settle(groups, clusters, weak, key)
    for members in clusters:
        label = _label(members, counts, key)
        while label in groups:  # a wording that happens to equal a curated label stays distinct
            label += " (other)"
        groups[label] = TagGroup(label=label, members=list(members))
    return [group for group in groups.values() if group.members]


@cache
def _group_words(key: str, label: str) -> frozenset[str]:
    """The word keys of a curated group's label and phrases."""
    spec = next(spec for spec in curated_groups(key) if spec["label"] == label)
    return frozenset(word for phrase in (spec["label"], *spec["phrases"]) for word in _keys(tokens(phrase, stemmed=False)))


def _shares(mine: frozenset[str] | set[str], theirs: frozenset[str] | set[str]) -> bool:
    common = len(mine & theirs)
    return common > 0 and common >= SHARED_WORDS * min(len(mine), len(theirs))


def _settle(groups: dict[str, TagGroup], clusters: list[list[str]], weak, key: str) -> list[list[str]]:
    """Where a curated phrase and shared words disagree, the stronger evidence wins.

    - an answer a curated group caught on a minor word ("broker spam" on "spam") moves to a
      group of two or more other answers sharing its other words ("Brokers", "freight broker");
    - an answer alone in its group joins the curated group whose answers share its words
      ("suppliers pitching us" with "vendors pitching").
    """
    words = {raw: frozenset(_shared_words(raw, key)) for members in clusters for raw in members}
    for raw, label, foreign in weak:
        for members in clusters:
            if len(members) >= 2 and any(_shares(foreign, words[other]) for other in members):
                groups[label].members.remove(raw)
                members.append(raw)
                words[raw] = foreign
                break
    by_word: dict[str, list[tuple[TagGroup, frozenset[str]]]] = {}
    for group in groups.values():
        if group.curated:
            for other in group.members:
                theirs = frozenset(_shared_words(other, key))
                for word in theirs:
                    by_word.setdefault(word, []).append((group, theirs))
    settled = []
    for members in clusters:
        if len(members) == 1:
            mine = words[members[0]]
            best, best_count = None, 0
            for word in mine:
                for group, theirs in by_word.get(word, ())[:64]:
                    if _shares(mine, theirs) and len(mine & theirs) > best_count:
                        best, best_count = group, len(mine & theirs)
            if best is not None:
                best.members.append(members[0])
                continue
        settled.append(members)
    return [members for members in settled if members]


def _label(members: list[str], counts: Counter, key: str | None) -> str:
    """The most common wording (case and spacing aside); the first seen among equals."""
    said: Counter = Counter()
    shown: dict[str, str] = {}
    for member in members:
        wording = _wording(member, key)
        plain = " ".join(wording.casefold().split())
        said[plain] += counts[member]
        shown.setdefault(plain, wording)
    best = max(said, key=lambda plain: (said[plain], -list(shown).index(plain)))
    return _tidy(shown[best])
