"""Turn a lead file's mapped columns into the definition's attributes.

Each DISTINCT raw value is normalised once (a title → function and seniority, an
industry → sector, a country → region, an email's domain → email type, a
source → kind, a size or revenue string → a number) and the result is mapped
back onto every row, so a million rows with a few thousand distinct titles cost
a few thousand calls. The normalising functions are pluggable (``Normalizers``);
by default they come from ``alignwork.synthesis.normalize``.

A non-empty size or revenue that is not a number (nor a range such as "51-200"
or "$10M-$50M") makes its row a bad line: reported, never scored as "unknown".
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from alignwork.backtest.leads import LINE, BadLine
from alignwork.backtest.mapping import Mapping, outcome_value
from alignwork.definition.vocabulary import ATTRIBUTES
from alignwork.synthesis.normalize import revenue_range, size_range

NUMERIC_ATTRIBUTES = ("employees", "revenue_usd")
OUTCOME = "_outcome"
LEAD_SOURCES = "_lead_sources"  # every lead-source kind a lead shows, "demo_request|pricing_page"
EXTRA_PREFIX = "_extra:"  # + the lower-case header of a column no attribute stands for ("lead status 2")
_SEPARATORS = re.compile(r"\s*[;|\n]\s*|\s*,\s+")  # HubSpot/Salesforce multi-value cells use ";"
# what exports put in an empty number cell: missing, not wrong
_MISSING = frozenset({"", "-", "--", "n/a", "na", "none", "null", "unknown", "not provided", "?"})
_CURRENCY = re.compile(r"^(?:[$€£]|usd|eur|gbp)\s*|\s*(?:[$€£]|usd|eur|gbp)$", re.IGNORECASE)
_US_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_EU_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_SPACE_GROUPED = re.compile(r"(?<=\d)[ \u00a0\u202f\u2009](?=\d{3}(?!\d))")
Normalise = Callable[[str], "str | None"]


@dataclass(frozen=True)
class Normalizers:
    """One function per kind of raw text; each gets one distinct value, returns the normal form or None."""

    function: Normalise
    seniority: Normalise
    industry: Normalise
    region: Normalise
    email_type: Callable[["str | None"], str]
    lead_source: Normalise

    @classmethod
    def default(cls) -> "Normalizers":
        """The shared normalisation of ``alignwork.synthesis.normalize`` (also used by synthesis)."""
        from alignwork.synthesis import normalize

        return cls(function=normalize.title_function, seniority=normalize.title_seniority,
                   industry=normalize.industry_sector, region=normalize.region_of,
                   email_type=normalize.email_type, lead_source=normalize.lead_source_kind)


@dataclass
class Coded:
    """An attribute kept as a value per key of its source column and, per row, the key: the row's
    value is ``values[ids[row]]`` (``ids`` a numpy array; ``len(values)`` where the row has none).
    Attributes read from one column share its ``ids``: the rows are hashed once, whatever number
    of attributes (title → title, function, seniority) and conditions read them."""

    values: list
    ids: object
    dtype: object = None  # polars dtype of the values; None: Categorical

    def series(self, name: str = ""):
        import polars as pl

        return gather_frame([(name, self.values + [None], self.ids, self.dtype or pl.Categorical)]).to_series()


def gather_frame(parts: list[tuple[str, object, object, object]]):
    """A frame of ``values[ids]`` columns, a part ``(name, values, ids, dtype)`` each (``values`` a
    list or Series, ``ids`` a numpy array or Series of row ids into it), built by one polars select: the
    gathers run side by side, and parts sharing their ids share one column of them."""
    import polars as pl

    ids_columns: dict[int, tuple[str, object]] = {}
    for _name, _values, ids, _dtype in parts:
        ids_columns.setdefault(id(ids), (f"_ids{len(ids_columns)}", ids))
    base = pl.DataFrame([pl.Series(name, ids, dtype=pl.UInt32) for name, ids in ids_columns.values()])
    return base.select(pl.lit(pl.Series(values=values, dtype=dtype)).gather(pl.col(ids_columns[id(ids)][0])).alias(name)
                       for name, values, ids, dtype in parts)


class Attributes:
    """The attributes of a lead file (see ``prepare_attributes``): ``LINE`` and numbers as polars
    Series, every other attribute ``Coded``. Scoring and the back-test's summary read the codes;
    ``frame()`` builds the polars frame of them all, once, when something needs the rows."""

    def __init__(self, line, columns: dict[str, object], sources: dict[str, tuple] | None = None):
        self.line = line
        # header → (its distinct values, each row's index into them, numpy; len(keys) where empty):
        # the lead file's columns as the attributes were read from them, for others to reuse
        self.sources = sources or {}
        self.coded = {name: value for name, value in columns.items() if isinstance(value, Coded)}
        self.plain = {name: value for name, value in columns.items() if not isinstance(value, Coded)}
        self.columns = [LINE, *columns]
        self.height = len(line)
        self._frame = None

    def frame(self, gathered: list[tuple[str, object, object, object]] = (), only: set[str] | None = None):
        """The attributes as a polars frame (``only``: just those), ``gathered`` columns (parts as for
        ``gather_frame``) after them. Only the whole frame of the attributes alone is kept."""
        import polars as pl

        if self._frame is not None and not gathered and only is None:
            return self._frame
        names = [name for name in self.columns[1:] if only is None or name in only]
        parts = [(name, self.coded[name].values + [None], self.coded[name].ids,
                  self.coded[name].dtype or pl.Categorical) for name in names if name in self.coded]
        built = gather_frame([*parts, *gathered]) if parts or gathered else pl.DataFrame()
        # the gathered columns are one chunk each: the numbers join them in one (a cheap copy), as
        # columns chunked unlike each other make polars copy them at every expression that reads them
        frame = pl.DataFrame([self.line.alias(LINE).rechunk(),
                              *[built[name] if name in self.coded else self.plain[name].alias(name).rechunk()
                                for name in names],
                              *[built[part[0]] for part in gathered]])
        if not gathered and only is None:
            self._frame = frame
        return frame

    def select(self, exprs):
        """``exprs`` on the plain (number) columns."""
        import polars as pl

        return pl.DataFrame([series.alias(name) for name, series in self.plain.items()]).select(exprs)

    def __getitem__(self, name: str):
        if name == LINE:
            return self.line
        return self.coded[name].series(name) if name in self.coded else self.plain[name]

    def keep(self, rows) -> "Attributes":
        """Only the rows where ``rows`` (a boolean polars Series) is True (attributes that shared
        their ids still do)."""
        mask = rows.to_numpy()
        kept: dict[int, object] = {}

        def ids(array):
            if id(array) not in kept:
                kept[id(array)] = array[mask]
            return kept[id(array)]

        columns = {name: Coded(self.coded[name].values, ids(self.coded[name].ids), self.coded[name].dtype)
                   if name in self.coded else self.plain[name].filter(rows) for name in self.columns[1:]}
        sources = {header: (keys, ids(row_ids)) for header, (keys, row_ids) in self.sources.items()}
        return Attributes(self.line.filter(rows), columns, sources)

    def source_codes(self, header: str, frame):
        """``(keys, ids)`` of the lead file's column ``header``: its distinct values (a String Series)
        and, per row of these attributes, the index of its value (numpy; ``len(keys)`` where empty).
        The hashing done with the attributes when ``header`` was read then (``code_attributes``'
        ``also``), else a pass over the column of ``frame`` (the lead file's, aligned by ``LINE``)."""
        import numpy as np

        if header in self.sources:
            return self.sources[header]
        coded = distinct_codes(frame[header])
        ids = _row_ids(coded)
        if frame.height != self.height:  # rows were dropped: the kept ones, by line (both ascending)
            ids = ids[np.searchsorted(frame[LINE].to_numpy(), self.line.to_numpy())]
        return coded[0], ids


def number_from_text(text: str | None, attribute: str) -> float | None:
    """A size or revenue cell as one number: "1,200" → 1200, "51-200" → 125.5 (midpoint),
    "10,000+" → 10000, "$5M" → 5e6. None when empty or "n/a"; ValueError when not a number."""
    if text is None or str(text).strip().casefold() in _MISSING:
        return None
    # "5 000" / "1 200 000" (French, Nordic and ISO exports group digits with a space, often a
    # no-break one): one number, not the range "5 to 0"
    cleaned = _SPACE_GROUPED.sub("", str(text).strip())
    grouped = _grouped_number(cleaned, attribute)
    if grouped is not None:
        return grouped
    try:
        number = float(cleaned)  # "250", "1e3", "5000000.00": as polars casts them
        if math.isfinite(number):
            return number
    except ValueError:
        pass
    parsed = revenue_range(cleaned) if attribute == "revenue_usd" else size_range(cleaned)
    if parsed is None or (parsed.low is None and parsed.high is None):
        raise ValueError(cleaned)
    if parsed.low is not None and parsed.high is not None:
        return (parsed.low + parsed.high) / 2
    return float(parsed.low if parsed.low is not None else parsed.high)


def _grouped_number(text: str, attribute: str) -> float | None:
    """A number with thousands separators and maybe a currency: "$1,234,567.89" (US, Salesforce
    currency fields), "1.500.000,00 €" (European). A dot group alone ("2.500") is thousands only
    for a head count: a company has no half employees."""
    core = _CURRENCY.sub("", text)
    if _US_GROUPED.fullmatch(core):
        return float(core.replace(",", ""))
    if _EU_GROUPED.fullmatch(core) and ("," in core or core.count(".") > 1 or attribute == "employees"):
        return float(core.replace(".", "").replace(",", "."))
    return None


def text_rules(normalizers: Normalizers, mapped: set[str]) -> dict[str, tuple[str, Callable[[str], object]]]:
    """For each text attribute: (the attribute whose raw value feeds it, value → normal form).

    Function and seniority come from their own column when one is mapped, else from the
    title; region from a region column, else from the country. One table for the file
    and for one lead, so both are normalised alike."""
    def own_or(function: Normalise) -> Callable[[str], object]:
        return lambda value: function(value) or _clean(value)

    return {
        "title": ("title", _clean),
        "function": ("function", own_or(normalizers.function)) if "function" in mapped
        else ("title", normalizers.function),
        "seniority": ("seniority", own_or(normalizers.seniority)) if "seniority" in mapped
        else ("title", normalizers.seniority),
        "industry": ("industry", normalizers.industry),
        "country": ("country", _clean),
        "region": ("region", own_or(normalizers.region)) if "region" in mapped else ("country", normalizers.region),
        "lead_source": ("lead_source", normalizers.lead_source),
        "lifecycle_stage": ("lifecycle_stage", _lower),
        "lead_status": ("lead_status", _lower),
        "company": ("company", _clean),
        "website": ("website", _clean),
    }


def lead_source_kinds_of(normalizers: Normalizers) -> Callable[[str], str | None]:
    """A lead-source cell (maybe several values: "Pricing page; Demo request") → its kinds, "a|b"."""
    def kinds(text: str) -> str | None:
        found = {normalizers.lead_source(part) for part in _SEPARATORS.split(text) if part.strip()}
        found.add(normalizers.lead_source(text))
        found.discard(None)
        return "|".join(sorted(found)) or None
    return kinds


def email_domain(text: str | None) -> str | None:
    """The domain of an address as typed ("Kim@Uni-Mannheim.DE" → "uni-mannheim.de"), else None."""
    if not text:
        return None
    match = re.fullmatch(r"(?:mailto:)?[^@\s]+@([^@\s]+?)[>.]*", text.strip().casefold())
    return match.group(1) if match else None


def normalise_lead(lead: dict, normalizers: Normalizers) -> dict:
    """One lead's attributes (raw values keyed by attribute; numbers may be numbers) in
    normal form, derived ones filled in — the rules of ``prepare_attributes``."""
    def text(attribute: str) -> str | None:
        value = lead.get(attribute)
        return None if value is None or not str(value).strip() else str(value)

    out: dict = {}
    for attribute in NUMERIC_ATTRIBUTES:
        value = lead.get(attribute)
        out[attribute] = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
            else number_from_text(text(attribute), attribute)
    for attribute, (source, function) in text_rules(normalizers, set(lead)).items():
        value = text(source)
        out[attribute] = function(value) or None if value is not None else None
    out["email_type"] = normalizers.email_type(_email_key(text("email_type"))) if "email_type" in lead else None
    email = text("email_type")
    out["email"] = email.strip().casefold() if email else None
    out["email_domain"] = email_domain(email)
    source = text("lead_source")
    out[LEAD_SOURCES] = lead_source_kinds_of(normalizers)(source) if source else None
    for key, value in lead.items():
        if key not in out and key not in ATTRIBUTES:
            out[EXTRA_PREFIX + str(key).casefold()] = None if value is None or not str(value).strip() \
                else " ".join(str(value).split())
    return out


def _email_key(email: str | None) -> str | None:
    """What the email type depends on: "x@domain" (the local part never matters)."""
    if not email:
        return None
    email = email.strip().lower()
    match = re.fullmatch(r"[^@\s]+@([^@\s]+)", email)
    return f"x@{match.group(1)}" if match else email


def _clean(text: str) -> str | None:
    return text.strip() or None


# what str.strip() strips (every character whose isspace() is True; a test checks the list)
_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007" \
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def _cleaned(coded, ids=None) -> Coded:
    """``_clean`` of every distinct value (``coded`` as from ``distinct_codes``; ``ids`` its codes
    as row ids when the caller has them), vectorised."""
    import polars as pl

    keys, codes = coded
    stripped = keys.str.strip_chars(_SPACE)
    values = pl.select(pl.when(stripped != "").then(stripped)).to_series().to_list()
    return Coded(values, _row_ids(coded) if ids is None else ids)


def _row_ids(coded):
    """The codes of ``coded`` (``(keys, codes)``) as a numpy array of row ids, ``len(keys)`` where null."""
    import numpy as np

    keys, codes = coded
    return codes.fill_null(len(keys)).to_numpy().astype(np.uint32, copy=False)


def _lower(text: str) -> str | None:
    return text.strip().lower() or None


def distinct_codes(series):
    """``(keys, codes)``: the distinct non-null values of a text Series (a Series) and, per row, the
    index of its value in ``keys`` (UInt32, null where null) — one hashing pass over the rows."""
    return keys_and_codes(series.cast(_own_categories()))


def _own_categories():
    """A Categorical type with its own dictionary: ids 0..n-1 in order of appearance."""
    import polars as pl

    return pl.Categorical(pl.Categories.random())


def keys_and_codes(coded):
    """``(keys, codes)`` of a Series cast to ``_own_categories()`` (its dictionary lives as long as
    a Series of that type does: the keys are read before it goes)."""
    import polars as pl

    codes = coded.to_physical()
    top = codes.max()
    try:  # the dictionary's strings by id, vectorised
        ids = pl.int_range(0, 0 if top is None else top + 1, dtype=pl.UInt32, eager=True)
        return ids.cat.to(coded.dtype).cast(pl.String), codes
    except (AttributeError, pl.exceptions.PolarsError):  # a polars without Series.cat.to
        return coded.dtype.categories.to_series(), codes


def map_distinct(series, function: Callable[[str], object], dtype=None, *, coded=None):
    """Apply ``function`` once per distinct non-null value of a text Series; null stays null.
    ``coded`` is ``distinct_codes(series)`` when the caller already has it.

    Text results are Categorical: a few bytes a row, however long the values."""
    return coded_map(coded if coded is not None else distinct_codes(series), function, dtype).series(
        "" if series is None else series.name)


def coded_map(coded, function: Callable[[str], object], dtype=None, ids=None) -> Coded:
    """``function`` of each distinct value of ``coded`` (``(keys, codes)``), as ``Coded``."""
    keys, _codes = coded
    return Coded([function(key) for key in keys.to_list()], _row_ids(coded) if ids is None else ids, dtype)


def _nulls(height: int, dtype):
    import polars as pl

    return pl.repeat(None, height, dtype=dtype, eager=True)


def _plain_numbers(cell):
    """The vectorised reading of a size/revenue cell: the number polars reads in it ("1200",
    "5000000.00") if finite, else null."""
    import polars as pl

    plain = cell.cast(pl.Float64, strict=False)
    return pl.when(plain.is_finite()).then(plain)  # "nan", "inf" are not sizes


def _numbers(coded, attribute: str, header: str, lines) -> tuple[object, object | None, list[BadLine]]:
    """(Float64 Series, mask of unreadable cells or None, bad lines) for a size/revenue column
    hashed as ``(keys, codes)``: each distinct cell read once — plain numbers vectorised
    (``_plain_numbers``), every other by ``number_from_text`` — and each row given its cell's
    number by its code."""
    import polars as pl

    keys, codes = coded
    plain = pl.DataFrame([keys.alias("cell")]).select(_plain_numbers(pl.col("cell"))).to_series()
    if attribute == "employees":  # "2.500" employees is 2,500 (a European export), not 2.5
        # only a number under 1,000 written with 5 or more characters can be such a cell
        dotted = pl.DataFrame([plain.alias("n"), keys.alias("cell")]).select(
            (pl.col("n") < 1000) & (pl.col("cell").str.len_bytes() >= 5)
            & pl.col("cell").str.contains(r"^\s*\d{1,3}(?:\.\d{3})+\s*$")).to_series().fill_null(False)
        if dotted.any():
            plain = plain.scatter(dotted.arg_true(), None)
    rest = plain.is_null().arg_true()
    numbers, failed = [], []
    for index, key in zip(rest.to_list(), keys.gather(rest).to_list()):
        try:
            numbers.append(number_from_text(key, attribute))
        except ValueError:
            numbers.append(None)
            failed.append(index)
    if len(rest):
        plain = plain.scatter(rest, pl.Series(values=numbers, dtype=pl.Float64))
    result = plain.gather(codes).alias(header)
    if not failed:
        return result, None, []
    mask = codes.is_in(failed).fill_null(False)
    what = "a number of employees" if attribute == "employees" else "an annual revenue"
    bad = [BadLine(line, f"{header} {cell.strip()!r} is not {what}")
           for line, cell in zip(lines.filter(mask).to_list(), keys.gather(codes.filter(mask)).to_list())]
    return result, mask, bad


_EMAIL_DOMAIN = r"^(?:mailto:)?[^@\s]+@([^@\s]+?)[>.]*$"


def _email_part_exprs(email):
    """``(plain, after)``: whether each address is plain "name@domain" (one @ between a non-empty
    name and domain, no spaces — the test of ``_email_key``), and the text after its first @
    (``_own_categories``). For a plain address, e-mail type and domain depend on that text only
    (the others are judged whole, see ``_odd_emails``)."""
    plain = email.str.contains(r"^[^@\s]+@[^@\s]+$").fill_null(False)
    after = email.str.splitn("@", 2).struct.field("field_1")
    return plain, after.cast(_own_categories())


def _email_parts(emails):
    """``(plain, (keys, codes))`` of a Series of addresses (see ``_email_part_exprs``)."""
    import polars as pl

    parts = pl.DataFrame([emails.alias("email")]).select(_email_part_exprs(pl.col("email")))
    return parts.to_series(0), keys_and_codes(parts.to_series(1))


def _odd_emails(emails, plain):
    """Rows with an address that is not plain (no @, two @, spaces): those are judged whole."""
    import polars as pl

    odd = pl.DataFrame([emails.alias("e"), plain.alias("p")]).select(pl.col("e").is_not_null() & ~pl.col("p"))
    return odd.to_series().arg_true() if odd.to_series().any() else None


def _email_types(emails, email_type: Callable[["str | None"], str], parts):
    """Email type per row (``Coded``), computed once per distinct domain (the local part never matters)."""
    import numpy as np

    plain, (keys, codes) = parts
    unknown = email_type(None)
    def judged(text: str) -> str:
        found = email_type(text)
        return unknown if found is None else found

    table = [judged(f"x@{key}") for key in keys.to_list()]
    ids = codes.fill_null(len(table)).to_numpy().astype(np.int64)
    odd = _odd_emails(emails, plain)
    if odd is not None:
        whole_keys, whole_codes = distinct_codes(emails.gather(odd))
        ids[odd.to_numpy()] = len(table) + 1 + whole_codes.to_numpy()
        return Coded(table + [unknown] + [judged(key) for key in whole_keys.to_list()], ids)
    return Coded(table + [unknown], ids)


def _email_domains(emails, parts):
    """The domain of every address (as ``email_domain``; ``Coded``), vectorised on the distinct domains."""
    import numpy as np

    def exact(values):
        return values.str.strip_chars().str.to_lowercase().str.extract(_EMAIL_DOMAIN, 1)

    plain, (keys, codes) = parts
    table = exact("x@" + keys).to_list()  # a plain address has the domain of "x@" + its domain
    ids = codes.fill_null(len(table)).to_numpy().astype(np.int64)
    odd = _odd_emails(emails, plain)
    if odd is None:
        return Coded(table + [None], ids)
    ids[odd.to_numpy()] = len(table) + 1 + np.arange(len(odd))
    return Coded(table + [None] + exact(emails.gather(odd)).to_list(), ids)


def prepare_attributes(frame, mapping: Mapping, normalizers: Normalizers, *, progress=None,
                       fields: set[str] | frozenset[str] = frozenset()):
    """``(attributes, bad_lines)`` of ``code_attributes``, the attributes as a polars frame."""
    attributes, bad = code_attributes(frame, mapping, normalizers, progress=progress, fields=fields)
    return attributes.frame(), bad


def code_attributes(frame, mapping: Mapping, normalizers: Normalizers, *, progress=None,
                    fields: set[str] | frozenset[str] = frozenset(),
                    also: tuple[str, ...] = ()) -> tuple[Attributes, list[BadLine]]:
    """``(attributes, bad_lines)``: ``Attributes`` of ``LINE`` + every attribute (null when not
    mapped) + ``LEAD_SOURCES`` + ``email_domain`` + ``OUTCOME`` (True won, False lost, None
    unknown), without the rows whose numbers could not be read; those are ``bad_lines``.
    ``fields`` a definition's conditions read besides: ``email`` (the address), ``email_type``
    (else not classified when other fields are named) and any other column by its header (kept
    as ``EXTRA_PREFIX`` + lower-case header). No fields: every attribute, as before. ``also``:
    other columns (headers) to hash with the rest, for a caller to read through ``Attributes.sources``.

    The work on the rows is one polars select, its parts side by side: each source column hashed
    once (``distinct_codes``), the numbers read, the e-mail domains split off. Every attribute
    drawn from a column (title → title, function, seniority) is then one call per distinct value,
    kept as ``Coded`` on the column's codes (no row is gathered until a frame is asked for)."""
    import numpy as np
    import polars as pl

    height = frame.height
    by_header = {column.casefold(): column for column in frame.columns}
    rules = text_rules(normalizers, set(mapping.columns.values()))
    email_columns = tuple(mapping.columns_for("email_type"))
    wanted_type = bool(email_columns) and ("email_type" in fields or "*" in fields or not fields)
    extras = [name for name in sorted(fields) if name not in ATTRIBUTES and name not in ("email", "email_domain")]

    def source_expr(columns: tuple[str, ...]):
        if len(columns) > 1:  # several lead-source columns: one multi-value cell
            return pl.concat_str([pl.col(c) for c in columns], separator="; ", ignore_nulls=True)
        return pl.col(columns[0])

    # what is hashed: each source once, whatever number of attributes it feeds
    sources: list[tuple[str, ...]] = []
    for columns in [tuple(mapping.columns_for(source)) for source, _function in rules.values()] + \
            [tuple(mapping.columns_for("lead_source"))] + \
            [(by_header[name.casefold()],) for name in extras if name.casefold() in by_header] + \
            [(mapping.outcome_column,)] * bool(mapping.outcome_column) + \
            [email_columns] * ("email" in fields) + [(name,) for name in also if name in frame.columns]:
        if columns and columns not in sources:
            sources.append(columns)
    exprs = [source_expr(columns).cast(_own_categories()).alias(f"_s{index}")
             for index, columns in enumerate(sources)]
    numeric_columns = {attribute: tuple(mapping.columns_for(attribute)) for attribute in NUMERIC_ATTRIBUTES}
    exprs += [source_expr(columns).cast(_own_categories()).alias(f"_n:{attribute}")
              for attribute, columns in numeric_columns.items() if columns]
    if email_columns:
        plain, after = _email_part_exprs(source_expr(email_columns))
        exprs += [plain.alias("_e:plain"), after.alias("_e:after")]
    if progress is not None:
        progress.check()
    worked = frame.select(exprs) if exprs else pl.DataFrame()
    coded = {columns: keys_and_codes(worked[f"_s{index}"]) for index, columns in enumerate(sources)}
    row_ids: dict[tuple[str, ...], object] = {}  # one array of row ids per source, shared by its attributes

    def ids_of(columns: tuple[str, ...]):
        if columns not in row_ids:
            row_ids[columns] = _row_ids(coded[columns])
        return row_ids[columns]

    def derived(columns: tuple[str, ...], function: Callable[[str], object], dtype=None) -> Coded:
        if progress is not None:
            progress.check()
        if not columns:
            return Coded([], np.zeros(height, dtype=np.uint32), dtype)
        if function is _clean and dtype is None:
            return _cleaned(coded[columns], ids_of(columns))
        return coded_map(coded[columns], lambda value: function(value) or None if value.strip() else None, dtype,
                         ids_of(columns))

    out: dict[str, object] = {}
    bad: list[BadLine] = []
    drop = None
    def raw(columns: tuple[str, ...]):
        return frame[columns[0]] if len(columns) == 1 else frame.select(source_expr(columns)).to_series()

    for attribute, columns in numeric_columns.items():
        if not columns:
            out[attribute] = _nulls(height, pl.Float64)
            continue
        out[attribute], mask, problems = _numbers(keys_and_codes(worked[f"_n:{attribute}"]), attribute, columns[0],
                                                  frame[LINE])
        bad.extend(problems)
        if mask is not None:
            drop = mask if drop is None else drop | mask
    for attribute, (source, function) in rules.items():
        out[attribute] = derived(tuple(mapping.columns_for(source)), function)
    emails = raw(email_columns) if email_columns else None
    parts = (worked["_e:plain"], keys_and_codes(worked["_e:after"])) if emails is not None else None
    # the e-mail type is a category only rules on it need (rules on domains read the domain itself)
    out["email_type"] = _email_types(emails, normalizers.email_type, parts) if wanted_type else derived((), _clean)
    out[LEAD_SOURCES] = derived(tuple(mapping.columns_for("lead_source")), lead_source_kinds_of(normalizers))
    out["email_domain"] = _email_domains(emails, parts) if emails is not None else derived((), _clean)
    if "email" in fields:
        out["email"] = derived(email_columns, lambda value: value.strip().casefold())
    for name in extras:
        column = by_header.get(name.casefold())
        out[EXTRA_PREFIX + name.casefold()] = derived((column,) if column else (), _clean)
    # won/lost, read once per distinct value like everything else
    outcome = (mapping.outcome_column,) if mapping.outcome_column else ()
    out[OUTCOME] = coded_map(coded[outcome], outcome_value, pl.Boolean, ids_of(outcome)) if outcome else \
        derived((), outcome_value, pl.Boolean)
    for name in also:
        if name in frame.columns:
            ids_of((name,))
    sources_read = {columns[0]: (coded[columns][0], ids) for columns, ids in row_ids.items() if len(columns) == 1}
    attributes = Attributes(frame[LINE], out, sources_read)
    if drop is not None:
        attributes = attributes.keep(~drop)
    bad.sort(key=lambda item: item.line)
    return attributes, _merge_same_line(bad)


def _merge_same_line(bad: list[BadLine]) -> list[BadLine]:
    merged: list[BadLine] = []
    for item in bad:
        if merged and merged[-1].line == item.line:
            merged[-1] = BadLine(item.line, f"{merged[-1].reason}; {item.reason}")
        else:
            merged.append(item)
    return merged
