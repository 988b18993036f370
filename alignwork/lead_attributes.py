"""Turn a lead file's mapped columns into the definition's attributes.

Each DISTINCT raw value is normalised once (a title → function and seniority, an
industry → sector, a country → region, an email's domain → email type, a
source → kind, a size or revenue string → a number) and the result is mapped
back onto every row, so a million rows with a few thousand distinct titles cost
a few thousand calls. The normalising functions are pluggable (``Normalizers``);
by default they come from ``alignwork.normalize``.

A non-empty size or revenue that is not a number (nor a range such as "51-200"
or "$10M-$50M") makes its row a bad line: reported, never scored as "unknown".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from alignwork.leads import LINE, BadLine
from alignwork.mapping import Mapping
from alignwork.ranges import parse_range

NUMERIC_ATTRIBUTES = ("employees", "revenue_usd")
_PLAIN_NUMBER = r"^\d+(\.\d+)?$"
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
        """The shared normalisation of ``alignwork.normalize`` (also used by synthesis)."""
        from alignwork import normalize

        return cls(function=normalize.title_function, seniority=normalize.title_seniority,
                   industry=normalize.industry_sector, region=normalize.region_of,
                   email_type=normalize.email_type, lead_source=normalize.lead_source_kind)


def number_from_text(text: str | None, attribute: str) -> float | None:
    """A size or revenue cell as one number: "1,200" → 1200, "51-200" → 125.5 (midpoint),
    "10,000+" → 10000, "$5M" → 5e6. None when empty; ValueError when not a number."""
    if text is None or not str(text).strip():
        return None
    cleaned = str(text).strip()
    if re.fullmatch(_PLAIN_NUMBER, cleaned):
        return float(cleaned)
    parsed = parse_range(cleaned, "usd" if attribute == "revenue_usd" else "employees")
    if parsed is None or (parsed.low is None and parsed.high is None):
        raise ValueError(cleaned)
    if parsed.low is not None and parsed.high is not None:
        return (parsed.low + parsed.high) / 2
    return float(parsed.low if parsed.low is not None else parsed.high)


def normalise_lead(lead: dict, normalizers: Normalizers) -> dict:
    """One lead's attributes (raw values keyed by attribute) in normal form, derived ones filled in.

    Same rules as ``prepare_attributes``; used by ``scoring.score_lead``.
    """
    raw = {key: (str(value).strip() if value is not None and str(value).strip() != "" else None)
           for key, value in lead.items() if not isinstance(value, (int, float)) or isinstance(value, bool)}
    numbers = {key: float(value) for key, value in lead.items()
               if isinstance(value, (int, float)) and not isinstance(value, bool)}
    out: dict = {}
    for attribute in NUMERIC_ATTRIBUTES:
        out[attribute] = numbers[attribute] if attribute in numbers else number_from_text(raw.get(attribute), attribute)
    title = raw.get("title")
    out["title"] = title
    out["function"] = _call(normalizers.function, raw.get("function") or title) or raw.get("function")
    out["seniority"] = _call(normalizers.seniority, raw.get("seniority") or title) or raw.get("seniority")
    out["industry"] = _call(normalizers.industry, raw.get("industry")) or None
    out["country"] = raw.get("country")
    out["region"] = (_call(normalizers.region, raw["region"]) or raw["region"]) if raw.get("region") \
        else _call(normalizers.region, raw.get("country"))
    out["email_type"] = normalizers.email_type(_email_key(raw.get("email_type"))) if "email_type" in lead else None
    out["lead_source"] = _call(normalizers.lead_source, raw.get("lead_source"))
    for attribute in ("lifecycle_stage", "lead_status"):
        out[attribute] = raw[attribute].lower() if raw.get(attribute) else None
    return out


def _call(function: Normalise, value: str | None) -> str | None:
    return function(value) or None if value else None


def _email_key(email: str | None) -> str | None:
    """What the email type depends on: "x@domain" (the local part never matters)."""
    if not email:
        return None
    email = email.strip().lower()
    match = re.fullmatch(r"[^@\s]+@([^@\s]+\.[^@\s]+)", email)
    return f"x@{match.group(1)}" if match else email


def prepare_attributes(frame, mapping: Mapping, normalizers: Normalizers, *, progress=None):
    """``(attributes, bad_lines)``: a frame of ``LINE`` + every attribute (null when not
    mapped), without the rows whose numbers could not be read; those are ``bad_lines``."""
    import polars as pl

    source = {attribute: mapping.column_for(attribute) for attribute in
              ("title", "function", "seniority", "industry", "employees", "revenue_usd", "country",
               "region", "email_type", "lead_source", "lifecycle_stage", "lead_status")}

    def text(attribute: str) -> pl.Expr | None:
        column = source.get(attribute)
        if column is None:
            return None
        cleaned = pl.col(column).str.strip_chars()
        return pl.when(cleaned != "").then(cleaned)

    columns: dict[str, pl.Expr] = {}
    bad: list[BadLine] = []
    invalid_masks = []
    for attribute in NUMERIC_ATTRIBUTES:
        expr = text(attribute)
        if expr is None:
            columns[attribute] = pl.lit(None, dtype=pl.Float64)
            continue
        values = frame.select(expr.alias("v")).to_series()
        odd = values.filter(~values.str.contains(_PLAIN_NUMBER)).unique().drop_nulls().to_list()
        parsed, failed = {}, []
        for value in odd:
            try:
                parsed[value] = number_from_text(value, attribute)
            except ValueError:
                failed.append(value)
        plain = values.cast(pl.Float64, strict=False)
        mapped = values.replace_strict(list(parsed), list(parsed.values()), default=None, return_dtype=pl.Float64)
        columns[attribute] = pl.lit(plain.fill_null(mapped))
        if failed:
            mask = values.is_in(failed)
            invalid_masks.append(mask)
            header = source[attribute]
            lines = frame.select(LINE).to_series().filter(mask).to_list()
            cells = values.filter(mask).to_list()
            what = "a number of employees" if attribute == "employees" else "an annual revenue"
            bad.extend(BadLine(line, f"{header} {cell!r} is not {what}") for line, cell in zip(lines, cells))
        if progress is not None:
            progress.check()

    def distinct(expr: pl.Expr | None, function: Callable, *, lower: bool = False) -> pl.Expr:
        if expr is None:
            return pl.lit(None, dtype=pl.String)
        values = frame.select((expr.str.to_lowercase() if lower else expr).alias("v")).to_series()
        keys = values.unique().drop_nulls().to_list()
        results = [function(key) for key in keys]
        if progress is not None:
            progress.check()
        return pl.lit(values.replace_strict(keys, results, default=None, return_dtype=pl.String))

    title = text("title")
    columns["title"] = title if title is not None else pl.lit(None, dtype=pl.String)
    function_source = text("function") if source["function"] else title
    seniority_source = text("seniority") if source["seniority"] else title
    columns["function"] = distinct(function_source, lambda v: normalizers.function(v) or (
        v if source["function"] else None))
    columns["seniority"] = distinct(seniority_source, lambda v: normalizers.seniority(v) or (
        v if source["seniority"] else None))
    columns["industry"] = distinct(text("industry"), lambda v: normalizers.industry(v) or None)
    country = text("country")
    columns["country"] = country if country is not None else pl.lit(None, dtype=pl.String)
    if source["region"]:
        columns["region"] = distinct(text("region"), lambda v: normalizers.region(v) or v)
    else:
        columns["region"] = distinct(country, lambda v: normalizers.region(v) or None)
    if source["email_type"]:
        email = text("email_type").str.to_lowercase()
        domain = email.str.extract(r"^[^@\s]+@([^@\s]+\.[^@\s]+)$", 1)
        key = pl.when(domain.is_not_null()).then(pl.lit("x@") + domain).otherwise(email)
        key_values = frame.select(key.alias("v")).to_series()
        keys = key_values.unique().drop_nulls().to_list()
        results = [normalizers.email_type(value) for value in keys]
        columns["email_type"] = pl.lit(key_values.replace_strict(keys, results, default=normalizers.email_type(None),
                                                                 return_dtype=pl.String))
    else:
        columns["email_type"] = pl.lit(None, dtype=pl.String)
    columns["lead_source"] = distinct(text("lead_source"), lambda v: normalizers.lead_source(v) or None)
    for attribute in ("lifecycle_stage", "lead_status"):
        expr = text(attribute)
        columns[attribute] = expr.str.to_lowercase() if expr is not None else pl.lit(None, dtype=pl.String)

    attributes = frame.select(pl.col(LINE), *[expr.alias(name) for name, expr in columns.items()])
    if invalid_masks:
        keep = ~pl.Series(invalid_masks[0])
        for mask in invalid_masks[1:]:
            keep = keep & ~mask
        attributes = attributes.filter(keep)
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
