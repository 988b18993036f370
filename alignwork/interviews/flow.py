"""Running interviews: the per-workshop list, start / resume / finish, tag completion.

Plain functions over the store; the interview page and the autosave writer use them.
Status moves planned → in_progress → done; the resume point is the question the
facilitator was on (``current_key``) and how long the clock had run (``elapsed_seconds``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, select

from alignwork import store
from alignwork.interviews.guide import Question, is_answered
from alignwork.models import Answer, Interview, Participant, utcnow

NOT_STARTED = "not_started"  # a rep on the roster with no interview yet
STATUS_LABELS = {NOT_STARTED: "Not started", "planned": "Planned", "in_progress": "In progress", "done": "Done"}


@dataclass(frozen=True)
class InterviewRow:
    """One line of the interview list: a rep and (if any) one of their interviews."""

    participant_id: int
    rep: str
    role: str
    team: str
    interview_id: int | None
    status: str
    held_on: date | None
    duration_seconds: int | None
    elapsed_seconds: int
    current_key: str | None
    answered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class ResumePoint:
    interview_id: int
    rep: str
    current_key: str | None
    prompt: str
    elapsed_seconds: int


def format_duration(seconds: int | None) -> str:
    """"7:05", "1:02:10"; "" for no duration."""
    if seconds is None:
        return ""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def visible_questions(*, session: Session, workshop_id: int) -> list[Question]:
    return store.workshop_guide(session=session, workshop_id=workshop_id, include_hidden=False)


def sections_of(questions: list[Question]) -> list[tuple[str, list[Question]]]:
    """Questions grouped by section, sections in order of first appearance."""
    grouped: dict[str, list[Question]] = {}
    for question in questions:
        grouped.setdefault(question.section, []).append(question)
    return list(grouped.items())


def count_answered(questions: list[Question], answers: dict[str, Any]) -> int:
    return sum(1 for q in questions if is_answered(answers.get(q.key)))


def interview_rows(*, session: Session, workshop_id: int) -> list[InterviewRow]:
    """Every interview of the workshop, plus one "not started" row per rep without any."""
    questions = visible_questions(session=session, workshop_id=workshop_id)
    keys = {q.key for q in questions}
    participants = store.list_participants(session=session, workshop_id=workshop_id)
    interviews = store.list_interviews(session=session, workshop_id=workshop_id)
    answered: Counter[int] = Counter()
    if interviews:
        ids = [i.id for i in interviews]
        for interview_id, key, value in session.exec(
                select(Answer.interview_id, Answer.key, Answer.value).where(Answer.interview_id.in_(ids))):
            if key in keys and is_answered(value):
                answered[interview_id] += 1
    by_participant: dict[int, list[Interview]] = {}
    for interview in interviews:
        by_participant.setdefault(interview.participant_id, []).append(interview)
    rows = []
    for participant in participants:
        own = by_participant.get(participant.id) or [None]
        for interview in own:
            rows.append(InterviewRow(
                participant_id=participant.id, rep=participant.name, role=participant.role,
                team=participant.team, interview_id=interview.id if interview else None,
                status=interview.status if interview else NOT_STARTED,
                held_on=interview.held_on if interview else None,
                duration_seconds=interview.duration_seconds if interview else None,
                elapsed_seconds=interview.elapsed_seconds if interview else 0,
                current_key=interview.current_key if interview else None,
                answered=answered[interview.id] if interview else 0, total=len(questions)))
    return rows


def _interview(session: Session, interview_id: int) -> Interview:
    interview = session.get(Interview, interview_id)
    if interview is None:
        raise store.StoreError(f"no interview with id {interview_id}")
    return interview


def interview_for_participant(*, session: Session, participant_id: int) -> Interview:
    """The rep's interview to open: the latest unfinished one, else the latest, else a new one."""
    interviews = list(session.exec(select(Interview).where(Interview.participant_id == participant_id)
                                   .order_by(Interview.id)))
    unfinished = [i for i in interviews if i.status != "done"]
    if unfinished:
        return unfinished[-1]
    if interviews:
        return interviews[-1]
    return store.create_interview(session=session, participant_id=participant_id)


def start_interview(*, session: Session, interview_id: int, today: date | None = None) -> Interview:
    """Mark a planned interview as running, held today (a planned date gives way to the real
    one); a running or done one is left as is."""
    interview = _interview(session, interview_id)
    if interview.status == "planned":
        interview.status = "in_progress"
        interview.held_on = today or date.today()
        store.commit_stamped(session, interview)
    return interview


def save_position(*, session: Session, interview_id: int, current_key: str | None,
                  elapsed_seconds: int, commit: bool = True) -> Interview:
    """Remember where the facilitator is, so a crash can resume there."""
    interview = _interview(session, interview_id)
    interview.current_key = current_key
    interview.elapsed_seconds = max(0, int(elapsed_seconds))
    if interview.status == "done":
        interview.duration_seconds = interview.elapsed_seconds
    interview.updated_at = utcnow()
    session.add(interview)
    if commit:
        session.commit()
    return interview


def finish_interview(*, session: Session, interview_id: int, elapsed_seconds: int,
                     today: date | None = None) -> Interview:
    """Mark done and store the final duration (seconds on the clock, pauses excluded)."""
    interview = _interview(session, interview_id)
    interview.status = "done"
    interview.elapsed_seconds = max(0, int(elapsed_seconds))
    interview.duration_seconds = interview.elapsed_seconds
    interview.held_on = interview.held_on or today or date.today()
    interview.current_key = None
    return store.commit_stamped(session, interview)


def reopen_interview(*, session: Session, interview_id: int) -> Interview:
    """Put a finished interview back in progress (the clock continues from its duration)."""
    interview = _interview(session, interview_id)
    if interview.status == "done":
        interview.status = "in_progress"
        interview.elapsed_seconds = interview.duration_seconds or interview.elapsed_seconds
        store.commit_stamped(session, interview)
    return interview


def interrupted_interviews(*, session: Session, workshop_id: int) -> list[ResumePoint]:
    """Interviews left running (the app closed or was killed mid-interview), newest first."""
    prompts = {q.key: q.prompt for q in store.workshop_guide(session=session, workshop_id=workshop_id)}
    query = (select(Interview, Participant.name).join(Participant, Participant.id == Interview.participant_id)
             .where(Interview.workshop_id == workshop_id, Interview.status == "in_progress")
             .order_by(Interview.updated_at.desc()))
    return [ResumePoint(interview_id=interview.id, rep=name, current_key=interview.current_key,
                        prompt=prompts.get(interview.current_key or "", ""),
                        elapsed_seconds=interview.elapsed_seconds)
            for interview, name in session.exec(query)]


def tag_suggestions(*, session: Session, workshop_id: int, key: str) -> list[str]:
    """Tags given earlier for ``key`` in this workshop, most frequent first (case-folded duplicates merged)."""
    ids = select(Interview.id).where(Interview.workshop_id == workshop_id)
    counts: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for value in session.exec(select(Answer.value).where(Answer.key == key, Answer.interview_id.in_(ids))):
        if not isinstance(value, list):
            continue
        for tag in value:
            if isinstance(tag, str) and tag.strip():
                folded = tag.strip().casefold()
                spelling.setdefault(folded, tag.strip())
                counts[folded] += 1
    return [spelling[folded] for folded, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
