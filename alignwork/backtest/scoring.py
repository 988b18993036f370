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

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from alignwork.definition.criteria import Condition, Criterion, Definition
from alignwork.definition.vocabulary import FIELDS, NUMERIC_FIELDS
from alignwork.backtest.attributes import EXTRA_PREFIX, LEAD_SOURCES, Normalizers, normalise_lead

STAGES = ("SQL", "MQL", "nurture", "disqualified")
PASSING = ("SQL", "MQL")
SCORE_COLUMNS = ("fit_score", "intent_score", "score", "stage", "knocked_out_by", "reasons")
_MASK_BITS = 62  # bits per mask column (Int64, sign bit left alone)


@dataclass
class LeadScore:
    fit_score: int
    intent_score: int
    score: int
    stage: str
    reasons: list[str] = field(default_factory=list)
    knockout: bool = False
    knocked_out_by: list[str] = field(default_factory=list)  # reason codes of the knock-outs that fired


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


# ------------------------------------------------------------------ one condition, two forms

def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple, set)) else [value]


def fold(text) -> str:
    """Text as rules compare it: accents dropped, case folded, spaces collapsed ("Étudiant " → "etudiant")."""
    text = str(text)
    if text.isascii():
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().split())


def _words_pattern(phrases: list[str]):
    """One regex finding any phrase on whole words ("phd student" also in "PhD-Student")."""
    parts = [r"\W+".join(re.escape(word) for word in re.findall(r"\w+", phrase)) for phrase in phrases]
    parts = [part for part in parts if part]
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(parts, key=len, reverse=True)) + r")(?!\w)") if parts else None


def company_key(name) -> str:
    """A company name without case, accents, punctuation and legal suffixes: "ACME, Inc." and
    "Acme Corporation" → "acme"; "Rival Soft GmbH" and "RivalSoft" → "rivalsoft"."""
    from alignwork.definition.knockouts import company_legal_suffixes

    words = re.findall(r"\w+", fold(name).replace("&", " and "))
    suffixes = company_legal_suffixes()
    while len(words) > 1 and words[-1] in suffixes:
        words.pop()
    return "".join(words)


def _domain(field: str, value) -> str | None:
    text = str(value)
    if field in ("email", "email_domain") and "@" not in text and "/" not in text:
        return text.casefold().strip(". ") or None  # already a domain (the e-mail domain column)
    from alignwork.definition.knockouts import as_domain

    return as_domain(text)


def _in_domains(domain: str | None, entries: frozenset[str]) -> bool:
    """``domain`` is an entry or a subdomain of one: each parent is one set lookup."""
    if domain is None:
        return False
    labels = domain.split(".")
    return any(".".join(labels[i:]) in entries for i in range(len(labels)))


def condition_test(condition: Condition) -> Callable[[object], bool]:
    """``value → fires?`` for one condition on one normalised field value (None = missing).
    Multi-value fields (the lead sources of a lead, "demo_request|pricing_page") fire when any
    of their values does (``is none of``: when none does)."""
    operator, expected, field = condition.operator, condition.value, condition.field
    if operator == "is_empty":
        return lambda value: value is None or str(value).strip() == ""
    if operator == "is_not_empty":
        return lambda value: not (value is None or str(value).strip() == "")
    if not condition.active:
        return lambda value: False
    if field in NUMERIC_FIELDS:
        return _number_test(operator, expected)
    items = [str(item) for item in _as_list(expected)]
    multi = field == "lead_source"
    if operator in ("is", "is_any_of", "is_none_of"):
        if field == "company":
            key, wanted = company_key, {company_key(item) for item in items}
        elif field in ("website", "email_domain"):
            key, wanted = (lambda v: _domain(field, v) or fold(v)), {_domain(field, i) or fold(i) for i in items}
        else:
            key, wanted = fold, {fold(item) for item in items}
        if multi:
            def inside(value) -> bool:
                return any(fold(part) in wanted for part in str(value).split("|"))
        else:
            def inside(value) -> bool:
                return key(value) in wanted
        if operator == "is_none_of":
            return lambda value: value is not None and not inside(value)
        return lambda value: value is not None and inside(value)
    if operator == "contains_any":
        phrases = [fold(item) for item in items]
        pattern = _words_pattern([p for p in phrases if p.isascii()])
        loose = [p for p in phrases if not p.isascii()]  # "学生", "étudiant" folded: substring of the folded text

        def contains(value) -> bool:
            if value is None:
                return False
            text = fold(value)
            return bool(pattern is not None and pattern.search(text)) or any(p in text for p in loose)
        return contains
    if operator == "starts_with":
        prefixes = tuple(fold(item) for item in items)
        return lambda value: value is not None and fold(value).startswith(prefixes)
    if operator == "in_domain_list":
        from alignwork.definition.knockouts import as_domain

        entries = frozenset(d for d in (as_domain(item) or fold(item).lstrip(".@") for item in items) if d)
        return lambda value: value is not None and _in_domains(_domain(field, value), entries)
    return lambda value: False


