"""The numeric answers: size and revenue ranges (clusters and the sweet spot),
BANT readiness, lead-quality rating, junk share, the volume-vs-quality vote."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass, field
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


def readiness(interviews: list[InterviewData]) -> dict[str, Any]:
    """Shares of reps who require need, budget, authority; the median timeline in months."""
    answered = [i.answers["readiness"] for i in interviews if isinstance(i.answers.get("readiness"), dict)]
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
