"""Agreement: a definition version's status flow, sign-off, service-level agreement and glossary.

Status flow of a definition version (``DefinitionVersion.status``)::

    draft ──save──► saved ──propose──► proposed ──agree──► agreed ──(next agree)──► superseded

- The working draft (``number=None``) is the only editable body. ``propose`` freezes
  it as version N (``alignwork.definition.versions.save_version``) or moves a saved version on.
- Agreeing needs at least one Sales and one Marketing signer with a signing date.
  Agreeing version N supersedes the version agreed before it.
- Agreed and superseded versions are locked: bodies never change (versions does
  that) and their signers cannot be edited. Changing one means ``start_draft_from``:
  a new working draft based on it.
- The SLA and glossary live in the version body, so they version, lock and
  compare with the criteria. Signers and status history are tables
  (``alignwork.models.agreement``) attached to one numbered version.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError
from sqlmodel import Session, select

from alignwork.definition import versions
from alignwork.definition.criteria import Definition
from alignwork.models import DefinitionVersion, Signer, SignerCreate, VersionEvent, utcnow
from alignwork.store import StoreError, check_version, commit_stamped, validation_message
from alignwork.words import plural

DRAFT, SAVED, PROPOSED, AGREED, SUPERSEDED = "draft", "saved", "proposed", "agreed", "superseded"
STATUSES = (DRAFT, SAVED, PROPOSED, AGREED, SUPERSEDED)
LOCKED = frozenset({AGREED, SUPERSEDED})
SIGNABLE = frozenset({SAVED, PROPOSED})
CADENCES = ("weekly", "every two weeks", "monthly", "quarterly", "twice a year", "yearly")


class AgreementError(StoreError):
    """A status change or edit the agreement rules refuse, in plain words."""


class ServiceLevel(BaseModel):
    """What Sales and Marketing promise each other (stored in ``Definition.sla``)."""

    mql_follow_up_hours: int = Field(24, ge=1, le=720)
    demo_follow_up_hours: int = Field(4, ge=1, le=720)
    contact_attempts: int = Field(5, ge=1, le=30)
    attempt_window_days: int = Field(10, ge=1, le=90)
    rejection_return_days: int = Field(2, ge=1, le=30)  # business days to return a rejected lead
    reason_code_required: bool = True  # a rejected lead carries one of the definition's reason codes
    recycle_after_days: int = Field(90, ge=1, le=730)  # nurture leads come back to Marketing
    review_meeting: Literal[CADENCES] = "monthly"  # type: ignore[valid-type]
    full_review: Literal[CADENCES] = "quarterly"  # type: ignore[valid-type]
    next_review: date | None = None


DEFAULT_GLOSSARY: tuple[tuple[str, str], ...] = (
    ("Lead", "Any person who gave us contact details or showed interest, before anyone has judged fit or intent."),
    ("MQL", "Marketing qualified lead: fits the ideal company and persona and reached the MQL score; "
            "Marketing hands it to Sales."),
    ("SQL", "Sales qualified lead: Sales accepted it and confirmed a need, a buying role and a timeline; "
            "it becomes an opportunity."),
    ("Disqualified", "A lead that can never buy (student, competitor, job seeker, invalid data); "
                     "returned with a reason code and not contacted again."),
    ("Recycled / nurture", "A real prospect that is not ready now; Marketing keeps nurturing it and it can "
                           "become an MQL again."),
)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_sla(today: date | None = None) -> ServiceLevel:
    return ServiceLevel(next_review=add_months(today or date.today(), 1))


def sla_of(definition: Definition) -> ServiceLevel:
    """The definition's SLA, defaults filled in for anything not set."""
    sla = default_sla()
    for key, value in (definition.sla or {}).items():
        if key not in ServiceLevel.model_fields:
            continue
        try:  # a body written by hand or by an older app: keep every field that is valid
            sla = ServiceLevel.model_validate({**sla.model_dump(), key: value})
        except ValidationError:
            pass
    return sla


