"""Back-test bookkeeping: which definition to use, the record of each run, saving
calibrated thresholds as a new draft, and exporting the scored list as CSV."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from alignwork.atomic import neutralise_csv_cell, write_atomic_with
from alignwork.definition.criteria import Definition
from alignwork.backtest.leads import LINE
from alignwork.backtest.scoring import SCORE_COLUMNS

if TYPE_CHECKING:  # the database layer loads only when a run is recorded or listed, not to score or export
    from sqlmodel import Session

    from alignwork.models import BacktestRun, DefinitionVersion

RULE_FIELDS = {"conditions", "match", "points", "axis", "knockout"}
CRM_VALUES_LIMIT = 25  # raw spellings kept per condition and run: a million-row file stays a small row


class BacktestError(ValueError):
    """A back-test request that cannot be served, told in plain words."""


def choose_definition(*, session: Session, workshop_id: int,
                      number: int | None = None) -> tuple[DefinitionVersion, Definition]:
    """Version ``number``, else the working draft (``versions.current_draft``). Raises
    StoreError for a version that does not exist, BacktestError for one that cannot score."""
    from alignwork.definition import versions

    if number is not None:
        version = versions.get_version(session=session, workshop_id=workshop_id, number=number)
    else:
        version = versions.current_draft(session=session, workshop_id=workshop_id)
    definition = versions.load_definition(version)
    if not definition.scored_criteria():
        which = "the draft" if version.number is None else f"version {version.number}"
        raise BacktestError(f"{which} has no criteria that score leads yet; run the synthesis or add criteria")
    return version, definition


def save_calibrated_draft(*, session: Session, workshop_id: int, mql_threshold: int,
                          sql_threshold: int | None = None) -> DefinitionVersion:
    """Put calibrated thresholds into the workshop's working draft: a copy of the draft's own
    definition with the new thresholds (its other edits are kept; saved versions never change).
    An MQL threshold above the draft's SQL threshold raises the SQL threshold to match (see
    ``raised_sql_threshold``); an explicit ``sql_threshold`` below the MQL one is refused."""
    from alignwork.definition import versions

    draft = versions.current_draft(session=session, workshop_id=workshop_id)
    calibrated = versions.load_definition(draft).model_copy(deep=True)
    if sql_threshold is not None and int(sql_threshold) < int(mql_threshold):
        raise BacktestError(f"the SQL threshold ({sql_threshold}) cannot be below the MQL threshold "
                            f"({mql_threshold}): an SQL lead must also be an MQL")
    calibrated.mql_threshold = int(mql_threshold)
    if sql_threshold is not None:
        calibrated.sql_threshold = int(sql_threshold)
    calibrated.sql_threshold = raised_sql_threshold(calibrated.mql_threshold, calibrated.sql_threshold)
    return versions.update_draft(session=session, workshop_id=workshop_id, definition=calibrated)


def raised_sql_threshold(mql_threshold: int, sql_threshold: int) -> int:
    """The SQL threshold to save with ``mql_threshold``: unchanged, or raised to the MQL one when
    the MQL bar passes it (a lead above the SQL bar must also be above the MQL bar)."""
    return max(int(mql_threshold), int(sql_threshold))


def same_rules(first: Definition, second: Definition) -> bool:
    """Whether two definitions score alike apart from their thresholds."""
    return [c.model_dump(include=RULE_FIELDS) for c in first.scored_criteria()] == \
        [c.model_dump(include=RULE_FIELDS) for c in second.scored_criteria()]


def record_run(*, session: Session, workshop_id: int, result, version: DefinitionVersion | None,
               mql_threshold: int | None = None) -> BacktestRun:
    """Keep a record of a back-test with the definition version it used."""
    from alignwork.models import BacktestRun

    numbers = result.calibration.at(result.definition.mql_threshold if mql_threshold is None else mql_threshold)
    conversion = dict(numbers.get("conversion") or {})
    if conversion:
        conversion["lift"] = numbers.get("lift")
    run = BacktestRun(workshop_id=workshop_id, definition_version_id=version.id if version else None,
                      version_number=version.number if version else None, file_name=result.file_name,
                      rows=result.rows, scored=result.scored_rows, bad_lines=len(result.bad_lines),
                      stages=numbers["stages"], thresholds=numbers["thresholds"], pass_rate=numbers["pass_rate"],
                      conversion=conversion, crm_values=crm_values_record(result))
    session.add(run)
    session.commit()
    remember_lead_file(workshop_id, result.table, result.mapping)
    return run


def crm_values_record(result, limit: int = CRM_VALUES_LIMIT) -> dict[str, list[dict]]:
    """What ``BacktestRun.crm_values`` keeps: for each criterion, each active condition on a category
    (industry, region, function, seniority, lead source, e-mail type) with the raw CRM values of the
    leads it fired on — the ``limit`` most frequent with their lead counts, the rest summed — so an
    export can tell whether the condition is still the one back-tested (see docs/export.md)."""
    from alignwork.backtest.run import MATCHED_SOURCES

    counted = result.matched_values(limit=None, counts=True)
    record: dict[str, list[dict]] = {}
    for criterion in result.definition.scored_criteria():
        categories = [c for c in criterion.conditions if c.active and c.field in MATCHED_SOURCES]
        fields = [c.field for c in categories]
        for condition in categories:
            entry = condition.model_dump(mode="json")
            if fields.count(condition.field) > 1:  # values are counted per field: these cannot be told apart
                record.setdefault(criterion.id, []).append({**entry, "values": None, "more_values": 0, "more_leads": 0})
                continue
            pairs = counted.get(criterion.id, {}).get(condition.field, [])
            kept, rest = pairs[:limit], pairs[limit:]
            record.setdefault(criterion.id, []).append({
                **entry, "values": [{"value": value, "leads": leads} for value, leads in kept],
                "more_values": len(rest), "more_leads": sum(leads for _value, leads in rest)})
    return record


def list_runs(*, session: Session, workshop_id: int) -> list[BacktestRun]:
    """The workshop's back-tests, newest first."""
    from sqlmodel import select

    from alignwork.models import BacktestRun

    query = (select(BacktestRun).where(BacktestRun.workshop_id == workshop_id)
             .order_by(BacktestRun.created_at.desc(), BacktestRun.id.desc()))
    return list(session.exec(query))


