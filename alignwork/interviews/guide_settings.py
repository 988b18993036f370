"""Editing how a custom question is answered: the options of a choice, the bounds of a
number or scale, the unit of a range.

Built-in questions keep their settings: synthesis reads their answers by them. An
edit that would make an answer already given invalid is refused, naming the
interviews that hold it; renaming a choice option renames it in those answers too,
in the same commit, so nothing is lost.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from alignwork.interviews import guide as guide_mod
from alignwork import store
from alignwork.interviews.guide import Question
from alignwork.models import Answer, Interview, Participant
from alignwork.interviews.guide_edit import RANGE_UNITS

UNIT_NAMES = {"employees": "employees", "usd": "US dollars", "": "plain numbers"}
SCALE_LIMITS = (0, 9)  # every point of a scale is one key press


@dataclass(frozen=True)
class GivenAnswer:
    """An answer already given to a question: whose interview, and the value."""

    rep: str
    answer_id: int
    value: Any


def given_answers(*, session: Session, workshop_id: int, key: str) -> list[GivenAnswer]:
    """The answers to ``key`` in this workshop, with the rep of each interview."""
    query = (select(Participant.name, Answer.id, Answer.value)
             .join(Interview, Interview.id == Answer.interview_id)
             .join(Participant, Participant.id == Interview.participant_id)
             .where(Interview.workshop_id == workshop_id, Answer.key == key)
             .order_by(Participant.name))
    return [GivenAnswer(rep, answer_id, value) for rep, answer_id, value in session.exec(query)]


def interviews_of(answers: list[GivenAnswer]) -> str:
    """Whose interviews hold these answers, in words: "Ana Lopez's interview",
    "the interviews of Ana Lopez and Ben Okafor", "the interviews of A, B, C and 3 more"."""
    reps = list(dict.fromkeys(answer.rep for answer in answers))
    if len(reps) == 1:
        return f"{reps[0]}'s interview"
    shown = reps[:3]
    rest = len(reps) - len(shown)
    names = ", ".join(shown[:-1]) + (f", {shown[-1]} and {rest} more" if rest else f" and {shown[-1]}")
    return f"the interviews of {names}"


def _editable(questions: list[Question], key: str, kind: tuple[str, ...]) -> tuple[int, Question]:
    index = next((i for i, q in enumerate(questions) if q.key == key), None)
    if index is None:
        raise store.StoreError(f"no question {key!r} in this guide")
    question = questions[index]
    if question.builtin:
        raise store.StoreError("the settings of a built-in question are fixed, so synthesis can read its answers")
    if question.kind not in kind:
        raise store.StoreError(f"a {question.kind} question has no such setting")
    return index, question


def _replace(questions: list[Question], index: int, question: Question) -> list[Question]:
    result = list(questions)
    result[index] = question
    return result


def clean_options(options: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Options stripped, blanks dropped, duplicates (ignoring case) kept once."""
    seen: dict[str, str] = {}
    for option in options:
        text = " ".join((option or "").split())
        if text and text.casefold() not in seen:
            seen[text.casefold()] = text
    return tuple(seen.values())


def set_options(questions: list[Question], key: str, options: list[str] | tuple[str, ...], *,
                answers: list[GivenAnswer]) -> list[Question]:
    """Replace a custom choice's options (add, remove, reorder); an option in use cannot go."""
    index, question = _editable(questions, key, ("choice",))
    cleaned = clean_options(options)
    if len(cleaned) < 2:
        raise store.StoreError("a choice question needs at least two options")
    for removed in (o for o in question.options if o not in cleaned):
        users = [a for a in answers if a.value == removed]
        if users:
            raise store.StoreError(f"“{removed}” is the answer in {interviews_of(users)}; "
                                   "change that answer first or keep the option")
    return _replace(questions, index, question.with_changes(options=cleaned))


