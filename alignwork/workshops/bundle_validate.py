"""Check a workshop bundle (format version 1) completely before anything is written.

``validate_bundle`` turns a parsed bundle into a ``ValidatedBundle`` in the shapes
the store takes, or raises ``BundleError`` naming the first bad place, e.g.
``interviews[3].answers.readiness.budget: expected true/false``.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from alignwork.interviews import guide as guide_mod
from alignwork.interviews.guide import Question

FORMAT = "alignwork-bundle"
VERSION = 1
NAME_MAX = 200
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")

TOP_FIELDS = {"format", "version", "workshop", "participants", "interviews", "guide"}
WORKSHOP_FIELDS = {"name", "goal", "company", "facilitator", "target_minutes"}
PARTICIPANT_FIELDS = ("ref", "name", "role", "team", "region", "profile", "notes")
INTERVIEW_FIELDS = {"participant", "held_on", "duration_minutes", "status", "answers", "notes"}
NOTE_FIELDS = {"kind", "question", "text"}
GUIDE_FIELDS = {"key", "section", "prompt", "hint", "kind", "options", "hidden", "unit", "minimum", "maximum"}


class BundleError(ValueError):
    """A bundle that cannot be imported; the message names the exact place."""


@dataclass(frozen=True)
class ValidatedInterview:
    participant: str
    held_on: date | None
    duration_seconds: int | None
    status: str
    answers: dict[str, Any]
    notes: list[dict[str, Any]]


@dataclass(frozen=True)
class ValidatedBundle:
    """A bundle that passed every check, in the shapes the store takes."""

    workshop: dict[str, Any]
    participants: list[dict[str, Any]]
    guide: list[Question] | None  # None: the default guide
    interviews: list[ValidatedInterview] = field(default_factory=list)


# ---------------------------------------------------------------- validation helpers

def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "an object" if isinstance(value, dict) else "a list"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "…"


def _object(value: Any, where: str, allowed: set[str] | tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BundleError(f"{where}: expected an object, got {_describe(value)}")
    for key in value:
        if key not in allowed:
            raise BundleError(f"{_join(where, key)}: unknown field; expected one of {', '.join(sorted(allowed))}")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise BundleError(f"{where}: expected a list, got {_describe(value)}")
    return value


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _text(container: dict[str, Any], key: str, where: str, *, required: bool = False,
          nonblank: bool = False, max_length: int | None = None, default: str = "") -> str:
    place = _join(where, key)
    if key not in container or container[key] is None:
        if required:
            raise BundleError(f"{place}: required")
        return default
    value = container[key]
    if not isinstance(value, str):
        raise BundleError(f"{place}: expected text, got {_describe(value)}")
    if nonblank and not value.strip():
        raise BundleError(f"{place}: must not be empty")
    if max_length is not None and len(value.strip()) > max_length:
        raise BundleError(f"{place}: at most {max_length} characters")
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _answer_place(where: str, path: str) -> str:
    if not path:
        return where
    return f"{where}{path}" if path.startswith("[") else f"{where}.{path}"


# ---------------------------------------------------------------- validation

def validate_bundle(data: dict[str, Any]) -> ValidatedBundle:
    """Check a parsed bundle completely; raise BundleError naming the first bad place."""
    if not isinstance(data, dict):
        raise BundleError(f"expected a JSON object, got {_describe(data)}")
    if data.get("format") != FORMAT:
        raise BundleError(f"format: expected \"{FORMAT}\", got {_describe(data.get('format'))}; "
                          "this is not an Alignwork workshop bundle")
    version = data.get("version")
    if not _is_int(version):
        raise BundleError(f"version: expected a whole number, got {_describe(version)}")
    if version != VERSION:
        newer = " written by a newer Alignwork; please update the app" if version > VERSION else ""
        raise BundleError(f"version: this app reads bundle version {VERSION}, not {version}{newer}")
    _object(data, "", TOP_FIELDS)
    workshop = _validate_workshop(data.get("workshop"))
    participants = _validate_participants(data.get("participants", []))
    guide = _validate_guide(data["guide"]) if data.get("guide") is not None else None
    questions = guide_mod.question_map(guide)
    refs = {p["ref"] for p in participants}
    guide_name = "the bundle's guide" if guide is not None else "the default guide (the bundle has no guide)"
    interviews = [_validate_interview(item, f"interviews[{index}]", refs, questions, guide_name)
                  for index, item in enumerate(_list(data.get("interviews", []), "interviews"))]
    return ValidatedBundle(workshop=workshop, participants=participants, guide=guide, interviews=interviews)


def _validate_workshop(value: Any) -> dict[str, Any]:
    if value is None:
        raise BundleError("workshop: required")
    workshop = _object(value, "workshop", WORKSHOP_FIELDS)
    result = {"name": _text(workshop, "name", "workshop", required=True, nonblank=True,
                            max_length=NAME_MAX).strip()}
    for key in ("goal", "company", "facilitator"):
        result[key] = _text(workshop, key, "workshop")
    minutes = workshop.get("target_minutes", 20)
    if not _is_int(minutes) or not 1 <= minutes <= 240:
        raise BundleError(f"workshop.target_minutes: expected a whole number of minutes from 1 to 240, "
                          f"got {_describe(minutes)}")
    result["target_minutes"] = minutes
    return result


def _validate_participants(value: Any) -> list[dict[str, Any]]:
    result, seen = [], set()
    for index, item in enumerate(_list(value, "participants")):
        where = f"participants[{index}]"
        participant = _object(item, where, PARTICIPANT_FIELDS)
        ref = _text(participant, "ref", where, required=True, nonblank=True, max_length=64)
        if ref in seen:
            raise BundleError(f"{where}.ref: {ref!r} is used by another participant; refs must be unique")
        seen.add(ref)
        row = {"ref": ref, "name": _text(participant, "name", where, required=True, nonblank=True,
                                         max_length=NAME_MAX).strip()}
        for key in ("role", "team", "region", "notes"):
            row[key] = _text(participant, key, where)
        profile = _text(participant, "profile", where, default="other")
        if profile not in guide_mod.PROFILES:
            raise BundleError(f"{where}.profile: expected one of {', '.join(guide_mod.PROFILES)}, "
                              f"got {_describe(profile)}")
        row["profile"] = profile
        result.append(row)
    return result


def _validate_guide(value: Any) -> list[Question]:
    questions: list[Question] = []
    for index, item in enumerate(_list(value, "guide")):
        where = f"guide[{index}]"
        entry = _object(item, where, GUIDE_FIELDS)
        key = _text(entry, "key", where, required=True)
        if not KEY_PATTERN.match(key):
            raise BundleError(f"{where}.key: expected lower-case letters, digits and _ "
                              f"(starting with a letter), got {_describe(key)}")
        kind = _text(entry, "kind", where, required=True)
        if kind not in guide_mod.KINDS:
            raise BundleError(f"{where}.kind: expected one of {', '.join(guide_mod.KINDS)}, got {_describe(kind)}")
        options = tuple(_list(entry.get("options", []), f"{where}.options"))
        for number, option in enumerate(options):
            if not isinstance(option, str) or not option.strip():
                raise BundleError(f"{where}.options[{number}]: expected non-empty text")
        hidden = entry.get("hidden", False)
        if not isinstance(hidden, bool):
            raise BundleError(f"{where}.hidden: expected true/false, got {_describe(hidden)}")
        question = Question(key=key, section=_text(entry, "section", where, required=True, nonblank=True),
                            prompt=_text(entry, "prompt", where, required=True, nonblank=True),
                            hint=_text(entry, "hint", where), kind=kind, options=options, hidden=hidden)
        builtin = guide_mod.default_question(key)
        if builtin is not None:
            for extra in ("unit", "minimum", "maximum"):
                if extra in entry:
                    raise BundleError(f"{where}.{extra}: fixed for the built-in question {key!r}; leave it out")
            if kind == builtin.kind and options and options != builtin.options:
                raise BundleError(f"{where}.options: the options of the built-in question {key!r} are "
                                  f"{', '.join(builtin.options)} and cannot change")
            question = question.with_changes(options=builtin.options, unit=builtin.unit,
                                              minimum=builtin.minimum, maximum=builtin.maximum)
        else:
            question = question.with_changes(**_custom_limits(entry, where, kind))
        questions.append(question)
    try:
        guide_mod.check_guide(questions)
    except guide_mod.GuideError as error:
        raise BundleError(f"guide: {error}") from None
    return questions


def _custom_limits(entry: dict[str, Any], where: str, kind: str) -> dict[str, Any]:
    unit = _text(entry, "unit", where)
    if unit and (kind != "range" or unit not in guide_mod.RANGE_FIELDS):
        raise BundleError(f"{where}.unit: only a range question has a unit (employees or usd)")
    limits: dict[str, Any] = {"unit": unit}
    for key in ("minimum", "maximum"):
        bound = entry.get(key)
        if bound is not None:
            if kind not in ("scale", "number"):
                raise BundleError(f"{where}.{key}: only scale and number questions have bounds")
            if isinstance(bound, bool) or not isinstance(bound, (int, float)) or not math.isfinite(bound):
                raise BundleError(f"{where}.{key}: expected a number, got {_describe(bound)}")
        limits[key] = bound
    if limits["minimum"] is not None and limits["maximum"] is not None and limits["minimum"] > limits["maximum"]:
        raise BundleError(f"{where}.maximum: must not be below minimum")
    return limits


def _validate_interview(value: Any, where: str, refs: set[str], questions: dict[str, Question],
                        guide_name: str) -> ValidatedInterview:
    interview = _object(value, where, INTERVIEW_FIELDS)
    participant = _text(interview, "participant", where, required=True)
    if participant not in refs:
        raise BundleError(f"{where}.participant: no participant with ref {participant!r}")
    held_on = interview.get("held_on")
    if held_on is not None:
        try:
            if not isinstance(held_on, str) or not DATE_PATTERN.match(held_on):
                raise ValueError
            held_on = date.fromisoformat(held_on)
        except ValueError:
            raise BundleError(f"{where}.held_on: expected a date as YYYY-MM-DD, got {_describe(held_on)}") from None
    minutes = interview.get("duration_minutes")
    seconds = None
    if minutes is not None:
        if isinstance(minutes, bool) or not isinstance(minutes, (int, float)) or not 0 <= minutes <= 24 * 60:
            raise BundleError(f"{where}.duration_minutes: expected a number of minutes from 0 to 1440, "
                              f"got {_describe(minutes)}")
        seconds = round(minutes * 60)
    answers: dict[str, Any] = {}
    given = interview.get("answers", {})
    if not isinstance(given, dict):
        raise BundleError(f"{where}.answers: expected an object keyed by question key, got {_describe(given)}")
    for key, answer in given.items():
        if key not in questions:
            raise BundleError(f"{where}.answers.{key}: no question with this key in {guide_name}")
        try:
            normalised = guide_mod.validate_answer(questions[key], answer)
        except guide_mod.AnswerError as error:
            raise BundleError(f"{_answer_place(f'{where}.answers.{key}', error.path)}: {error.message}") from None
        if guide_mod.is_answered(normalised):
            answers[key] = normalised
    status = _text(interview, "status", where, default="done" if answers else "planned")
    if status not in guide_mod.INTERVIEW_STATUSES:
        raise BundleError(f"{where}.status: expected one of {', '.join(guide_mod.INTERVIEW_STATUSES)}, "
                          f"got {_describe(status)}")
    notes = []
    for index, item in enumerate(_list(interview.get("notes", []), f"{where}.notes")):
        place = f"{where}.notes[{index}]"
        note = _object(item, place, NOTE_FIELDS)
        kind = _text(note, "kind", place, default="quote")
        if kind not in guide_mod.NOTE_KINDS:
            raise BundleError(f"{place}.kind: expected one of {', '.join(guide_mod.NOTE_KINDS)}, got {_describe(kind)}")
        question = note.get("question")
        if question is not None and (not isinstance(question, str) or question not in questions):
            raise BundleError(f"{place}.question: expected a question key of the guide or null, "
                              f"got {_describe(question)}")
        notes.append({"kind": kind, "question": question,
                      "text": _text(note, "text", place, required=True, nonblank=True)})
    return ValidatedInterview(participant=participant, held_on=held_on, duration_seconds=seconds,
                              status=status, answers=answers, notes=notes)
