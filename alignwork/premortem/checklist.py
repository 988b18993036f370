"""The premortem checklist: seeding from the library and the synthesis, reading,
sorting, filtering, updating, review date and overdue items.

The facilitated session (phases, votes, merging) lives in
``alignwork.premortem.session``; synthesis-derived risks in
``alignwork.premortem.from_synthesis``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func
from sqlmodel import Session, select

from alignwork.interviews.inputs import Staleness, finished_interviews, staleness
from alignwork.models import DefinitionVersion, Risk, RiskChecklist, RiskUpdate, utcnow
from alignwork.premortem.library import RiskSeed, library
from alignwork.store import StoreError, check_version, get_workshop, validation_message

CLASS_TITLES = {"tiger": "Tiger", "paper_tiger": "Paper tiger", "elephant": "Elephant"}
STATUS_TITLES = {"open": "Open", "mitigating": "Mitigating", "closed": "Closed"}
SOURCE_TITLES = {"library": "Library", "synthesis": "Synthesis", "participant": "Participant"}
# Every sortable/filterable field of an item, in checklist column order.
FIELDS = ("title", "description", "category", "source", "likelihood", "impact", "score", "klass", "votes",
          "owner", "mitigation", "due_date", "status", "review_notes", "evidence")


class PremortemError(StoreError):
    """A premortem action refused, with a message fit for the user."""


def synthesis_seeds(*, session: Session, workshop_id: int) -> list[RiskSeed]:
    """Risks raised by this workshop's synthesis; none if synthesis is unavailable or fails."""
    try:
        from alignwork.synthesis.engine import synthesize_workshop
    except ImportError:  # the synthesis room has not landed: library seeds only
        return []
    from alignwork.premortem.from_synthesis import risks_from_synthesis

    try:
        result = synthesize_workshop(session=session, workshop_id=workshop_id)
    except Exception:  # a workshop without interviews (or a synthesis bug) must not block the premortem
        session.rollback()
        return []
    data = result.to_dict() if hasattr(result, "to_dict") else dict(result)
    return risks_from_synthesis(data)


def _risk_from_seed(seed: RiskSeed, workshop_id: int, position: int) -> Risk:
    return Risk(workshop_id=workshop_id, key=seed.key, title=seed.title, description=seed.description,
                category=seed.category, source=seed.source, likelihood=seed.likelihood, impact=seed.impact,
                score=seed.likelihood * seed.impact, suggestion=seed.suggestion, evidence=list(seed.evidence),
                position=position)


def add_seeds(*, session: Session, workshop_id: int, seeds: Iterable[RiskSeed]) -> list[Risk]:
    """Add seeds whose key the checklist does not hold yet; refresh evidence of those it does."""
    existing = {risk.key: risk for risk in session.exec(select(Risk).where(Risk.workshop_id == workshop_id))
                if risk.key}
    position = _next_position(session, workshop_id)
    added = []
    for seed in seeds:
        if seed.key in existing:
            risk = existing[seed.key]
            if seed.evidence and list(seed.evidence) != risk.evidence:
                risk.evidence = list(seed.evidence)
                session.add(risk)
            continue
        risk = _risk_from_seed(seed, workshop_id, position)
        existing[seed.key] = risk
        session.add(risk)
        added.append(risk)
        position += 1
    session.commit()
    return added


def _checklist(session: Session, workshop_id: int) -> RiskChecklist:
    checklist = session.exec(select(RiskChecklist).where(RiskChecklist.workshop_id == workshop_id)).first()
    if checklist is None:
        checklist = RiskChecklist(workshop_id=workshop_id)
        session.add(checklist)
        session.flush()
    return checklist


