"""What synthesis reads: interviews as plain data, from the database or a bundle."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
    """Interviews of a workshop bundle, checked by ``alignwork.workshops.bundle.validate_bundle``;
    SynthesisInputError names the exact bad place."""
    from alignwork.workshops.bundle import BundleError, validate_bundle

    try:
        bundle = validate_bundle(data)
    except BundleError as error:
        raise SynthesisInputError(str(error)) from None
    participants = {p["ref"]: p for p in bundle.participants}
    result = []
    for interview in bundle.interviews:
        participant = participants[interview.participant]
        result.append(InterviewData(
            participant=participant["name"], team=participant["team"], profile=participant["profile"],
            region=participant["region"], role=participant["role"], status=interview.status,
            participant_ref=participant["ref"], answers=dict(interview.answers),
            notes=[NoteData(kind=n["kind"], text=n["text"], question=n["question"]) for n in interview.notes]))
    return result