def _number_test(operator: str, expected) -> Callable[[object], bool]:
    def number(value) -> float | None:
        try:
            return None if value is None else float(value)
        except (TypeError, ValueError):
            return None

    if operator == "between":
        low, high = expected.get("min"), expected.get("max")
        return lambda v: (n := number(v)) is not None and (low is None or n >= low) and (high is None or n <= high)
    if operator == "less_than":
        return lambda v: (n := number(v)) is not None and n < expected
    if operator == "greater_than":
        return lambda v: (n := number(v)) is not None and n > expected
    wanted = {float(item) for item in _as_list(expected)}
    if operator == "is_none_of":
        return lambda v: (n := number(v)) is not None and n not in wanted
    return lambda v: (n := number(v)) is not None and n in wanted


def numeric_condition_expr(condition: Condition, column: str):
    """The polars form of ``condition_test`` for a number field: False where the value is missing
    (except ``is empty``)."""
    import polars as pl

    col, operator, expected = pl.col(column), condition.operator, condition.value
    if operator == "is_empty":
        return col.is_null()
    if operator == "is_not_empty":
        return col.is_not_null()
    if operator == "between":
        expr = col.is_not_null()
        expr = expr & (col >= expected["min"]) if expected.get("min") is not None else expr
        expr = expr & (col <= expected["max"]) if expected.get("max") is not None else expr
    elif operator == "less_than":
        expr = col < expected
    elif operator == "greater_than":
        expr = col > expected
    elif operator in ("is", "is_any_of", "is_none_of"):
        wanted = [float(item) for item in _as_list(expected)]
        expr = col.is_in(wanted) if wanted else pl.lit(False)
        expr = col.is_not_null() & ~expr if operator == "is_none_of" else expr
    else:
        expr = pl.lit(False)
    return expr.fill_null(False)


def condition_column(condition: Condition) -> str:
    """The column a condition reads: an e-mail's domain list needs only the domain (few distinct values)."""
    if condition.field == "email" and condition.operator == "in_domain_list":
        return "email_domain"
    return field_column(condition.field)


def raw_fields(criteria) -> set[str]:
    """What ``prepare_attributes`` must read besides the attributes for ``criteria``: the raw e-mail
    address when a condition tests more than its domain, and other columns by header."""
    out: set[str] = set()
    for criterion in criteria:
        for condition in criterion.conditions:
            if condition_column(condition) in ("email", "email_type"):
                out.add(condition_column(condition))
            elif condition.field not in FIELDS:
                out.add(condition.field)
    return out or {"email_domain"}  # a definition without such fields still skips the e-mail type


def field_column(field: str) -> str:
    """The column of the attributes frame a condition's field is read from."""
    if field == "lead_source":
        return LEAD_SOURCES
    if field in FIELDS:
        return field
    return EXTRA_PREFIX + field.casefold()


def criterion_fires(criterion: Criterion, values: dict) -> bool:
    """Whether ``criterion`` fires on one lead's normalised fields (keyed by ``field_column``)."""
    tests = [condition_test(c)(values.get(condition_column(c))) for c in criterion.conditions if c.active]
    if not tests or (criterion.match == "all" and len(tests) < len(criterion.conditions)):
        return False
    return any(tests) if criterion.match == "any" else all(tests)


def knockout_code(criterion: Criterion) -> str:
    """The reason code a knock-out is counted under: its own, else from its id."""
    return criterion.reason_code or criterion.id.rsplit(".", 1)[-1].upper().replace("-", "_")


def capped(intent: int, definition: Definition) -> int:
    return intent if definition.intent_cap is None else min(intent, definition.intent_cap)


# ------------------------------------------------------------------ one lead

