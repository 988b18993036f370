"""What a period's returned and won leads say about the definition.

Three kinds of finding, each with the file lines of the leads behind it and a concrete
proposal (``alignwork.review.proposals`` applies one to a new working draft when the
facilitator accepts it; nothing changes by itself):

- ``criterion_returns``: a scoring rule that lets in what Sales rejects. Among the leads
  sent to Sales that the definition passes, those the rule fired on were returned at least
  ``RETURN_RATE`` of the time and clearly more than the others (twice their rate and 25
  points above it), at least ``MIN_LEADS`` of them. Proposal: a knock-out on the attribute
  value most of those returned leads share and the accepted ones do not (e.g. e-mail type
  is student); else half the rule's points.
- ``reason_growth``: a reason code whose returns per lead sent grew to ``GROWTH`` times its
  average over the earlier periods (at least ``MIN_GROWTH_LEADS`` returns). Proposal: fewer
  points for the attribute value those returns share; else a higher MQL threshold.
- ``won_stopped``: leads Sales won that the definition would have stopped — knocked out
  (one finding per knock-out rule: proposal, drop it) or scored below the MQL threshold
  (proposal: the threshold that lets them pass, with how many more leads would pass).

Which rules fired on a lead is read from the back-test's ``reasons`` (one label per fired
rule, ``scoring.reason_label``) once per distinct combination; rules sharing a label are
scored alone with ``scoring.score_attributes``.
"""

from __future__ import annotations

from alignwork.backtest.leads import LINE
from alignwork.backtest.scoring import PASSING, reason_label, score_attributes
from alignwork.definition.compare import ATTRIBUTE_WORDS
from alignwork.definition.criteria import Criterion, Definition
from alignwork.review.columns import SENT_STEPS
from alignwork.words import counted

MIN_LEADS = 5
RETURN_RATE = 0.4
GROWTH = 1.75
MIN_GROWTH_LEADS = 8
LINES_KEPT = 200  # lines linked per finding (the count says how many there are)
SHARED_ATTRIBUTES = ("email_type", "seniority", "function", "industry", "region", "lead_source")
SHARED_MIN, OTHERS_MAX = 0.6, 0.2


def frame_columns(definition: Definition) -> set[str] | None:
    """The columns of a back-test's scored rows the findings read: the stage, score, fired rules
    and the attributes a finding may name; None (all of them) when two rules share a label (such
    a rule is scored alone, see ``FiredRules``)."""
    from alignwork.backtest.attributes import OUTCOME

    labels = [reason_label(criterion) for criterion in definition.scored_criteria()]
    if len(set(labels)) < len(labels):
        return None
    return {"stage", "score", "reasons", OUTCOME, *SHARED_ATTRIBUTES}


def _percent(value: float) -> str:
    return f"{value:.0%}"


