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
from concurrent.futures import ThreadPoolExecutor
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


def _lower(text: str) -> str | None:
    return text.strip().lower() or None


def map_distinct(series, function: Callable[[str], object], dtype=None):
    """Apply ``function`` once per distinct non-null value of a text Series; null stays null.

    Text results are Categorical: a few bytes a row, however long the values."""
    import polars as pl

    keys = series.unique().drop_nulls().to_list()
    return series.replace_strict(keys, [function(key) for key in keys], default=None,
                                 return_dtype=dtype or pl.Categorical)


def _numbers(values, attribute: str, header: str, lines) -> tuple[object, object | None, list[BadLine]]:
    """(Float64 Series, mask of unreadable cells or None, bad lines) for a size/revenue column."""
    import polars as pl

    plain = values.cast(pl.Float64, strict=False)  # "1200", "5000000.00": the common case, vectorised
    if attribute == "employees":  # "2.500" employees is 2,500 (a European export), not 2.5
        plain = pl.select(pl.when(values.str.contains(r"^\s*\d{1,3}(?:\.\d{3})+\s*$").fill_null(False))
                          .then(None).otherwise(plain)).to_series()
    plain = pl.select(pl.when(plain.is_finite()).then(plain)).to_series()  # "nan", "inf" are not sizes
    odd = values.filter(plain.is_null()).unique().drop_nulls().to_list()
    parsed, failed = {}, []
    for value in odd:
        try:
            parsed[value] = number_from_text(value, attribute)
        except ValueError:
            failed.append(value)
    if parsed:
        plain = plain.fill_null(values.replace_strict(list(parsed), list(parsed.values()), default=None,
                                                      return_dtype=pl.Float64))
    if not failed:
        return plain, None, []
    mask = values.is_in(failed).fill_null(False)
    what = "a number of employees" if attribute == "employees" else "an annual revenue"
    bad = [BadLine(line, f"{header} {cell.strip()!r} is not {what}")
           for line, cell in zip(lines.filter(mask).to_list(), values.filter(mask).to_list())]
    return plain, mask, bad


def _email_types(emails, email_type: Callable[["str | None"], str]):
    """Email type per row, computed once per distinct domain (the local part never matters)."""
    import polars as pl

    parts = emails.str.split_exact("@", 1)
    domain = parts.struct.field("field_1")
    # the same test as _email_key: one @ between a non-empty name and domain, no spaces
    simple = ((emails.str.count_matches("@", literal=True) == 1) & ~emails.str.contains(r"\s")
              & ~emails.str.starts_with("@") & ~emails.str.ends_with("@"))
    keys = domain.filter(simple.fill_null(False)).unique().drop_nulls().to_list()
    types = domain.replace_strict(keys, [email_type(f"x@{key}") for key in keys], default=None,
                                  return_dtype=pl.Categorical)
    odd = emails.filter(~simple.fill_null(True)).unique().to_list()  # no @, two @, spaces: judged whole
    if odd:
        types = pl.select(pl.when(simple.fill_null(True)).then(types)
                          .otherwise(emails.replace_strict(odd, [email_type(v) for v in odd], default=None,
                                                           return_dtype=pl.Categorical))).to_series()
    return types.fill_null(email_type(None))


def _email_domains(emails):
    """The domain of every address, vectorised (a million addresses have a million distinct values)."""
    import polars as pl

    return (emails.str.strip_chars().str.to_lowercase()
            .str.extract(r"^(?:mailto:)?[^@\s]+@([^@\s]+?)[>.]*$", 1).cast(pl.Categorical))


def prepare_attributes(frame, mapping: Mapping, normalizers: Normalizers, *, progress=None,
                       fields: set[str] | frozenset[str] = frozenset()):
    """``(attributes, bad_lines)``: a frame of ``LINE`` + every attribute (null when not
    mapped) + ``LEAD_SOURCES`` + ``email_domain`` + ``OUTCOME`` (True won, False lost, None
    unknown), without the rows whose numbers could not be read; those are ``bad_lines``.
    ``fields`` a definition's conditions read besides: ``email`` (the address), ``email_type``
    (else not classified when other fields are named) and any other column by its header (kept
    as ``EXTRA_PREFIX`` + lower-case header). No fields: every attribute, as before."""
    import polars as pl

    height = frame.height

    def raw(attribute: str):
        columns = mapping.columns_for(attribute)
        if len(columns) > 1:  # several lead-source columns: one multi-value cell
            return pl.select(pl.concat_str([pl.lit(frame[c]) for c in columns], separator="; ",
                                           ignore_nulls=True)).to_series()
        return frame[columns[0]] if columns else None

    def derived(source, function: Callable[[str], object], dtype=None):
        if progress is not None:
            progress.check()
        if source is None:
            return pl.Series(values=[None] * height, dtype=dtype or pl.Categorical)
        return map_distinct(source, lambda value: function(value) or None if value.strip() else None, dtype)

    out: dict[str, object] = {}
    bad: list[BadLine] = []
    drop = None
    emails = raw("email_type")
    # e-mail domains are the most numerous distinct values: classify them in a thread while
    # the other columns are worked on (polars releases the GIL)
    pool = ThreadPoolExecutor(1)
    # the e-mail type is a category only rules on it need (rules on domains read the domain itself)
    wanted = emails is not None and ("email_type" in fields or "*" in fields or not fields)
    email_types = pool.submit(_email_types, emails, normalizers.email_type) if wanted else None
    pool.shutdown(wait=False)
    for attribute in NUMERIC_ATTRIBUTES:
        values = raw(attribute)
        if values is None:
            out[attribute] = pl.Series(values=[None] * height, dtype=pl.Float64)
            continue
        out[attribute], mask, problems = _numbers(values, attribute, mapping.column_for(attribute), frame[LINE])
        bad.extend(problems)
        if mask is not None:
            drop = mask if drop is None else drop | mask
    for attribute, (source, function) in text_rules(normalizers, set(mapping.columns.values())).items():
        out[attribute] = derived(raw(source), function)
    out["email_type"] = email_types.result() if email_types is not None else derived(None, _clean)
    out[LEAD_SOURCES] = derived(raw("lead_source"), lead_source_kinds_of(normalizers))
    out["email_domain"] = _email_domains(emails) if emails is not None else derived(None, _clean)
    if "email" in fields:
        out["email"] = derived(emails, lambda value: value.strip().casefold())
    by_header = {column.casefold(): column for column in frame.columns}
    for name in sorted(fields):
        if name not in ATTRIBUTES and name not in ("email", "email_domain"):
            column = by_header.get(name.casefold())
            out[EXTRA_PREFIX + name.casefold()] = derived(frame[column] if column else None, _clean)
    if mapping.outcome_column:  # won/lost, read once per distinct value like everything else
        out[OUTCOME] = map_distinct(frame[mapping.outcome_column], outcome_value, pl.Boolean)
    else:
        out[OUTCOME] = pl.Series(values=[None] * height, dtype=pl.Boolean)
    attributes = pl.DataFrame([frame[LINE], *[series.alias(name) for name, series in out.items()]])
    if drop is not None:
        attributes = attributes.filter(~drop)
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
