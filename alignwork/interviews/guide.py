"""The interview guide: stable question keys, value kinds and validation.

Built-in keys never change: synthesis, bundles and exports rely on them.
A workshop may reword, reorder or hide questions and add custom ones
(custom keys start with ``custom_``); see ``alignwork.store`` for storage.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

KINDS = ("text", "tags", "range", "bant", "scale", "number", "choice")

SECTIONS = ("Opening", "The ideal lead", "Readiness", "Rejection", "Today's leads", "Close")

VOLUME_CHOICES = ("fewer_better", "more_volume", "unsure")
NOTE_KINDS = ("quote", "surprise", "pain", "idea")
INTERVIEW_STATUSES = ("planned", "in_progress", "done")
PROFILES = ("rock_star", "engaged", "other")
BANT_FLAGS = ("need", "budget", "authority")


class AnswerError(ValueError):
    """A value that does not fit its question. ``path`` is relative to the answer ("budget")."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


@dataclass(frozen=True)
class Question:
    key: str
    section: str
    prompt: str
    hint: str
    kind: str
    options: tuple[str, ...] = ()
    # range questions: "employees", "usd" or "" (a plain number range)
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    hidden: bool = False

    @property
    def builtin(self) -> bool:
        return self.key in DEFAULT_KEYS

    def with_changes(self, **changes: Any) -> "Question":
        return replace(self, **changes)


DEFAULT_GUIDE: tuple[Question, ...] = (
    Question("wiifm", "Opening",
             "Before we start: what would make the next twenty minutes worth your time?",
             "Listen for what they want from Marketing; it is the reason they will sign.", "text"),
    Question("ideal_lead", "The ideal lead",
             "Who do you want to talk to? Describe the lead you wish you had every morning.",
             "Let them talk in their own words; capture a quote if it is vivid.", "text"),
    Question("titles", "The ideal lead",
             "Which job titles pick up the phone and can move a deal?",
             "One title per tag: \"VP Marketing\", \"Head of RevOps\"…", "tags"),
    Question("industries", "The ideal lead",
             "Which industries close best for you?",
             "Their words are fine: \"fintech\", \"banks\", \"SaaS\".", "tags"),
    Question("company_size", "The ideal lead",
             "How big is the company, in people?",
             "Say it as they do: \"200-2000\", \"5k+\", \"mid-market\", \"under 50\".", "range",
             unit="employees"),
    Question("annual_revenue", "The ideal lead",
             "And in annual revenue?",
             "\"$10M-$50M\", \"over 100 million\", \"don't care\" → leave empty.", "range", unit="usd"),
    Question("regions", "The ideal lead",
             "Which regions or countries do you want?",
             "\"DACH\", \"North America\", \"UK\"…", "tags"),
    Question("readiness", "Readiness",
             "When is a lead ready for you? Do they need to have a need, a budget, authority, a timeline?",
             "Tick what must be true before Sales takes it; timeline in months.", "bant"),
    Question("buying_signals", "Readiness",
             "What tells you a lead is worth chasing right now?",
             "Actions, not attributes: \"asked for pricing\", \"came back to the site twice\".", "tags"),
    Question("rejection_triggers", "Rejection",
             "What makes you reject a lead on sight?",
             "\"Students\", \"gmail address\", \"competitor\", \"too small\"…", "tags"),
    Question("punt_signals", "Rejection",
             "When do you give up on a lead you were working?",
             "\"No reply after 3 calls\", \"no budget this year\"…", "tags"),
    Question("lead_quality_rating", "Today's leads",
             "On a scale of 1 to 5, how good are the leads Marketing sends today?",
             "1 = junk, 5 = excellent. Press 1–5.", "scale", minimum=1, maximum=5),
    Question("junk_share_percent", "Today's leads",
             "Roughly what share of today's leads is junk, in percent?",
             "A number from 0 to 100.", "number", minimum=0, maximum=100),
    Question("volume_vs_quality", "Today's leads",
             "Would you take half as many leads if they were twice as good?",
             "Fewer but better, more volume, or unsure.", "choice", options=VOLUME_CHOICES),
    Question("helpful_content", "Today's leads",
             "Which marketing material actually helps you sell?",
             "Case studies, ROI calculator, battle cards…", "tags"),
    Question("surprises", "Close",
             "Anything we did not ask and should know?",
             "The unexpected is where the value is: note it as a surprise too.", "text"),
)

DEFAULT_KEYS = frozenset(q.key for q in DEFAULT_GUIDE)
TAG_KEYS = tuple(q.key for q in DEFAULT_GUIDE if q.kind == "tags")


def default_question(key: str) -> Question | None:
    return next((q for q in DEFAULT_GUIDE if q.key == key), None)


def question_map(questions: list[Question] | tuple[Question, ...] | None = None) -> dict[str, Question]:
    return {q.key: q for q in (questions if questions is not None else DEFAULT_GUIDE)}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def _check_bounds(question: Question, value: float, path: str = "") -> None:
    if question.minimum is not None and value < question.minimum:
        raise AnswerError(path, f"expected a number ≥ {question.minimum:g}, got {value:g}")
    if question.maximum is not None and value > question.maximum:
        raise AnswerError(path, f"expected a number ≤ {question.maximum:g}, got {value:g}")


