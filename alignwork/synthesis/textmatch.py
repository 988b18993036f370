"""Word-level text matching shared by normalisation and tag grouping.

Text is cut into lower-case word tokens, and every token is made *canonical*
from the language resources in ``resources/normalize/languages/*.json`` (one
file per language; see docs/synthesis.md, "Languages"): abbreviations are
expanded ("Mgr" → manager, "O&G" → oil gas), words of another language are
read into the English words the vocabularies use (matched by their Snowball
stem, so "Kliniken", "Krankenhaeuser" and "Einkaufsleiterin" meet "klinik",
"krankenhaus", "einkauf" + "leiter"), compounds of known words are read part
by part, and connectors ("&", "and", "und") drop, so "Oil/Gas", "O & G" and
"oil and gas" are the same words. Then a light plural stemming so "students"
meets "student"; curated phrases are looked up on consecutive tokens, longest
phrase first at each position, so "vice president" is read before "president".

``word_key`` is the stronger, Snowball-based key that grouping by shared words
uses ("transportation" and "transport", "dispatcher" and "dispatch").
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

from alignwork.paths import resource

_CONNECTORS = frozenset({"&", "and", "und", "+", "et", "y"})
_LETTER_AMP = re.compile(r"\b([a-z])\s*&\s*([a-z])\b")  # "o & g" → "o&g"
_SPELT = re.compile(r"\b([a-z]{1,2})-([a-z]{1,2})-([a-z]{1,2})\b")  # "d-a-ch" → "dach"
_E_WORDS = re.compile(r"\be[- ](mail|mails|com|commerce|business)\b")  # "e-mail" → "email"

_INITIALISM = re.compile(r"\b((?:[a-z]\.){2,})")
_TOKEN = re.compile(r"(?:[^\W_]|&)+")  # letters of any alphabet, digits, "&"
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


def raw_words(text: str) -> list[str]:
    """The word tokens of a text as typed (folded, letter shorthands joined), before any resource applies."""
    text = _E_WORDS.sub(r"e\1", _SPELT.sub(r"\1\2\3", _LETTER_AMP.sub(r"\1&\2", fold(text))))
    return _TOKEN.findall(text.replace("'", ""))


@lru_cache(maxsize=65536)
def tokens(text: str, *, stemmed: bool = True) -> tuple[str, ...]:
    """Canonical word tokens (see module doc); ``stemmed`` adds the light plural stemming."""
    words = [part for word in raw_words(text) for part in canonical(word)]
    return tuple(stem(word) for word in words) if stemmed else tuple(words)


# ------------------------------------------------------------------ languages

@cache
def languages() -> tuple[dict[str, Any], ...]:
    """Every language resource (resources/normalize/languages/*.json), English first."""
    folder = resource("normalize", "languages")
    files = sorted(folder.glob("*.json"), key=lambda path: (path.stem != "en", path.stem))
    return tuple(json.loads(path.read_text(encoding="utf-8")) for path in files)


@cache
def _stemmer(name: str):
    """The Snowball stemmer of a language (PyStemmer, the Snowball project's C build)."""
    import Stemmer

    return Stemmer.Stemmer(name, 0)


def _words(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(fold(text).replace("'", "")))


def text_words(text: str) -> tuple[str, ...]:
    """The words of ``text`` as ``read_as_english`` sees them (folded): what it returns when it
    reads none of them into English (stop words kept)."""
    return _words(text)


@cache
def _lexicon():
    """(abbreviations, [(stemmer, glossary by stem)] of the languages that have a glossary, English stems)."""
    abbreviations: dict[str, tuple[str, ...]] = {}
    for language in languages():
        for short, long in language.get("abbreviations", {}).items():
            abbreviations.setdefault(fold(short).replace(".", "").replace("'", ""), _words(long))
    return abbreviations, list(_glossaries("glossary"))


@cache
def _glossaries(key: str) -> tuple[tuple[Any, dict[str, tuple[str, ...]]], ...]:
    """``(stemmer, glossary by stem)`` of every language with a word list ``key`` (German word →
    English words): "glossary" for what reps say, "crm_headers" for the columns of CRM exports."""
    out = []
    for language in languages():
        if language.get(key):
            stemmer = _stemmer(language["stemmer"])
            glossary: dict[str, tuple[str, ...]] = {}
            for word, english in language[key].items():  # the first entry of a stem wins
                if not word.startswith("_"):
                    glossary.setdefault(stemmer.stemWord(fold(word)), _words(english))
            out.append((stemmer, glossary))
    return tuple(out)


def read_as_english(text: str, key: str, *, stop_words: bool = True) -> tuple[str, ...]:
    """The words of ``text`` with those of another language read into English through the word
    lists ``key`` of the language resources — by their Snowball stem, feminine forms and
    compounds included ("Mitarbeiteranzahl" → employees number) — and every language's stop
    words dropped (``stop_words=False``: kept, so "nicht qualifiziert" stays not qualified); a
    word no list knows stays as it is."""
    stop = _stopwords() if stop_words else frozenset()
    out: list[str] = []
    for word in _words(text):
        if word not in stop:
            out.extend(_read_word(word, key))
    return tuple(out)


@lru_cache(maxsize=1 << 16)
def _read_word(word: str, key: str) -> tuple[str, ...]:
    """One word read into English through the word lists ``key`` (itself when none knows it);
    kept per word: free text repeats its words."""
    for stemmer, glossary in _glossaries(key):
        hit = _glossary_hit(word, stemmer, glossary) or (_compound(word, stemmer, glossary) if len(word) >= 7 else None)
        if hit is not None:
            return tuple(hit)
    return (word,)


@cache
def _stopwords() -> frozenset[str]:
    return frozenset(word for language in languages() for item in language.get("stopwords", ()) for word in _words(item))


@cache
def _english_stems() -> frozenset[str]:
    """The words the English vocabularies use and their stems: such a word is never read as another language."""
    english = _stemmer("english")
    words: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            words.update(_words(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                if not key.startswith("_"):
                    walk(key)
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for name in ("titles.json", "sectors.json", "tag_synonyms.json", "lead_sources.json"):
        walk(load_json(name))
    for language in languages():
        if not language.get("glossary"):
            walk([language.get("stopwords", []), language.get("filler", []), language.get("title_roles", []),
                  list(language.get("abbreviations", {}).values())])
    words = {word for word in words if len(word) > 2}
    return frozenset(words) | frozenset(english.stemWord(word) for word in words)


def _glossary_hit(word: str, stemmer, glossary) -> tuple[str, ...] | None:
    hit = glossary.get(stemmer.stemWord(word))
    if hit is None and len(word) > 5:  # feminine forms: "Leiterin", "Direktorinnen", "Ärztin"
        for suffix in ("innen", "in"):
            if word.endswith(suffix):
                hit = glossary.get(stemmer.stemWord(word[: -len(suffix)]))
                break
    return hit


_HEADS: dict[int, frozenset[str]] = {}  # id of a glossary (they live as long as the process) → its heads


def _heads(glossary) -> frozenset[str]:
    """The first three letters of every glossary stem: a compound can only begin with one of them."""
    found = _HEADS.get(id(glossary))
    if found is None:
        found = _HEADS[id(glossary)] = frozenset(stem[:3].translate(_UMLAUTS) for stem in glossary)
    return found


_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u"})


def _compound(word: str, stemmer, glossary, depth: int = 0) -> tuple[str, ...] | None:
    """A compound read part by part when every part is known ("einkaufsleiterin" → procurement head)."""
    if depth > 3 or word[:3].translate(_UMLAUTS) not in _heads(glossary):
        return None
    for cut in range(len(word) - 3, 2, -1):  # longest first part first
        head, rest = word[:cut], word[cut:]
        first = _glossary_hit(head, stemmer, glossary)
        if first is None and head[-1] in "sn" and len(head) > 3:  # linking -s-/-n-: "einkaufs", "kliniken"
            first = glossary.get(stemmer.stemWord(head[:-1]))
        if first is None:
            continue
        second = _glossary_hit(rest, stemmer, glossary) or _compound(rest, stemmer, glossary, depth + 1)
        if second is not None:
            return first + second
    return None


@lru_cache(maxsize=65536)
def canonical(word: str) -> tuple[str, ...]:
    """One typed word as the vocabularies' words: abbreviation expanded, another language read
    into English, a compound split, a connector dropped (→ ())."""
    if word in _CONNECTORS:
        return ()
    abbreviations, glossaries = _lexicon()
    expanded = abbreviations.get(word)
    if expanded is not None:
        return tuple(part for item in expanded for part in (_translate(item) if item != word else (item,)))
    return _translate(word)


def _translate(word: str) -> tuple[str, ...]:
    if len(word) < 3 or word.isdigit() or not _lexicon()[1]:
        return (word,)
    english = _english_stems()
    if word in english or _stemmer("english").stemWord(word) in english:
        return (word,)
    for stemmer, glossary in _lexicon()[1]:
        hit = _glossary_hit(word, stemmer, glossary) or (_compound(word, stemmer, glossary) if len(word) >= 7 else None)
        if hit is not None:
            return hit
    return (word,)


@cache
def ignorable_words() -> frozenset[str]:
    """Stop words and filler of every language (canonical), ignored when grouping by shared words."""
    words: set[str] = set()
    for language in languages():
        for word in (*language.get("stopwords", ()), *language.get("filler", ())):
            words.update(_words(word))
    return frozenset(words) | _CONNECTORS


@lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """The Snowball stem a word is grouped by: German then English rules (a canonical word is
    English by now; an unknown German word keeps its German stem)."""
    key = word
    for language in reversed(languages()):
        key = _stemmer(language["stemmer"]).stemWord(key)
    return key


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


@cache
def industry_abbreviations() -> dict[str, tuple[str, ...]]:
    """Abbreviations that mean something else outside an industry answer ("LA" = local authority)."""
    merged: dict[str, tuple[str, ...]] = {}
    for language in languages():
        for short, long in language.get("industry_abbreviations", {}).items():
            merged.setdefault(fold(short).replace(".", "").replace("'", ""), _words(long))
    return merged


@cache
def tiny_size_pattern() -> re.Pattern | None:
    """A tiny count of people, sites or vehicles said in words ("one-man", "w/ 1 truck", "<5 staff")."""
    counts, units = set(), set()
    for language in languages():
        spec = language.get("tiny_size", {})
        counts.update(fold(word) for word in spec.get("counts", ()))
        units.update(fold(word) for word in spec.get("units", ()))
    if not counts or not units:
        return None
    count = "|".join(re.escape(word) for word in sorted(counts, key=len, reverse=True))
    unit = "|".join(re.escape(word) for word in sorted(units, key=len, reverse=True))
    return re.compile(rf"(?<![\w.,])(?:{count})(?:[\s-]+|(?<=\d))(?:{unit})(?!\w)")
