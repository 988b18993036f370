"""Store the facilitator's corrections to synthesis groups; they are replayed on every synthesis."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from alignwork import store
from alignwork.models import SynthesisCorrection
from alignwork.synthesis.groups import CORRECTION_OPS, Correction

MAX_LABEL = 120


def _to_core(row: SynthesisCorrection) -> Correction:
    return Correction(op=row.op, key=row.key, labels=tuple(row.labels or ()), members=tuple(row.members or ()),
                      target=row.target, id=row.id)


def list_corrections(*, session: Session, workshop_id: int) -> list[Correction]:
    rows = session.exec(select(SynthesisCorrection).where(SynthesisCorrection.workshop_id == workshop_id)
                        .order_by(SynthesisCorrection.position, SynthesisCorrection.id))
    return [_to_core(row) for row in rows]


def add_correction(*, session: Session, workshop_id: int, op: str, key: str, labels: list[str] | tuple = (),
                   members: list[str] | tuple = (), target: str = "") -> Correction:
    """Validate and store one correction (appended after the others)."""
    store.get_workshop(session=session, workshop_id=workshop_id)
    target = " ".join((target or "").split())
    labels = [label for label in labels if isinstance(label, str) and label]
    members = [member for member in members if isinstance(member, str) and member]
    if op not in CORRECTION_OPS:
        raise store.StoreError(f"a correction is one of {', '.join(CORRECTION_OPS)}")
    if len(target) > MAX_LABEL:
        raise store.StoreError(f"a group name is at most {MAX_LABEL} characters")
    if op == "merge" and len(labels) < 2:
        raise store.StoreError("pick at least two groups to merge")
    if op in ("rename", "split") and len(labels) != 1:
        raise store.StoreError(f"pick one group to {op}")
    if op in ("rename", "split", "move") and not target:
        raise store.StoreError("the new group needs a name")
    if op in ("split", "move") and not members:
        raise store.StoreError("pick the answers to move")
    position = session.exec(select(func.count()).select_from(SynthesisCorrection)
                            .where(SynthesisCorrection.workshop_id == workshop_id)).one()
    row = SynthesisCorrection(workshop_id=workshop_id, position=position, key=key, op=op, labels=list(labels),
                              members=list(members), target=target or (labels[0] if labels else ""))
    session.add(row)
    session.commit()
    return _to_core(row)


def delete_correction(*, session: Session, correction_id: int) -> None:
    """Undo one correction (the next synthesis no longer applies it)."""
    row = session.get(SynthesisCorrection, correction_id)
    if row is None:
        raise store.StoreError(f"no correction with id {correction_id}")
    session.delete(row)
    session.commit()


def clear_corrections(*, session: Session, workshop_id: int, key: str | None = None) -> int:
    """Remove all corrections of a workshop (or of one question); returns how many went."""
    query = select(SynthesisCorrection).where(SynthesisCorrection.workshop_id == workshop_id)
    if key is not None:
        query = query.where(SynthesisCorrection.key == key)
    rows = list(session.exec(query))
    for row in rows:
        session.delete(row)
    session.commit()
    return len(rows)
