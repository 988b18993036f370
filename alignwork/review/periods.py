"""Review periods: add a month's CRM export, keep it, edit what the meeting aired and decided.

    period = add_period(session=…, workshop_id=…, period="2027-01", table=read_leads(path))

The file is read, mapped and scored exactly as a back-test (``alignwork.backtest``), with
the agreed version by default (``agreement.default_version``); adding a period that exists
replaces its metrics and findings and keeps its process issues and decisions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, select

from alignwork.backtest import mapping as mapping_mod
from alignwork.backtest.history import BacktestError, list_runs
from alignwork.backtest.run import run_backtest
from alignwork.definition import agreement, versions
from alignwork.models import DefinitionVersion, ReviewPeriod, utcnow
from alignwork.progress import NO_PROGRESS, Progress
from alignwork.review import columns as review_columns
from alignwork.review.findings import find_findings
from alignwork.review.metrics import PeriodResult, against_baseline, review_scored
from alignwork.store import StoreError, commit_stamped
from alignwork.words import counted

_PERIOD = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})\s*$")


class ReviewError(StoreError):
    """A review request that cannot be served, in plain words; nothing was changed."""


def parse_period(text: str) -> str:
    """ "2027-01", "2027-1", "2027/01" → "2027-01"; ReviewError otherwise."""
    match = _PERIOD.match(text or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ReviewError(f"{text!r} is not a month; write the period as YYYY-MM, e.g. 2027-01")
    return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"


def next_period(period: str) -> str:
    year, month = map(int, period.split("-"))
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def list_periods(*, session: Session, workshop_id: int) -> list[ReviewPeriod]:
    """The workshop's periods, oldest first."""
    return list(session.exec(select(ReviewPeriod).where(ReviewPeriod.workshop_id == workshop_id)
                             .order_by(ReviewPeriod.period)))


def get_period(*, session: Session, workshop_id: int, period: str) -> ReviewPeriod:
    label = parse_period(period)
    row = session.exec(select(ReviewPeriod).where(ReviewPeriod.workshop_id == workshop_id,
                                                  ReviewPeriod.period == label)).first()
    if row is None:
        raise ReviewError(f"there is no {label} review yet; add the period's CRM export first")
    return row


def review_version(*, session: Session, workshop_id: int, number: int | None = None) -> DefinitionVersion:
    """Version ``number``, else the agreed one (else the newest, else the draft)."""
    if number is not None:
        return versions.get_version(session=session, workshop_id=workshop_id, number=number)
    return agreement.default_version(session=session, workshop_id=workshop_id)


def baseline(*, session: Session, workshop_id: int, earlier: list[ReviewPeriod]) -> dict | None:
    """What the goal is measured against: the latest back-test (every lead went to Sales, at
    its overall conversion), else the first review period."""
    for run in list_runs(session=session, workshop_id=workshop_id):
        overall = (run.conversion or {}).get("overall")
        if overall:
            return {"source": f"back-test of {run.file_name}" if run.file_name else "back-test",
                    "volume_share": 1.0, "quality": overall}
    if earlier:
        first = earlier[0].metrics
        if first.get("volume_share") and first.get("quality"):
            return {"source": f"{earlier[0].period} review", "volume_share": first["volume_share"],
                    "quality": first["quality"]}
    return None


@dataclass
class Prepared:
    """A period file read and mapped, ready to review (``review_table``)."""

    mapping: mapping_mod.Mapping
    columns: review_columns.ReviewColumns


def prepare(*, session: Session, workshop_id: int, table, overrides: list[str] = (),
            columns: dict[str, str | None] | None = None) -> Prepared:
    """The attribute mapping (remembered per workshop, as for a back-test) and review columns: those
    chosen for files of these headers before (``review_columns.remembered_columns``), else found
    by their headers; ``columns`` (target → column or None) chooses them all, ``overrides``
    ("COLUMN=target") one at a time."""
    review_overrides, attribute_overrides = review_columns.split_overrides(list(overrides))
    sample = {column: table.frame[column].head(200).to_list() for column in table.columns}
    chosen = mapping_mod.remembered_mapping(session=session, workshop_id=workshop_id, columns=table.columns,
                                            sample=sample)
    chosen = mapping_mod.apply_overrides(chosen, attribute_overrides, table.columns)
    found = review_columns.find_columns(table.columns, set(chosen.columns) | {chosen.outcome_column})
    if columns is None:
        columns = review_columns.remembered_columns(session=session, workshop_id=workshop_id, columns=table.columns)
    if columns is not None:
        unknown = [column for column in columns.values() if column and column not in table.columns]
        if unknown:
            raise ReviewError(f"the file has no column {unknown[0]!r} (columns: {', '.join(table.columns)})")
        found = review_columns.ReviewColumns({target: column for target, column in columns.items()
                                              if column and target in review_columns.REVIEW_TARGETS})
    found = review_columns.apply_review_overrides(found, review_overrides, table.columns)
    # a status column read as won/lost would count accepted leads as won: the review reads it itself
    if chosen.outcome_column and chosen.outcome_column == found.get("status"):
        chosen.outcome_column = None
    if not chosen.columns:
        raise ReviewError(f"no column of {table.file_name or 'the file'} matches a lead attribute; "
                          f"use --map COLUMN=attribute (columns: {', '.join(table.columns)})")
    return Prepared(chosen, found)


