"""Back-test a lead definition on a CRM lead list, and calibrate its MQL threshold.

    table = read_leads("leads.csv")
    result = run_backtest(table, definition, mapping, progress=progress)
    result.summary()                      # rows, stages, pass rate, conversion, lift, …
    result.calibration.at(55)             # the same numbers for another MQL threshold, instantly
    result.calibration.halving_threshold()
    export_scored(result, "scored.csv")

Scoring happens once. Calibration works on a small table of counts per
(score, knock-out, SQL-ready, outcome), so moving a slider never re-scores.
"Volume today" is every lead scored (all of them reached Sales); "passing" is
MQL + SQL; the marketing goal is about half the volume at twice the conversion.
Lift = conversion among passing leads ÷ conversion among all leads with a known outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from alignwork.definition.criteria import Definition
from alignwork.backtest.attributes import OUTCOME, Attributes, Normalizers, code_attributes
from alignwork.backtest.leads import LINE, BadLine, LeadTable
from alignwork.backtest.mapping import Mapping
from alignwork.progress import NO_PROGRESS, Progress
from alignwork.backtest.scoring import PASSING, STAGES, Scores, raw_fields, score_combinations, stage_expr

SEGMENT_ATTRIBUTES = ("industry", "region", "lead_source", "seniority", "function")
# category fields a rule tests → the attribute whose raw column the category is read from
MATCHED_SOURCES = {"industry": "industry", "region": "region", "function": "title", "seniority": "title",
                   "lead_source": "lead_source", "email_type": "email_type"}
SEGMENT_LIMIT = 12


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def _segment_labels(attribute: str) -> dict[str, str]:
    """Plain words for a segment attribute whose values are internal keys (lead-source kinds)."""
    if attribute == "lead_source":
        from alignwork.synthesis.normalize import lead_source_kinds

        return lead_source_kinds()
    return {}


@dataclass
class Calibration:
    """Counts per (score, knockout, sql_ready, outcome) — enough to re-stage every lead."""

    groups: list[tuple[int, bool, bool, bool | None, int]]
    sql_threshold: int
    sql_min_intent: int

    def stages(self, mql_threshold: int) -> dict[str, int]:
        counts = dict.fromkeys(STAGES, 0)
        for score, knockout, sql_ready, _outcome, count in self.groups:
            counts[self.stage(score, knockout, sql_ready, mql_threshold)] += count
        return counts

    def stage(self, score: int, knockout: bool, sql_ready: bool, mql_threshold: int) -> str:
        """The stage of a group's leads at ``mql_threshold``."""
        if knockout:
            return "disqualified"
        if score >= self.sql_threshold and sql_ready:
            return "SQL"
        return "MQL" if score >= mql_threshold else "nurture"

    def at(self, mql_threshold: int) -> dict:
        """Stages, volume, pass rate and (with outcomes) conversion, lift, confusion."""
        stages = self.stages(mql_threshold)
        scored = sum(stages.values())
        passing = stages["SQL"] + stages["MQL"]
        confusion = {"passing": {"positive": 0, "negative": 0}, "failing": {"positive": 0, "negative": 0}}
        for score, knockout, sql_ready, outcome, count in self.groups:
            if outcome is None:
                continue
            side = "passing" if self.stage(score, knockout, sql_ready, mql_threshold) in PASSING else "failing"
            confusion[side]["positive" if outcome else "negative"] += count
        summary = {"stages": stages, "pass_rate": _ratio(passing, scored) or 0.0,
                   "volume": {"today": scored, "passing": passing, "target": round(scored / 2)},
                   "thresholds": {"mql": mql_threshold, "sql": self.sql_threshold,
                                  "sql_min_intent": self.sql_min_intent}}
        known = sum(sum(side.values()) for side in confusion.values())
        if known:
            rate = {side: _ratio(values["positive"], sum(values.values())) for side, values in confusion.items()}
            overall = _ratio(confusion["passing"]["positive"] + confusion["failing"]["positive"], known)
            summary["outcomes"] = known
            summary["conversion"] = {**rate, "overall": overall}
            summary["lift"] = round(rate["passing"] / overall, 3) if rate["passing"] is not None and overall else None
            summary["confusion"] = confusion
        return summary

    def candidate_thresholds(self) -> list[int]:
        scores = sorted({group[0] for group in self.groups})
        return scores + [scores[-1] + 1] if scores else [0]

    def halving_threshold(self) -> int:
        """The MQL threshold whose passing volume is closest to half of today's: on a tie the
        smaller volume, and for the same volume the LOWEST threshold that gives it (a higher bar
        passes no fewer leads today, only fewer tomorrow; SQL leads pass whatever the MQL bar)."""
        best: tuple[float, int, int] | None = None
        for threshold in self.candidate_thresholds():  # the scores of the leads: the bar sits on one
            stages = self.stages(threshold)
            passing = stages["SQL"] + stages["MQL"]
            key = (abs(passing - sum(stages.values()) / 2), passing, threshold)
            if best is None or key < best:
                best = key
        return best[2]

    def distribution(self) -> list[dict]:
        """Leads per score (knocked-out leads included), ascending."""
        counts: dict[int, int] = {}
        for score, _knockout, _ready, _outcome, count in self.groups:
            counts[score] = counts.get(score, 0) + count
        return [{"score": score, "count": counts[score]} for score in sorted(counts)]


