"""Deterministic, offline normalisation of what reps say and what CRMs export.

Job titles → function and seniority; industries → a fixed sector list; places →
regions; e-mail addresses → business/personal/student/invalid/missing; lead
sources → a small set of kinds; size and revenue strings → ranges; tag answers
of the same meaning are grouped by ``alignwork.synthesis.tag_groups``, which builds on these.

Every public function is cached per distinct input, so callers (the back-test
scores a million CRM rows) call it once per distinct value cheaply. The
vocabularies live in ``resources/normalize/*.json``.

Regions and super-regions: ``region_of`` returns a region name from
``regions.json`` ("DACH", "North America", …) or, for words naming a group of
regions ("EMEA", "Europe", "Americas", "Global"), the super-region's name.
A super-region *matches* a lead whose region is any of its members:
``region_matches("EMEA", "DACH")`` is True. Definitions built by synthesis
store super-regions expanded to their members, so scoring needs no special case.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

from alignwork.synthesis.ranges import Range, parse_range
from alignwork.synthesis.textmatch import (
    PhraseIndex, correct_tokens, fold, ignorable_words, industry_abbreviations, languages, load_json, raw_words, stem,
    tokens, vocabulary_of,
)

FUNCTIONS = ("Marketing", "Sales", "IT", "Engineering", "Finance", "Operations", "HR", "Product",
             "Customer Success", "Legal", "Procurement", "Data & Analytics", "Executive/Owner")
SENIORITIES = ("C-level", "VP/Head", "Director", "Manager", "Individual contributor")
EMAIL_TYPES = ("business", "personal", "student", "invalid", "missing")
_CACHE = 65536
_EMPTY = frozenset({"", "-", "--", "n/a", "na/na", "none", "null", "unknown", "not provided", "tbd", "?", "other"})


def _blank(text: Any) -> bool:
    return not isinstance(text, str) or text.strip().casefold() in _EMPTY


# ------------------------------------------------------------------ titles

@cache
def _title_tables():
    data = load_json("titles.json")
    abbreviations = {key: tuple(value.split()) for key, value in data["abbreviations"].items()}
    functions = PhraseIndex((phrase, name) for name, phrases in data["functions"].items() for phrase in phrases)
    seniority = PhraseIndex((phrase, name) for name, phrases in data["seniority"].items() for phrase in phrases)
    chiefs = {key: tuple(value) for key, value in data["chief_officers"].items()}
    low = frozenset(data["function_priority_low"])
    vocabulary = vocabulary_of(functions) | vocabulary_of(seniority) | frozenset(abbreviations)
    return abbreviations, functions, seniority, chiefs, low, vocabulary


@cache
def title_role_words() -> frozenset[str]:
    """Words that say how senior or what kind of role, not which function ("manager", "head", "Leiter")."""
    _abbr, _functions, seniority, _chiefs, _low, _vocab = _title_tables()
    words = set(vocabulary_of(seniority))
    for language in languages():
        words.update(stem(word) for phrase in language.get("title_roles", ()) for word in tokens(phrase))
    return frozenset(words) | ignorable_words()


def _core_positions(words: tuple[str, ...]) -> set[int]:
    roles = title_role_words()
    return {position for position, word in enumerate(words) if word not in roles and not word.isdigit()}


@lru_cache(maxsize=_CACHE)
def _title_words(title: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(expanded words, chief-officer acronyms found)."""
    abbreviations, _functions, _seniority, chiefs, _low, vocabulary = _title_tables()
    raw = tokens(title.replace("/", " / "), stemmed=False)
    acronyms = tuple(word for word in raw if word in chiefs)
    words: list[str] = []
    for word in correct_tokens(raw, vocabulary):
        words.extend(abbreviations.get(word, (word,)))
    return tuple(stem(word) for word in words), acronyms