def glossary_of(definition: Definition) -> list[dict[str, str]]:
    """The definition's glossary (term, meaning), or the defaults if never edited."""
    if definition.glossary:
        return [{"term": e.get("term", ""), "meaning": e.get("meaning", "")} for e in definition.glossary]
    return [{"term": term, "meaning": meaning} for term, meaning in DEFAULT_GLOSSARY]


def with_agreement_defaults(definition: Definition) -> Definition:
    """A copy with the SLA and glossary filled in (for documents and editors)."""
    filled = definition.model_copy(deep=True)
    filled.sla = sla_of(definition).model_dump(mode="json")
    filled.glossary = glossary_of(definition)
    return filled


# ---------------------------------------------------------------- versions

def version_label(version: DefinitionVersion) -> str:
    return "Working draft" if version.number is None else f"Version {version.number}"


def all_versions(*, session: Session, workshop_id: int) -> list[DefinitionVersion]:
    """Numbered versions, newest first, then the working draft if there is one."""
    numbered = list(reversed(versions.list_versions(session=session, workshop_id=workshop_id)))
    draft = _draft(session, workshop_id)
    return ([draft] if draft is not None else []) + numbered


def find_version(*, session: Session, workshop_id: int, number: int | None) -> DefinitionVersion:
    """Version ``number``, or the working draft for None (created if needed)."""
    if number is None:
        return versions.current_draft(session=session, workshop_id=workshop_id)
    return versions.get_version(session=session, workshop_id=workshop_id, number=number)


def default_version(*, session: Session, workshop_id: int) -> DefinitionVersion:
    """What a document shows by default: the agreed version, else the newest numbered one, else the draft."""
    numbered = versions.list_versions(session=session, workshop_id=workshop_id)
    agreed = [v for v in numbered if v.status == AGREED]
    if agreed:
        return agreed[-1]
    return numbered[-1] if numbered else versions.current_draft(session=session, workshop_id=workshop_id)


def previous_version(*, session: Session, version: DefinitionVersion) -> DefinitionVersion | None:
    """The version this one is compared with in "changes since the previous version"."""
    numbered = versions.list_versions(session=session, workshop_id=version.workshop_id)
    if version.number is None:
        based = next((v for v in numbered if v.id == version.based_on_id), None)
        return based or (numbered[-1] if numbered else None)
    earlier = [v for v in numbered if v.number < version.number]
    return earlier[-1] if earlier else None


def _record(session: Session, version: DefinitionVersion, status: str, note: str = "") -> None:
    version.status = status
    version.updated_at = utcnow()
    session.add(version)
    session.add(VersionEvent(version_id=version.id, status=status, note=note.strip()))


def propose(*, session: Session, workshop_id: int, number: int | None = None, note: str = "") -> DefinitionVersion:
    """Put a version up for agreement. ``number=None`` freezes the working draft as the next version."""
    if number is None:
        unchanged = _unchanged_base(session, workshop_id)
        if unchanged is not None:
            raise AgreementError(f"the working draft has no changes since version {unchanged}; "
                                 f"edit it first, or propose version {unchanged} itself")
        version = versions.save_version(session=session, workshop_id=workshop_id, note=note)
    else:
        version = versions.get_version(session=session, workshop_id=workshop_id, number=number)
        if version.status == PROPOSED:
            return version
        if version.status != SAVED:
            raise AgreementError(f"version {number} is {version.status}; only a saved version can be proposed")
    _record(session, version, PROPOSED, note)
    session.commit()
    return version


def _unchanged_base(session: Session, workshop_id: int) -> int | None:
    """The number of the version the working draft would merely copy, or None if it holds something new."""
    numbered = versions.list_versions(session=session, workshop_id=workshop_id)
    if not numbered:
        return None
    draft = _draft(session, workshop_id)
    if draft is None:  # a new draft would start as a copy of the newest version
        return numbered[-1].number
    base = next((v for v in numbered if v.id == draft.based_on_id), None)
    if base is not None and versions.load_definition(base) == versions.load_definition(draft):
        return base.number
    return None