@dataclass
class BacktestResult:
    definition: Definition
    table: LeadTable
    mapping: Mapping
    attributes: Attributes
    scores: Scores
    bad_lines: list[BadLine]
    calibration: Calibration
    file_name: str = ""
    version_number: int | None = None
    segments_cache: dict = field(default_factory=dict)
    _scored: object = None

    @property
    def rows(self) -> int:
        return self.table.rows

    @property
    def scored_rows(self) -> int:
        return self.attributes.height

    @property
    def scored(self):
        """polars.DataFrame: LINE, attributes, scores, stage, reasons, _outcome — a row per lead
        scored, built on first use (the summary reads the codes, not the rows)."""
        if self._scored is None:
            self._scored = self.attributes.frame(self.scores.parts())
        return self._scored

    def scored_columns(self, names) -> object:
        """``LINE`` and the columns ``names`` of ``scored`` (in its order), built alone unless
        ``scored`` already is; ``names`` None: ``scored`` itself."""
        if names is None:
            return self.scored
        wanted = set(names)
        if self._scored is not None:
            return self._scored.select(name for name in self._scored.columns if name == LINE or name in wanted)
        return self.attributes.frame([part for part in self.scores.parts() if part[0] in wanted], only=wanted)

    @property
    def has_outcomes(self) -> bool:
        return self.mapping.outcome_column is not None

    def segments(self, mql_threshold: int | None = None) -> dict[str, list[dict]]:
        """Pass rate per segment (biggest first; the rest summed as "Other"): each row's ``segment``
        in plain words, ``key`` the value matched (a lead-source kind such as ``pricing_page``)."""
        import numpy as np

        from alignwork.backtest.scoring import column_ids

        mql = self.definition.mql_threshold if mql_threshold is None else mql_threshold
        if mql in self.segments_cache:
            return self.segments_cache[mql]
        rows = self.scores.row.to_numpy()  # each lead's combination of fired criteria
        passing = np.asarray(self._passing_combinations(mql), dtype=bool)[rows] if len(rows) else \
            np.zeros(0, dtype=bool)
        out: dict[str, list[dict]] = {}
        for attribute in SEGMENT_ATTRIBUTES:
            # leads and passing leads per value, counted on the values' ids (no grouping of the rows)
            keys, slots, ids = column_ids(self.attributes, attribute)
            size = int(slots[-1]) + 2 if len(slots) else 1
            leads = np.bincount(ids, minlength=size)
            hits = np.bincount(ids, weights=passing, minlength=size)
            counts: dict[str, list[int]] = {}
            for segment, slot in [*zip(keys.to_list(), slots.tolist()), (None, size - 1)]:
                if leads[slot]:
                    total = counts.setdefault("(unknown)" if segment is None else segment, [0, 0])
                    total[0] += int(leads[slot])
                    total[1] += int(hits[slot])
            if not counts or list(counts) == ["(unknown)"]:
                continue
            rows = [{"segment": segment, "leads": n, "passing": p}
                    for segment, (n, p) in sorted(counts.items(), key=lambda item: (-item[1][0], item[0]))]
            if len(rows) > SEGMENT_LIMIT:
                rest = rows[SEGMENT_LIMIT - 1:]
                rows = rows[:SEGMENT_LIMIT - 1] + [{"segment": "Other", "leads": sum(r["leads"] for r in rest),
                                                    "passing": sum(r["passing"] for r in rest)}]
            labels = _segment_labels(attribute)
            for row in rows:
                row["pass_rate"] = _ratio(row["passing"], row["leads"]) or 0.0
                # said in the documents' words ("Asked for pricing"); the value matched stays as "key"
                row["key"] = row["segment"]
                row["segment"] = labels.get(row["segment"], row["segment"])
            out[attribute] = rows
        self.segments_cache[mql] = out
        return out

    def _passing_combinations(self, mql_threshold: int) -> list[bool]:
        """Per combination of fired criteria: whether its leads pass at ``mql_threshold``."""
        table = self.scores.table
        return [self.calibration.stage(score, knockout, ready, mql_threshold) in PASSING
                for score, knockout, ready in zip(table["score"], table["knockout"], table["sql_ready"])]

    def summary(self, mql_threshold: int | None = None) -> dict:
        """Everything the CLI's --json prints (see docs/backtest.md)."""
        mql = self.definition.mql_threshold if mql_threshold is None else mql_threshold
        numbers = self.calibration.at(mql)
        return {"file": self.file_name, "version": self.version_number,
                "rows": self.rows, "scored": self.scored_rows,
                "bad_lines": [item.line for item in self.bad_lines],
                "bad_line_reasons": [{"line": item.line, "reason": item.reason} for item in self.bad_lines],
                **numbers, "disqualified_by_reason": self.disqualified_by_reason(),
                "score_distribution": self.calibration.distribution(),
                "segments": self.segments(mql), "mapping": self.mapping.to_json()}

    def disqualified_by_reason(self) -> dict[str, int]:
        """Disqualified leads per reason code of the first knock-out that fired (they add up to
        the disqualified count; ``knocked_out_by`` in the scored CSV lists every one that fired)."""
        counts: dict[str, int] = {}
        for code, n in zip(self.scores.table["first_knockout"], self.scores.rows_per_combination().tolist()):
            if code is not None and n:
                counts[code] = counts.get(code, 0) + n
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def matched_values(self, limit: int | None = 50, *, counts: bool = False) -> dict[str, dict[str, list]]:
        """For each criterion on a category the file does not carry as such (industry, region,
        function, seniority, lead source, e-mail type): the raw CRM values of the leads it
        fired on, most frequent first — what a CRM admin puts in a picklist rule. ``counts``
        gives ``(value, leads)`` pairs; ``limit=None`` keeps every value. An e-mail type is
        told by the domains (never the addresses)."""
        import polars as pl

        from alignwork.backtest.scoring import criterion_fires, field_column

        out: dict[str, dict[str, list[str]]] = {}
        for criterion in self.definition.scored_criteria():
            for condition in criterion.conditions:
                source = MATCHED_SOURCES.get(condition.field)
                columns = self.mapping.columns_for(source) if source else []
                if condition.field == "region" and not columns:
                    columns = self.mapping.columns_for("country")
                if not columns or condition.field in ("title",) or not condition.active:
                    continue
                column = field_column(condition.field)
                if column not in self.scored.columns:
                    continue
                keys = [k for k in self.scored[column].unique().drop_nulls().to_list()
                        if criterion_fires(criterion.model_copy(update={"conditions": [condition], "match": "all"}),
                                           {column: k})]
                if not keys:
                    continue
                hit = pl.col(column).is_in(keys)
                if self.scored.height == self.table.frame.height:  # no row dropped: same order, no join
                    raw, mask = self.table.frame, self.scored.select(hit).to_series()
                else:  # only the columns counted are joined (a whole 1M-row frame costs seconds)
                    raw, mask = self.table.frame.select(LINE, *columns).join(
                        self.scored.select(LINE, hit.alias("hit")).filter("hit"), on=LINE, how="semi"), None
                values: dict[str, int] = {}
                for name in columns:
                    cells = pl.col(name) if mask is None else pl.col(name).filter(mask)  # filtered as counted
                    if condition.field == "email_type":
                        cells = cells.cast(pl.String).str.split("@").list.last().str.strip_chars().str.to_lowercase()
                    tally = raw.select(cells.drop_nulls().alias("value").value_counts(name="n").alias("tally"))
                    for value, count in tally.unnest("tally").iter_rows():
                        values[str(value)] = values.get(str(value), 0) + count
                ordered = sorted(values, key=lambda v: (-values[v], v))[:limit]
                out.setdefault(criterion.id, {})[condition.field] = \
                    [(value, values[value]) for value in ordered] if counts else ordered
        return out

    def staged(self, mql_threshold: int | None = None):
        """The scored frame with ``stage`` recomputed for ``mql_threshold``."""
        if mql_threshold is None or mql_threshold == self.definition.mql_threshold:
            return self.scored
        return self.scored.with_columns(stage_expr(mql_threshold, self.definition.sql_threshold).alias("stage"))


