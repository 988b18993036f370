"""A lead definition as a scoring model: score one lead, or a whole table, columnar.

The semantics are those of ``alignwork.definition.criteria`` (read its docstring):
fit and intent points of the criteria that fire, knock-outs disqualify, the
thresholds give the stage. Text comparisons ignore case. Numbers compare as
numbers; ``between`` is inclusive at both ends.

For a table each criterion gives one bit per row — decided once per distinct
value for text attributes, by a polars expression for numbers; the bits form a
"fired mask", and scores, stage inputs and the reasons text are computed once
per distinct mask (a handful) and joined back — so a million rows cost a few
vectorised passes. ``score_lead`` applies the same rules in
plain Python to one lead; a test checks the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from alignwork.definition.criteria import Criterion, Definition
from alignwork.backtest.attributes import NUMERIC_ATTRIBUTES, Normalizers, normalise_lead

STAGES = ("SQL", "MQL", "nurture", "disqualified")
PASSING = ("SQL", "MQL")
SCORE_COLUMNS = ("fit_score", "intent_score", "score", "stage", "reasons")
_MASK_BITS = 62  # bits per mask column (Int64, sign bit left alone)


@dataclass
class LeadScore:
    fit_score: int
    intent_score: int
    score: int
    stage: str
    reasons: list[str] = field(default_factory=list)
    knockout: bool = False


def reason_label(criterion: Criterion) -> str:
    """The short "why" shown per lead: the criterion's label and its effect."""
    effect = "knock-out" if criterion.knockout else f"{criterion.points:+d}"
    return f"{criterion.label} ({effect})"


def stage_of(score: int, intent_score: int, knockout: bool, definition: Definition,
             mql_threshold: int | None = None) -> str:
    mql = definition.mql_threshold if mql_threshold is None else mql_threshold
    if knockout:
        return "disqualified"
    if score >= definition.sql_threshold and intent_score >= definition.sql_min_intent:
        return "SQL"
    return "MQL" if score >= mql else "nurture"


# ------------------------------------------------------------------ one criterion, two forms

def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple, set)) else [value]


def _bounds(value) -> tuple[float | None, float | None]:
    if isinstance(value, dict):
        low, high = value.get("min"), value.get("max")
    elif isinstance(value, (list, tuple)) and len(value) == 2:
        low, high = value
    else:
        return None, None
    return (None if low is None else float(low)), (None if high is None else float(high))


def _number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def matches(criterion: Criterion, value) -> bool:
    """Whether ``criterion`` fires on an attribute ``value`` (already normalised)."""
    if value is None or value == "":
        return False
    operator, expected = criterion.operator, criterion.value
    if criterion.attribute in NUMERIC_ATTRIBUTES:
        number = float(value)
        if operator == "between":
            low, high = _bounds(expected)
            return (low is None or number >= low) and (high is None or number <= high)
        if operator in ("gte", "lte"):
            limit = _number(expected)
            return limit is not None and (number >= limit if operator == "gte" else number <= limit)
        wanted = [n for n in (_number(item) for item in _as_list(expected)) if n is not None]
        if operator in ("in", "equals"):
            return number in wanted
        if operator == "not_in":
            return number not in wanted
        return False
    text = str(value).casefold()
    if operator in ("in", "not_in"):
        inside = text in {str(item).casefold() for item in _as_list(expected)}
        return inside if operator == "in" else not inside
    if operator == "equals":
        return expected is not None and text == str(expected).casefold()
    if operator == "contains":
        return any(str(item).casefold() in text for item in _as_list(expected) if str(item))
    return False  # between/gte/lte on text never fire


def numeric_criterion_expr(criterion: Criterion):
    """The polars form of ``matches`` for a number attribute: False where the value is missing."""
    import polars as pl

    column = pl.col(criterion.attribute)
    operator, expected = criterion.operator, criterion.value
    if operator == "between":
        low, high = _bounds(expected)
        expr = column.is_not_null()
        expr = expr & (column >= low) if low is not None else expr
        expr = expr & (column <= high) if high is not None else expr
    elif operator in ("gte", "lte"):
        limit = _number(expected)
        expr = pl.lit(False) if limit is None else (column >= limit if operator == "gte" else column <= limit)
    elif operator in ("in", "equals", "not_in"):
        wanted = [n for n in (_number(item) for item in _as_list(expected)) if n is not None]
        expr = column.is_in(wanted)
        expr = column.is_not_null() & ~expr if operator == "not_in" else expr
    else:
        expr = pl.lit(False)
    return expr.fill_null(False)


# ------------------------------------------------------------------ one lead

