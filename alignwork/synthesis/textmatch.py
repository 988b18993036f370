"""Word-level text matching shared by normalisation and tag grouping.

Text is cut into lower-case word tokens (light plural stemming so "students"
meets "student"); curated phrases are looked up on consecutive tokens, longest
phrase first at each position, so "vice president" is read before "president".
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Any

from alignwork.paths import resource

_INITIALISM = re.compile(r"\b((?:[a-z]\.){2,})")
_TOKEN = re.compile(r"[a-z0-9&äöüßéèàçñøåæ]+")
_KEEP_S = frozenset({"sales", "ops", "analytics", "logistics", "operations", "systems", "services", "news",
                     "business", "always", "less", "press", "access", "process", "success", "address",
                     "status", "series", "gas", "bus", "us", "ss", "its", "this", "has", "was", "is", "yes",
                     "aws", "saas", "paas", "iaas", "ias", "abs", "chaos", "campus", "apps", "ads", "sms",
                     "cms", "crms", "smbs", "ms", "bis", "dachs", "comms", "nordics", "benelux", "emeas"})


@cache
def load_json(name: str) -> Any:
    """A JSON file from resources/normalize (read once per process)."""
    with open(resource("normalize", name), encoding="utf-8") as handle:
        return json.load(handle)


def stem(token: str) -> str:
    """Singular of a plain English plural; other words unchanged."""
    if len(token) <= 3 or token in _KEEP_S or not token.endswith("s") or token.endswith("ss"):
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    return token[:-1]


def fold(text: str) -> str:
    """Lower case, unified dashes and quotes, initialisms joined ("V.P." → "vp")."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("’", "'").replace("–", "-").replace("—", "-")
    return _INITIALISM.sub(lambda match: match.group(1).replace(".", ""), text)


def tokens(text: str, *, stemmed: bool = True) -> tuple[str, ...]:
    words = _TOKEN.findall(fold(text).replace("'", ""))
    return tuple(stem(word) for word in words) if stemmed else tuple(words)


def phrase_key(text: str) -> tuple[str, ...]:
    return tokens(text)


class PhraseIndex:
    """Phrases (as token tuples) → a value; finds them in token sequences."""

    def __init__(self, pairs: Iterable[tuple[str, Any]] = ()):
        self._values: dict[tuple[str, ...], Any] = {}
        self._vocabulary: frozenset[str] | None = None
        self.longest = 1
        for phrase, value in pairs:
            self.add(phrase, value)

    def add(self, phrase: str, value: Any, *, overwrite: bool = False) -> None:
        key = phrase_key(phrase)
        if not key or (key in self._values and not overwrite):
            return
        self._values[key] = value
        self._vocabulary = None
        self.longest = max(self.longest, len(key))

    def get(self, words: tuple[str, ...]) -> Any:
        return self._values.get(words)

    def __contains__(self, words: tuple[str, ...]) -> bool:
        return words in self._values

    def phrases(self) -> list[tuple[str, ...]]:
        return list(self._values)

    def find_all(self, words: tuple[str, ...]) -> list[tuple[int, int, Any]]:
        """Left to right, the longest phrase at each position; matched words are consumed."""
        found, position = [], 0
        while position < len(words):
            for length in range(min(self.longest, len(words) - position), 0, -1):
                value = self._values.get(words[position:position + length], _MISSING)
                if value is not _MISSING:
                    found.append((position, length, value))
                    position += length
                    break
            else:
                position += 1
        return found

    def best(self, words: tuple[str, ...]) -> Any:
        """The value of the longest phrase found (the earliest among equals), or None."""
        found = self.find_all(words)
        if not found:
            return None
        return max(found, key=lambda item: (item[1], -item[0]))[2]


_MISSING = object()


def correct_tokens(words: tuple[str, ...], vocabulary: frozenset[str], *, min_length: int = 5,
                   cutoff: float = 86) -> tuple[str, ...]:
    """Replace misspelt words ("markting") by the closest vocabulary word (rapidfuzz)."""
    from rapidfuzz import fuzz, process

    corrected = []
    for word in words:
        if len(word) >= min_length and word not in vocabulary and not word.isdigit():
            match = process.extractOne(word, vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff)
            corrected.append(match[0] if match else word)
        else:
            corrected.append(word)
    return tuple(corrected)


def vocabulary_of(index: PhraseIndex) -> frozenset[str]:
    """Every word of the index's phrases (computed once per index)."""
    if index._vocabulary is None:
        index._vocabulary = frozenset(word for phrase in index.phrases() for word in phrase)
    return index._vocabulary
