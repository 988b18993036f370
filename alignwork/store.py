"""Keyword-only data access for workshops, the roster, the guide and interviews.

Every function takes the session explicitly and validates its input through
the non-table models. Functions that change data commit; callers never need to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from pydantic import ValidationError
from sqlalchemy import DateTime, case, column, func, table, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from alignwork.interviews import guide as guide_mod
from alignwork.interviews.guide import Question
from alignwork import models  # the roster and interview tables are built on first use, not at start
from alignwork.models import Workshop, WorkshopCreate, WorkshopUpdate, utcnow
from alignwork.words import counted
from alignwork.team import EditConflict, check_version  # noqa: F401 (also stamps who changed what)


class StoreError(ValueError):
    """Input the store refuses, with a message fit for the user."""


def commit_stamped(session: Session, row):
    """Stamp ``row.updated_at`` with now, commit it and return it (every room's edited rows)."""
    row.updated_at = utcnow()
    session.add(row)
    session.commit()
    return row


def validation_message(error: ValidationError) -> str:
    """The first problem of a pydantic error in plain words: "target_minutes: …"."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ()))
    message = first.get("msg", "invalid").removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def _validated(model, data: dict[str, Any]):
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise StoreError(validation_message(error)) from None


# ---------------------------------------------------------------- workshops

def list_workshops(*, session: Session, include_archived: bool = True) -> list[Workshop]:
    query = select(Workshop).order_by(Workshop.archived, Workshop.name)
    if not include_archived:
        query = query.where(Workshop.archived == False)  # noqa: E712
    return list(session.exec(query))


def get_workshop(*, session: Session, workshop_id: int) -> Workshop:
    workshop = session.get(Workshop, workshop_id)
    if workshop is None:
        raise StoreError(f"no workshop with id {workshop_id}")
    return workshop


def find_workshop(*, session: Session, ident: str) -> Workshop:
    """A workshop by id (digits) or exact name."""
    ident = ident.strip()
    workshop = session.exec(select(Workshop).where(Workshop.name == ident)).first()
    if workshop is None and ident.isdigit():
        workshop = session.get(Workshop, int(ident))
    if workshop is None:
        raise StoreError(f"no workshop with id or name {ident!r} (see `python -m alignwork list`)")
    return workshop


def _name_taken(session: Session, name: str, except_id: int | None = None) -> bool:
    query = select(Workshop.id).where(Workshop.name == name)
    if except_id is not None:
        query = query.where(Workshop.id != except_id)
    return session.exec(query).first() is not None


def unique_workshop_name(*, session: Session, name: str) -> str:
    """``name``, or "name (2)", "name (3)"… if taken."""
    candidate, counter = name, 2
    while _name_taken(session, candidate):
        candidate, counter = f"{name} ({counter})", counter + 1
    return candidate


def create_workshop(*, session: Session, commit: bool = True, **fields: Any) -> Workshop:
    data = _validated(WorkshopCreate, fields)
    if _name_taken(session, data.name):
        raise StoreError(f"a workshop named {data.name!r} already exists")
    workshop = Workshop.model_validate(data)
    session.add(workshop)
    if commit:
        session.commit()
    else:
        session.flush()
    return workshop


def update_workshop(*, session: Session, workshop_id: int, **fields: Any) -> Workshop:
    changes = _validated(WorkshopUpdate, fields).model_dump(exclude_unset=True)
    workshop = get_workshop(session=session, workshop_id=workshop_id)
    if "name" in changes and _name_taken(session, changes["name"], except_id=workshop_id):
        raise StoreError(f"a workshop named {changes['name']!r} already exists")
    for key, value in changes.items():
        setattr(workshop, key, value)
    workshop.updated_at = utcnow()
    session.add(workshop)
    session.commit()
    return workshop


@dataclass(frozen=True)
class WorkshopCounts:
    participants: int
    interviews: int
    done: int
    answers: int
    notes: int

    def describe(self) -> str:
        return (f"{counted(self.participants, 'rep')}, {counted(self.interviews, 'interview')} "
                f"({self.done} done) with {counted(self.answers, 'answer')} and {counted(self.notes, 'note')}")


# Plain SQL on purpose: the overview shows these counts at every start, and building the same
# query from ORM expressions cost ~3 ms more to compile (once per run) than it takes to execute.
_WORKSHOP_COUNTS = text(
    "SELECT (SELECT count(*) FROM participant WHERE workshop_id = :w),"
    " (SELECT count(*) FROM interview WHERE workshop_id = :w),"
    " (SELECT count(*) FROM interview WHERE workshop_id = :w AND status = 'done'),"
    " (SELECT count(*) FROM answer JOIN interview ON interview.id = answer.interview_id"
    "  WHERE interview.workshop_id = :w),"
    " (SELECT count(*) FROM note JOIN interview ON interview.id = note.interview_id"
    "  WHERE interview.workshop_id = :w)")


def workshop_counts(*, session: Session, workshop_id: int) -> WorkshopCounts:
    """How many reps, interviews (and done ones), answers and notes a workshop holds, in one query."""
    row = session.execute(_WORKSHOP_COUNTS, {"w": workshop_id}).one()
    return WorkshopCounts(*row)


@dataclass(frozen=True)
class WorkshopOverview:
    """One line of the workshop list: the workshop, its size and when it last changed."""

    workshop: Workshop
    participants: int
    interviews: int
    done: int
    last_activity: datetime


def _as_utc(moment: datetime) -> datetime:
    # SQLite hands datetimes back without a zone; they were written in UTC
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def workshop_overview(*, session: Session, include_archived: bool = True) -> list[WorkshopOverview]:
    """Every workshop with rep and interview counts, in three queries whatever the number."""
    workshops = list_workshops(session=session, include_archived=include_archived)
    # bare table clauses: counting must not build every room's SQLModel classes (~0.15 s) for `list`
    participant = table("participant", column("workshop_id"))
    interview = table("interview", column("workshop_id"), column("status"), column("updated_at", DateTime()))
    reps = dict(session.exec(select(participant.c.workshop_id, func.count()).group_by(participant.c.workshop_id)).all())
    interviews = {row[0]: row[1:] for row in session.exec(
        select(interview.c.workshop_id, func.count(), func.sum(case((interview.c.status == "done", 1), else_=0)),
               func.max(interview.c.updated_at)).group_by(interview.c.workshop_id)).all()}
    result = []
    for workshop in workshops:
        total, done, touched = interviews.get(workshop.id, (0, 0, None))
        moments = [_as_utc(workshop.updated_at)] + ([_as_utc(touched)] if touched else [])
        result.append(WorkshopOverview(workshop=workshop, participants=reps.get(workshop.id, 0),
                                       interviews=total, done=int(done or 0), last_activity=max(moments)))
    return result


def delete_workshop(*, session: Session, workshop_id: int) -> WorkshopCounts:
    """Delete a workshop and everything in it; returns what was lost."""
    workshop = get_workshop(session=session, workshop_id=workshop_id)
    counts = workshop_counts(session=session, workshop_id=workshop_id)
    session.delete(workshop)
    session.commit()
    return counts


# ---------------------------------------------------------------- roster

def list_participants(*, session: Session, workshop_id: int) -> list[models.Participant]:
    return list(session.exec(select(models.Participant).where(models.Participant.workshop_id == workshop_id)
                             .order_by(models.Participant.position, models.Participant.id)))


def _next_ref(session: Session, workshop_id: int) -> str:
    # two facilitators adding reps at once on a shared server must not pick the same ref: the
    # workshop row is locked until this transaction ends (PostgreSQL; SQLite has one writer anyway)
    session.exec(select(Workshop.id).where(Workshop.id == workshop_id).with_for_update())
    refs = set(session.exec(select(models.Participant.ref).where(models.Participant.workshop_id == workshop_id)))
    number = len(refs) + 1
    while f"p{number}" in refs:
        number += 1
    return f"p{number}"


def add_participant(*, session: Session, workshop_id: int, ref: str | None = None,
                    commit: bool = True, **fields: Any) -> models.Participant:
    data = _validated(models.ParticipantCreate, fields)
    get_workshop(session=session, workshop_id=workshop_id)
    position = session.exec(select(func.count()).select_from(models.Participant)
                            .where(models.Participant.workshop_id == workshop_id)).one()
    participant = models.Participant(**data.model_dump(), workshop_id=workshop_id,
                              ref=ref or _next_ref(session, workshop_id), position=position)
    session.add(participant)
    if commit:
        session.commit()
    else:
        session.flush()
    return participant


def add_participants(*, session: Session, workshop_id: int, rows: list[dict[str, Any]]) -> list[models.Participant]:
    """Add many reps in one transaction: all or none."""
    try:
        added = [add_participant(session=session, workshop_id=workshop_id, commit=False, **row) for row in rows]
        session.commit()
    except Exception:
        session.rollback()
        raise
    return added


def update_participant(*, session: Session, participant_id: int, **fields: Any) -> models.Participant:
    changes = _validated(models.ParticipantUpdate, fields).model_dump(exclude_unset=True)
    participant = session.get(models.Participant, participant_id)
    if participant is None:
        raise StoreError(f"no rep with id {participant_id}")
    for key, value in changes.items():
        setattr(participant, key, value)
    session.add(participant)
    session.commit()
    return participant


def delete_participant(*, session: Session, participant_id: int) -> int:
    """Remove a rep and their interviews; returns how many interviews went with them."""
    participant = session.get(models.Participant, participant_id)
    if participant is None:
        raise StoreError(f"no rep with id {participant_id}")
    interviews = session.exec(select(func.count()).select_from(models.Interview)
                              .where(models.Interview.participant_id == participant_id)).one()
    session.delete(participant)
    session.commit()
    return interviews


# ---------------------------------------------------------------- guide

def _question_from_row(row: models.GuideQuestion) -> Question:
    return Question(key=row.key, section=row.section, prompt=row.prompt, hint=row.hint, kind=row.kind,
                    options=tuple(row.options or ()), unit=row.unit, minimum=row.minimum,
                    maximum=row.maximum, hidden=row.hidden)


def workshop_guide(*, session: Session, workshop_id: int, include_hidden: bool = True) -> list[Question]:
    """The workshop's guide in order (the default guide if it was never edited)."""
    rows = list(session.exec(select(models.GuideQuestion).where(models.GuideQuestion.workshop_id == workshop_id)
                             .order_by(models.GuideQuestion.position, models.GuideQuestion.id)))
    questions = [_question_from_row(row) for row in rows] if rows else list(guide_mod.DEFAULT_GUIDE)
    return [q for q in questions if include_hidden or not q.hidden]


def guide_version(*, session: Session, workshop_id: int) -> int:
    """The guide's version: 0 while it is the default guide, one up at every save."""
    found = session.exec(select(func.max(models.GuideQuestion.version))
                         .where(models.GuideQuestion.workshop_id == workshop_id)).first()
    return found or 0


def save_guide(*, session: Session, workshop_id: int, questions: list[Question], commit: bool = True,
               expected_version: int | None = None) -> None:
    """Replace the workshop's guide. Answers are keyed by question key and are never touched.

    ``expected_version``: the guide_version the editor showed; if a colleague saved the guide
    since, EditConflict is raised and nothing changes."""
    old_rows = session.exec(select(models.GuideQuestion).where(models.GuideQuestion.workshop_id == workshop_id)
                            .with_for_update()).all()
    version = max((row.version for row in old_rows), default=0)
    if expected_version is not None and version != expected_version:
        newest = max(old_rows, key=lambda row: (row.changed_at is not None, row.changed_at or 0), default=None)
        raise EditConflict("The guide", newest.changed_by if newest else "", newest.changed_at if newest else None,
                           version)
    try:
        guide_mod.check_guide(questions)
    except guide_mod.GuideError as error:
        raise StoreError(str(error)) from None
    # answers and notes must keep their question, or they could no longer be shown or exported
    interview_ids = select(models.Interview.id).where(models.Interview.workshop_id == workshop_id)
    used = set(session.exec(select(models.Answer.key).where(models.Answer.interview_id.in_(interview_ids))))
    used |= set(session.exec(select(models.Note.question).where(models.Note.interview_id.in_(interview_ids),
                                                         models.Note.question.is_not(None))))
    dropped = sorted(used - {q.key for q in questions})
    if dropped:
        raise StoreError(f"{dropped[0]} already has answers or notes; hide the question instead of removing it")
    for row in old_rows:
        session.delete(row)
    session.flush()
    for position, q in enumerate(questions):
        session.add(models.GuideQuestion(workshop_id=workshop_id, key=q.key, position=position, section=q.section,
                                  prompt=q.prompt, hint=q.hint, kind=q.kind, options=list(q.options),
                                  unit=q.unit, minimum=q.minimum, maximum=q.maximum, hidden=q.hidden,
                                  version=version + 1))
    if commit:
        session.commit()


# ---------------------------------------------------------------- interviews

def list_interviews(*, session: Session, workshop_id: int) -> list[models.Interview]:
    return list(session.exec(select(models.Interview).where(models.Interview.workshop_id == workshop_id)
                             .order_by(models.Interview.id)))


def create_interview(*, session: Session, participant_id: int, held_on: date | None = None,
                     status: str = "planned", duration_seconds: int | None = None,
                     commit: bool = True) -> models.Interview:
    participant = session.get(models.Participant, participant_id)
    if participant is None:
        raise StoreError(f"no rep with id {participant_id}")
    if status not in guide_mod.INTERVIEW_STATUSES:
        raise StoreError(f"status must be one of {', '.join(guide_mod.INTERVIEW_STATUSES)}")
    interview = models.Interview(workshop_id=participant.workshop_id, participant_id=participant_id, held_on=held_on,
                          status=status, duration_seconds=duration_seconds,
                          elapsed_seconds=duration_seconds or 0)
    session.add(interview)
    if commit:
        session.commit()
    else:
        session.flush()
    return interview


def answers_for(*, session: Session, interview_id: int) -> dict[str, Any]:
    answers = session.exec(select(models.Answer).where(models.Answer.interview_id == interview_id))
    return {a.key: a.value for a in answers}


def save_answer(*, session: Session, interview_id: int, key: str, value: Any,
                question: Question | None = None, commit: bool = True) -> models.Answer | None:
    """Validate and store one answer (upsert). ``None`` or an empty value deletes it."""
    if question is not None:
        try:
            value = guide_mod.validate_answer(question, value)
        except guide_mod.AnswerError as error:
            raise StoreError(f"{key}{'.' + error.path if error.path and not error.path.startswith('[') else error.path}: "
                             f"{error.message}") from None
    answer = session.exec(select(models.Answer).where(models.Answer.interview_id == interview_id,
                                                      models.Answer.key == key)).first()
    if not guide_mod.is_answered(value):
        if answer is not None:
            session.delete(answer)
        answer = None
    else:
        if answer is None:
            answer = models.Answer(interview_id=interview_id, key=key)
        answer.value = value
        answer.updated_at = utcnow()
        session.add(answer)
    if commit:
        session.commit()
    return answer


def notes_for(*, session: Session, interview_id: int) -> list[models.Note]:
    return list(session.exec(select(models.Note).where(models.Note.interview_id == interview_id)
                             .order_by(models.Note.position, models.Note.id)))


def add_note(*, session: Session, interview_id: int, kind: str, text: str,
             question: str | None = None, commit: bool = True) -> models.Note:
    if kind not in guide_mod.NOTE_KINDS:
        raise StoreError(f"a note is one of {', '.join(guide_mod.NOTE_KINDS)}")
    if not text.strip():
        raise StoreError("a note needs text")
    position = session.exec(select(func.count()).select_from(models.Note)
                            .where(models.Note.interview_id == interview_id)).one()
    note = models.Note(interview_id=interview_id, kind=kind, text=text, question=question, position=position)
    session.add(note)
    if commit:
        session.commit()
    else:
        session.flush()
    return note


def safe_commit(session: Session) -> None:
    """Commit, turning a constraint violation into a StoreError."""
    try:
        session.commit()
    except IntegrityError as error:
        session.rollback()
        raise StoreError(f"the change conflicts with existing data ({error.orig})") from None