def score_lead(definition: Definition, lead: dict, normalizers: Normalizers | None = None) -> LeadScore:
    """Score one lead given as attribute → raw value ({"title": "VP Marketing", "employees": "250", …}).

    Values are normalised as for a file (title → function/seniority, country → region, …).
    """
    attributes = normalise_lead(lead, normalizers or Normalizers.default())
    fired = [c for c in definition.scored_criteria() if matches(c, attributes.get(c.attribute))]
    fit = sum(c.points for c in fired if c.axis == "fit")
    intent = sum(c.points for c in fired if c.axis == "intent")
    knockout = any(c.knockout for c in fired)
    return LeadScore(fit, intent, fit + intent, stage_of(fit + intent, intent, knockout, definition),
                     [reason_label(c) for c in fired], knockout)


# ------------------------------------------------------------------ a table

def _fired_masks(attributes, groups: list[list[Criterion]]) -> list:
    """One Int64 Series per group of criteria: bit ``i`` set where criterion ``i`` fires.

    Text attributes have few distinct values: each criterion is decided once per
    distinct value (``matches``) and the bits mapped back; numbers use expressions.
    """
    import polars as pl

    height = attributes.height
    masks: list = [None] * len(groups)
    parts: list[list] = [[] for _ in groups]
    numeric: list[list] = [[] for _ in groups]
    by_attribute: dict[str, list[tuple[int, int, Criterion]]] = {}
    for group_index, group in enumerate(groups):
        for bit, criterion in enumerate(group):
            if criterion.attribute in NUMERIC_ATTRIBUTES:
                numeric[group_index].append(pl.when(numeric_criterion_expr(criterion))
                                            .then(pl.lit(1 << bit, dtype=pl.Int64)).otherwise(0))
            else:
                by_attribute.setdefault(criterion.attribute, []).append((group_index, bit, criterion))
    for attribute, entries in by_attribute.items():
        values = attributes[attribute] if attribute in attributes.columns else \
            pl.Series(values=[None] * height, dtype=pl.String)
        keys = values.unique().drop_nulls().to_list()
        for group_index in {entry[0] for entry in entries}:
            bits = [sum(1 << bit for g, bit, c in entries if g == group_index and matches(c, key)) for key in keys]
            parts[group_index].append(values.replace_strict(keys, bits, default=0, return_dtype=pl.Int64))
    for group_index in range(len(groups)):
        total = attributes.select(pl.sum_horizontal(numeric[group_index]).cast(pl.Int64)).to_series() \
            if numeric[group_index] else pl.Series(values=[0] * height, dtype=pl.Int64)
        for part in parts[group_index]:
            total = total + part
        masks[group_index] = total.alias(f"_mask{group_index}")
    return masks


def score_attributes(attributes, definition: Definition):
    """Add ``fit_score``, ``intent_score``, ``score``, ``knockout``, ``sql_ready``,
    ``stage`` and ``reasons`` to a frame of attributes (see ``lead_attributes``)."""
    import polars as pl

    criteria = definition.scored_criteria()
    groups = [criteria[start:start + _MASK_BITS] for start in range(0, len(criteria), _MASK_BITS)] or [[]]
    masks = _fired_masks(attributes, groups)
    key = masks[0] if len(masks) == 1 else \
        pl.select(pl.concat_str([mask.cast(pl.String) for mask in masks], separator="|")).to_series()
    combos = pl.DataFrame(masks).with_columns(key.alias("key")).unique("key")
    fits, intents, knockouts, reasons = [], [], [], []
    for values in combos.drop("key").iter_rows():
        fired = [c for group, mask in zip(groups, values) for bit, c in enumerate(group) if mask >> bit & 1]
        fits.append(sum(c.points for c in fired if c.axis == "fit"))
        intents.append(sum(c.points for c in fired if c.axis == "intent"))
        knockouts.append(any(c.knockout for c in fired))
        reasons.append("; ".join(reason_label(c) for c in fired))
    # each row's combination of fired rules → its row in the small table above
    row = key.replace_strict(combos["key"], pl.Series(range(combos.height), dtype=pl.UInt32))
    fit = pl.Series("fit_score", fits, dtype=pl.Int64).gather(row)
    intent = pl.Series("intent_score", intents, dtype=pl.Int64).gather(row)
    scored = attributes.with_columns(
        fit, intent, (fit + intent).alias("score"), pl.Series("knockout", knockouts, dtype=pl.Boolean).gather(row),
        pl.Series("reasons", reasons, dtype=pl.Categorical).gather(row),
        (intent >= definition.sql_min_intent).alias("sql_ready"))
    return scored.with_columns(stage_expr(definition.mql_threshold, definition.sql_threshold).alias("stage"))


def stage_expr(mql_threshold: int, sql_threshold: int):
    """The stage from ``score``, ``knockout`` and ``sql_ready`` columns (no re-scoring)."""
    import polars as pl

    return (pl.when(pl.col("knockout")).then(pl.lit("disqualified"))
            .when((pl.col("score") >= sql_threshold) & pl.col("sql_ready")).then(pl.lit("SQL"))
            .when(pl.col("score") >= mql_threshold).then(pl.lit("MQL"))
            .otherwise(pl.lit("nurture")).cast(pl.Enum(STAGES)))