def score_lead(definition: Definition, lead: dict, normalizers: Normalizers | None = None) -> LeadScore:
    """Score one lead given as attribute → raw value ({"title": "VP Marketing", "employees": "250", …};
    any other key is an extra CRM column by its header).

    Values are normalised as for a file (title → function/seniority, country → region, …).
    """
    attributes = normalise_lead(lead, normalizers or Normalizers.default())
    fired = [c for c in definition.scored_criteria() if criterion_fires(c, attributes)]
    fit = sum(c.points for c in fired if c.axis == "fit")
    intent = capped(sum(c.points for c in fired if c.axis == "intent"), definition)
    knockouts = [knockout_code(c) for c in fired if c.knockout]
    return LeadScore(fit, intent, fit + intent, stage_of(fit + intent, intent, bool(knockouts), definition),
                     [reason_label(c) for c in fired], bool(knockouts), list(dict.fromkeys(knockouts)))


# ------------------------------------------------------------------ a table

def _condition_words(attributes, criteria: list[Criterion]):
    """``(words, positions)``: every active condition of ``criteria`` gets a bit (``positions``:
    (criterion index, condition index) → (word, bit)), and ``words`` one numpy Int64 array per
    ``_MASK_BITS`` of them with, per row, the bits of the conditions that fire there.
    ``attributes``: a frame of attributes or ``Attributes``.

    Conditions on a text field are decided once per distinct value of the field (all of them in
    one pass: a bit each, ``_key_bits``) and looked up per row through the value's id — one
    lookup per word for all the fields read from one column (``Coded`` attributes share their
    ids); numbers use polars expressions."""
    import numpy as np

    positions: dict[tuple[int, int], tuple[int, int]] = {}
    by_column: dict[str, list[tuple[int, int, Condition]]] = {}
    numeric = []
    for ci, criterion in enumerate(criteria):
        for k, condition in enumerate(criterion.conditions):
            if not condition.active:
                continue
            positions[ci, k] = divmod(len(positions), _MASK_BITS)
            column = condition_column(condition)
            if condition.field in NUMERIC_FIELDS:
                numeric.append((ci, k, numeric_condition_expr(condition, column).alias(f"_n{len(numeric)}")))
            else:
                by_column.setdefault(column, []).append((ci, k, condition))
    words = [np.zeros(attributes.height, dtype=np.int64) for _ in range(-(-len(positions) // _MASK_BITS))]
    if numeric:
        decided = attributes.select(expr for _ci, _k, expr in numeric)
        for index, (ci, k, _expr) in enumerate(numeric):
            word, bit = positions[ci, k]
            words[word] |= decided.to_series(index).to_numpy().astype(np.int64) << bit
    by_ids: dict[int, list] = {}  # columns whose rows share one array of ids
    for column, entries in by_column.items():
        keys, slots, ids = column_ids(attributes, column)
        by_ids.setdefault(id(ids), []).append((keys, slots, ids, entries))
    for members in by_ids.values():
        ids = members[0][2]
        size = max(int(slots[-1]) + 2 if len(slots) else 1 for _keys, slots, _ids, _entries in members)
        tables: dict[int, object] = {}  # word → its bits per slot
        for keys, slots, _ids, entries in members:
            for index, (ci, k, condition) in enumerate(entries):
                if index % _MASK_BITS == 0:  # bit i of ``found``: the condition i places further
                    chunk = [condition for _ci, _k, condition in entries[index:index + _MASK_BITS]]
                    found = np.asarray(_key_bits(keys, chunk), dtype=np.int64)
                word, bit = positions[ci, k]
                table = tables.setdefault(word, np.zeros(size, dtype=np.int64))
                table[slots] |= (found >> index % _MASK_BITS & 1) << bit
                if condition_test(condition)(None):  # the missing value's slot: the last one
                    table[size - 1] |= 1 << bit
        for word, table in tables.items():
            words[word] |= table[ids]
    return words, positions


def column_ids(attributes, column: str):
    """``value_ids`` of one column of a frame of attributes or of ``Attributes`` (a ``Coded``
    attribute gives its own: the value per key of its source, and the rows' ids, shared with
    the other attributes of that source)."""
    import numpy as np
    import polars as pl

    coded = getattr(attributes, "coded", {}).get(column)
    if coded is not None:
        return pl.Series(values=coded.values, dtype=pl.String), np.arange(len(coded.values)), coded.ids
    return value_ids(attributes[column] if column in attributes.columns else None, attributes.height)


def value_ids(values, height: int):
    """``(keys, slots, ids)`` for a text column: its distinct non-null values (a String Series), the
    id of each (ascending), and each row's id as a numpy array, one past the last slot where the
    value is missing. A Categorical column is read through its category ids (the rows are not
    hashed again); any other through ``distinct_codes``."""
    import numpy as np
    import polars as pl

    from alignwork.backtest.attributes import distinct_codes

    if values is None or not height:
        return pl.Series(values=[], dtype=pl.String), np.zeros(0, dtype=np.int64), np.zeros(height, dtype=np.int64)
    if values.dtype == pl.Categorical:
        physical = values.to_physical()
        top = physical.max()
        if top is None:
            return pl.Series(values=[], dtype=pl.String), np.zeros(0, dtype=np.int64), np.zeros(height, dtype=np.int64)
        if top < 4 * height + 4096:  # the ids of the process's categories: a table of them stays small
            ids = physical.fill_null(top + 1).to_numpy().astype(np.int64, copy=False)
            present = np.flatnonzero(np.bincount(ids, minlength=top + 2)[:top + 1])
            try:  # the strings of those ids, from the dictionary itself
                return pl.Series(present, dtype=pl.UInt32).cat.to(values.dtype).cast(pl.String), present, ids
            except (AttributeError, pl.exceptions.PolarsError):  # a polars without Series.cat.to
                pass
            some_row = np.empty(top + 2, dtype=np.int64)
            some_row[ids] = np.arange(height)
            return values.gather(some_row[present]).cast(pl.String), present, ids
    keys, codes = distinct_codes(values.cast(pl.String))
    return keys, np.arange(len(keys), dtype=np.int64), codes.fill_null(len(keys)).to_numpy().astype(np.int64)


_SMALL = 256  # distinct values up to which every condition is simply tested on each one in Python
# ASCII without \x1c-\x1f (Python's str.split() also splits there): fold() is lower case + one space per run
_SIMPLE = r"^[\x00-\x1b\x20-\x7f]*$"


def _pretest(condition: Condition, lowered, folded, words):
    """A vectorised necessary test on distinct values (lower-cased, folded, and folded down to
    word characters; exact for ``_SIMPLE`` values only): ``(undecided, elsewhere)`` — where
    ``undecided`` is False, ``condition_test`` is ``elsewhere`` whatever the value. Each rests on
    "what the rule looks for is a substring of the value": a folded word, domain, prefix or
    company key. None: no pre-test, every value is tested."""
    import polars as pl

    operator, field = condition.operator, condition.field
    if not condition.active:
        return None
    if operator in ("is_empty", "is_not_empty"):  # only blank values are empty
        return folded == "", operator == "is_not_empty"
    items = [str(item) for item in _as_list(condition.value)]
    if operator in ("is", "is_any_of", "is_none_of"):
        if field == "company":
            needles, haystacks = [company_key(item) for item in items], [words]
        elif field in ("website", "email_domain"):
            needles, haystacks = [_domain(field, i) or fold(i) for i in items], [lowered, folded]
        else:
            needles, haystacks = [fold(item) for item in items], [folded]
        elsewhere = operator == "is_none_of"
    elif operator == "contains_any":  # the phrase's first word appears as it is
        needles = [found[0] for found in (re.findall(r"\w+", fold(item)) for item in items) if found]
        haystacks, elsewhere = [folded], False
        if any(not fold(item).isascii() for item in items):  # loose phrases are plain substrings
            needles += [fold(item) for item in items if not fold(item).isascii()]
    elif operator == "starts_with":
        needles, haystacks, elsewhere = [fold(item) for item in items], [folded], False
    elif operator == "in_domain_list":
        from alignwork.definition.knockouts import as_domain

        needles = [d for d in (as_domain(item) or fold(item).lstrip(".@") for item in items) if d]
        haystacks, elsewhere = [lowered, folded], False
    else:
        return None
    if not needles:
        return pl.repeat(False, len(folded), dtype=pl.Boolean, eager=True), elsewhere
    if "" in needles:
        return None
    undecided = pl.repeat(False, len(folded), dtype=pl.Boolean, eager=True)
    for haystack in haystacks:
        undecided = undecided | haystack.str.contains_any(needles)
    return undecided, elsewhere


def _key_bits(keys, conditions: list[Condition]) -> list[int]:
    """For each distinct value in ``keys``: bit ``i`` set where ``conditions[i]`` fires. Decided by
    ``condition_test`` itself; on many values a vectorised pre-test (``_pretest``) first settles
    those it cannot fire on, so Python sees only the few that might."""
    import numpy as np

    values = keys.to_list()
    bits = np.zeros(len(values), dtype=np.int64)
    if len(values) <= _SMALL:
        for bit, condition in enumerate(conditions):
            test = condition_test(condition)
            bits |= np.array([test(value) for value in values], dtype=np.int64) << bit
        return bits.tolist()
    simple = keys.str.contains(_SIMPLE).fill_null(False)
    lowered = keys.str.to_lowercase()
    folded = lowered.str.replace_all(r"[\t\n\x0b\x0c\r ]+", " ").str.strip_chars(" ")
    words = folded.str.replace_all("&", " and ", literal=True).str.replace_all(r"[^0-9a-z_]+", "")
    for bit, condition in enumerate(conditions):
        test = condition_test(condition)
        pre = _pretest(condition, lowered, folded, words)
        if pre is None:
            todo = np.arange(len(values))
        else:
            undecided, elsewhere = pre
            if elsewhere:
                bits |= 1 << bit
            todo = (undecided | ~simple).arg_true().to_numpy()
        if len(todo):
            fired = np.array([test(values[i]) for i in todo], dtype=np.int64)
            bits[todo] = (bits[todo] & ~(1 << bit)) | (fired << bit)
    return bits.tolist()


def _fired(attributes, criteria: list[Criterion]) -> list:
    """Per criterion: a numpy bool array, True on the rows where it fires (as ``criterion_fires``)."""
    import numpy as np

    words, positions = _condition_words(attributes, criteria)
    out = []
    for ci, criterion in enumerate(criteria):
        bits: dict[int, int] = {}  # word → the criterion's bits in it
        for k, condition in enumerate(criterion.conditions):
            if (ci, k) in positions:
                word, bit = positions[ci, k]
                bits[word] = bits.get(word, 0) | 1 << bit
        active = sum(map(int.bit_count, bits.values()))
        if not bits or (criterion.match == "all" and active < len(criterion.conditions)):
            out.append(np.zeros(attributes.height, dtype=bool))
            continue
        parts = [(words[word] & mask) == mask if criterion.match == "all" else (words[word] & mask) != 0
                 for word, mask in bits.items()]
        combine = np.logical_and if criterion.match == "all" else np.logical_or
        out.append(combine.reduce(parts) if len(parts) > 1 else parts[0])
    return out


def _packed(fired: list):
    """Bit ``i`` of each row set where ``fired[i]`` is (up to ``_MASK_BITS`` of them), numpy Int64."""
    import numpy as np

    mask = np.zeros(len(fired[0]) if fired else 0, dtype=np.int64)
    for bit, rows in enumerate(fired):
        mask |= rows.astype(np.int64) << bit
    return mask


def _fired_masks(attributes, groups: list[list[Criterion]]) -> list:
    """One Int64 Series per group of criteria: bit ``i`` set where criterion ``i`` fires."""
    import polars as pl

    fired = _fired(attributes, [c for group in groups for c in group])
    out, start = [], 0
    for index, group in enumerate(groups):
        part = fired[start:start + len(group)]
        start += len(group)
        out.append(pl.Series(f"_mask{index}", _packed(part), dtype=pl.Int64) if part else
                   pl.Series(f"_mask{index}", [0] * attributes.height, dtype=pl.Int64))
    return out


_TABLE_BITS = 20  # criteria up to which a row's fired mask indexes the table of combinations itself


def _combinations(attributes, groups: list[list[Criterion]]):
    """``(row, combos)``: each row's combination of fired criteria as an index (UInt32 Series) into
    ``combos``, the distinct combinations (one mask per group each)."""
    import numpy as np
    import polars as pl

    criteria = [c for group in groups for c in group]
    if len(criteria) <= _TABLE_BITS:
        mask = _packed(_fired(attributes, criteria)) if criteria else np.zeros(attributes.height, dtype=np.int64)
        present = np.flatnonzero(np.bincount(mask, minlength=1))
        slot = np.zeros(int(present[-1]) + 1 if len(present) else 1, dtype=np.uint32)
        slot[present] = np.arange(len(present), dtype=np.uint32)
        return pl.Series(slot[mask], dtype=pl.UInt32), [(int(m),) for m in present]
    masks = _fired_masks(attributes, groups)
    key = masks[0] if len(masks) == 1 else \
        pl.select(pl.concat_str([mask.cast(pl.String) for mask in masks], separator="|")).to_series()
    combos = pl.DataFrame(masks).with_columns(key.alias("key")).unique("key")
    row = key.replace_strict(combos["key"], pl.Series(range(combos.height), dtype=pl.UInt32))
    return row, list(combos.drop("key").iter_rows())


_SCORE_FIELDS = ("fit_score", "intent_score", "score", "knockout", "knocked_out_by", "first_knockout", "reasons",
                 "sql_ready", "stage")


@dataclass
class Scores:
    """The scores of a table of leads: ``row`` (UInt32 Series) each row's combination of fired
    criteria, ``table`` the score columns' value per combination (see ``score_attributes``),
    ``fired`` the ids of the criteria that fired in each combination."""

    row: object
    table: dict
    fired: list[frozenset[str]] = field(default_factory=list)

    def parts(self) -> list[tuple[str, list, object, object]]:
        """The score columns as ``attributes.gather_frame`` parts: their values per combination."""
        import polars as pl

        dtypes = {"fit_score": pl.Int64, "intent_score": pl.Int64, "score": pl.Int64, "knockout": pl.Boolean,
                  "knocked_out_by": pl.Categorical, "first_knockout": pl.Categorical, "reasons": pl.Categorical,
                  "sql_ready": pl.Boolean, "stage": pl.Enum(STAGES)}
        return [(name, values, self.row, dtypes[name]) for name, values in self.table.items()]

    def columns(self) -> list:
        """The score columns, a value per row."""
        from alignwork.backtest.attributes import gather_frame

        return gather_frame(self.parts()).get_columns()

    def rows_per_combination(self):
        """How many rows have each combination (numpy, in ``table`` order)."""
        import numpy as np

        return np.bincount(self.row.to_numpy(), minlength=len(self.table["score"]))


def score_combinations(attributes, definition: Definition) -> Scores:
    """``Scores`` of a frame of attributes or of ``Attributes``: everything but the fired masks is
    decided once per distinct combination of fired criteria (a handful)."""
    criteria = definition.scored_criteria()
    groups = [criteria[start:start + _MASK_BITS] for start in range(0, len(criteria), _MASK_BITS)] or [[]]
    row, combos = _combinations(attributes, groups)
    table: dict[str, list] = {name: [] for name in _SCORE_FIELDS}
    fired_ids: list[frozenset[str]] = []
    for values in combos:
        fired = [c for group, mask in zip(groups, values) for bit, c in enumerate(group) if mask >> bit & 1]
        fired_ids.append(frozenset(c.id for c in fired))
        fit = sum(c.points for c in fired if c.axis == "fit")
        intent = capped(sum(c.points for c in fired if c.axis == "intent"), definition)
        codes = list(dict.fromkeys(knockout_code(c) for c in fired if c.knockout))
        for name, value in (("fit_score", fit), ("intent_score", intent), ("score", fit + intent),
                            ("knockout", bool(codes)), ("knocked_out_by", "; ".join(codes) or None),
                            ("first_knockout", codes[0] if codes else None),
                            ("reasons", "; ".join(reason_label(c) for c in fired)),
                            ("sql_ready", intent >= definition.sql_min_intent),
                            ("stage", stage_of(fit + intent, intent, bool(codes), definition))):
            table[name].append(value)
    return Scores(row, table, fired_ids)


def score_attributes(attributes, definition: Definition):
    """Add ``fit_score``, ``intent_score`` (capped), ``score``, ``knockout``, ``knocked_out_by``
    (the reason codes of the knock-outs that fired), ``first_knockout``, ``sql_ready``, ``stage``
    and ``reasons`` to a frame of attributes (see ``prepare_attributes``)."""
    return attributes.with_columns(score_combinations(attributes, definition).columns())


def stage_expr(mql_threshold: int, sql_threshold: int):
    """The stage from ``score``, ``knockout`` and ``sql_ready`` columns (no re-scoring)."""
    import polars as pl

    stage = pl.Enum(STAGES)
    return (pl.when(pl.col("knockout")).then(pl.lit("disqualified", stage))
            .when((pl.col("score") >= sql_threshold) & pl.col("sql_ready")).then(pl.lit("SQL", stage))
            .when(pl.col("score") >= mql_threshold).then(pl.lit("MQL", stage))
            .otherwise(pl.lit("nurture", stage)))
