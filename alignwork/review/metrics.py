"""Key metrics of one review period — the same ones every month, whatever they show.

    scored = run_backtest(table, definition, mapping)          # the back-test's scoring, unchanged
    period = review_scored(scored, columns, definition)       # + status, reasons, SLA per lead
    period.metrics                                            # see ``docs/review.md``

Per lead: the funnel step from the lead status (``columns.step_of``), the reason code its
rejection reason maps onto (``"?"`` when it maps onto none: reported as unknown), whether
it was followed up within the SLA. Everything summed once from a small table of counts
per (step, stage, reason code, fired rules, won).

Volume and quality against the back-test's baseline: before the definition every lead
went to Sales (volume share 100 %) and converted at the back-test's overall rate; the
goal is half the volume at twice the quality. ``volume_share`` = sent ÷ leads;
``quality`` = won ÷ sent leads Sales decided on (won, lost or returned).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from alignwork.backtest.attributes import map_distinct
from alignwork.backtest.leads import LINE
from alignwork.backtest.scoring import PASSING
from alignwork.definition.criteria import Definition, ReasonCode
from alignwork.review.columns import SENT_STEPS, STEPS, ReviewColumns, step_of

UNKNOWN = "?"  # the reason code of a rejection reason that maps onto none of the agreed codes
DECIDED = ("won", "lost", "returned")


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


def reason_matcher(codes: list[ReasonCode]):
    """A function: rejection reason as typed → the agreed code it means, or ``UNKNOWN``.

    Exact on the code, its label or an example (case, spaces and punctuation ignored), then
    a close spelling of one of them (one slip in a word: "Studnet"), then a reason that holds
    a code's whole label or code ("Student - no budget" holds "Student")."""
    from rapidfuzz import fuzz, process

    names: dict[str, str] = {}
    for code in codes:
        for text in (code.code, code.label, *code.examples):
            if text and _key(text):
                names.setdefault(_key(text), code.code)

    def match(reason: str) -> str:
        key = _key(reason)
        if not key:
            return UNKNOWN
        if key in names:
            return names[key]
        close = process.extractOne(key, list(names), scorer=fuzz.ratio, score_cutoff=85)
        if close:
            return names[close[0]]
        inside = [name for name in names if len(name) > 2 and re.search(rf"\b{re.escape(name)}\b", key)]
        return names[max(inside, key=len)] if inside else UNKNOWN

    return match


@dataclass
class PeriodResult:
    """One period scored and read: ``frame`` per lead, ``counts`` per combination, ``metrics``."""

    frame: object  # polars.DataFrame: LINE, attributes, score, stage, reasons, step, code, reason, owner, within
    counts: object  # polars.DataFrame: step, stage, code, within, leads
    metrics: dict
    definition: Definition
    columns: ReviewColumns
    bad_lines: list = field(default_factory=list)


# what CRMs write in a date-time cell; the first that reads every sampled value is used for the column
TIMESTAMP_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S%.f",
                     "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S%.fZ", "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M %p",
                     "%d/%m/%Y %H:%M", "%d.%m.%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d",
                     "%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y")


def _read_timestamps(values):
    """A text Series read as Datetime by ``_timestamps`` (its format found on these values)."""
    import polars as pl

    return pl.DataFrame([values.alias("t")]).select(_timestamps(values.alias("t"))).to_series()


def _timestamps(series):
    """A polars expression reading the text column ``series`` (by its name) as Datetime (null where
    unreadable). The format is found on a sample of distinct values (US month-first before
    day-first, unless a day is past 12) and then applied to the whole column at once — twelve
    times faster than guessing row by row; two columns selected together are read in parallel."""
    import polars as pl

    column = pl.col(series.name)
    if series.dtype != pl.String:
        series, column = series.cast(pl.String), column.cast(pl.String)
    sample = series.drop_nulls().head(5000).unique().head(200)
    if sample.len() and (sample != sample.str.strip_chars()).any():  # " 2027-01-03 10:00": a copy, only then
        column, sample = column.str.strip_chars(), sample.str.strip_chars()
    for pattern in TIMESTAMP_FORMATS:
        if sample.len() and sample.str.strptime(pl.Datetime("ms"), pattern, strict=False).null_count() == 0:
            return column.str.strptime(pl.Datetime("ms"), pattern, strict=False, cache=False)
    return column.str.to_datetime(strict=False, time_unit="ms")


