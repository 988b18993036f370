"""The numeric answers: size and revenue ranges (clusters and the sweet spot),
BANT readiness, lead-quality rating, junk share, the volume-vs-quality vote."""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from alignwork.interviews import guide
from alignwork.synthesis.ranges import Range, range_from_answer
from alignwork.synthesis.data import InterviewData

INFINITY = math.inf


@dataclass
class RangeAnswer:
    interview: InterviewData
    text: str
    low: int  # 0 when open below
    high: float  # INFINITY when open above


@dataclass
class RangeCluster:
    low: int
    high: float
    answers: list[RangeAnswer] = field(default_factory=list)

    @property
    def support(self) -> int:
        return len({id(a.interview) for a in self.answers})


@dataclass
class RangeSummary:
    unit: str  # employees | usd
    answers: list[RangeAnswer]
    unreadable: list[RangeAnswer]
    clusters: list[RangeCluster]
    core: tuple[int, float] | None  # where most reps' ranges agree
    core_support: int = 0  # reps whose range overlaps the core

    def fields(self) -> tuple[str, str]:
        return ("min_usd", "max_usd") if self.unit == "usd" else ("min_employees", "max_employees")

    def bounds(self, low: int, high: float) -> dict[str, int | None]:
        low_key, high_key = self.fields()
        return {low_key: low or None, high_key: None if high == INFINITY else int(high)}

    def core_range(self) -> Range | None:
        return Range(self.core[0] or None, None if self.core[1] == INFINITY else int(self.core[1])) \
            if self.core else None

    def to_dict(self) -> dict[str, Any]:
        core = self.bounds(*self.core) if self.core else None
        return {
            "clusters": [{**self.bounds(c.low, c.high), "support": c.support,
                          "participants": list(dict.fromkeys(a.interview.participant for a in c.answers))}
                         for c in self.clusters],
            "per_rep": [{"participant": a.interview.participant, "team": a.interview.team_name,
                         "profile": a.interview.profile, "text": a.text, **self.bounds(a.low, a.high)}
                        for a in self.answers],
            "unreadable": [{"participant": a.interview.participant, "text": a.text} for a in self.unreadable],
            "core": core, "core_support": self.core_support,
        }


def _parse(value: Any, unit: str) -> Range | None:
    if isinstance(value, str):  # spoken ranges repeat: read each wording once (cached)
        from alignwork.synthesis.normalize import revenue_range, size_range

        return revenue_range(value) if unit == "usd" else size_range(value)
    return range_from_answer(value, unit)


def _answer_text(value: Any, unit: str) -> str:
    if isinstance(value, str):
        return value
    parsed = range_from_answer(value, unit)
    return parsed.describe(unit) if parsed else str(value)


def summarize_ranges(interviews: list[InterviewData], key: str, unit: str) -> RangeSummary:
    answers, unreadable = [], []
    for interview in interviews:
        value = interview.answers.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        parsed = _parse(value, unit)
        text = _answer_text(value, unit)
        if parsed is None:
            unreadable.append(RangeAnswer(interview, text, 0, INFINITY))
            continue
        answers.append(RangeAnswer(interview, text, parsed.low or 0,
                                   INFINITY if parsed.high is None else parsed.high))
    clusters = _overlap_clusters(answers)
    core, core_support = _core(max(clusters, key=lambda c: c.support) if clusters else None)
    return RangeSummary(unit, answers, unreadable, clusters, core, core_support)


def _overlap_clusters(answers: list[RangeAnswer]) -> list[RangeCluster]:
    """Connected groups of overlapping ranges (a sweep over ranges sorted by their low end)."""
    clusters: list[RangeCluster] = []
    for answer in sorted(answers, key=lambda a: (a.low, a.high)):
        if clusters and answer.low <= clusters[-1].high:
            clusters[-1].high = max(clusters[-1].high, answer.high)
            clusters[-1].answers.append(answer)
        else:
            clusters.append(RangeCluster(answer.low, answer.high, [answer]))
    return sorted(clusters, key=lambda c: (-c.support, c.low))


def _core(cluster: RangeCluster | None) -> tuple[tuple[int, float] | None, int]:
    """The span where at least half of the cluster's reps agree (or, failing that, the busiest span).

    A sweep over range ends: +1 where a range starts, -1 after it ends.
    """
    if cluster is None:
        return None, 0
    answers = cluster.answers
    changes: Counter = Counter()
    for answer in answers:
        changes[answer.low] += 1
        if answer.high != INFINITY:
            changes[answer.high + 1] -= 1
    points = sorted(changes)
    segments, coverage = [], 0  # (start, end exclusive, coverage)
    for start, end in zip(points, points[1:] + [INFINITY]):
        coverage += changes[start]
        segments.append((start, end, coverage))
    best = max(coverage for _s, _e, coverage in segments)
    needed = min(best, max(1, math.ceil(len(answers) / 2)))
    chosen = [(start, end) for start, end, coverage in segments if coverage >= needed]
    low, high = chosen[0][0], chosen[-1][1]
    high = INFINITY if high == INFINITY else high - 1
    support = sum(1 for a in answers if a.low <= high and a.high >= low)
    return (low, high), support