def seed_checklist(*, session: Session, workshop_id: int) -> list[Risk]:
    """Seed the workshop's checklist once (library + synthesis). Later calls add nothing."""
    get_workshop(session=session, workshop_id=workshop_id)
    existing = session.exec(select(RiskChecklist).where(RiskChecklist.workshop_id == workshop_id)).first()
    if existing is not None and existing.seeded_at is not None:
        return []
    seeds = [*synthesis_seeds(session=session, workshop_id=workshop_id), *library()]
    checklist = _checklist(session, workshop_id)
    checklist.seeded_at = utcnow()
    session.add(checklist)
    return add_seeds(session=session, workshop_id=workshop_id, seeds=seeds)


def refresh_from_synthesis(*, session: Session, workshop_id: int) -> list[Risk]:
    """Add risks the latest synthesis raises that the checklist lacks (after new interviews);
    the checklist is then seeded from the interviews finished now."""
    checklist = _checklist(session, workshop_id)
    checklist.seeded_at = utcnow()
    session.add(checklist)
    return add_seeds(session=session, workshop_id=workshop_id,
                     seeds=synthesis_seeds(session=session, workshop_id=workshop_id))


def seeds_staleness(*, session: Session, workshop_id: int) -> Staleness:
    """How the finished interviews differ from those the synthesis seeds came from (fresh
    before the checklist is seeded: there is nothing to be stale yet)."""
    checklist = session.exec(select(RiskChecklist).where(RiskChecklist.workshop_id == workshop_id)).first()
    if checklist is None or checklist.seeded_at is None:
        return Staleness()
    return staleness(finished_interviews(session=session, workshop_id=workshop_id, as_of=checklist.seeded_at),
                     finished_interviews(session=session, workshop_id=workshop_id))


def brief_staleness(*, session: Session, workshop_id: int) -> Staleness:
    """The brief shows the draft definition: it is as stale as the draft."""
    from alignwork.definition.versions import definition_staleness

    definition = draft_definition(session=session, workshop_id=workshop_id)
    if definition is None:
        return Staleness()
    return definition_staleness(session=session, workshop_id=workshop_id, definition=definition)


def _next_position(session: Session, workshop_id: int) -> int:
    highest = session.exec(select(func.max(Risk.position)).where(Risk.workshop_id == workshop_id)).one()
    return 0 if highest is None else highest + 1


# ---------------------------------------------------------------- reading

def default_order(risk: Risk) -> tuple:
    """Most worrying first: score, then votes, then the order they were written."""
    return (-(risk.score or 0), -risk.votes, risk.position, risk.id or 0)


def list_risks(*, session: Session, workshop_id: int, include_merged: bool = False) -> list[Risk]:
    """The workshop's checklist, seeded on first use, most worrying first.

    Items folded into another by a merge are left out unless ``include_merged``.
    """
    seed_checklist(session=session, workshop_id=workshop_id)
    query = select(Risk).where(Risk.workshop_id == workshop_id)
    if not include_merged:
        query = query.where(Risk.merged_into_id == None)  # noqa: E711
    return sorted(session.exec(query), key=default_order)


def top_risks(*, session: Session, workshop_id: int, limit: int = 5) -> list[Risk]:
    """The risks that matter most: not closed, not paper tigers; tigers and elephants first,
    then by score and votes."""
    candidates = [r for r in list_risks(session=session, workshop_id=workshop_id)
                  if r.status != "closed" and r.klass != "paper_tiger"]
    candidates.sort(key=lambda r: (r.klass not in ("tiger", "elephant"), *default_order(r)))
    return candidates[:limit]


def get_risk(*, session: Session, risk_id: int) -> Risk:
    risk = session.get(Risk, risk_id)
    if risk is None:
        raise PremortemError(f"no risk with id {risk_id}")
    return risk