def combination_counts(frame, names: tuple[str, ...]):
    """``frame``'s leads per distinct combination of its Enum and Boolean columns ``names`` (null
    included), as a frame of those columns + ``leads``: counted on the columns' codes in one
    pass (a group-by hashes every row)."""
    import numpy as np
    import polars as pl

    key = np.zeros(frame.height, dtype=np.int64)
    values = []
    for name in names:
        series = frame[name]
        if series.dtype == pl.Boolean:
            choices, codes = [False, True], series.cast(pl.UInt8)
        else:  # an Enum: its categories by code
            choices, codes = series.dtype.categories.to_list(), series.to_physical()
        choices = [*choices, None]
        key = key * len(choices) + codes.fill_null(len(choices) - 1).to_numpy().astype(np.int64)
        values.append(choices)
    tally = np.bincount(key)
    present = np.flatnonzero(tally)
    columns, rest = {}, present
    for name, choices in reversed(list(zip(names, values))):
        columns[name] = pl.Series(name, [choices[i] for i in (rest % len(choices)).tolist()],
                                  dtype=frame[name].dtype)
        rest = rest // len(choices)
    return pl.DataFrame([columns[name] for name in names] + [pl.Series("leads", tally[present], dtype=pl.UInt32)])


def review_scored(result, columns: ReviewColumns, definition: Definition, *, sla_hours: int | None = None):
    """A ``PeriodResult`` from a back-test result (``run_backtest``) of the period's file."""
    import polars as pl

    from alignwork.backtest.attributes import OUTCOME

    from alignwork.review.findings import frame_columns

    table, scored = result.table, result.scored_columns(frame_columns(definition))
    wanted = {target: column for target, column in columns.columns.items() if column in table.columns}
    if table.frame.height == scored.height:  # no row dropped: the same order, the same Series
        frame = scored.with_columns(table.frame[column].alias(f"_{target}") for target, column in wanted.items())
    else:
        extra = table.frame.select(LINE, *[pl.col(column).alias(f"_{target}") for target, column in wanted.items()])
        frame = scored.join(extra, on=LINE, how="left", maintain_order="left")
    height = frame.height
    enum = pl.Enum(STEPS)
    timed = "created" in wanted and "contacted" in wanted and sla_hours

    def read(target: str, transform):
        """``transform`` (text values → as many results) of the file's ``target`` column, a row
        each: once per distinct value through the back-test's codes when it hashed that column
        (``review_table`` asks it to), else on the rows here."""
        found = result.attributes.source_series(wanted[target], transform)
        return transform(frame[f"_{target}"]) if found is None else found

    if "status" in wanted:
        step = read("status", lambda values: map_distinct(values, step_of, enum)).fill_null("kept")
    else:  # no status: every lead in the file reached Sales, as in the back-test
        step = pl.repeat("sent", height, dtype=enum, eager=True)
    separate_outcome = result.mapping.outcome_column and result.mapping.outcome_column != wanted.get("status")
    if separate_outcome:
        outcome = frame[OUTCOME]
        step = pl.select(pl.when(outcome.fill_null(False) & (step != "returned")).then(pl.lit("won", enum))
                         .when((outcome == False) & step.is_in(["sent", "accepted"])).then(pl.lit("lost", enum))  # noqa: E712
                         .otherwise(step)).to_series()
    if "reason" in wanted:
        reason = frame["_reason"]
        match = reason_matcher(definition.reason_codes)
        code_enum = pl.Enum(list(dict.fromkeys([*(c.code for c in definition.reason_codes), UNKNOWN])))
        code = read("reason", lambda values: map_distinct(
            values, lambda text: match(text) if text.strip() else None, code_enum))
        # a reason on a lead Sales did not win or lose is a return, whatever the status says
        step = pl.select(pl.when(code.is_not_null() & step.is_in(["kept", "sent", "accepted"]))
                         .then(pl.lit("returned", enum)).otherwise(step)).to_series()
        code = pl.select(pl.when(step == "returned").then(code)).to_series()
    else:
        reason = pl.repeat(None, height, dtype=pl.String, eager=True)
        code = pl.repeat(None, height, dtype=pl.Enum([UNKNOWN]), eager=True)
    within = pl.repeat(None, height, dtype=pl.Boolean, eager=True)
    if timed:
        created, contacted = read("created", _read_timestamps), read("contacted", _read_timestamps)
        hours = (contacted - created).dt.total_minutes() / 60
        sent = step.is_in(list(SENT_STEPS))
        within = pl.select(pl.when(sent & created.is_not_null())
                           .then(hours.is_not_null() & (hours >= 0) & (hours <= sla_hours))).to_series()
    frame = frame.with_columns(step.alias("step"), code.alias("code"), reason.alias("reason"),
                               within.alias("within"))
    # every key metric is a sum over this small table (steps, stages and codes are enums: cheap keys)
    counts = combination_counts(frame, ("step", "stage", "code", "within"))
    # filters select their columns first: a filter copies every column it keeps
    unknown = (frame.select("code", "reason").filter(pl.col("code") == UNKNOWN)
               .select(pl.col("reason").str.strip_chars()).group_by("reason").agg(pl.len().alias("leads"))
               .sort(["leads", "reason"], descending=[True, False]))
    metrics = key_metrics(counts, definition, sla_hours=sla_hours if {"created", "contacted"} <= set(wanted) else None,
                          unknown=unknown.rows(), has_status="status" in wanted, has_reason="reason" in wanted)
    if "owner" in wanted:  # per owner: leads sent, returned and won
        owners = (frame.select("step", "_owner")
                  .filter(pl.col("step").is_in(list(SENT_STEPS)) & pl.col("_owner").is_not_null())
                  .group_by(pl.col("_owner").alias("owner"))
                  .agg(pl.len().alias("sent"), (pl.col("step") == "returned").sum().alias("returned"),
                       (pl.col("step") == "won").sum().alias("won"))
                  .sort(["sent", "owner"], descending=[True, False]))
        metrics["owners"] = owners.head(50).to_dicts()
        frame = frame.rename({"_owner": "owner"})
    metrics["file"] = result.file_name
    metrics["rows"] = result.rows
    metrics["bad_lines"] = len(result.bad_lines)
    return PeriodResult(frame=frame, counts=counts, metrics=metrics, definition=definition, columns=columns,
                        bad_lines=list(result.bad_lines))


