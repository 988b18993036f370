"""Read numeric ranges the way people say them: "200-2000", "5k+", "mid-market",
"under 50", "250 to 1,500 people", "$10M-$50M", "over 100 million".

Used by the interview's range input (to show how a phrase was understood) and by
synthesis and scoring (to compare ranges). Deterministic and offline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

# Named segments, by the most common B2B convention (employees / annual revenue, USD).
EMPLOYEE_SEGMENTS: dict[str, tuple[int | None, int | None]] = {
    "micro": (1, 9),
    "startup": (1, 49),
    "small business": (1, 99),
    "small": (1, 99),
    "smb": (1, 99),
    "sme": (1, 249),
    "mid market": (100, 999),
    "midmarket": (100, 999),
    "mid size": (100, 999),
    "midsize": (100, 999),
    "medium": (100, 999),
    "mid": (100, 999),
    "upper mid market": (500, 4999),
    "large": (1000, None),
    "enterprise": (1000, None),
    "large enterprise": (5000, None),
    "fortune 500": (10000, None),
}
REVENUE_SEGMENTS: dict[str, tuple[int | None, int | None]] = {
    "small business": (None, 10_000_000),
    "small": (None, 10_000_000),
    "smb": (None, 10_000_000),
    "mid market": (10_000_000, 1_000_000_000),
    "midmarket": (10_000_000, 1_000_000_000),
    "mid size": (10_000_000, 1_000_000_000),
    "medium": (10_000_000, 1_000_000_000),
    "mid": (10_000_000, 1_000_000_000),
    "enterprise": (1_000_000_000, None),
    "large": (1_000_000_000, None),
}

_MULTIPLIERS = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "mm": 1_000_000, "mn": 1_000_000,
                "million": 1_000_000, "millions": 1_000_000, "b": 1_000_000_000, "bn": 1_000_000_000,
                "billion": 1_000_000_000}
_NUMBER = r"(\d+(?:[.,]\d+)*)\s*(k|thousand|mm|mn|m|millions?|bn|b|billion)?\b"
_NUMBER_RE = re.compile(_NUMBER)
_NOISE = re.compile(r"\b(employees?|people|staff|heads?|headcount|fte|ftes|persons?|seats?|users?|"
                    r"usd|dollars?|eur|euros?|revenue|arr|per year|a year|annual|annually|"
                    r"companies|company|firms?|orgs?|organisations?|organizations?|sized?|about|"
                    r"around|roughly|approx(?:imately)?|ish)\b")


@dataclass(frozen=True)
class Range:
    low: int | None
    high: int | None

    def overlaps(self, other: "Range") -> bool:
        low_a, high_a = self.low or 0, self.high if self.high is not None else float("inf")
        low_b, high_b = other.low or 0, other.high if other.high is not None else float("inf")
        return low_a <= high_b and low_b <= high_a

    def contains(self, value: float) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)

    def describe(self, unit: str = "employees") -> str:
        fmt = format_usd if unit == "usd" else format_count
        suffix = "" if unit == "usd" else " employees"
        if self.low is not None and self.high is not None:
            if self.low == self.high:
                return f"{fmt(self.low)}{suffix}"
            return f"{fmt(self.low)}–{fmt(self.high)}{suffix}"
        if self.low is not None:
            return f"{fmt(self.low)} or more{suffix}"
        if self.high is not None:
            return f"up to {fmt(self.high)}{suffix}"
        return "any size"


def format_count(value: int) -> str:
    return f"{value:,}"


def format_usd(value: int) -> str:
    for size, letter in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "k")):
        if value >= size:
            number = value / size
            return f"${number:,.0f}{letter}" if number == int(number) else f"${number:,.1f}{letter}"
    return f"${value:,}"


@cache
def _language_words() -> tuple[list[tuple[re.Pattern, str]], re.Pattern | None, dict[str, tuple[int | None, int | None]]]:
    """From the language resources (resources/normalize/languages/*.json, "ranges"): words said
    around a range read as English ("ab 300" → "from 300"), unit words that are noise
    ("Mitarbeiter", "MA"), and size classes ("KMU", "Mittelstand")."""
    from alignwork.synthesis.textmatch import languages

    replacements: dict[str, str] = {}
    noise: set[str] = set()
    classes: dict[str, tuple[int | None, int | None]] = {}
    for language in languages():
        spec = language.get("ranges", {})
        replacements.update({word.lower(): english for word, english in spec.get("words", {}).items()})
        replacements.update({word.lower(): english for word, english in spec.get("multipliers", {}).items()})
        noise.update(word.lower() for word in (*spec.get("employee_words", ()), *spec.get("revenue_words", ())))
        classes.update({name.lower(): (low, high) for name, (low, high) in spec.get("employee_classes", {}).items()})
    ordered = sorted(replacements, key=len, reverse=True)  # "mehr als" before "als"
    patterns = [(re.compile(rf"(?<!\w){re.escape(word)}\.?(?!\w)"), f" {replacements[word]} ") for word in ordered]
    words = "|".join(re.escape(word) for word in sorted(noise, key=len, reverse=True))
    return patterns, (re.compile(rf"(?<!\w)(?:{words})(?!\w)") if words else None), classes


def _to_number(digits: str, suffix: str | None, default_multiplier: int) -> int:
    digits = digits.strip()
    # "1,500" is a thousands separator, and so is the German "1.000" without a unit after it;
    # "1.5" and "2,5" (European) are decimals.
    if re.fullmatch(r"\d{1,3}(,\d{3})+", digits):
        value = float(digits.replace(",", ""))
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", digits) and not suffix:
        value = float(digits.replace(".", ""))
    elif re.fullmatch(r"\d{1,3}(\.\d{3}){2,}", digits):
        value = float(digits.replace(".", ""))
    else:
        value = float(digits.replace(",", "."))
    multiplier = _MULTIPLIERS.get((suffix or "").lower(), default_multiplier if not suffix else 1)
    return int(round(value * multiplier))


def _clean(text: str) -> str:
    text = text.lower().replace("–", "-").replace("—", "-").replace("−", "-")
    text = text.replace("$", " ").replace("€", " ").replace("£", " ")
    text = text.replace("mid-market", "mid market").replace("mid-size", "mid size")
    text = text.replace("upper-mid market", "upper mid market")
    patterns, noise, _classes = _language_words()
    if noise is not None:
        text = noise.sub(" ", text)
    for pattern, english in patterns:
        text = pattern.sub(english, text)
    text = _NOISE.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip(" .")


def parse_range(text: str, unit: str = "employees") -> Range | None:
    """Parse a spoken range; ``unit`` is "employees" or "usd". None when it cannot be read.

    For revenue a bare number without a suffix is read in millions when below 1,000
    ("10-50" → $10M–$50M), since nobody means ten dollars.
    """
    if not isinstance(text, str):
        return None
    cleaned = _clean(text)
    if not cleaned:
        return None
    segments = REVENUE_SEGMENTS if unit == "usd" else {**EMPLOYEE_SEGMENTS, **_language_words()[2]}
    if cleaned in segments:
        return Range(*segments[cleaned])
    numbers = list(_NUMBER_RE.finditer(cleaned))
    if not numbers:
        for name in sorted(segments, key=len, reverse=True):
            if re.search(rf"\b{re.escape(name)}\b", cleaned):
                return Range(*segments[name])
        return None
    if _has_negative(cleaned, numbers):
        return None
    # a suffix on the second number applies to the first too: "10-50m", "1-2k"
    shared_suffix = numbers[-1].group(2)
    values = []
    for match in numbers[:2]:
        suffix = match.group(2) or (shared_suffix if len(numbers) > 1 else None)
        values.append(_to_number(match.group(1), suffix, 1))
    if unit == "usd" and not any(m.group(2) for m in numbers[:2]) and max(values) < 1000:
        values = [v * 1_000_000 for v in values]
    head = cleaned[: numbers[0].start()]
    tail = cleaned[numbers[0].end():]
    if len(values) >= 2:
        low, high = sorted(values[:2])
        return _sensible(Range(low, high), unit)
    value = values[0]
    if re.search(r"(under|below|less than|fewer than|up to|max(imum)?|at most|<=?|≤|no more than)\s*$", head) \
            or re.match(r"\s*(or less|or fewer|and below|and under|max)\b", tail):
        strict = re.search(r"(under|below|less than|fewer than|<(?!=))\s*$", head)
        return _sensible(Range(None, value - 1 if strict and unit != "usd" else value), unit)
    if re.search(r"(over|above|more than|greater than|at least|min(imum)?|>=?|≥|from)\s*$", head) \
            or re.match(r"\s*(\+|or more|and up|and above|plus|or bigger|or larger|min)", tail):
        strict = re.search(r"(over|above|more than|greater than|>(?!=))\s*$", head)
        return _sensible(Range(value + 1 if strict and unit != "usd" else value, None), unit)
    return _sensible(Range(value, value), unit)


def _has_negative(cleaned: str, numbers: list[re.Match]) -> bool:
    """A minus sign before a number that is not a range dash between two numbers: "-5",
    "up to -3", "10 - -5". "200-2000", "5k-10k" and "10m - 50m" are ranges."""
    for index, match in enumerate(numbers):
        if not cleaned[: match.start()].rstrip().endswith("-"):
            continue
        between = cleaned[numbers[index - 1].end(): match.start()] if index else None
        if between is None or not re.fullmatch(r"\s*-\s*", between):
            return True
    return False


def _sensible(parsed: Range, unit: str) -> Range | None:
    """Nothing below zero ("under 0"); and a company has at least one employee, so
    "0" or "under 1" employees is no answer and "0-50" reads as 1–50."""
    if parsed.high is not None and parsed.high < 0:
        return None
    if unit != "employees":
        return parsed
    if parsed.high is not None and parsed.high < 1:
        return None
    if parsed.low is not None and parsed.low < 1:
        return Range(1, parsed.high)
    return parsed


def range_from_answer(value: object, unit: str = "employees") -> Range | None:
    """A stored range answer (text or the dict form) as a Range, or None."""
    if isinstance(value, str):
        return parse_range(value, unit)
    if isinstance(value, dict):
        low_key, high_key = {"usd": ("min_usd", "max_usd")}.get(unit, ("min_employees", "max_employees"))
        low = value.get(low_key, value.get("min"))
        high = value.get(high_key, value.get("max"))
        if low is None and high is None:
            return None
        return Range(low, high)
    return None
