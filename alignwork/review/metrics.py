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

from alignwork.backtest.leads import LINE
from alignwork.backtest.scoring import PASSING, STAGES
from alignwork.definition.criteria import Definition, ReasonCode
from alignwork.review.columns import SENT_STEPS, STEPS, ReviewColumns, step_of

UNKNOWN = "?"  # the reason code of a rejection reason that maps onto none of the agreed codes
BAD_LINES_KEPT = 50  # the bad lines a period keeps with their reason (the count says how many there are)
DECIDED = ("won", "lost", "returned")


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


def reason_matcher(codes: list[ReasonCode]):
    """A function: rejection reason as typed → the agreed code it means, or ``UNKNOWN``.

    Exact on the code, its label or an example (case, spaces and punctuation ignored), then
    a close spelling of one of them (one slip in a word: "Studnet"), then a reason that holds
    a code's whole label or code ("Student - no budget" holds "Student"). A reason in another
    language that none of these finds is read into English, word by word with its negations
    ("Kein Budget" → no budget, "Wettbewerber" → competitor), and looked up the same way."""
    from rapidfuzz import fuzz, process

    from alignwork.synthesis.textmatch import read_as_english, text_words

    names: dict[str, str] = {}
    for code in codes:
        for text in (code.code, code.label, *code.examples):
            if text and _key(text):
                names.setdefault(_key(text), code.code)

    def lookup(key: str) -> str | None:
        if key in names:
            return names[key]
        close = process.extractOne(key, list(names), scorer=fuzz.ratio, score_cutoff=85)
        if close:
            return names[close[0]]
        inside = [name for name in names if len(name) > 2 and re.search(rf"\b{re.escape(name)}\b", key)]
        return names[max(inside, key=len)] if inside else None

    def match(reason: str) -> str:
        key = _key(reason)
        if not key:
            return UNKNOWN
        found = lookup(key)
        as_typed = text_words(reason) if found is None else ()
        # what reps say (the synthesis glossary), then the words of CRM exports
        for words in ("glossary", "crm_headers"):
            if found is not None:
                break
            english = read_as_english(reason, words, stop_words=False)
            found = lookup(_key(" ".join(english))) if english != as_typed else None  # English already
        return found or UNKNOWN

    return match


@dataclass
class PeriodLeads:
    """A period's leads as codes, a numpy value per lead scored (``attributes``' rows): ``combo``
    its combination of fired criteria (an index into ``scores.table`` and ``scores.fired``),
    ``step`` an index into ``STEPS``, ``pair`` = ``combo × len(STEPS) + step``, ``code`` an index
    into ``codes`` (``len(codes)``: no code), ``within`` 0 late, 1 on time, 2 not measured;
    ``line`` the file lines (a polars Series). ``cube`` counts the leads per (combination, step,
    code, within): every figure of the metrics and findings is a sum over it; rows are only read
    for the file lines of a finding and the attribute values its leads share."""

    line: object
    combo: object
    pair: object
    step: object
    code: object
    within: object
    codes: list[str]
    scores: object  # scoring.Scores
    attributes: object  # attributes.Attributes
    cube: object
    _values: dict = field(default_factory=dict)

    def values(self, attribute: str) -> tuple[list[str], object]:
        """``(names, name_ids)``: the distinct values of ``attribute`` and, per lead, the index of its
        value (numpy; ``len(names)`` where it has none), read once from the attribute's codes."""
        import numpy as np

        from alignwork.backtest.scoring import column_ids

        if attribute not in self._values:
            keys, slots, ids = column_ids(self.attributes, attribute)
            names = sorted({key for key in keys.to_list() if key is not None})
            index = {name: position for position, name in enumerate(names)}
            of_slot = np.full(int(slots[-1]) + 2 if len(slots) else 1, len(names), dtype=np.int64)
            of_slot[slots] = [index.get(key, len(names)) for key in keys.to_list()]
            self._values[attribute] = (names, of_slot[ids])
        return self._values[attribute]


@dataclass
class PeriodResult:
    """One period scored and read: ``leads`` per lead (codes), ``counts`` per combination, ``metrics``."""

    leads: PeriodLeads
    counts: object  # polars.DataFrame: step, stage, code, within, leads
    metrics: dict
    definition: Definition
    columns: ReviewColumns
    bad_lines: list = field(default_factory=list)

    @property
    def frame(self):
        """polars.DataFrame, a row per lead: LINE, step, stage, code, within (built on each call)."""
        import numpy as np
        import polars as pl

        leads = self.leads
        stages = np.asarray([STAGES.index(stage) for stage in leads.scores.table["stage"]], dtype=np.int64)
        return pl.DataFrame([leads.line.alias(LINE), *_coded_columns(leads, leads.step, stages[leads.combo],
                                                                          leads.code, leads.within)])


