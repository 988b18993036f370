"""What synthesis reads: interviews as plain data, from the database or a bundle."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from alignwork import guide

USED_STATUSES = ("done",)


class SynthesisInputError(ValueError):
    """Input synthesis cannot read; the message names the exact place."""


@dataclass(frozen=True)
class NoteData:
    kind: str  # quote | surprise | pain | idea
    text: str
    question: str | None = None


@dataclass
class InterviewData:
    """One interview with its rep: the unit synthesis counts."""

    participant: str
    answers: dict[str, Any] = field(default_factory=dict)
    notes: list[NoteData] = field(default_factory=list)
    team: str = ""
    profile: str = "other"
    region: str = ""
    role: str = ""
    status: str = "done"
    interview_id: int | None = None
    participant_ref: str = ""

    @property
    def team_name(self) -> str:
        return self.team.strip() or "No team"


def used_interviews(interviews: list[InterviewData]) -> list[InterviewData]:
    """Interviews that count: those marked done (in-progress ones are still changing)."""
    return [interview for interview in interviews if interview.status in USED_STATUSES]


def interviews_from_db(*, session, workshop_id: int) -> list[InterviewData]:
    """Every interview of a workshop with its rep, answers and notes (three queries, not N)."""
    from sqlmodel import select

    from alignwork import store
    from alignwork.models import Answer, Interview, Note, Participant

    store.get_workshop(session=session, workshop_id=workshop_id)
    participants = {p.id: p for p in session.exec(select(Participant).where(Participant.workshop_id == workshop_id))}
    interviews = list(session.exec(select(Interview).where(Interview.workshop_id == workshop_id)
                                   .order_by(Interview.id)))
    ids = [interview.id for interview in interviews]
    answers: dict[int, dict[str, Any]] = {interview_id: {} for interview_id in ids}
    notes: dict[int, list[NoteData]] = {interview_id: [] for interview_id in ids}
    if ids:
        for answer in session.exec(select(Answer).where(Answer.interview_id.in_(ids))):
            answers[answer.interview_id][answer.key] = answer.value
        for note in session.exec(select(Note).where(Note.interview_id.in_(ids)).order_by(Note.position, Note.id)):
            notes[note.interview_id].append(NoteData(kind=note.kind, text=note.text, question=note.question))
    order = {pid: (p.position, pid) for pid, p in participants.items()}
    interviews.sort(key=lambda i: (order.get(i.participant_id, (0, 0)), i.id))
    result = []
    for interview in interviews:
        participant = participants[interview.participant_id]
        result.append(InterviewData(
            participant=participant.name, team=participant.team, profile=participant.profile,
            region=participant.region, role=participant.role, status=interview.status,
            interview_id=interview.id, participant_ref=participant.ref,
            answers=answers[interview.id], notes=notes[interview.id]))
    return result


def interviews_from_bundle(data: Any) -> list[InterviewData]:
    """Interviews of a workshop bundle (format version 1); raises SynthesisInputError naming the place."""
    if not isinstance(data, dict) or data.get("format") != "alignwork-bundle":
        raise SynthesisInputError("not an Alignwork workshop bundle (expected \"format\": \"alignwork-bundle\")")
    if data.get("version") != 1:
        raise SynthesisInputError(f"version: bundle version {data.get('version')!r} is not supported (expected 1)")
    participants = data.get("participants") or []
    if not isinstance(participants, list):
        raise SynthesisInputError("participants: expected a list")
    by_ref: dict[str, dict] = {}
    for index, participant in enumerate(participants):
        if not isinstance(participant, dict) or not isinstance(participant.get("ref"), str) \
                or not isinstance(participant.get("name"), str) or not participant["name"].strip():
            raise SynthesisInputError(f"participants[{index}]: expected an object with \"ref\" and \"name\"")
        by_ref[participant["ref"]] = participant
    questions = guide.question_map()
    result = []
    interviews = data.get("interviews") or []
    if not isinstance(interviews, list):
        raise SynthesisInputError("interviews: expected a list")
    for index, interview in enumerate(interviews):
        where = f"interviews[{index}]"
        if not isinstance(interview, dict):
            raise SynthesisInputError(f"{where}: expected an object")
        participant = by_ref.get(interview.get("participant"))
        if participant is None:
            raise SynthesisInputError(f"{where}.participant: unknown participant ref {interview.get('participant')!r}")
        answers = interview.get("answers") or {}
        if not isinstance(answers, dict):
            raise SynthesisInputError(f"{where}.answers: expected an object")
        checked = {}
        for key, value in answers.items():
            question = questions.get(key)
            if question is None and not str(key).startswith("custom_"):
                raise SynthesisInputError(f"{where}.answers.{key}: unknown question key")
            try:
                checked[key] = guide.validate_answer(question, value) if question else value
            except guide.AnswerError as error:
                path = f".{error.path}" if error.path and not error.path.startswith("[") else error.path
                raise SynthesisInputError(f"{where}.answers.{key}{path}: {error.message}") from None
        notes = []
        for note_index, note in enumerate(interview.get("notes") or []):
            if not isinstance(note, dict) or not isinstance(note.get("text"), str):
                raise SynthesisInputError(f"{where}.notes[{note_index}]: expected an object with \"text\"")
            notes.append(NoteData(kind=str(note.get("kind") or "quote"), text=note["text"], question=note.get("question")))
        status = interview.get("status", "done")
        if status not in guide.INTERVIEW_STATUSES:
            raise SynthesisInputError(f"{where}.status: expected one of {', '.join(guide.INTERVIEW_STATUSES)}")
        result.append(InterviewData(
            participant=participant["name"], team=str(participant.get("team") or ""),
            profile=str(participant.get("profile") or "other"), region=str(participant.get("region") or ""),
            role=str(participant.get("role") or ""), status=status, interview_id=None,
            participant_ref=participant["ref"], answers=checked, notes=notes))
    return result