def scored_frame(result, mql_threshold: int | None = None):
    """Original columns of every scored row, then fit_score, intent_score, score, stage, reasons."""
    import polars as pl

    original = result.table.columns
    names = {name: (f"{name} (alignwork)" if name in original else name) for name in SCORE_COLUMNS}
    scores = result.staged(mql_threshold).select(
        LINE, *[pl.col(name).cast(pl.String) if name in ("stage", "reasons", "knocked_out_by") else pl.col(name)
                for name in names])
    scores = scores.rename({name: alias for name, alias in names.items()})
    if scores.height == result.table.frame.height:  # no row was dropped: same order, no join needed
        return result.table.frame.select(original).hstack(scores.drop(LINE))
    return (result.table.frame.select(LINE, *original)
            .join(scores, on=LINE, how="inner", maintain_order="left").drop(LINE))


def export_scored(result, path: str | Path, *, mql_threshold: int | None = None) -> Path:
    """Write the scored list as UTF-8 CSV (with BOM, for Excel), atomically; text cells that a
    spreadsheet would run as a formula (= + - @ tab CR) get a leading apostrophe."""
    import polars as pl

    frame = scored_frame(result, mql_threshold)
    risky = r"^[=+\-@\t\r]"
    text_columns = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    flagged = frame.select(pl.col(name).str.contains(risky).any() for name in text_columns).row(0) \
        if text_columns else ()
    # only columns that hold such a cell are rewritten (a copy of a million cells costs memory)
    frame = frame.with_columns(
        pl.when(pl.col(name).str.contains(risky)).then(pl.lit("'") + pl.col(name)).otherwise(pl.col(name)).alias(name)
        for name, risky_cells in zip(text_columns, flagged) if risky_cells)
    return write_atomic_with(path, lambda handle: frame.rename(_safe_headers(frame.columns))
                             .write_csv(handle, include_bom=True))


def _safe_headers(columns: list[str]) -> dict[str, str]:
    """Header cells a spreadsheet would run as a formula get the same apostrophe as the cells;
    a neutralised name that meets an existing one gets a number, like duplicate headers."""
    taken = set(columns)
    renamed: dict[str, str] = {}
    for name in columns:
        safe = neutralise_csv_cell(name)
        if safe == name:
            continue
        candidate, counter = safe, 2
        while candidate in taken:
            candidate, counter = f"{safe} ({counter})", counter + 1
        taken.add(candidate)
        renamed[name] = candidate
    return renamed


# ------------------------------------------------------------------ the last lead file, for the Definition page

_LAST_FILES: dict[int, tuple] = {}  # workshop id → (LeadTable, Mapping) of its last back-test in this process
_PREPARED: dict[tuple, object] = {}  # (id(table), mapping, fields) → attributes frame; the latest only


def remember_lead_file(workshop_id: int, table, mapping) -> None:
    _LAST_FILES[workshop_id] = (table, mapping)


def last_lead_file(workshop_id: int | None):
    """``(LeadTable, Mapping)`` of the workshop's last back-test in this session, or None."""
    return _LAST_FILES.get(workshop_id) if workshop_id is not None else None


@dataclass(frozen=True)
class Hits:
    """How many leads of a file a criterion hits, and a few of them (their lines and raw cells)."""

    file_name: str
    hits: int
    leads: int
    examples: list[dict]

    def describe(self) -> str:
        share = f" ({self.hits / self.leads:.0%})" if self.leads else ""
        return f"{self.hits:,} of {self.leads:,} leads in {self.file_name or 'the last file'}{share}"


def criterion_hits(table, mapping, criterion, *, examples: int = 3, progress=None) -> Hits:
    """How many leads of ``table`` fire ``criterion`` (its conditions alone, whatever the stage),
    with ``examples`` of them; the file's attributes are prepared once and kept for the next edit."""
    import polars as pl

    from alignwork.backtest.attributes import Normalizers, prepare_attributes
    from alignwork.backtest.scoring import _fired_masks, raw_fields

    fields = frozenset(raw_fields([criterion]))
    key = (id(table), json.dumps(mapping.to_json(), sort_keys=True), fields)
    attributes = _PREPARED.get(key)
    if attributes is None:
        attributes, _bad = prepare_attributes(table.frame, mapping, Normalizers.default(), progress=progress,
                                              fields=fields)
        _PREPARED.clear()
        _PREPARED[key] = attributes
    if not criterion.scored:
        return Hits(table.file_name, 0, attributes.height, [])
    fired = _fired_masks(attributes, [[criterion]])[0] != 0
    lines = attributes[LINE].filter(fired)
    shown = table.frame.filter(pl.col(LINE).is_in(lines.head(examples).to_list()))
    columns = [c for c in table.columns if c in set(mapping.columns)][:4] or table.columns[:4]
    rows = [{"line": row[LINE], **{column: row[column] for column in columns}}
            for row in shown.select(LINE, *columns).to_dicts()]
    return Hits(table.file_name, int(fired.sum()), attributes.height, rows)
