"""Definition versions: one working draft per workshop, and numbered versions frozen on save.

- The working draft is the ``DefinitionVersion`` with ``number=None`` and ``status="draft"``;
  ``current_draft`` creates it on first use (from the latest saved version if there is one,
  else from synthesis).
- ``save_version`` turns the draft into version N (``status="saved"``): its body never changes
  again. The next ``current_draft`` starts a new draft from it (``based_on_id``). The agreement
  step may move a numbered version's status along (proposed, agreed, superseded); its body
  stays frozen whatever the status.
- ``resynthesize_draft`` refreshes the draft from the interviews but keeps every decision taken:
  criteria accepted, edited or rejected keep their label, rule, points, decision and rationale
  (only their evidence and support are refreshed); criteria added by hand (ids starting with
  ``manual.``) stay; thresholds, reason codes or summary set by hand (``Definition.edited``) stay;
  SLA and glossary always stay.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from alignwork import store
from alignwork.definition.criteria import Criterion, Definition
from alignwork.models import DefinitionVersion
from alignwork.progress import NO_PROGRESS, Progress
from alignwork.interviews.inputs import BuiltFrom, Staleness, finished_interviews, staleness

DRAFT = "draft"
SAVED = "saved"
HAND_FIELDS = ("mql_threshold", "sql_threshold", "sql_min_intent", "reason_codes", "summary")
RULE_FIELDS = ("label", "conditions", "match", "points", "axis", "knockout", "manual_step")
FACT_FIELDS = ("support", "share", "consensus", "evidence")


def load_definition(version: DefinitionVersion) -> Definition:
    """The definition stored in a version."""
    return Definition.model_validate(version.body or {})


def _draft_row(session: Session, workshop_id: int) -> DefinitionVersion | None:
    return session.exec(select(DefinitionVersion).where(DefinitionVersion.workshop_id == workshop_id,
                                                        DefinitionVersion.number == None)  # noqa: E711
                        .order_by(DefinitionVersion.id.desc())).first()


def list_versions(*, session: Session, workshop_id: int) -> list[DefinitionVersion]:
    """Numbered (saved) versions, oldest first."""
    return list(session.exec(select(DefinitionVersion).where(DefinitionVersion.workshop_id == workshop_id,
                                                             DefinitionVersion.number != None)  # noqa: E711
                             .order_by(DefinitionVersion.number)))


def get_version(*, session: Session, workshop_id: int, number: int) -> DefinitionVersion:
    version = session.exec(select(DefinitionVersion).where(DefinitionVersion.workshop_id == workshop_id,
                                                           DefinitionVersion.number == number)).first()
    if version is None:
        raise store.StoreError(f"this workshop has no definition version {number}")
    return version


def current_draft(*, session: Session, workshop_id: int, progress: Progress = NO_PROGRESS) -> DefinitionVersion:
    """The working draft, created on first use (from the latest saved version, else from synthesis)."""
    draft = _draft_row(session, workshop_id)
    if draft is not None:
        return draft
    store.get_workshop(session=session, workshop_id=workshop_id)
    saved = list_versions(session=session, workshop_id=workshop_id)
    if saved:
        body, based_on = dict(saved[-1].body), saved[-1].id
    else:
        from alignwork.synthesis.engine import synthesize_workshop

        definition = synthesize_workshop(session=session, workshop_id=workshop_id, progress=progress).definition
        definition.built_from = finished_interviews(session=session, workshop_id=workshop_id).to_json()
        body, based_on = definition.model_dump(mode="json"), None
    draft = DefinitionVersion(workshop_id=workshop_id, status=DRAFT, body=body, based_on_id=based_on)
    session.add(draft)
    session.commit()
    return draft


def update_draft(*, session: Session, workshop_id: int, definition: Definition,
                 expected_version: int | None = None) -> DefinitionVersion:
    """Store the facilitator's edits in the draft. A criterion whose rule changed while still
    open becomes "edited"; hand-set thresholds, reason codes and summary are remembered.

    ``expected_version``: the draft's version the editor showed; a newer one (a colleague
    saved meanwhile) raises store.EditConflict and changes nothing."""
    draft = current_draft(session=session, workshop_id=workshop_id)
    store.check_version(session, draft, expected_version, "The definition draft")
    before = load_definition(draft)
    definition = Definition.model_validate(definition.model_dump())
    old = {c.id: c for c in before.criteria}
    for criterion in definition.criteria:
        previous = old.get(criterion.id)
        if previous is not None and criterion.decision == "open" and \
                any(getattr(previous, name) != getattr(criterion, name) for name in RULE_FIELDS):
            criterion.decision = "edited"
    edited = set(before.edited) | set(definition.edited)
    edited |= {name for name in HAND_FIELDS if getattr(before, name) != getattr(definition, name)}
    definition.edited = sorted(edited)
    draft.body = definition.model_dump(mode="json")
    return store.commit_stamped(session, draft)


def merge_definition(old: Definition, new: Definition, *, interviews: int) -> Definition:
    """Fresh synthesis ``new`` (of ``interviews`` interviews) with every decision of ``old`` kept
    (see the module doc)."""
    from alignwork.synthesis.draft import set_thresholds, summarize

    merged = new.model_copy(deep=True)
    fresh = {c.id: c for c in merged.criteria}
    kept: list[Criterion] = []
    for criterion in old.criteria:
        decided = criterion.decision != "open" or criterion.id.startswith("manual.")
        if not decided:
            continue
        keep = criterion.model_copy(deep=True)
        if criterion.id in fresh:
            for name in FACT_FIELDS:
                setattr(keep, name, getattr(fresh[criterion.id], name))
        kept.append(keep)
    kept_ids = {c.id for c in kept}
    order = [c.id for c in merged.criteria] + [c.id for c in kept if c.id not in fresh]
    by_id = {c.id: c for c in merged.criteria if c.id not in kept_ids} | {c.id: c for c in kept}
    merged.criteria = [by_id[criterion_id] for criterion_id in order]
    merged.sla, merged.glossary, merged.edited = dict(old.sla), list(old.glossary), list(old.edited)
    if not {"mql_threshold", "sql_threshold", "sql_min_intent"} & set(old.edited):
        set_thresholds(merged)
    for name in ("mql_threshold", "sql_threshold", "sql_min_intent", "reason_codes", "summary"):
        if name in old.edited:
            setattr(merged, name, getattr(old, name))
    if "summary" not in old.edited:
        merged.summary = summarize(merged, interviews)
    return merged


def resynthesize_draft(*, session: Session, workshop_id: int, progress: Progress = NO_PROGRESS) -> DefinitionVersion:
    """Refresh the draft from the interviews and corrections, keeping every decision taken."""
    from alignwork.synthesis.engine import synthesize_workshop

    draft = current_draft(session=session, workshop_id=workshop_id, progress=progress)
    result = synthesize_workshop(session=session, workshop_id=workshop_id, progress=progress)
    merged = merge_definition(load_definition(draft), result.definition, interviews=result.count)
    merged.built_from = finished_interviews(session=session, workshop_id=workshop_id).to_json()
    draft.body = merged.model_dump(mode="json")
    return store.commit_stamped(session, draft)


def built_from_of(definition: Definition) -> BuiltFrom:
    """The interviews ``definition`` was synthesized from (a draft made before it kept them:
    the interviews its criteria cite)."""
    if definition.built_from:
        return BuiltFrom.from_json(definition.built_from)
    return BuiltFrom.of_ids({i for c in definition.criteria for i in c.evidence.interview_ids})


def definition_staleness(*, session: Session, workshop_id: int, definition: Definition) -> Staleness:
    """How the finished interviews differ from those the definition was synthesized from."""
    return staleness(built_from_of(definition), finished_interviews(session=session, workshop_id=workshop_id))


def save_version(*, session: Session, workshop_id: int, note: str = "") -> DefinitionVersion:
    """Freeze the working draft as version N (1, 2, …); later edits go to a new draft based on it."""
    draft = current_draft(session=session, workshop_id=workshop_id)
    highest = session.exec(select(func.max(DefinitionVersion.number))
                           .where(DefinitionVersion.workshop_id == workshop_id)).one()
    draft.number = (highest or 0) + 1
    draft.status = SAVED
    draft.note = note.strip()
    return store.commit_stamped(session, draft)