def field_text(risk: Risk, name: str) -> str:
    """A field as the user reads it (for filters, tables and exports)."""
    value = getattr(risk, name)
    if name == "klass":
        return CLASS_TITLES.get(value or "", "")
    if name == "status":
        return STATUS_TITLES.get(value, value)
    if name == "source":
        return SOURCE_TITLES.get(value, value)
    if name == "evidence":
        return "; ".join(value or [])
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def sort_risks(risks: Iterable[Risk], by: str, *, descending: bool = False) -> list[Risk]:
    """Sort by any field; empty values last whichever the direction."""
    if by not in FIELDS:
        raise PremortemError(f"cannot sort by {by!r}; choose one of {', '.join(FIELDS)}")
    risks = list(risks)

    def key(risk: Risk):
        value = getattr(risk, by)
        if isinstance(value, str | list):
            value = field_text(risk, by).casefold()
        return value

    present = [r for r in risks if key(r) not in (None, "")]
    missing = [r for r in risks if key(r) in (None, "")]
    return sorted(present, key=key, reverse=descending) + missing


def filter_risks(risks: Iterable[Risk], *, text: str = "", today: date | None = None,
                 overdue_only: bool = False, **equals: Any) -> list[Risk]:
    """Keep items whose fields equal ``equals`` (e.g. status="open", klass="tiger"), whose
    text fields contain ``text`` (case-insensitive) and, if asked, that are overdue."""
    unknown = set(equals) - set(FIELDS)
    if unknown:
        raise PremortemError(f"cannot filter by {', '.join(sorted(unknown))}")
    needle = text.casefold().strip()
    matches: list[Risk] = []
    for risk in risks:
        if any(getattr(risk, name) != value for name, value in equals.items()):
            continue
        if needle and not any(needle in field_text(risk, name).casefold() for name in FIELDS):
            continue
        if overdue_only and not is_overdue(risk, today):
            continue
        matches.append(risk)
    return matches


def is_overdue(risk: Risk, today: date | None = None) -> bool:
    """Past its due date and not closed."""
    return risk.due_date is not None and risk.status != "closed" and risk.due_date < (today or date.today())


def overdue_risks(*, session: Session, workshop_id: int, today: date | None = None) -> list[Risk]:
    return [r for r in list_risks(session=session, workshop_id=workshop_id) if is_overdue(r, today)]


# ---------------------------------------------------------------- changing

def _apply(risk: Risk, changes: dict[str, Any]) -> Risk:
    for name, value in changes.items():
        setattr(risk, name, value)
    risk.score = risk.likelihood * risk.impact if risk.likelihood and risk.impact else None
    risk.updated_at = utcnow()
    return risk


def validated_changes(fields: dict[str, Any]) -> dict[str, Any]:
    try:
        return RiskUpdate.model_validate(fields).model_dump(exclude_unset=True)
    except ValidationError as error:
        raise PremortemError(validation_message(error)) from None


def update_risk(*, session: Session, risk_id: int, expected_version: int | None = None, **fields: Any) -> Risk:
    """Change an item (title, scores, class, owner, mitigation, due date, status, notes…).

    ``expected_version``: the risk's version the editor showed (store.EditConflict if newer)."""
    changes = validated_changes(fields)
    risk = get_risk(session=session, risk_id=risk_id)
    check_version(session, risk, expected_version, f"The risk {risk.title!r}")
    risk = _apply(risk, changes)
    session.add(risk)
    session.commit()
    return risk


def add_risk(*, session: Session, workshop_id: int, title: str, description: str = "", category: str = "",
             author: str = "", session_id: int | None = None, commit: bool = True) -> Risk:
    """A risk written by a participant (or the facilitator)."""
    get_workshop(session=session, workshop_id=workshop_id)
    checked = validated_changes({"title": title})
    risk = Risk(workshop_id=workshop_id, session_id=session_id, title=checked["title"],
                description=description.strip(), category=category.strip(), source="participant",
                author=author.strip(), position=_next_position(session, workshop_id))
    session.add(risk)
    if commit:
        session.commit()
    else:
        session.flush()
    return risk