def rename_option(*, session: Session, workshop_id: int, key: str, old: str, new: str,
                  expected_version: int | None = None) -> list[Question]:
    """Rename one option of a custom choice and the answers that chose it, in one commit
    (``expected_version``: see store.save_guide)."""
    questions = store.workshop_guide(session=session, workshop_id=workshop_id)
    index, question = _editable(questions, key, ("choice",))
    new = " ".join((new or "").split())
    if old not in question.options:
        raise store.StoreError(f"“{old}” is not an option of this question")
    if not new:
        raise store.StoreError("an option needs a name; to remove it, use Delete")
    if new == old:
        return questions
    if any(o.casefold() == new.casefold() for o in question.options if o != old):
        raise store.StoreError(f"“{new}” is already an option")
    options = tuple(new if o == old else o for o in question.options)
    edited = _replace(questions, index, question.with_changes(options=options))
    store.save_guide(session=session, workshop_id=workshop_id, questions=edited, commit=False,
                     expected_version=expected_version)
    for given in given_answers(session=session, workshop_id=workshop_id, key=key):
        if given.value == old:
            answer = session.get(Answer, given.answer_id)
            answer.value = new
            session.add(answer)
    session.commit()
    return edited


def _bound(value: float | None, name: str) -> float | None:
    if value is None:
        return None
    if not math.isfinite(value):
        raise store.StoreError(f"the {name} value must be a number")
    return int(value) if float(value).is_integer() else float(value)


def set_bounds(questions: list[Question], key: str, minimum: float | None, maximum: float | None, *,
               answers: list[GivenAnswer]) -> list[Question]:
    """Set the lowest and highest value of a custom number (None = no limit) or scale.

    Refused when an answer already given would fall outside."""
    index, question = _editable(questions, key, ("number", "scale"))
    minimum, maximum = _bound(minimum, "lowest"), _bound(maximum, "highest")
    if question.kind == "scale":
        low, high = SCALE_LIMITS
        if minimum is None or maximum is None or not all(isinstance(b, int) for b in (minimum, maximum)):
            raise store.StoreError("a scale runs between two whole numbers")
        if not (low <= minimum < maximum <= high):
            raise store.StoreError(f"a scale runs from {low}–{high - 1} up to at most {high}, "
                                   "with at least two points")
    if minimum is not None and maximum is not None and minimum > maximum:
        raise store.StoreError("the lowest value is above the highest")
    edited = question.with_changes(minimum=minimum, maximum=maximum)
    outside = _invalid(edited, answers)
    if outside:
        values = ", ".join(dict.fromkeys(f"{a.value:g}" for a in outside))
        raise store.StoreError(f"{interviews_of(outside)} answered {values}, outside "
                               f"{_describe_bounds(minimum, maximum)}; change that answer first")
    return _replace(questions, index, edited)


def _invalid(question: Question, answers: list[GivenAnswer]) -> list[GivenAnswer]:
    """The answers that would not fit ``question``."""
    invalid = []
    for given in answers:
        try:
            guide_mod.validate_answer(question, given.value)
        except guide_mod.AnswerError:
            invalid.append(given)
    return invalid


def _describe_bounds(minimum: float | None, maximum: float | None) -> str:
    if minimum is not None and maximum is not None:
        return f"{minimum:g}–{maximum:g}"
    if minimum is not None:
        return f"{minimum:g} or more"
    return f"up to {maximum:g}" if maximum is not None else "any number"


def set_unit(questions: list[Question], key: str, unit: str, *, answers: list[GivenAnswer]) -> list[Question]:
    """Set what a custom range counts: "employees", "usd" or "" (plain numbers).

    Answers typed as words are read again in the new unit; an answer stored in a
    unit's own fields (from a bundle) would no longer fit, so it refuses the change."""
    index, question = _editable(questions, key, ("range",))
    if unit not in RANGE_UNITS:
        raise store.StoreError("a range counts employees, US dollars or plain numbers")
    edited = question.with_changes(unit=unit)
    misfits = _invalid(edited, answers)
    if misfits:
        raise store.StoreError(f"{interviews_of(misfits)} holds this range in "
                               f"{UNIT_NAMES.get(question.unit, question.unit)}; change that answer first")
    return _replace(questions, index, edited)