@lru_cache(maxsize=_CACHE)
def title_function(title: str) -> str | None:
    """The job function a title belongs to ("vp mktg" → "Marketing", "CIO" → "IT"), or None."""
    if _blank(title):
        return None
    _abbr, functions, _seniority, chiefs, low, _vocab = _title_tables()
    words, acronyms = _title_words(title)
    if acronyms:
        return chiefs[acronyms[0]][0]
    matches = functions.find_all(words)
    # the function is what remains once seniority and role words are set aside: "Reliability
    # Engineer" is reliability (no function of the taxonomy), not Engineering; "Engineer" alone is
    core = _core_positions(words)
    on_core = [(start, length, name) for start, length, name in matches if core & set(range(start, start + length))]
    if on_core:
        # a function said by its own name beats one read from an alias ("Commercial / Procurement lead")
        named = [name for start, length, name in on_core
                 if words[start:start + length] == tokens(name, stemmed=True) and name not in low]
        found = named or [name for _start, _length, name in on_core]
    elif core:
        return None
    else:
        found = [name for _start, _length, name in matches]
    if not found:
        return None
    specific = [name for name in found if name not in low]
    return (specific or found)[0]


@lru_cache(maxsize=_CACHE)
def title_core(title: str) -> tuple[str, ...]:
    """The words of a title that name its function (seniority and role words set aside)."""
    if _blank(title):
        return ()
    words, _acronyms = _title_words(title)
    return tuple(words[position] for position in sorted(_core_positions(words)))


@lru_cache(maxsize=_CACHE)
def title_seniority(title: str) -> str | None:
    """Seniority of a title: C-level, VP/Head, Director, Manager or Individual contributor; None if unsaid."""
    if _blank(title):
        return None
    _abbr, _functions, seniority, _chiefs, _low, _vocab = _title_tables()
    words, acronyms = _title_words(title)
    if acronyms:
        return "C-level"
    found = {name for _start, _length, name in seniority.find_all(words)}
    return next((name for name in SENIORITIES if name in found), None)


# ------------------------------------------------------------------ industries

@cache
def _sector_index() -> tuple[PhraseIndex, dict[str, str]]:
    index, flat = PhraseIndex(), {}
    for sector in load_json("sectors.json")["sectors"]:
        for phrase in (sector["name"], *sector["aliases"]):
            index.add(phrase, sector["name"])
            flat.setdefault(" ".join(tokens(phrase)), sector["name"])
    return index, flat


def sectors() -> list[str]:
    """The fixed sector list, in display order."""
    return [sector["name"] for sector in load_json("sectors.json")["sectors"]]


@lru_cache(maxsize=_CACHE)
def industry_sector(text: str) -> str | None:
    """The sector an industry phrase belongs to ("fintech", "Banking" → "Financial services"), or None."""
    if _blank(text):
        return None
    index, flat = _sector_index()
    short = industry_abbreviations()
    text = " ".join(part for word in raw_words(text) for part in short.get(word, (word,)))
    words = tokens(text)
    exact = flat.get(" ".join(words))
    if exact:
        return exact
    found = index.best(words) or index.best(correct_tokens(words, vocabulary_of(index)))
    if found:
        return found
    # typos mended on the words as typed ("Utilites"), before plural stemming blurs them
    plain = tokens(text, stemmed=False)
    found = index.best(tuple(stem(word) for word in correct_tokens(plain, _sector_words())))
    if found:
        return found
    from rapidfuzz import fuzz, process

    match = process.extractOne(" ".join(words), _sector_phrases(), scorer=fuzz.ratio, score_cutoff=88)
    return flat[match[0]] if match else None


@cache
def _sector_words() -> frozenset[str]:
    return frozenset(word for phrase in _sector_index()[1] for word in phrase.split()) | frozenset(
        word for sector in load_json("sectors.json")["sectors"] for phrase in (sector["name"], *sector["aliases"])
        for word in tokens(phrase, stemmed=False))


