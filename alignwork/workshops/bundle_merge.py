"""Merge a colleague's bundle into an existing workshop (offline team work).

Reps are matched by ref when the names agree too, else by name (case and spacing ignored);
a rep the workshop does not know is added. A rep's interview that is not here yet is copied;
one that is here gets the answers and notes it lacks, and where both hold a different answer
to the same question ours is kept and the difference reported. Custom questions the bundle's
answers need are added to the end of the guide. Everything is checked before anything is
written, and written in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from alignwork import store
from alignwork.models import Answer, Note
from alignwork.workshops.bundle_validate import BundleError, validate_bundle
from alignwork.words import counted


@dataclass
class MergeResult:
    workshop_id: int
    name: str
    reps_added: int = 0
    reps_matched: int = 0
    interviews_added: int = 0
    answers_added: int = 0
    notes_added: int = 0
    questions_added: int = 0
    conflicts: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return (f"workshop {self.workshop_id} {self.name!r}: {counted(self.reps_matched, 'rep')} matched, "
                f"{counted(self.reps_added, 'rep')} added, {counted(self.interviews_added, 'interview')} added, "
                f"{counted(self.answers_added, 'answer')} and {counted(self.notes_added, 'note')} added, "
                f"{counted(len(self.conflicts), 'conflict')}")


def _same_name(text: str) -> str:
    return " ".join(text.split()).casefold()


def _shown(value: Any) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def merge_bundle(*, session: Session, data: dict[str, Any], workshop_id: int) -> MergeResult:
    """Merge ``data`` (a bundle dict) into the workshop; BundleError and nothing written if invalid."""
    bundle = validate_bundle(data)
    workshop = store.get_workshop(session=session, workshop_id=workshop_id)
    result = MergeResult(workshop_id=workshop.id, name=workshop.name)
    try:
        reps = _match_reps(session, workshop.id, bundle.participants, result)
        _add_questions(session, workshop.id, bundle, result)
        for item in bundle.interviews:
            _merge_interview(session, reps[item.participant], item, result)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return result


def _match_reps(session: Session, workshop_id: int, participants, result: MergeResult) -> dict[str, Any]:
    here = store.list_participants(session=session, workshop_id=workshop_id)
    by_ref = {p.ref: p for p in here}
    by_name: dict[str, Any] = {}
    for p in here:
        by_name.setdefault(_same_name(p.name), p)
    matched: dict[str, Any] = {}
    for row in participants:
        name = _same_name(row["name"])
        same_ref = by_ref.get(row["ref"])
        rep = same_ref if same_ref is not None and _same_name(same_ref.name) == name else by_name.get(name)
        if same_ref is not None and rep is not same_ref:
            result.conflicts.append(f"ref {row['ref']} is {same_ref.name} here but {row['name']} in the bundle; "
                                    f"{'matched by name' if rep else 'added as a new rep'}")
        if rep is None:
            fields = {key: value for key, value in row.items() if key != "ref"}
            rep = store.add_participant(session=session, workshop_id=workshop_id,
                                        ref=row["ref"] if row["ref"] not in by_ref else None, commit=False, **fields)
            by_ref[rep.ref] = rep
            by_name.setdefault(name, rep)
            result.reps_added += 1
        else:
            result.reps_matched += 1
        matched[row["ref"]] = rep
    return matched


def _add_questions(session: Session, workshop_id: int, bundle, result: MergeResult) -> None:
    """Custom questions that the bundle's answers or notes use and this guide lacks."""
    if bundle.guide is None:
        return
    guide = store.workshop_guide(session=session, workshop_id=workshop_id)
    known = {q.key for q in guide}
    used = {key for item in bundle.interviews for key in item.answers}
    used |= {note["question"] for item in bundle.interviews for note in item.notes if note.get("question")}
    missing = [q for q in bundle.guide if q.key not in known and q.key in used]
    if missing:
        store.save_guide(session=session, workshop_id=workshop_id, questions=guide + missing, commit=False)
        result.questions_added = len(missing)


def _merge_interview(session: Session, rep, item, result: MergeResult) -> None:
    existing = [i for i in store.list_interviews(session=session, workshop_id=rep.workshop_id)
                if i.participant_id == rep.id]
    interview = existing[0] if existing else None
    if interview is None:
        interview = store.create_interview(session=session, participant_id=rep.id, held_on=item.held_on,
                                           status=item.status, duration_seconds=item.duration_seconds, commit=False)
        result.interviews_added += 1
    ours = store.answers_for(session=session, interview_id=interview.id)
    if not ours and interview.status == "planned":  # a planned, empty interview takes the bundle's state
        interview.held_on, interview.status = item.held_on, item.status
        interview.duration_seconds = item.duration_seconds
        session.add(interview)
        if existing:
            result.interviews_added += 1
    for key, value in item.answers.items():
        if key not in ours:
            session.add(Answer(interview_id=interview.id, key=key, value=value))
            result.answers_added += 1
        elif ours[key] != value:
            result.conflicts.append(f"{rep.name}, {key}: kept {_shown(ours[key])!r} here; the bundle has "
                                    f"{_shown(value)!r}")
    notes_here = {(n.kind, n.question, n.text) for n in store.notes_for(session=session, interview_id=interview.id)}
    position = len(notes_here)
    for note in item.notes:
        if (note["kind"], note.get("question"), note["text"]) in notes_here:
            continue
        session.add(Note(interview_id=interview.id, position=position, **note))
        position += 1
        result.notes_added += 1
    session.flush()


__all__ = ["BundleError", "MergeResult", "merge_bundle"]