class FiredRules:
    """Which rules fired on each lead of ``frame``, read from the back-test's ``reasons`` once per
    distinct combination of fired rules (a handful): ``counts`` holds the leads per
    (combination, step, stage), so a rule's figures are sums over that small cube and a row
    mask is built only for a rule a finding is about. Rules sharing a label are scored alone
    with ``scoring.score_attributes``."""

    def __init__(self, frame, definition: Definition):
        import numpy as np

        from alignwork.backtest.scoring import STAGES, value_ids
        from alignwork.review.columns import STEPS

        self.frame, self.definition = frame, definition
        self.by_label: dict[str, list[str]] = {}
        for criterion in definition.scored_criteria():
            self.by_label.setdefault(reason_label(criterion), []).append(criterion.id)
        keys, slots, ids = value_ids(frame["reasons"], frame.height)
        # the category ids are the process's: renumbered 0..n-1 (n for a lead without reasons)
        dense = np.full(int(slots[-1]) + 2 if len(slots) else 1, len(slots), dtype=np.int64)
        dense[slots] = np.arange(len(slots))
        self.ids, self.size = dense[ids], len(slots) + 1
        self.fired_labels = [{label for label in key.split("; ") if label} for key in keys.to_list()] + [set()]
        steps = frame["step"].to_physical().to_numpy().astype(np.int64)
        stages = frame["stage"].to_physical().to_numpy().astype(np.int64)
        self.steps, self.stages = STEPS, STAGES
        key = (self.ids * len(STEPS) + steps) * len(STAGES) + stages
        self.counts = np.bincount(key, minlength=self.size * len(STEPS) * len(STAGES)) \
            .reshape(self.size, len(STEPS), len(STAGES))
        self._masks: dict[str, object] = {}

    def table(self, criterion: Criterion):
        """Per combination: did ``criterion`` fire (numpy bool), or None when its label is shared."""
        import numpy as np

        label = reason_label(criterion)
        if len(self.by_label.get(label, [])) != 1:
            return None
        return np.array([label in fired for fired in self.fired_labels], dtype=bool)

    def mask(self, criterion: Criterion):
        """A Boolean expression, True on the leads ``criterion`` fired on."""
        import polars as pl

        if criterion.id not in self._masks:
            table = self.table(criterion)
            if table is not None:
                series = pl.Series(table[self.ids], dtype=pl.Boolean)
            else:  # two rules share a label: score this one alone
                alone = Definition(criteria=[criterion], mql_threshold=self.definition.mql_threshold,
                                   sql_threshold=self.definition.sql_threshold,
                                   sql_min_intent=self.definition.sql_min_intent)
                scored = score_attributes(self.frame.select(pl.exclude(
                    "score", "fit_score", "intent_score", "knockout", "reasons", "stage", "sql_ready")), alone)
                series = (scored["score"] != 0) | scored["knockout"]
            self._masks[criterion.id] = series.alias(f"fired:{criterion.id}")
        return pl.lit(self._masks[criterion.id])

    def leads(self, criterion: Criterion, steps, stages, *, fired: bool = True) -> int:
        """Leads at one of ``steps`` and ``stages`` that ``criterion`` fired on (``fired=False``: did not)."""
        import polars as pl

        table = self.table(criterion)
        if table is None:
            hit = self.mask(criterion) if fired else ~self.mask(criterion)
            return int(self.frame.select((hit & pl.col("step").is_in(list(steps))
                                          & pl.col("stage").is_in(list(stages))).sum()).item())
        return self.count(table if fired else ~table, steps, stages)

    def count(self, rows, steps, stages) -> int:
        """Leads in the combinations ``rows`` (a mask or a slice) at one of ``steps`` and ``stages``."""
        step_index = [self.steps.index(step) for step in steps]
        stage_index = [self.stages.index(stage) for stage in stages]
        return int(self.counts[rows][:, step_index][:, :, stage_index].sum())


def shared_value(frame, hit, others, skip: str | None = None) -> tuple[str, str, float, float] | None:
    """The attribute value most ``hit`` rows share and few ``others`` rows have:
    ``(attribute, value, share among hit, share among others)`` or None."""
    import polars as pl

    hits = frame.filter(hit)  # the few leads behind a finding; the others are only counted
    if hits.height == 0:
        return None
    candidates = []
    for attribute in SHARED_ATTRIBUTES:
        if attribute == skip or attribute not in frame.columns:
            continue
        counts = hits.group_by(pl.col(attribute).cast(pl.String)).len().drop_nulls().sort("len", descending=True)
        if counts.height and counts.row(0)[1] / hits.height >= SHARED_MIN:
            candidates.append((attribute, *counts.row(0)))
    if not candidates:
        return None
    rest = frame.select(others.sum().alias("all"),
                        *[(others & (pl.col(a).cast(pl.String) == v)).sum().alias(a) for a, v, _ in candidates]).row(0)
    best = None
    for (attribute, value, count), with_value in zip(candidates, rest[1:]):
        share, other = count / hits.height, (with_value / rest[0] if rest[0] else 0.0)
        if other <= OTHERS_MAX and (best is None or share - other > best[2] - best[3]):
            best = (attribute, value, share, other)
    return best