def run_backtest(table: LeadTable, definition: Definition, mapping: Mapping, *,
                 normalizers: Normalizers | None = None, progress: Progress = NO_PROGRESS,
                 version_number: int | None = None, read_also: tuple[str, ...] = ()) -> BacktestResult:
    """Score every good row of ``table`` with ``definition``; raises Cancelled if cancelled.
    ``read_also``: columns to hash beside the mapped ones (``result.attributes.source_codes`` reads them)."""
    normalizers = normalizers or Normalizers.default()
    progress.report(1, 4, "Normalising titles, industries, regions…")
    fields = raw_fields(definition.scored_criteria())
    attributes, bad_values = code_attributes(table.frame, mapping, normalizers, progress=progress, fields=fields,
                                             also=read_also)
    progress.report(2, 4, "Scoring leads…")
    scores = score_combinations(attributes, definition)
    progress.report(3, 4, "Summarising…")
    calibration = Calibration(groups=_groups(attributes, scores), sql_threshold=definition.sql_threshold,
                              sql_min_intent=definition.sql_min_intent)
    bad = sorted([*table.bad_lines, *bad_values], key=lambda item: item.line)
    result = BacktestResult(definition=definition, table=table, mapping=mapping, attributes=attributes, scores=scores,
                            bad_lines=bad, calibration=calibration, file_name=table.file_name,
                            version_number=version_number)
    result.segments()
    progress.report(4, 4, "Done")
    return result