@cache
def _bant_words() -> tuple[frozenset[str], frozenset[str], frozenset[str], dict[str, float], dict[str, float]]:
    """(yes words, no words, "now" words, unit → months, number words) of every language resource."""
    from alignwork.synthesis.textmatch import fold, languages

    yes, no, now, units, numbers = set(), set(), set(), {}, {}
    for language in languages():
        spec = language.get("bant", {})
        yes.update(fold(word) for word in spec.get("yes", ()))
        no.update(fold(word) for word in spec.get("no", ()))
        now.update(fold(word) for word in spec.get("now", ()))
        units.update({fold(word): months for word, months in spec.get("units", {}).items()})
        numbers.update({fold(word): value for word, value in spec.get("numbers", {}).items()})
    return frozenset(yes), frozenset(no), frozenset(now), units, numbers


def _said(text: str) -> tuple[str, str]:
    from alignwork.synthesis.textmatch import fold

    plain = " ".join(re.findall(r"[^\W_]+(?:[.,]\d+)?", fold(text)))
    return plain, f" {plain} "


@lru_cache(maxsize=4096)
def _flag_text(text: str) -> bool | None:
    yes, no, _now, _units, _numbers = _bant_words()
    _plain, padded = _said(text)
    if any(f" {word} " in padded for word in no):
        return False
    if any(f" {word} " in padded for word in yes):
        return True
    return None


def bant_flag(value: Any) -> bool | None:
    """A readiness flag as typed: true/false, or words in any language ("ja", "confirmed", "no budget yet")."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return value > 0
    return _flag_text(value) if isinstance(value, str) else None


@lru_cache(maxsize=4096)
def _months_text(text: str) -> float | None:
    _yes, _no, now, units, numbers = _bant_words()
    plain, padded = _said(text)
    if any(f" {word} " in padded for word in now):
        return 0
    words = plain.split()
    for index, word in enumerate(words):
        value = numbers.get(word)
        if value is None:
            try:
                value = float(word.replace(",", "."))
            except ValueError:
                continue
        if word in numbers and index + 1 < len(words) and words[index + 1] in numbers:
            continue  # "ein halbes Jahr", "a couple of"
        unit = next((units[w] for w in words[index + 1:index + 3] if w in units), None)
        if unit is None and index + 1 < len(words) and word in numbers:
            continue  # a number word with no unit after it is an article ("a", "ein")
        return round(value * (unit if unit is not None else 1), 1)
    unit = next((units[w] for w in words if w in units), None)
    return unit  # "next quarter", "nächstes Jahr"


def timeline_months(value: Any) -> float | None:
    """A buying timeline in months: a number, or words ("Q3", "in 6 Monaten", "within a year")."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return value if value >= 0 else None
    return _months_text(value) if isinstance(value, str) else None


def readiness_answer(value: Any) -> dict[str, Any] | None:
    """A readiness (BANT) answer read the same way everywhere, typed flags and words alike."""
    if not isinstance(value, dict):
        return None
    answer: dict[str, Any] = {flag: bant_flag(value.get(flag)) is True for flag in guide.BANT_FLAGS}
    months = timeline_months(value.get("timeline_months"))
    answer["timeline_months"] = int(months) if months is not None and months == int(months) else months
    return answer


def readiness(interviews: list[InterviewData]) -> dict[str, Any]:
    """Shares of reps who require need, budget, authority; the median timeline in months."""
    answered = [answer for i in interviews if (answer := readiness_answer(i.answers.get("readiness")))]
    result: dict[str, Any] = {"n": len(answered)}
    for flag in guide.BANT_FLAGS:
        result[flag] = round(sum(1 for a in answered if a.get(flag)) / len(answered), 4) if answered else None
    months = [a["timeline_months"] for a in answered if isinstance(a.get("timeline_months"), (int, float))]
    result["timeline_months_median"] = statistics.median(months) if months else None
    return result


def _numbers(interviews: list[InterviewData], key: str) -> list[float]:
    return [value for i in interviews if isinstance(value := i.answers.get(key), (int, float))
            and not isinstance(value, bool)]


def rating(interviews: list[InterviewData]) -> dict[str, Any]:
    values = _numbers(interviews, "lead_quality_rating")
    if not values:
        return {"mean": None, "stdev": None, "min": None, "max": None, "n": 0}
    return {"mean": round(statistics.fmean(values), 2),
            "stdev": round(statistics.stdev(values), 2) if len(values) > 1 else 0.0,
            "min": min(values), "max": max(values), "n": len(values)}


def junk_share(interviews: list[InterviewData]) -> dict[str, Any]:
    values = _numbers(interviews, "junk_share_percent")
    if not values:
        return {"mean": None, "median": None, "n": 0}
    return {"mean": round(statistics.fmean(values), 1), "median": statistics.median(values), "n": len(values)}


def volume_votes(interviews: list[InterviewData]) -> dict[str, int]:
    counts = Counter(i.answers.get("volume_vs_quality") for i in interviews)
    return {choice: counts.get(choice, 0) for choice in guide.VOLUME_CHOICES}