# what CRMs write in a date-time cell; the first that reads every sampled value is used for the column
TIMESTAMP_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S%.f",
                     "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S%.fZ", "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M %p",
                     "%d/%m/%Y %H:%M", "%d.%m.%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d",
                     "%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y")


def _read_timestamps(values):
    """A text Series (a column's distinct values) read as Datetime, null where unreadable. The
    format is the one that reads most of a sample of them, the first in ``TIMESTAMP_FORMATS`` on
    a tie (so US month-first before day-first, unless a day is past 12; "soon" or "n/a" among the
    times do not matter); values in no known format are left to polars' own guess, and where it
    finds none, they are all null."""
    import polars as pl

    if values.dtype != pl.String:
        values = values.cast(pl.String)
    sample = values.drop_nulls().head(5000).unique().head(200)
    if sample.len() and (sample != sample.str.strip_chars()).any():  # " 2027-01-03 10:00"
        values, sample = values.str.strip_chars(), sample.str.strip_chars()
    read = [sample.len() - sample.str.strptime(pl.Datetime("ms"), pattern, strict=False).null_count()
            for pattern in TIMESTAMP_FORMATS]
    if read and max(read) > 0:
        pattern = TIMESTAMP_FORMATS[read.index(max(read))]
        return values.str.strptime(pl.Datetime("ms"), pattern, strict=False, cache=False)
    try:
        return values.str.to_datetime(strict=False, time_unit="ms")
    except pl.exceptions.PolarsError:  # polars found no format either: nothing is a time
        return pl.repeat(None, values.len(), dtype=pl.Datetime("ms"), eager=True)