def _lines(frame, mask) -> list[int]:
    import polars as pl

    return frame.select(pl.col(LINE).filter(mask).head(LINES_KEPT)).to_series().to_list()


def _words(attribute: str, value: str) -> str:
    if attribute == "lead_source":
        from alignwork.synthesis.normalize import lead_source_kinds

        value = lead_source_kinds().get(value, value)
    return f"{ATTRIBUTE_WORDS.get(attribute, attribute.replace('_', ' '))} is {value}"


def find_findings(period, previous: list[dict], *, period_label: str = "") -> list[dict]:
    """Every finding of ``period`` (a ``metrics.PeriodResult``); ``previous``: the metrics of
    the earlier periods, oldest first."""
    import polars as pl

    definition = period.definition
    frame = period.frame
    sent = pl.col("step").is_in(list(SENT_STEPS))
    passing = pl.col("stage").is_in(list(PASSING))
    returned = pl.col("step") == "returned"
    findings: list[dict] = []

    # 1. rules that let in what Sales returns
    rules = [c for c in definition.scored_criteria() if not c.knockout and c.points > 0]
    knockouts = [c for c in definition.scored_criteria() if c.knockout]
    fired_rules = FiredRules(frame, definition)
    # only what the findings read: filters on a million rows copy every column they keep
    frame = frame.select(LINE, "step", "stage", "code", "score",
                         *[a for a in SHARED_ATTRIBUTES if a in frame.columns])
    sent_passing = sent & passing
    for criterion in rules:
        hit, hit_returned, rest, rest_returned = (
            fired_rules.leads(criterion, steps, PASSING, fired=fired)
            for fired, steps in ((True, SENT_STEPS), (True, ("returned",)), (False, SENT_STEPS),
                                 (False, ("returned",))))
        if hit_returned < MIN_LEADS:
            continue
        rate = hit_returned / hit
        other_rate = rest_returned / rest if rest else 0.0
        if rate < RETURN_RATE or rate < 2 * other_rate or rate < other_rate + 0.25:
            continue
        fired = fired_rules.mask(criterion)
        codes = (frame.filter(sent_passing & fired & returned & pl.col("code").is_not_null())
                 .group_by(pl.col("code").cast(pl.String)).len()
                 .sort(["len", "code"], descending=[True, False]))
        top = codes.row(0) if codes.height else None
        shared = shared_value(frame, sent_passing & fired & returned, sent_passing & fired & ~returned,
                              skip=criterion.attribute)
        if shared:
            attribute, value, share, other = shared
            proposal = {"change": "add_knockout", "attribute": attribute, "value": value,
                        "text": f"Add a knock-out: {_words(attribute, value)} ({_percent(share)} of these "
                                f"returned leads, {_percent(other)} of the accepted ones)"}
        else:
            points = criterion.points // 2
            proposal = {"change": "set_points", "criterion_id": criterion.id, "points": points,
                        "text": f"Give “{criterion.label}” {points} points instead of {criterion.points}"}
        code_text = f"; most came back as {top[0]} ({top[1]})" if top else ""
        findings.append({
            "id": f"criterion:{criterion.id}", "kind": "criterion_returns", "criterion_id": criterion.id,
            "title": f"“{criterion.label}” lets in leads Sales returns",
            "detail": f"{counted(hit_returned, 'lead')} it passed came back ({_percent(rate)} of {hit:,}; "
                      f"{_percent(other_rate)} of the other passing leads){code_text}.",
            "leads": hit_returned, "lines": _lines(frame, sent_passing & fired & returned), "proposal": proposal})

    # 2. reason codes that grow
    if previous:
        sent_now = period.metrics["sent"] or 0
        for row in period.metrics["returned_by_code"]:
            code, count = row["code"], row["leads"]
            rates = []
            for earlier in previous:
                earlier_count = next((r["leads"] for r in earlier.get("returned_by_code", []) if r["code"] == code), 0)
                if earlier.get("sent"):
                    rates.append(earlier_count / earlier["sent"])
            if count < MIN_GROWTH_LEADS or not rates or not sent_now:
                continue
            average, rate = sum(rates) / len(rates), count / sent_now
            if average and rate < GROWTH * average:
                continue
            mask = returned & (pl.col("code") == code)
            others = sent & ~returned
            shared = shared_value(frame, mask, others)
            if shared:
                attribute, value, share, other = shared
                points = -max(10, definition.mql_threshold // 2)
                proposal = {"change": "add_points", "attribute": attribute, "value": value, "points": points,
                            "text": f"Score leads whose {_words(attribute, value)} {points} points "
                                    f"({_percent(share)} of these returns, {_percent(other)} of the rest)"}
            else:
                raised = definition.mql_threshold + 10
                proposal = {"change": "set_mql_threshold", "mql_threshold": raised,
                            "text": f"Raise the MQL threshold from {definition.mql_threshold} to {raised}"}
            grown = f"{rate / average:.1f}×" if average else "new"
            findings.append({
                "id": f"reason:{code}", "kind": "reason_growth", "code": code,
                "title": f"Returns for {code} ({row['label']}) grow",
                "detail": f"{count:,} returned as {code}: {_percent(rate)} of the leads sent, against "
                          f"{_percent(average)} on average before ({grown}).",
                "leads": count, "lines": _lines(frame, mask), "proposal": proposal})

    # 3. leads Sales won that the definition would stop
    won_stopped = (pl.col("step") == "won") & ~passing
    stopping = [stage for stage in fired_rules.stages if stage not in PASSING]
    if fired_rules.count(slice(None), ("won",), stopping):
        for criterion in knockouts:
            count = fired_rules.leads(criterion, ("won",), stopping)
            if not count:
                continue
            mask = won_stopped & fired_rules.mask(criterion)
            findings.append({
                "id": f"won:{criterion.id}", "kind": "won_stopped", "criterion_id": criterion.id,
                "title": f"Sales won {counted(count, 'lead')} the knock-out “{criterion.label}” stops",
                "detail": f"The definition disqualifies {'it' if count == 1 else 'them'}; Sales closed "
                          f"{'it' if count == 1 else 'them'} as won.",
                "leads": count, "lines": _lines(frame, mask),
                "proposal": {"change": "drop_criterion", "criterion_id": criterion.id,
                             "text": f"Drop the knock-out “{criterion.label}” (or narrow it)"}})
        below = won_stopped & (pl.col("stage") == "nurture")
        low, lowest, highest = frame.select(below.sum().alias("n"), pl.col("score").filter(below).min().alias("lo"),
                                            pl.col("score").filter(below).max().alias("hi")).row(0)
        if low:
            threshold = int(lowest)
            more = int(frame.select(((pl.col("stage") == "nurture") & (pl.col("score") >= threshold)).sum()).item())
            findings.append({
                "id": "won:below_mql", "kind": "won_stopped",
                "title": f"Sales won {counted(low, 'lead')} scored below the MQL threshold",
                "detail": f"Scores {threshold}–{int(highest)}; the MQL threshold is "
                          f"{definition.mql_threshold}.",
                "leads": low, "lines": _lines(frame, below),
                "proposal": {"change": "set_mql_threshold", "mql_threshold": threshold,
                             "text": f"Lower the MQL threshold from {definition.mql_threshold} to {threshold} "
                                     f"({counted(more, 'more lead')} of this period would pass)"}})
    for finding in findings:
        finding["period"] = period_label
        finding["accepted"] = None
    return findings