def delete_risk(*, session: Session, risk_id: int) -> Risk:
    """Remove an item for good (items merged into it come back as separate items)."""
    risk = get_risk(session=session, risk_id=risk_id)
    for folded in session.exec(select(Risk).where(Risk.merged_into_id == risk_id)):
        folded.merged_into_id = None
        session.add(folded)
    session.delete(risk)
    session.commit()
    return risk


def review_date(*, session: Session, workshop_id: int) -> date | None:
    checklist = session.exec(select(RiskChecklist).where(RiskChecklist.workshop_id == workshop_id)).first()
    return checklist.review_date if checklist else None


def set_review_date(*, session: Session, workshop_id: int, when: date | None) -> None:
    """The date the team next walks through the checklist."""
    get_workshop(session=session, workshop_id=workshop_id)
    checklist = _checklist(session, workshop_id)
    checklist.review_date = when
    session.add(checklist)
    session.commit()


def review_overdue(*, session: Session, workshop_id: int, today: date | None = None) -> bool:
    when = review_date(session=session, workshop_id=workshop_id)
    return when is not None and when < (today or date.today())


# ---------------------------------------------------------------- the plan being tested

def draft_definition(*, session: Session, workshop_id: int):
    """The draft definition as a ``Definition``, or None if there is none yet."""
    from alignwork.definition.criteria import Definition

    body = None
    try:
        from alignwork.definition.versions import current_draft
    except ImportError:
        current_draft = None
    if current_draft is not None:
        try:
            draft = current_draft(session=session, workshop_id=workshop_id)
        except Exception:
            session.rollback()
            draft = None
        if isinstance(draft, Definition):
            return draft
        body = getattr(draft, "body", draft)
    if body is None:
        row = session.exec(select(DefinitionVersion).where(DefinitionVersion.workshop_id == workshop_id)
                           .order_by(DefinitionVersion.number.is_(None).desc(), DefinitionVersion.id.desc())).first()
        body = row.body if row else None
    if not body:
        return None
    try:
        return Definition.model_validate(body)
    except ValidationError:
        return None


def plan_summary(*, session: Session, workshop_id: int) -> str | None:
    """A few lines describing the draft definition for the brief, or None without a draft."""
    from alignwork.definition.criteria import SECTION_TITLES

    definition = draft_definition(session=session, workshop_id=workshop_id)
    if definition is None or not definition.criteria:  # a draft of no interviews is no plan yet
        return None
    summary = definition.summary.strip()
    lines = [summary] if summary else []
    # a written summary already covers company and persona; the rules that move leads always show
    sections = ("mql", "sql", "disqualifiers") if summary else tuple(SECTION_TITLES)
    for section in sections:
        title = SECTION_TITLES[section]
        criteria = [c for c in definition.by_section(section) if c.decision != "rejected"]
        if criteria:
            more = f"; +{len(criteria) - 4} more" if len(criteria) > 4 else ""
            shown = "; ".join(c.label for c in criteria[:4]) + more
            lines.append(f"{title}: {shown}")
    if not summary:
        lines.append(f"Thresholds: MQL at {definition.mql_threshold} points, SQL at {definition.sql_threshold}.")
    return "\n".join(lines)


def default_initiative(*, session: Session, workshop_id: int) -> str:
    """"Roll out lead definition vN", N being the version the draft will become."""
    highest = session.exec(select(func.max(DefinitionVersion.number))
                           .where(DefinitionVersion.workshop_id == workshop_id)).one()
    return f"Roll out lead definition v{(highest or 0) + 1}"


def risks_as_dicts(risks: Iterable[Risk], today: date | None = None) -> list[dict[str, Any]]:
    """Plain data for JSON output and exports."""
    rows = []
    for risk in risks:
        row = {name: getattr(risk, name) for name in ("id", *FIELDS, "author", "suggestion", "merged_titles")}
        row["due_date"] = risk.due_date.isoformat() if risk.due_date else None
        row["overdue"] = is_overdue(risk, today)
        rows.append(row)
    return rows
