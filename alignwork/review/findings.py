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
  (proposal: the threshold that lets them pass, with how many more leads would pass; never a
  bar at zero or below, which passes every lead: then no points for the negative rule that
  held them back).

Everything is counted on the period's codes (``metrics.PeriodLeads``): which rules fired on a
lead is told by its combination of fired criteria (the back-test's ``Scores.fired``, by rule id,
so two rules sharing a label stay apart), a rule's figures are sums over the leads per
combination and step, and rows are read only for the lines of a finding and the attribute
values its leads share.
"""

from __future__ import annotations

from alignwork.backtest.scoring import PASSING
from alignwork.definition.compare import ATTRIBUTE_WORDS
from alignwork.definition.criteria import Criterion
from alignwork.review.columns import SENT_STEPS
from alignwork.words import counted, plural

MIN_LEADS = 5
RETURN_RATE = 0.4
GROWTH = 1.75
MIN_GROWTH_LEADS = 8
LINES_KEPT = 200  # lines linked per finding (the count says how many there are)
SHARED_ATTRIBUTES = ("email_type", "seniority", "function", "industry", "region", "lead_source")
SHARED_MIN, OTHERS_MAX = 0.6, 0.2


def _percent(value: float) -> str:
    return f"{value:.0%}"


class FiredRules:
    """Which rules fired on the leads of a period (``metrics.PeriodLeads``), told by their
    combination of fired criteria (``scores.fired``, a handful): a rule's figures are sums over
    the leads per (combination, step), and a lead mask is built only for a rule a finding is about."""

    def __init__(self, leads):
        import numpy as np

        from alignwork.backtest.scoring import STAGES
        from alignwork.review.columns import STEPS

        self.leads, self.steps, self.stages = leads, STEPS, STAGES
        table = leads.scores.table
        self.stage = np.asarray([STAGES.index(stage) for stage in table["stage"]], dtype=np.int64)
        self.score = np.asarray(table["score"], dtype=np.int64)
        self.counts = leads.cube.sum(axis=(2, 3))  # leads per (combination, step)

    def table(self, criterion: Criterion):
        """Per combination: did ``criterion`` fire (numpy bool)."""
        import numpy as np

        return np.asarray([criterion.id in fired for fired in self.leads.scores.fired], dtype=bool)

    def at(self, stages):
        """Per combination: is its stage one of ``stages`` (numpy bool)."""
        import numpy as np

        return np.isin(self.stage, [self.stages.index(stage) for stage in stages])

    def mask(self, combinations, steps=None):
        """Per lead (numpy bool): in one of ``combinations`` (a bool per combination) and at one of ``steps``."""
        import numpy as np

        at = np.ones(len(self.steps), dtype=bool) if steps is None else \
            np.isin(np.arange(len(self.steps)), [self.steps.index(step) for step in steps])
        return (combinations[:, None] & at[None, :]).ravel()[self.leads.pair]  # one gather per lead

    def leads_of(self, criterion: Criterion, steps, stages, *, fired: bool = True) -> int:
        """Leads at one of ``steps`` and ``stages`` that ``criterion`` fired on (``fired=False``: did not)."""
        table = self.table(criterion)
        return self.count((table if fired else ~table) & self.at(stages), steps)

    def count(self, combinations, steps) -> int:
        """Leads in ``combinations`` (a bool per combination) at one of ``steps``."""
        return int(self.counts[combinations][:, [self.steps.index(step) for step in steps]].sum())


def shared_value(leads, hit, others, skip: str | None = None) -> tuple[str, str, float, float] | None:
    """The attribute value most ``hit`` leads share and few ``others`` leads have (both numpy
    masks over ``leads``, a ``metrics.PeriodLeads``): ``(attribute, value, share among hit,
    share among others)`` or None. Counted on the attributes' codes."""
    import numpy as np

    hits = int(hit.sum())  # the few leads behind a finding; the others are only counted
    if hits == 0:
        return None
    candidates = []
    for attribute in SHARED_ATTRIBUTES:
        if attribute == skip or attribute not in leads.attributes.columns:
            continue
        names, ids = leads.values(attribute)
        tally = np.bincount(ids[hit], minlength=len(names) + 1)[:len(names)]
        if len(names) and tally.max() / hits >= SHARED_MIN:
            top = int(tally.argmax())  # the first name of the most frequent: ties go alphabetically
            candidates.append((attribute, names[top], int(tally[top]), ids == top))
    if not candidates:
        return None
    rest = int(others.sum())
    best = None
    for attribute, value, count, with_value in candidates:
        share, other = count / hits, (int((others & with_value).sum()) / rest if rest else 0.0)
        if other <= OTHERS_MAX and (best is None or share - other > best[2] - best[3]):
            best = (attribute, value, share, other)
    return best


def _lines(leads, mask) -> list[int]:
    import numpy as np

    return leads.line.gather(np.flatnonzero(mask)[:LINES_KEPT]).to_list()


def _words(attribute: str, value: str) -> str:
    if attribute == "lead_source":
        from alignwork.synthesis.normalize import lead_source_kinds

        value = lead_source_kinds().get(value, value)
    return f"{ATTRIBUTE_WORDS.get(attribute, attribute.replace('_', ' '))} is {value}"