def _groups(attributes: Attributes, scores: Scores) -> list[tuple[int, bool, bool, bool | None, int]]:
    """Leads per (score, knockout, sql_ready, outcome), by score: counted on the combinations of
    fired criteria and the outcome's codes (no grouping of the rows)."""
    import numpy as np

    outcome = attributes.coded[OUTCOME]
    states = [None if value is None else bool(value) for value in outcome.values] + [None]
    state_ids = np.asarray([2 if state is None else int(state) for state in states], dtype=np.int64)
    combos = len(scores.table["score"])
    counts = np.bincount(scores.row.to_numpy().astype(np.int64) * 3 + state_ids[outcome.ids], minlength=combos * 3)
    table = scores.table
    groups = [(table["score"][combo], table["knockout"][combo], table["sql_ready"][combo], (False, True, None)[state],
               int(n)) for (combo, state), n in ((divmod(index, 3), n) for index, n in enumerate(counts.tolist())) if n]
    merged: dict[tuple, int] = {}  # two combinations may score alike
    for *key, n in groups:
        merged[tuple(key)] = merged.get(tuple(key), 0) + n
    return sorted(((*key, n) for key, n in merged.items()), key=lambda group: (group[0], group[1], group[2],
                                                                              {False: 0, True: 1, None: 2}[group[3]]))