def key_metrics(counts, definition: Definition, *, sla_hours: int | None, unknown: list[tuple[str, int]],
                has_status: bool, has_reason: bool) -> dict:
    """The metrics dict (see the module docstring and docs/review.md) from the counts table."""
    import polars as pl

    def total(expr=None) -> int:
        frame = counts if expr is None else counts.filter(expr)
        return int(frame["leads"].sum() or 0)

    step = pl.col("step")
    leads = total()
    sent = total(step.is_in(list(SENT_STEPS)))
    accepted = total(step.is_in(["accepted", "lost", "won"]))
    won = total(step == "won")
    returned = total(step == "returned")
    decided = total(step.is_in(list(DECIDED)))
    passing = total(pl.col("stage").is_in(list(PASSING)))
    labels = {code.code: code.label for code in definition.reason_codes}
    by_code = dict(counts.filter(pl.col("code").is_not_null()).group_by(pl.col("code").cast(pl.String))
                   .agg(pl.col("leads").sum()).rows())
    returned_by_code = [{"code": code.code, "label": code.label, "leads": int(by_code.get(code.code, 0)),
                         "share": _ratio(by_code.get(code.code, 0), returned) or 0.0}
                        for code in definition.reason_codes]
    no_reason = returned - sum(int(v) for v in by_code.values())
    metrics = {
        "leads": leads, "sent": sent, "accepted": accepted, "won": won, "returned": returned,
        "steps": {name: total(step == name) for name in STEPS},
        "conversion": {"mql_to_sql": _ratio(accepted, sent), "sql_to_won": _ratio(won, accepted),
                       "sent_to_won": _ratio(won, sent)},
        "volume_share": _ratio(sent, leads), "quality": _ratio(won, decided), "decided": decided,
        "definition": {"passing": passing, "pass_rate": _ratio(passing, leads),
                       "thresholds": {"mql": definition.mql_threshold, "sql": definition.sql_threshold}},
        "returned_by_code": returned_by_code,
        "unknown_reasons": [{"reason": reason, "leads": int(count)} for reason, count in unknown],
        "returned_without_reason": no_reason if has_reason else returned,
        "sla": None, "columns": {"status": has_status, "reason": has_reason},
        "reason_labels": labels,
    }
    if sla_hours:
        measured = total(pl.col("within").is_not_null())
        on_time = total(pl.col("within") == True)  # noqa: E712
        metrics["sla"] = {"hours": sla_hours, "measured": measured, "within": on_time,
                          "share": _ratio(on_time, measured)}
    return metrics


def against_baseline(metrics: dict, baseline: dict | None) -> dict:
    """How far along "half the volume, double the quality" the period is.

    ``baseline``: {"source", "volume_share", "quality"} (the back-test: share 1.0, its overall
    conversion). Progress is 0 at the baseline and 1 at the goal (clipped to 0…1)."""
    if not baseline:
        return {"baseline": None}
    out: dict = {"baseline": baseline}
    base_volume, base_quality = baseline.get("volume_share"), baseline.get("quality")
    volume, quality = metrics.get("volume_share"), metrics.get("quality")
    if base_volume and volume is not None:
        ratio = volume / base_volume
        out["volume_ratio"] = round(ratio, 3)
        out["volume_progress"] = round(min(max((1 - ratio) / 0.5, 0.0), 1.0), 3)
    if base_quality and quality is not None:
        ratio = quality / base_quality
        out["quality_ratio"] = round(ratio, 3)
        out["quality_progress"] = round(min(max(ratio - 1, 0.0), 1.0), 3)
    return out