def signature_gaps(signers: list[Signer]) -> list[str]:
    """What is still missing before a version can be agreed (empty: ready)."""
    gaps = []
    for team in ("Sales", "Marketing"):
        if not any(s.team == team and s.signed_on for s in signers):
            gaps.append(f"a {team} signer with a signing date")
    return gaps


def agree(*, session: Session, workshop_id: int, number: int, note: str = "") -> DefinitionVersion:
    """Mark a proposed version agreed; the version agreed before it becomes superseded."""
    version = versions.get_version(session=session, workshop_id=workshop_id, number=number)
    if version.status != PROPOSED:
        raise AgreementError(f"version {number} is {version.status}; propose it before agreeing")
    gaps = signature_gaps(list_signers(session=session, version_id=version.id))
    if gaps:
        raise AgreementError(f"version {number} needs {' and '.join(gaps)} before it can be agreed")
    for other in versions.list_versions(session=session, workshop_id=workshop_id):
        if other.status == AGREED and other.id != version.id:
            _record(session, other, SUPERSEDED, f"superseded by version {number}")
    _record(session, version, AGREED, note)
    session.commit()
    return version


def _draft(session: Session, workshop_id: int) -> DefinitionVersion | None:
    return session.exec(select(DefinitionVersion).where(DefinitionVersion.workshop_id == workshop_id,
                                                        DefinitionVersion.number == None)  # noqa: E711
                        .order_by(DefinitionVersion.id.desc())).first()


def draft_has_edits(*, session: Session, workshop_id: int) -> bool:
    """Whether the working draft differs from the version it was started from."""
    draft = _draft(session, workshop_id)
    if draft is None:
        return False
    base = session.get(DefinitionVersion, draft.based_on_id) if draft.based_on_id else None
    return base is None or versions.load_definition(base) != versions.load_definition(draft)


def start_draft_from(*, session: Session, workshop_id: int, number: int, replace: bool = False) -> DefinitionVersion:
    """Make the working draft a copy of version ``number`` (how a locked version gets changed).

    Refuses to throw away a draft with edits unless ``replace`` is true.
    """
    source = versions.get_version(session=session, workshop_id=workshop_id, number=number)
    if not replace and draft_has_edits(session=session, workshop_id=workshop_id):
        raise AgreementError("the working draft has edits that are not in any version; "
                             "propose it first, or confirm replacing it")
    draft = versions.current_draft(session=session, workshop_id=workshop_id)
    draft.body = dict(source.body)
    draft.based_on_id = source.id
    return commit_stamped(session, draft)


def events_of(*, session: Session, version_id: int) -> list[VersionEvent]:
    return list(session.exec(select(VersionEvent).where(VersionEvent.version_id == version_id)
                             .order_by(VersionEvent.at, VersionEvent.id)))


def status_date(*, session: Session, version: DefinitionVersion, status: str | None = None) -> date | None:
    """When the version last reached ``status`` (default: its current status)."""
    wanted = status or version.status
    hits = [e for e in events_of(session=session, version_id=version.id) if e.status == wanted]
    return hits[-1].at.date() if hits else None


# ---------------------------------------------------------------- SLA and glossary (edit the draft)

def _edit_draft(session: Session, workshop_id: int, change, expected_version: int | None = None) -> DefinitionVersion:
    draft = versions.current_draft(session=session, workshop_id=workshop_id)
    definition = versions.load_definition(draft)
    change(definition)
    return versions.update_draft(session=session, workshop_id=workshop_id, definition=definition,
                                 expected_version=expected_version)