@cache
def _sector_phrases() -> list[str]:
    return list(_sector_index()[1])


# ------------------------------------------------------------------ regions

@cache
def _region_tables():
    data = load_json("regions.json")
    names, codes2, codes3, states = PhraseIndex(), {}, {}, {}
    for region in data["regions"]:
        name = region["name"]
        names.add(name, name)
        for word in region["words"]:
            names.add(word, name)
        for country in region["countries"]:
            country_name, iso2, iso3, *aliases = country
            codes2[iso2.casefold()] = name
            codes3[iso3.casefold()] = name
            for phrase in (country_name, *aliases):
                names.add(phrase, name)
        for subdivision in region.get("subdivisions", ()):
            names.add(subdivision, name)
        for code in region.get("subdivision_codes", ()):
            states[code.casefold()] = name
    members = {}
    for super_name, spec in data["super_regions"].items():
        members[super_name] = frozenset(spec["members"])
        names.add(super_name, super_name, overwrite=True)
        for word in spec["words"]:
            names.add(word, super_name, overwrite=True)
    return names, codes2, codes3, states, members


def regions() -> list[str]:
    """The region names, in display order."""
    return [region["name"] for region in load_json("regions.json")["regions"]]


def super_regions() -> dict[str, frozenset[str]]:
    """Super-region name → the regions it spans (EMEA → {UK & Ireland, DACH, …})."""
    return dict(_region_tables()[4])


def region_members(name: str) -> frozenset[str]:
    """The regions a name stands for: itself for a region, its members for a super-region."""
    return _region_tables()[4].get(name, frozenset({name}))


def region_matches(wanted: str, lead_region: str | None) -> bool:
    """Whether a lead's region falls in a wanted region or super-region."""
    return lead_region is not None and region_members(lead_region) <= region_members(wanted)


@cache
def _region_phrases() -> list[str]:
    """Region words of five letters or more, for typo matching (short codes would match anything)."""
    return [" ".join(phrase) for phrase in _region_tables()[0].phrases() if len(" ".join(phrase)) >= 5]


@lru_cache(maxsize=_CACHE)
def region_of(text: str) -> str | None:
    """Region of a country, state, city or region word ("Germany" → "DACH", "Austin, TX" →
    "North America"); a super-region name for "EMEA", "Europe", "Americas", "Global"; else None."""
    if _blank(text):
        return None
    names, codes2, codes3, states, _members = _region_tables()
    parts = [part.strip() for part in re.split(r"[,;/|()]| - ", fold(text)) if part.strip()]
    whole = tokens(text, stemmed=False)
    if not whole:
        return None
    direct = names.get(whole) or names.get(tokens(text))
    if direct:
        return direct
    if len(parts) == 1 and len(whole) == 1:
        word = whole[0]
        if len(word) == 2 and word in codes2:
            return codes2[word]
        if len(word) == 3 and word in codes3:
            return codes3[word]
        if len(word) == 2 and word in states:  # a lone US or Canadian state code ("TX")
            return states[word]
    # "Austin, TX", "Munich, Bavaria, DE": the most general part is last
    # names first ("Munich, DE" is Munich), then "City, ST" codes: US/Canadian states before countries
    for part in reversed(parts):
        hit = names.get(tokens(part, stemmed=False))
        if hit:
            return hit
    if len(parts) > 1:
        for part in reversed(parts):
            words = tokens(part, stemmed=False)
            if len(words) == 1 and (words[0] in states or words[0] in codes2):
                return states.get(words[0]) or codes2[words[0]]
    found = names.find_all(whole)
    if found:
        return max(found, key=lambda item: (item[1], -item[0]))[2]
    from rapidfuzz import fuzz, process

    match = process.extractOne(" ".join(whole), _region_phrases(), scorer=fuzz.ratio, score_cutoff=88)
    return names.get(tuple(match[0].split())) if match else None


# ------------------------------------------------------------------ e-mail