RANGE_FIELDS = {"employees": ("min_employees", "max_employees"), "usd": ("min_usd", "max_usd"),
                "": ("min", "max")}


def validate_answer(question: Question, value: Any) -> Any:
    """Return ``value`` normalised to its kind's JSON shape or raise AnswerError.

    ``None`` always means "no answer" and is accepted.
    """
    if value is None:
        return None
    kind = question.kind
    if kind == "text":
        if not isinstance(value, str):
            raise AnswerError("", "expected text")
        return value
    if kind == "tags":
        if not isinstance(value, list):
            raise AnswerError("", "expected a list of text")
        for index, item in enumerate(value):
            if not isinstance(item, str):
                raise AnswerError(f"[{index}]", "expected text")
        return [item for item in value if item.strip()]
    if kind == "range":
        return _validate_range(question, value)
    if kind == "bant":
        return _validate_bant(value)
    if kind == "scale":
        if not _is_int(value):
            raise AnswerError("", "expected a whole number from 1 to 5")
        low = int(question.minimum if question.minimum is not None else 1)
        high = int(question.maximum if question.maximum is not None else 5)
        if not low <= value <= high:
            raise AnswerError("", f"expected a whole number from {low} to {high}, got {value}")
        return value
    if kind == "number":
        if not _is_number(value):
            raise AnswerError("", "expected a number")
        _check_bounds(question, value)
        return value
    if kind == "choice":
        if not isinstance(value, str):
            raise AnswerError("", "expected one of " + ", ".join(question.options))
        if question.options and value not in question.options:
            raise AnswerError("", f"expected one of {', '.join(question.options)}, got {value!r}")
        return value
    raise AnswerError("", f"unknown question kind {kind!r}")


def _validate_range(question: Question, value: Any) -> Any:
    if isinstance(value, str):
        return value
    low_key, high_key = RANGE_FIELDS.get(question.unit, RANGE_FIELDS[""])
    if not isinstance(value, dict):
        raise AnswerError("", f"expected text or {{\"{low_key}\": …, \"{high_key}\": …}}")
    unknown = set(value) - {low_key, high_key}
    if unknown:
        raise AnswerError(sorted(unknown)[0], f"unknown field; expected {low_key} and {high_key}")
    for key in (low_key, high_key):
        bound = value.get(key)
        if bound is not None and (not _is_int(bound) or bound < 0):
            raise AnswerError(key, "expected a whole number ≥ 0 or null")
    low, high = value.get(low_key), value.get(high_key)
    if low is None and high is None:
        raise AnswerError("", f"expected at least one of {low_key} and {high_key}")
    if low is not None and high is not None and low > high:
        raise AnswerError(high_key, f"must not be below {low_key} ({low})")
    return {low_key: low, high_key: high}


def _validate_bant(value: Any) -> dict:
    if not isinstance(value, dict):
        raise AnswerError("", "expected {\"need\", \"budget\", \"authority\", \"timeline_months\"}")
    unknown = set(value) - {*BANT_FLAGS, "timeline_months"}
    if unknown:
        raise AnswerError(sorted(unknown)[0], "unknown field; expected need, budget, authority, timeline_months")
    result: dict[str, Any] = {}
    for flag in BANT_FLAGS:
        flag_value = value.get(flag, False)
        if not isinstance(flag_value, bool):
            raise AnswerError(flag, "expected true/false")
        result[flag] = flag_value
    months = value.get("timeline_months")
    if months is not None and (not _is_int(months) or not 0 <= months <= 120):
        raise AnswerError("timeline_months", "expected a whole number of months from 0 to 120, or null")
    result["timeline_months"] = months
    return result


class GuideError(ValueError):
    """A guide that cannot be used (duplicate key, built-in question removed…)."""


def check_guide(questions: list[Question] | tuple[Question, ...]) -> None:
    """Raise GuideError unless ``questions`` is a usable workshop guide.

    Built-in questions may be reworded, moved or hidden but not removed, and keep
    their kind; keys are unique; a choice question has options.
    """
    keys = [q.key for q in questions]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise GuideError(f"two questions share the key {duplicates[0]!r}")
    missing = DEFAULT_KEYS - set(keys)
    if missing:
        raise GuideError(f"built-in questions cannot be removed, only hidden: {', '.join(sorted(missing))}")
    for question in questions:
        if question.kind not in KINDS:
            raise GuideError(f"{question.key}: unknown kind {question.kind!r}; expected one of {', '.join(KINDS)}")
        if question.kind == "choice" and not question.options:
            raise GuideError(f"{question.key}: a choice question needs options")
        builtin = default_question(question.key)
        if builtin is not None and builtin.kind != question.kind:
            raise GuideError(f"{question.key}: the kind of a built-in question cannot change "
                             f"(it is {builtin.kind})")


def is_answered(value: Any) -> bool:
    """True when a stored value counts as an answer (for progress percentages)."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, dict)):
        return bool(value)
    return True


def new_custom_key(existing: set[str], label: str) -> str:
    """A stable key for a custom question: ``custom_<slug>``, unique in ``existing``."""
    slug = "".join(ch if ch.isalnum() else "_" for ch in label.lower()).strip("_")[:32] or "question"
    while "__" in slug:
        slug = slug.replace("__", "_")
    key, counter = f"custom_{slug}", 2
    while key in existing:
        key, counter = f"custom_{slug}_{counter}", counter + 1
    return key


