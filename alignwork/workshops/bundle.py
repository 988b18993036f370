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

from sqlmodel import Session, func, select

from alignwork import store
from alignwork.atomic import write_atomic
from alignwork.workshops.bundle_validate import (  # noqa: F401  (part of this module's public API)
    FORMAT, NAME_MAX, PARTICIPANT_FIELDS, VERSION, BundleError, ValidatedBundle, validate_bundle,
)
from alignwork.interviews.guide import Question
from alignwork.models import Answer, GuideQuestion, Interview, Note, Participant, ParticipantCreate
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


MAX_DEPTH = 32  # a bundle nests 5 levels; anything deeper is not a bundle
MAX_DIGITS = 30  # no count, minute or bound in a bundle needs more


def _bounded_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        raise BundleError(f"a number with {digits:,} digits is far too long for a workshop bundle")
    return int(text)


def _check_shape(data: Any, source: str) -> None:
    """BundleError for nesting deeper than MAX_DEPTH or text that is not valid Unicode (a lone
    surrogate such as \\ud800 cannot be stored); walked without recursion, names the place."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise BundleError(f"{source}: {where or 'the bundle'} nests lists or objects more than {MAX_DEPTH} deep; "
                              "expected an Alignwork workshop bundle")
        if isinstance(value, str):
            if not value.isascii():
                _check_text(value, where or "the bundle", source)
        elif isinstance(value, dict):
            for key, item in value.items():
                _check_text(key, f"{where}.{key!r}" if where else repr(key), source, key=True)
                stack.append((item, f"{where}.{key}" if where else key, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{where}[{index}]", depth + 1) for index, item in enumerate(value))


def _check_text(text: str, where: str, source: str, key: bool = False) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        bad = text[error.start]
        raise BundleError(f"{source}: {'a key at ' if key else ''}{where} holds \\u{ord(bad):04x}, half of a "
                          "surrogate pair, which is not text; fix or remove it") from None


def parse_bundle_text(text: str, source: str = "the bundle") -> dict[str, Any]:
    """Parse JSON text into the bundle object (no format checks yet). Huge numbers, deep
    nesting and lone surrogates are one-line BundleErrors, never a traceback."""
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants,
                          parse_int=_bounded_int)
    except json.JSONDecodeError as error:
        raise BundleError(f"{source} is not valid JSON (line {error.lineno}, column {error.colno}: "
                          f"{error.msg})") from None
    except BundleError as error:
        raise BundleError(f"{source}: {error}") from None
    except RecursionError:
        raise BundleError(f"{source}: lists or objects nest far too deep (more than {MAX_DEPTH} levels); "
                          "expected an Alignwork workshop bundle") from None
    except ValueError as error:  # what the decoder itself refuses beyond our hooks
        raise BundleError(f"{source} cannot be read: {str(error).splitlines()[0]}") from None
    _check_shape(data, source)
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


def _bulk_insert(session: Session, model, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` of ``model`` in one executemany (each gets the model's defaults, the same
    timestamps for all); their ids in the same order."""
    from sqlalchemy import insert

    if not rows:
        return []
    defaults = {}
    for name, info in model.model_fields.items():
        if name == "id" or name not in model.__table__.columns:
            continue
        defaults[name] = info.default_factory() if info.default_factory is not None else info.default
    table = model.__table__
    first = session.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    session.execute(insert(table), [{**defaults, **row} for row in rows])
    # one writer inside this transaction: SQLite numbers new rows max(id) + 1, + 2, … in order
    ids = session.execute(select(table.c.id).where(table.c.id > first).order_by(table.c.id)).scalars().all()
    if len(ids) != len(rows):  # pragma: no cover - would mean another writer in our transaction
        raise BundleError("the database changed during the import; nothing was imported")
    return list(ids)


def _write(session: Session, bundle: ValidatedBundle, workshop_fields: dict[str, Any]) -> ImportResult:
    """Rows are inserted in bulk, one statement per table (one query per rep made a 20,000-rep
    roster take minutes)."""
    from pydantic import ValidationError

    workshop = store.create_workshop(session=session, commit=False, **workshop_fields)
    reps = []
    for position, row in enumerate(bundle.participants):
        fields = {key: value for key, value in row.items() if key != "ref"}
        try:
            checked = ParticipantCreate.model_validate(fields)
        except ValidationError as error:
            raise BundleError(f"participants[{position}]: {store.validation_message(error)}") from None
        reps.append({**checked.model_dump(), "workshop_id": workshop.id, "ref": row["ref"], "position": position})
    ids = dict(zip((rep["ref"] for rep in reps), _bulk_insert(session, Participant, reps)))
    if bundle.guide is not None:
        store.save_guide(session=session, workshop_id=workshop.id, questions=bundle.guide, commit=False)
    interview_ids = _bulk_insert(session, Interview, [
        {"workshop_id": workshop.id, "participant_id": ids[item.participant], "held_on": item.held_on,
         "status": item.status, "duration_seconds": item.duration_seconds,
         "elapsed_seconds": item.duration_seconds or 0} for item in bundle.interviews])
    answers = [{"interview_id": interview_id, "key": key, "value": value}
               for interview_id, item in zip(interview_ids, bundle.interviews) for key, value in item.answers.items()]
    notes = [{"interview_id": interview_id, "position": position, **note}
             for interview_id, item in zip(interview_ids, bundle.interviews)
             for position, note in enumerate(item.notes)]
    _bulk_insert(session, Answer, answers)
    _bulk_insert(session, Note, notes)
    session.expire_all()  # the ORM learns of the rows from the database, not from objects
    return ImportResult(workshop_id=workshop.id, name=workshop.name, participants=len(bundle.participants),
                        interviews=len(bundle.interviews), answers=len(answers), notes=len(notes))


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