def review_scored(result, columns: ReviewColumns, definition: Definition, *, sla_hours: int | None = None):
    """A ``PeriodResult`` from a back-test result (``run_backtest``) of the period's file: every
    review column read once per distinct value (through the back-test's hashing of it when it
    had one, ``review_table`` asks for it) and then as codes, a numpy value per lead."""
    import numpy as np

    from alignwork.backtest.attributes import OUTCOME

    table, attributes, scores = result.table, result.attributes, result.scores
    height = attributes.height
    wanted = {target: column for target, column in columns.columns.items() if column in table.columns}
    kept, sent, accepted, returned, lost, won = (STEPS.index(step) for step in STEPS)

    def read(target: str, transform, missing):
        """``transform`` (the distinct values of the file's ``target`` column as a list → a value
        each) a lead each, numpy; ``missing`` where the lead's cell is empty."""
        keys, ids = attributes.source_codes(wanted[target], table.frame)
        return np.asarray([*transform(keys), missing])[ids]

    if "status" in wanted:
        step = read("status", lambda keys: [STEPS.index(step_of(value)) for value in keys.to_list()], kept)
    else:  # no status: every lead in the file reached Sales, as in the back-test
        step = np.full(height, sent)
    step = step.astype(np.int8)
    if result.mapping.outcome_column and result.mapping.outcome_column != wanted.get("status"):
        outcome = attributes.coded[OUTCOME]
        state = np.asarray([2 if value is None else int(value) for value in outcome.values] + [2],
                           dtype=np.int8)[outcome.ids]
        step = np.where((state == 1) & (step != returned), np.int8(won), step)
        step = np.where((state == 0) & ((step == sent) | (step == accepted)), np.int8(lost), step)
    codes = list(dict.fromkeys([*(code.code for code in definition.reason_codes), UNKNOWN]))
    none = len(codes)
    code = np.full(height, none, dtype=np.int16)
    unknown: list[tuple[str, int]] = []
    if "reason" in wanted:
        match = reason_matcher(definition.reason_codes)
        keys, ids = attributes.source_codes(wanted["reason"], table.frame)
        reasons = keys.to_list()
        code = np.asarray([codes.index(match(text)) if text.strip() else none for text in reasons] + [none],
                          dtype=np.int16)[ids]
        # a reason on a lead Sales did not win or lose is a return, whatever the status says
        step = np.where((code != none) & (step <= accepted), np.int8(returned), step)
        code = np.where(step == returned, code, np.int16(none))
        # the reasons no code stands for, as typed (spaces trimmed), most frequent first
        per_reason = np.bincount(ids[code == codes.index(UNKNOWN)], minlength=len(reasons) + 1)
        tally: dict[str, int] = {}
        for position in np.flatnonzero(per_reason[:len(reasons)]).tolist():
            text = reasons[position].strip()
            tally[text] = tally.get(text, 0) + int(per_reason[position])
        unknown = sorted(tally.items(), key=lambda item: (-item[1], item[0]))
    within = np.full(height, 2, dtype=np.int8)
    timed = "created" in wanted and "contacted" in wanted and sla_hours
    if timed:
        def milliseconds(keys):
            return _read_timestamps(keys).dt.epoch("ms").cast(float).fill_null(float("nan")).to_list()

        created, contacted = (read(target, milliseconds, float("nan")) for target in ("created", "contacted"))
        hours = (contacted - created) / 3_600_000
        with np.errstate(invalid="ignore"):
            on_time = (hours >= 0) & (hours <= sla_hours)
        within = np.where((step != kept) & ~np.isnan(created), on_time.astype(np.int8), within)
    combo = scores.row.to_numpy().astype(np.int64)
    combinations = len(scores.table["score"])
    pair = combo * len(STEPS) + step
    cube = np.bincount((pair * (none + 1) + code) * 3 + within, minlength=combinations * len(STEPS) * (none + 1) * 3) \
        .reshape(combinations, len(STEPS), none + 1, 3)
    leads = PeriodLeads(line=attributes.line, combo=combo, pair=pair, step=step, code=code, within=within,
                        codes=codes, scores=scores, attributes=attributes, cube=cube)
    counts = _counts(leads)
    metrics = key_metrics(counts, definition, sla_hours=sla_hours if {"created", "contacted"} <= set(wanted) else None,
                          unknown=unknown, has_status="status" in wanted, has_reason="reason" in wanted)
    if "owner" in wanted:  # per owner: leads sent, returned and won
        keys, ids = attributes.source_codes(wanted["owner"], table.frame)
        per_owner = np.bincount(ids.astype(np.int64) * len(STEPS) + step, minlength=(len(keys) + 1) * len(STEPS)) \
            .reshape(len(keys) + 1, len(STEPS))[:len(keys)].tolist()
        rows = [{"owner": owner, "sent": sum(row[sent:]), "returned": row[returned], "won": row[won]}
                for owner, row in zip(keys.to_list(), per_owner) if sum(row[sent:])]
        metrics["owners"] = sorted(rows, key=lambda row: (-row["sent"], row["owner"]))[:50]
    metrics["file"] = result.file_name
    metrics["rows"] = result.rows
    metrics["bad_lines"] = len(result.bad_lines)
    metrics["bad_line_reasons"] = [{"line": item.line, "reason": item.reason} for item in result.bad_lines[:BAD_LINES_KEPT]]
    return PeriodResult(leads=leads, counts=counts, metrics=metrics, definition=definition, columns=columns,
                        bad_lines=list(result.bad_lines))


def _counts(leads: PeriodLeads):
    """The leads per (step, stage, code, within) present, a polars frame (+ ``leads``) of the
    ``cube`` summed over the combinations of each stage."""
    import numpy as np
    import polars as pl

    stages = np.asarray([STAGES.index(stage) for stage in leads.scores.table["stage"]], dtype=np.int64)
    by_stage = np.zeros((len(STAGES), *leads.cube.shape[1:]), dtype=np.int64)
    np.add.at(by_stage, stages, leads.cube)
    stage, step, code, within = np.nonzero(by_stage)
    return pl.DataFrame([*_coded_columns(leads, step, stage, code, within),
                         pl.Series("leads", by_stage[stage, step, code, within], dtype=pl.UInt32)])


def _coded_columns(leads: PeriodLeads, step, stage, code, within) -> list:
    """The polars columns step, stage, code (Enums) and within (Boolean) of these codes."""
    import polars as pl

    return [pl.Series(name, values, dtype=dtype).gather(ids) for name, values, dtype, ids in (
        ("step", STEPS, pl.Enum(STEPS), step), ("stage", STAGES, pl.Enum(STAGES), stage),
        ("code", [*leads.codes, None], pl.Enum(leads.codes), code), ("within", [False, True, None], pl.Boolean, within))]


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