def set_sla(*, session: Session, workshop_id: int, expected_version: int | None = None,
            **fields: Any) -> DefinitionVersion:
    """Change SLA fields of the working draft (agreed versions stay as they were).

    ``expected_version``: the draft's version the editor showed (store.EditConflict if newer)."""
    draft = versions.current_draft(session=session, workshop_id=workshop_id)
    current = sla_of(versions.load_definition(draft)).model_dump()
    unknown = set(fields) - set(current)
    if unknown:
        raise AgreementError(f"unknown SLA {plural('field', len(unknown))}: {', '.join(sorted(unknown))}")
    try:
        sla = ServiceLevel.model_validate({**current, **fields})
    except ValidationError as error:
        raise AgreementError(validation_message(error)) from None

    def change(definition: Definition) -> None:
        definition.sla = sla.model_dump(mode="json")
    return _edit_draft(session, workshop_id, change, expected_version)


def set_glossary(*, session: Session, workshop_id: int, entries: list[dict[str, str]],
                 expected_version: int | None = None) -> DefinitionVersion:
    """Replace the working draft's glossary; every entry needs a term and a meaning, terms unique
    (``expected_version``: see set_sla)."""
    cleaned, seen = [], set()
    for index, entry in enumerate(entries, start=1):
        term, meaning = (entry.get("term") or "").strip(), (entry.get("meaning") or "").strip()
        if not term or not meaning:
            raise AgreementError(f"glossary entry {index} needs both a term and a meaning")
        if term.lower() in seen:
            raise AgreementError(f"the glossary has {term!r} twice")
        seen.add(term.lower())
        cleaned.append({"term": term, "meaning": meaning})

    def change(definition: Definition) -> None:
        definition.glossary = cleaned
    return _edit_draft(session, workshop_id, change, expected_version)


# ---------------------------------------------------------------- signers

def list_signers(*, session: Session, version_id: int) -> list[Signer]:
    return list(session.exec(select(Signer).where(Signer.version_id == version_id)
                             .order_by(Signer.position, Signer.id)))


def _signable(session: Session, version_id: int) -> DefinitionVersion:
    version = session.get(DefinitionVersion, version_id)
    if version is None:
        raise AgreementError(f"no definition version with id {version_id}")
    if version.status in LOCKED:
        raise AgreementError(f"{version_label(version).lower()} is {version.status} and locked; "
                             "start a new draft from it to change anything")
    if version.status not in SIGNABLE:
        raise AgreementError("the working draft still changes; propose it as a version before collecting signatures")
    return version


def _signer_fields(fields: dict[str, Any]) -> dict[str, Any]:
    try:
        return SignerCreate.model_validate(fields).model_dump()
    except ValidationError as error:
        raise AgreementError(validation_message(error)) from None


def add_signer(*, session: Session, version_id: int, **fields: Any) -> Signer:
    """Add a signer (name, role, team Sales|Marketing, signed_on) to a saved or proposed version."""
    _signable(session, version_id)
    data = _signer_fields(fields)
    position = len(list_signers(session=session, version_id=version_id))
    signer = Signer(**data, version_id=version_id, position=position)
    session.add(signer)
    session.commit()
    return signer


def update_signer(*, session: Session, signer_id: int, expected_version: int | None = None,
                  **fields: Any) -> Signer:
    """``expected_version``: the signer's version the editor showed (store.EditConflict if newer)."""
    signer = session.get(Signer, signer_id)
    if signer is None:
        raise AgreementError(f"no signer with id {signer_id}")
    _signable(session, signer.version_id)
    check_version(session, signer, expected_version, f"The signer {signer.name}")
    current = {name: getattr(signer, name) for name in ("name", "role", "team", "signed_on")}
    for key, value in _signer_fields({**current, **fields}).items():
        setattr(signer, key, value)
    session.add(signer)
    session.commit()
    return signer


def remove_signer(*, session: Session, signer_id: int) -> None:
    signer = session.get(Signer, signer_id)
    if signer is None:
        raise AgreementError(f"no signer with id {signer_id}")
    _signable(session, signer.version_id)
    session.delete(signer)
    session.commit()
