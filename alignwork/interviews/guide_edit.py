"""Editing a workshop's guide: reword, reorder, hide, add or remove custom questions.

Each operation is a pure function on the question list; ``edit_guide`` loads the
workshop's guide, applies one and saves. Answers are keyed by question key and are
never touched, so no edit can lose one: hiding keeps them, and a custom question
can only be removed while nobody has answered it.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func
from sqlmodel import Session, select

from alignwork.interviews import guide as guide_mod
from alignwork import store
from alignwork.interviews.guide import Question
from alignwork.models import Answer, Interview
from alignwork.words import counted

RANGE_UNITS = ("employees", "usd", "")


def _index(questions: list[Question], key: str) -> int:
    for index, question in enumerate(questions):
        if question.key == key:
            return index
    raise store.StoreError(f"no question {key!r} in this guide")


def reword(questions: list[Question], key: str, *, prompt: str | None = None,
           hint: str | None = None) -> list[Question]:
    """Change what the facilitator reads (prompt) or the hint under it."""
    index = _index(questions, key)
    changes = {}
    if prompt is not None:
        if not prompt.strip():
            raise store.StoreError("a question needs a prompt")
        changes["prompt"] = prompt.strip()
    if hint is not None:
        changes["hint"] = hint.strip()
    result = list(questions)
    result[index] = result[index].with_changes(**changes)
    return result


def set_hidden(questions: list[Question], key: str, hidden: bool) -> list[Question]:
    index = _index(questions, key)
    result = list(questions)
    result[index] = result[index].with_changes(hidden=hidden)
    return result


def move(questions: list[Question], key: str, step: int) -> list[Question]:
    """Move a question one place up (step −1) or down (+1) inside its section.

    At the edge of a section it crosses into the neighbouring section (at its end
    when moving up, at its start when moving down); at the very top or bottom it stays.
    """
    index = _index(questions, key)
    question = questions[index]
    sections = list(dict.fromkeys(q.section for q in questions))
    same = [i for i, q in enumerate(questions) if q.section == question.section]
    position = same.index(index)
    result = list(questions)
    target = position + step
    if 0 <= target < len(same):
        other = same[target]
        result[index], result[other] = result[other], result[index]
        return result
    neighbour = sections.index(question.section) + step
    if not 0 <= neighbour < len(sections):
        return result
    moved = question.with_changes(section=sections[neighbour])
    del result[index]
    members = [i for i, q in enumerate(result) if q.section == moved.section]
    insert_at = members[-1] + 1 if step < 0 else members[0]
    result.insert(insert_at, moved)
    return result


def add_question(questions: list[Question], *, section: str, prompt: str, kind: str, hint: str = "",
                 options: list[str] | tuple[str, ...] = (), unit: str = "",
                 minimum: float | None = None, maximum: float | None = None,
                 after_key: str | None = None) -> tuple[list[Question], str]:
    """Add a custom question of any kind but BANT; returns the new guide and the new key."""
    prompt = (prompt or "").strip()
    if not prompt:
        raise store.StoreError("a question needs a prompt")
    if kind not in guide_mod.KINDS or kind == "bant":
        raise store.StoreError(f"a custom question is text, tags, choice, scale, number or range, not {kind!r}")
    options = tuple(dict.fromkeys(o.strip() for o in options if o and o.strip()))
    if kind == "choice" and len(options) < 2:
        raise store.StoreError("a choice question needs at least two options")
    if kind == "range" and unit not in RANGE_UNITS:
        raise store.StoreError(f"a range is in {', '.join(u or 'plain numbers' for u in RANGE_UNITS)}")
    if kind == "scale":
        minimum, maximum = (1 if minimum is None else minimum), (5 if maximum is None else maximum)
    if minimum is not None and maximum is not None and minimum > maximum:
        raise store.StoreError("the lowest value is above the highest")
    key = guide_mod.new_custom_key({q.key for q in questions}, prompt)
    question = Question(key=key, section=(section or "").strip() or "Custom", prompt=prompt, hint=hint.strip(),
                        kind=kind, options=options if kind == "choice" else (),
                        unit=unit if kind == "range" else "", minimum=minimum, maximum=maximum)
    result = list(questions)
    if after_key is not None:
        result.insert(_index(result, after_key) + 1, question)
    else:
        members = [i for i, q in enumerate(result) if q.section == question.section]
        result.insert(members[-1] + 1 if members else len(result), question)
    return result, key


def answer_count(*, session: Session, workshop_id: int, key: str) -> int:
    """How many interviews of the workshop hold an answer to ``key``."""
    ids = select(Interview.id).where(Interview.workshop_id == workshop_id)
    return session.exec(select(func.count()).select_from(Answer)
                        .where(Answer.key == key, Answer.interview_id.in_(ids))).one()


def remove_question(questions: list[Question], key: str, *, answers: int) -> list[Question]:
    """Remove a custom question nobody answered (built-in ones and answered ones can only be hidden)."""
    index = _index(questions, key)
    if questions[index].builtin:
        raise store.StoreError("built-in questions cannot be removed, only hidden")
    if answers:
        raise store.StoreError(f"{counted(answers, 'interview')} answered this question; hide it instead to keep them")
    return questions[:index] + questions[index + 1:]


def edit_guide(*, session: Session, workshop_id: int,
               operation: Callable[[list[Question]], list[Question]],
               expected_version: int | None = None) -> list[Question]:
    """Load the workshop's guide, apply ``operation`` and save the result in one commit
    (``expected_version``: see store.save_guide)."""
    questions = store.workshop_guide(session=session, workshop_id=workshop_id)
    edited = operation(list(questions))
    if edited != questions:
        store.save_guide(session=session, workshop_id=workshop_id, questions=edited,
                         expected_version=expected_version)
    return edited
