"""Workshop bundles, format version 1: read, validate, import and export whole workshops.

A bundle is one JSON object (see docs/bundle.md and resources/bundle.schema.json).
Import checks everything before it writes anything (alignwork.workshops.bundle_validate),
then writes in one transaction; export then import reproduces the workshop exactly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from alignwork import store
from alignwork.atomic import write_atomic
from alignwork.workshops.bundle_validate import (  # noqa: F401  (part of this module's public API)
    FORMAT, NAME_MAX, PARTICIPANT_FIELDS, VERSION, BundleError, ValidatedBundle, validate_bundle,
)
from alignwork.interviews.guide import Question
from alignwork.models import Answer, GuideQuestion, Note
from alignwork.paths import resource
from alignwork.words import counted

__all__ = ["BundleError", "ImportResult", "ValidatedBundle", "load_bundle_file", "validate_bundle",
           "import_bundle", "export_bundle", "write_bundle_file", "demo_bundle_path", "import_demo",
           "parse_bundle_text", "bundle_json", "minutes_from_seconds"]


@dataclass(frozen=True)
class ImportResult:
    workshop_id: int
    name: str
    participants: int
    interviews: int
    answers: int
    notes: int

    def describe(self) -> str:
        return (f"workshop {self.workshop_id} {self.name!r}: {counted(self.participants, 'rep')}, "
                f"{counted(self.interviews, 'interview')}, {counted(self.answers, 'answer')}, {counted(self.notes, 'note')}")


# ---------------------------------------------------------------- reading

def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise BundleError(f"the key {key!r} appears twice in one object")
        result[key] = value
    return result


def _no_constants(name: str) -> None:
    raise BundleError(f"{name} is not a valid JSON number")


def parse_bundle_text(text: str, source: str = "the bundle") -> dict[str, Any]:
    """Parse JSON text into the bundle object (no format checks yet)."""
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants)
    except json.JSONDecodeError as error:
        raise BundleError(f"{source} is not valid JSON (line {error.lineno}, column {error.colno}: "
                          f"{error.msg})") from None
    except BundleError as error:
        raise BundleError(f"{source}: {error}") from None
    if not isinstance(data, dict):
        raise BundleError(f"{source} does not hold a JSON object; expected an Alignwork workshop bundle")
    return data


def load_bundle_file(path: str | Path) -> dict[str, Any]:
    """Read a bundle file into a dict; BundleError in plain words if that is impossible."""
    path = Path(path).expanduser()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BundleError(f"cannot read {path}: no such file") from None
    except IsADirectoryError:
        raise BundleError(f"cannot read {path}: it is a folder") from None
    except OSError as error:
        raise BundleError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BundleError(f"{path} is not a text file in UTF-8; expected a JSON workshop bundle") from None
    return parse_bundle_text(text, str(path))


def demo_bundle_path() -> Path:
    """The demo workshop shipped with the app."""
    return resource("demo_workshop.json")


# ---------------------------------------------------------------- import

def import_bundle(*, session: Session, data: dict[str, Any], name: str | None = None,
                  rename_if_taken: bool = False) -> ImportResult:
    """Validate ``data`` completely, then create the workshop in one transaction.

    ``name`` replaces the bundle's workshop name. If the name is taken: BundleError,
    or with ``rename_if_taken`` the first free "Name (2)", "Name (3)"…
    On any error nothing is written.
    """
    bundle = validate_bundle(data)
    workshop_fields = dict(bundle.workshop)
    if name is not None:
        if not name.strip() or len(name.strip()) > NAME_MAX:
            raise BundleError(f"the new name must be 1 to {NAME_MAX} characters")
        workshop_fields["name"] = name.strip()
    if rename_if_taken:
        workshop_fields["name"] = store.unique_workshop_name(session=session, name=workshop_fields["name"])
    elif store.unique_workshop_name(session=session, name=workshop_fields["name"]) != workshop_fields["name"]:
        # "use --name" would be no help to someone who just did
        advice = "choose another --name" if name is not None else "use --name"
        raise BundleError(f"a workshop named {workshop_fields['name']!r} already exists; {advice}")
    try:
        result = _write(session, bundle, workshop_fields)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return result


def _write(session: Session, bundle: ValidatedBundle, workshop_fields: dict[str, Any]) -> ImportResult:
    workshop = store.create_workshop(session=session, commit=False, **workshop_fields)
    ids = {}
    for row in bundle.participants:
        fields = {key: value for key, value in row.items() if key != "ref"}
        ids[row["ref"]] = store.add_participant(session=session, workshop_id=workshop.id, ref=row["ref"],
                                                commit=False, **fields).id
    if bundle.guide is not None:
        store.save_guide(session=session, workshop_id=workshop.id, questions=bundle.guide, commit=False)
    answers = notes = 0
    for item in bundle.interviews:
        interview = store.create_interview(session=session, participant_id=ids[item.participant],
                                           held_on=item.held_on, status=item.status,
                                           duration_seconds=item.duration_seconds, commit=False)
        for key, value in item.answers.items():
            session.add(Answer(interview_id=interview.id, key=key, value=value))
        for position, note in enumerate(item.notes):
            session.add(Note(interview_id=interview.id, position=position, **note))
        answers += len(item.answers)
        notes += len(item.notes)
    session.flush()
    return ImportResult(workshop_id=workshop.id, name=workshop.name, participants=len(bundle.participants),
                        interviews=len(bundle.interviews), answers=answers, notes=notes)


def import_demo(*, session: Session) -> ImportResult:
    """Import the shipped demo workshop (renamed "… (2)" if one is already there)."""
    return import_bundle(session=session, data=load_bundle_file(demo_bundle_path()), rename_if_taken=True)


# ---------------------------------------------------------------- export

def minutes_from_seconds(seconds: int | None) -> int | float | None:
    """Bundle minutes: a whole number when whole, else rounded to 2 decimals."""
    if seconds is None:
        return None
    return seconds // 60 if seconds % 60 == 0 else round(seconds / 60, 2)


def export_bundle(*, session: Session, workshop_id: int) -> dict[str, Any]:
    """The workshop as a version-1 bundle dict (what write_bundle_file writes)."""
    workshop = store.get_workshop(session=session, workshop_id=workshop_id)
    participants = store.list_participants(session=session, workshop_id=workshop_id)
    refs = {p.id: p.ref for p in participants}
    data: dict[str, Any] = {
        "format": FORMAT, "version": VERSION,
        "workshop": {"name": workshop.name, "goal": workshop.goal, "company": workshop.company,
                     "facilitator": workshop.facilitator, "target_minutes": workshop.target_minutes},
        "participants": [{key: getattr(p, key) for key in PARTICIPANT_FIELDS} for p in participants],
    }
    customised = session.exec(select(GuideQuestion.id).where(GuideQuestion.workshop_id == workshop_id)).first()
    if customised is not None:
        data["guide"] = [_guide_entry(q) for q in store.workshop_guide(session=session, workshop_id=workshop_id)]
    order = {q.key: index for index, q in enumerate(store.workshop_guide(session=session, workshop_id=workshop_id))}

    def answers(interview_id: int) -> dict[str, Any]:
        given = store.answers_for(session=session, interview_id=interview_id)
        return {key: given[key] for key in sorted(given, key=lambda key: (order.get(key, len(order)), key))}

    data["interviews"] = [
        {"participant": refs[interview.participant_id],
         "held_on": interview.held_on.isoformat() if interview.held_on else None,
         "duration_minutes": minutes_from_seconds(interview.duration_seconds),
         "status": interview.status,
         "answers": answers(interview.id),
         "notes": [{"kind": note.kind, "question": note.question, "text": note.text}
                   for note in store.notes_for(session=session, interview_id=interview.id)]}
        for interview in store.list_interviews(session=session, workshop_id=workshop_id)]
    return data


def _guide_entry(question: Question) -> dict[str, Any]:
    entry = {"key": question.key, "section": question.section, "prompt": question.prompt,
             "hint": question.hint, "kind": question.kind, "options": list(question.options),
             "hidden": question.hidden}
    if not question.builtin:  # built-ins take these from the app; custom ones carry them when set
        if question.unit:
            entry["unit"] = question.unit
        entry.update({key: value for key, value in (("minimum", question.minimum),
                                                    ("maximum", question.maximum)) if value is not None})
    return entry


def bundle_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_bundle_file(data: dict[str, Any], path: str | Path) -> Path:
    """Write a bundle atomically (UTF-8, indented): never half a file."""
    return write_atomic(path, bundle_json(data))