def review_table(table, definition, prepared: Prepared, *, sla_hours: int | None,
                 progress: Progress = NO_PROGRESS, version_number: int | None = None) -> PeriodResult:
    """Score a period file with ``definition`` (the back-test's ``run_backtest``) and read it."""
    # the review's own columns are hashed with the attributes' (side by side, once): statuses,
    # reasons, owners and time stamps are then read once per distinct value
    read = ("status", "reason", "owner", "created", "contacted") if sla_hours else ("status", "reason", "owner")
    also = tuple(column for target, column in prepared.columns.columns.items() if target in read)
    result = run_backtest(table, definition, prepared.mapping, progress=progress, version_number=version_number,
                          read_also=also)
    return review_scored(result, prepared.columns, definition, sla_hours=sla_hours)


def add_period(*, session: Session, workshop_id: int, period: str, table, overrides: list[str] = (),
               columns: dict[str, str | None] | None = None, number: int | None = None,
               progress: Progress = NO_PROGRESS) -> tuple[ReviewPeriod, PeriodResult]:
    """Review ``table`` (a ``LeadTable``) as ``period``; stores and returns the period row and result.
    Review columns chosen (``columns``, or review targets in ``overrides``) are remembered for
    files with the same headers, as the attribute mapping is."""
    label = parse_period(period)
    version = review_version(session=session, workshop_id=workshop_id, number=number)
    definition = versions.load_definition(version)
    if not definition.scored_criteria():
        raise BacktestError(f"{agreement.version_label(version).lower()} has no criteria that score leads yet")
    try:
        prepared = prepare(session=session, workshop_id=workshop_id, table=table, overrides=overrides,
                           columns=columns)
    except mapping_mod.MappingError as error:
        raise ReviewError(str(error)) from None
    sla = agreement.sla_of(definition)
    result = review_table(table, definition, prepared, sla_hours=sla.mql_follow_up_hours, progress=progress,
                          version_number=version.number)
    if not result.metrics["leads"] and result.bad_lines:  # a month of nothing but bad lines is no month
        first = result.bad_lines[0]
        raise ReviewError(f"none of the {counted(table.rows, 'row')} of {table.file_name or 'the file'} could be "
                          f"read (line {first.line}: {first.reason}"
                          + (f"; {len(result.bad_lines) - 1:,} more" if len(result.bad_lines) > 1 else "")
                          + "); fix the file or export it again")
    everything = list_periods(session=session, workshop_id=workshop_id)
    earlier = [row for row in everything if row.period < label]
    result.metrics["goal"] = against_baseline(result.metrics, baseline(session=session, workshop_id=workshop_id,
                                                                       earlier=earlier))
    result.metrics["mapping"] = {**prepared.mapping.to_json(), "review": prepared.columns.to_json(),
                                 "headers": list(table.columns)}  # to choose the review's columns again
    findings = find_findings(result, [row.metrics for row in earlier], period_label=label)
    row = next((item for item in everything if item.period == label), None)
    if row is None:
        row = ReviewPeriod(workshop_id=workshop_id, period=label)
    else:  # a proposal accepted before stays accepted
        accepted = {item["id"]: item.get("accepted") for item in row.findings if item.get("accepted")}
        for finding in findings:
            finding["accepted"] = accepted.get(finding["id"])
    row.definition_version_id, row.version_number = version.id, version.number
    row.file_name, row.rows = table.file_name, table.rows
    row.metrics, row.findings = result.metrics, findings
    row.updated_at = utcnow()
    chose_review = columns is not None or bool(review_columns.split_overrides(list(overrides))[0])
    if overrides or chose_review:  # the review's choice is kept with the attribute mapping it was read with
        mapping_mod.remember_mapping(session=session, workshop_id=workshop_id, columns=table.columns,
                                     mapping=prepared.mapping, commit=False)
    if chose_review:
        review_columns.remember_columns(session=session, workshop_id=workshop_id, columns=table.columns,
                                        chosen=prepared.columns)
    session.add(row)
    session.commit()
    return row, result


def set_issues(*, session: Session, period_id: int, issues: list[str]) -> ReviewPeriod:
    """Replace the process issues aired in a period's meeting (blank ones dropped)."""
    row = _row(session, period_id)
    row.issues = [text.strip() for text in issues if text and text.strip()]
    return commit_stamped(session, row)


def set_decisions(*, session: Session, period_id: int, decisions: list[dict]) -> ReviewPeriod:
    """Replace the decisions and owners; each needs a decision, the owner and due date may wait."""
    cleaned = []
    for index, item in enumerate(decisions, start=1):
        text = (item.get("decision") or "").strip()
        owner, due = (item.get("owner") or "").strip(), (item.get("due") or "").strip()
        if not text and not owner and not due:
            continue
        if not text:
            raise ReviewError(f"decision {index} has an owner or date but no decision")
        cleaned.append({"decision": text, "owner": owner, "due": due})
    row = _row(session, period_id)
    row.decisions = cleaned
    return commit_stamped(session, row)


def delete_period(*, session: Session, period_id: int) -> None:
    session.delete(_row(session, period_id))
    session.commit()


def _row(session: Session, period_id: int) -> ReviewPeriod:
    row = session.get(ReviewPeriod, period_id)
    if row is None:
        raise ReviewError(f"no review period with id {period_id}")
    return row