_EMAIL = re.compile(r"^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})$")
_PUBLIC_SUFFIX = re.compile(r"^(?:com|net|org|[a-z]{2}|co\.[a-z]{2}|com\.[a-z]{2}|ne\.[a-z]{2})$")


@cache
def _email_tables():
    data = load_json("email_domains.json")
    return (frozenset(data["free_mail_domains"]), frozenset(data["free_mail_labels"]),
            tuple(data["student_suffixes"]), frozenset(data["student_labels"]),
            frozenset(data["student_domains"]))


@lru_cache(maxsize=_CACHE)
def email_type(email: str | None) -> str:
    """``business``, ``personal`` (free mail), ``student`` (academic), ``invalid`` or ``missing``."""
    if email is None or not isinstance(email, str) or not email.strip():
        return "missing"
    address = email.strip().casefold().removeprefix("mailto:").strip("<> ")
    match = _EMAIL.match(address)
    if not match or ".." in address:
        return "invalid"
    domain = match.group(1)
    free_domains, free_labels, student_suffixes, student_labels, student_domains = _email_tables()
    labels = domain.split(".")
    if domain in free_domains or (labels[0] in free_labels and _PUBLIC_SUFFIX.match(".".join(labels[1:]))):
        return "personal"
    # the domain or any parent of it ("mail.ethz.ch" → "ethz.ch") is a known academic domain
    if domain.endswith(student_suffixes) or any(".".join(labels[i:]) in student_domains for i in range(len(labels))):
        return "student"
    if any(label in student_labels or label.startswith(("uni-", "univ-")) for label in labels[:-1]):
        return "student"
    return "business"


# ------------------------------------------------------------------ lead sources

@cache
def _source_tables() -> tuple[PhraseIndex, dict[str, int], dict[str, str]]:
    kinds = load_json("lead_sources.json")["kinds"]
    order = {spec["kind"]: position for position, spec in enumerate(kinds)}
    index = PhraseIndex((phrase, spec["kind"]) for spec in kinds for phrase in spec["phrases"])
    labels = {spec["kind"]: spec["label"] for spec in kinds}
    return index, order, labels


def lead_source_kinds() -> dict[str, str]:
    """Kind → label in plain words ("demo_request" → "Requested a demo")."""
    return dict(_source_tables()[2])


def names_a_lead_source(text: str) -> bool:
    """Whether a text holds a word of the lead-source vocabulary as typed (a cheap test before the reading)."""
    return not _blank(text) and bool(set(tokens(text)) & vocabulary_of(_source_tables()[0]))


@lru_cache(maxsize=_CACHE)
def lead_source_kind(text: str) -> str | None:
    """The kind of a lead source or buying signal ("Asked for pricing" → "pricing_page"), or None."""
    if _blank(text):
        return None
    index, order, _labels = _source_tables()
    plain = text.strip().casefold()
    if plain in order:
        return plain
    found = [kind for _start, _length, kind in index.find_all(tokens(text))]
    if not found:
        found = [kind for _s, _l, kind in index.find_all(correct_tokens(tokens(text), vocabulary_of(index)))]
    return min(found, key=order.__getitem__) if found else None


# ------------------------------------------------------------------ ranges

@lru_cache(maxsize=_CACHE)
def _range(text: Any, unit: str) -> Range | None:
    if isinstance(text, bool) or text is None:
        return None
    if isinstance(text, (int, float)):
        return Range(int(text), int(text)) if text >= 0 else None
    return parse_range(str(text), unit)


def size_range(text: Any) -> Range | None:
    """Employees as a Range ("250 to 1,500 people", "5k+", "mid-market", 120); None if unreadable."""
    return _range(text, "employees")


def revenue_range(text: Any) -> Range | None:
    """Annual revenue in USD as a Range ("$10M-$50M", "over 100 million"); None if unreadable."""
    return _range(text, "usd")