def _below_mql_proposal(definition, rules: FiredRules, nurture, won) -> dict | None:
    """What lets the won leads scored below the MQL threshold pass: the threshold of the lowest
    of them that scored above zero (a bar at zero or below would pass every lead), else, when
    they all scored zero or less, no points for the negative rule that fired on most of them;
    None when no rule held them back (nothing fired: no threshold or points can tell them)."""
    positive = nurture & (won > 0) & (rules.score > 0)
    if positive.any():
        threshold = int(rules.score[positive].min())
        more = rules.count(nurture & (rules.score >= threshold), rules.steps)
        return {"change": "set_mql_threshold", "mql_threshold": threshold,
                "text": f"Lower the MQL threshold from {definition.mql_threshold} to {threshold} "
                        f"({more:,} more {plural('lead', more)} of this period would pass)"}
    negative = [(rules.count(rules.table(c) & nurture, ("won",)), c) for c in definition.scored_criteria()
                if not c.knockout and c.points < 0]
    pulled, criterion = max(negative, key=lambda item: item[0], default=(0, None))
    if not pulled:
        return None
    return {"change": "set_points", "criterion_id": criterion.id, "points": 0,
            "text": f"Give “{criterion.label}” 0 points instead of {criterion.points} (it held back "
                    f"{pulled} of these won leads)"}


def find_findings(period, previous: list[dict], *, period_label: str = "") -> list[dict]:
    """Every finding of ``period`` (a ``metrics.PeriodResult``); ``previous``: the metrics of
    the earlier periods, oldest first."""
    definition, leads = period.definition, period.leads
    rules = FiredRules(leads)
    passing = rules.at(PASSING)
    returned = leads.step == rules.steps.index("returned")
    findings: list[dict] = []

    # 1. rules that let in what Sales returns
    for criterion in [c for c in definition.scored_criteria() if not c.knockout and c.points > 0]:
        hit, hit_returned, rest, rest_returned = (
            rules.leads_of(criterion, steps, PASSING, fired=fired)
            for fired, steps in ((True, SENT_STEPS), (True, ("returned",)), (False, SENT_STEPS),
                                 (False, ("returned",))))
        if hit_returned < MIN_LEADS:
            continue
        rate = hit_returned / hit
        other_rate = rest_returned / rest if rest else 0.0
        if rate < RETURN_RATE or rate < 2 * other_rate or rate < other_rate + 0.25:
            continue
        fired = rules.table(criterion) & passing
        # the reason codes of those returns, most frequent first (then by code)
        by_code = leads.cube[fired, rules.steps.index("returned"), :len(leads.codes)].sum(axis=(0, 2)).tolist()
        top = min(((code, n) for code, n in zip(leads.codes, by_code) if n), key=lambda item: (-item[1], item[0]),
                  default=None)
        sent_fired = rules.mask(fired, SENT_STEPS)
        shared = shared_value(leads, sent_fired & returned, sent_fired & ~returned, skip=criterion.attribute)
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
            "leads": hit_returned, "lines": _lines(leads, sent_fired & returned), "proposal": proposal})

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
            mask = returned & (leads.code == leads.codes.index(code))
            shared = shared_value(leads, mask, (leads.step != rules.steps.index("kept")) & ~returned)
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
                "leads": count, "lines": _lines(leads, mask), "proposal": proposal})

    # 3. leads Sales won that the definition would stop
    stopped = ~passing
    if rules.count(stopped, ("won",)):
        for criterion in [c for c in definition.scored_criteria() if c.knockout]:
            knocked = rules.table(criterion) & stopped
            count = rules.count(knocked, ("won",))
            if not count:
                continue
            findings.append({
                "id": f"won:{criterion.id}", "kind": "won_stopped", "criterion_id": criterion.id,
                "title": f"Sales won {counted(count, 'lead')} the knock-out “{criterion.label}” stops",
                "detail": f"The definition disqualifies {'it' if count == 1 else 'them'}; Sales closed "
                          f"{'it' if count == 1 else 'them'} as won.",
                "leads": count, "lines": _lines(leads, rules.mask(knocked, ("won",))),
                "proposal": {"change": "drop_criterion", "criterion_id": criterion.id,
                             "text": f"Drop the knock-out “{criterion.label}” (or narrow it)"}})
        nurture = rules.at(("nurture",))
        won = rules.counts[:, rules.steps.index("won")]
        low = rules.count(nurture, ("won",))
        if low:
            lowest, highest = int(rules.score[nurture & (won > 0)].min()), int(rules.score[nurture & (won > 0)].max())
            scores = f"Score {lowest}" if lowest == highest else f"Scores {lowest} to {highest}"
            proposal = _below_mql_proposal(definition, rules, nurture, won)
            if proposal is not None:
                findings.append({
                    "id": "won:below_mql", "kind": "won_stopped",
                    "title": f"Sales won {counted(low, 'lead')} scored below the MQL threshold",
                    "detail": f"{scores}; the MQL threshold is {definition.mql_threshold}.",
                    "leads": low, "lines": _lines(leads, rules.mask(nurture, ("won",))), "proposal": proposal})
    for finding in findings:
        finding["period"] = period_label
        finding["accepted"] = None
    return findings
