"""Map a lead file's columns to the definition's attributes, and find the outcome column.

Headers of the usual CRM exports (HubSpot, Salesforce, Pardot, Marketo, …) are
recognised automatically; the user corrects the result ("COLUMN=attribute") and
the choice is remembered per workshop and header signature.

Outcome values (case and punctuation ignored) are read as:

- positive: won, closed won, yes, true, 1, accepted, sales accepted, sal, sql,
  qualified, converted, closed converted, customer, opportunity, open deal, deal won
- negative: lost, closed lost, no, false, 0, rejected, sales rejected, unqualified,
  disqualified, not qualified, not converted, closed not converted, junk, spam,
  bad fit, bad lead, not interested
- anything else (new, open, working, in progress, blank…) is unknown and left
  out of conversion figures.

Headers and values in another language (a German portal's export) are read into English
through the language resources' ``crm_headers`` words (``textmatch.read_as_english``):
headers as a set of words, values word by word with their negations kept.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cache

from alignwork.definition.vocabulary import ATTRIBUTES

OUTCOME = "outcome"  # the mapping target for the won/lost column
OTHER_KEYS = "@"  # a remembered mapping's keys that are no file column ("@reason"): other readers' choices
IGNORE = "none"
# what each attribute is called on screen and in documents
TARGET_TITLES: dict[str, str] = {
    "title": "Job title (→ function, seniority)", "function": "Job function", "seniority": "Seniority",
    "industry": "Industry", "employees": "Employees (number or range)", "revenue_usd": "Annual revenue (USD)",
    "country": "Country (→ region)", "region": "Region", "email_type": "E-mail (→ business, personal…)",
    "lead_source": "Lead source", "lifecycle_stage": "Lifecycle stage", "lead_status": "Lead status",
    "company": "Company name", "website": "Website / company domain",
}
MULTI_COLUMN = frozenset({"lead_source"})  # attributes several columns may feed (their values add up)

HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "title": ("job title", "title", "position", "job position", "job role", "contact title", "role"),
    "function": ("job function", "function", "department", "job department"),
    "seniority": ("seniority", "job level", "management level", "seniority level", "level"),
    "industry": ("industry", "industry vertical", "vertical", "sector", "primary industry",
                 "industry category", "naics description", "sic description"),
    "employees": ("number of employees", "employees", "company size", "employee count",
                  "no of employees", "num employees", "number employees", "headcount", "employee range",
                  "employees range", "size", "company headcount", "employee size", "nb employees"),
    "revenue_usd": ("annual revenue", "revenue", "annual revenue usd", "revenue range", "revenue usd",
                    "annual revenue range", "company revenue", "yearly revenue"),
    "country": ("country region", "country", "billing country", "mailing country", "country name",
                "country code", "hq country"),
    "region": ("region", "sales region", "geo", "geography", "territory", "world region"),
    "email_type": ("email", "email address", "e mail", "e mail address", "business email", "work email",
                   "email domain", "mail"),
    "lead_source": ("lead source", "original source", "original source type", "source",
                    "lead source detail", "latest source", "most recent source", "first touch source",
                    "lead channel", "channel", "original source drill down 1", "recent conversion"),
    "lifecycle_stage": ("lifecycle stage", "lifecycle", "lifecycle status", "funnel stage"),
    "lead_status": ("lead status", "status", "lead state", "hs lead status"),
    "company": ("company name", "company", "account name", "organization", "organisation", "organization name",
                "account", "employer", "firm"),
    "website": ("website", "company website", "website url", "web site", "company domain", "domain",
                "company domain name", "url", "homepage"),
}
OUTCOME_HEADERS = ("outcome", "result", "won", "is won", "won lost", "win loss", "closed won",
                   "converted", "is converted", "accepted", "sales accepted", "opportunity stage",
                   "deal stage", "stage", "opportunity status", "conversion", "qualified", "sal")
# status-like columns whose values may still be outcomes when no outcome column exists
_STATUS_ATTRIBUTES = ("lead_status", "lifecycle_stage")
_PREFIXES = ("company", "account", "contact", "lead", "primary", "hs", "c")

POSITIVE = frozenset({
    "won", "closed won", "closedwon", "win", "yes", "y", "true", "1", "accepted", "sales accepted",
    "sal", "sql", "qualified", "converted", "closed converted", "customer", "opportunity",
    "open deal", "deal won",
})
NEGATIVE = frozenset({
    "lost", "closed lost", "closedlost", "loss", "no", "n", "false", "0", "rejected", "sales rejected",
    "unqualified", "disqualified", "not qualified", "not converted", "closed not converted", "junk",
    "spam", "bad fit", "bad lead", "not interested",
})
_OUTCOME_KEYS = POSITIVE | NEGATIVE
_HEADER_NAMES = (*HEADER_SYNONYMS.items(), (OUTCOME, OUTCOME_HEADERS))  # for names_by_words


class MappingError(ValueError):
    """A mapping the user asked for that cannot be applied (unknown column or attribute)."""


@dataclass
class Mapping:
    """``columns``: file column → attribute key; ``outcome_column``: the won/lost column or None."""

    columns: dict[str, str] = field(default_factory=dict)
    outcome_column: str | None = None

    def column_for(self, attribute: str) -> str | None:
        return next((column for column, target in self.columns.items() if target == attribute), None)

    def columns_for(self, attribute: str) -> list[str]:
        return [column for column, target in self.columns.items() if target == attribute]

    def to_json(self) -> dict:
        return {"columns": dict(self.columns), "outcome_column": self.outcome_column}


def normalise_header(header: str) -> str:
    """"NumberOfEmployees", "Number of Employees (Company)" → "number of employees"."""
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", header)
    text = re.sub(r"__c$", "", text)  # Salesforce custom field suffix
    text = re.sub(r"\(.*?\)", " ", text)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def _candidates(header: str) -> list[str]:
    norm = normalise_header(header)
    words = norm.split()
    out = [norm]
    while words and words[0] in _PREFIXES:
        words = words[1:]
        out.append(" ".join(words))
    return [c for c in out if c]


def header_words(header: str) -> frozenset[str]:
    """A header's words read into English (``textmatch.read_as_english`` with the languages' CRM
    header words), singular, stop words out: "Quelle des Leads" → {source, lead}."""
    from alignwork.synthesis.textmatch import read_as_english, stem

    return frozenset(stem(word) for word in read_as_english(header, "crm_headers"))


@cache
def names_by_words(table: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[frozenset[str], str]:
    """Each header name's word set (``header_words``) → its target, for ``table`` (target, names)
    pairs; the first name wins. A header no name matches as typed is looked up by its words."""
    names: dict[frozenset[str], str] = {}
    for target, synonyms in table:
        for synonym in synonyms:
            names.setdefault(header_words(synonym), target)
    names.pop(frozenset(), None)
    return names


def value_key(text: object, known) -> str:
    """The key of a cell value (lower case, punctuation and spaces folded) as ``known`` holds such
    keys: when ``known`` lacks it and it has letters, the key of its words read into English word
    by word, negations kept ("Nicht qualifiziert" → "not qualified", "Abgelehnt" → "rejected")."""
    key = " ".join(re.sub(r"[^0-9a-z]+", " ", str(text).lower()).split())
    if key not in known and re.search(r"[^\W\d_]", str(text)):
        from alignwork.synthesis.textmatch import read_as_english

        key = " ".join(read_as_english(str(text), "crm_headers", stop_words=False))
    return key


def outcome_value(text: object) -> bool | None:
    """True (won/accepted…), False (lost/rejected…) or None (unknown); see module docstring."""
    if text is None:
        return None
    key = value_key(text, _OUTCOME_KEYS)
    if key in POSITIVE:
        return True
    if key in NEGATIVE:
        return False
    return None


def auto_mapping(columns: list[str], sample: dict[str, list[str]] | None = None) -> Mapping:
    """Guess the mapping from headers; ``sample`` (column → a few values) lets a lead
    status column double as the outcome when the file has no outcome column."""
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    best: dict[str, tuple[tuple[int, int], str]] = {}  # attribute → (rank, column)
    outcome: tuple[tuple[int, int], str] | None = None
    for column in columns:
        for candidate_rank, candidate in enumerate(_candidates(column)):
            if candidate in OUTCOME_HEADERS:
                rank = (candidate_rank, OUTCOME_HEADERS.index(candidate))
                if outcome is None or rank < outcome[0]:
                    outcome = (rank, column)
                break
            hit = next(((attribute, synonyms.index(candidate)) for attribute, synonyms in HEADER_SYNONYMS.items()
                        if candidate in synonyms), None)
            if hit is None:
                continue
            attribute, synonym_rank = hit
            rank = (candidate_rank, synonym_rank)
            if attribute not in best or rank < best[attribute][0]:
                best[attribute] = (rank, column)
            break
    mapping = Mapping(columns={column: attribute for attribute, (_, column) in best.items()},
                      outcome_column=outcome[1] if outcome else None)
    # another language or another word order ("Anzahl der Mitarbeiter", "Quelle des Leads",
    # "Employees Number"): the header's words read into English, as a set, against each name's
    for column in columns:
        if column in mapping.columns or column == mapping.outcome_column:
            continue
        target = names_by_words(_HEADER_NAMES).get(header_words(column))
        if target == OUTCOME and mapping.outcome_column is None:
            mapping.outcome_column = column
        elif target not in (None, OUTCOME) and mapping.column_for(target) is None:
            mapping.columns[column] = target
    # typos ("Employess", "Industy"): one slip in a long name, never "Stats" for "Status"
    choices = {synonym: attribute for attribute, synonyms in HEADER_SYNONYMS.items() for synonym in synonyms
               if len(synonym) > 5}
    for column in columns:
        if column in mapping.columns or column == mapping.outcome_column:
            continue
        match = process.extractOne(normalise_header(column), list(choices),
                                   scorer=DamerauLevenshtein.normalized_similarity, score_cutoff=0.85)
        if match and mapping.column_for(choices[match[0]]) is None:
            mapping.columns[column] = choices[match[0]]
    if mapping.outcome_column is None and sample:
        for attribute in _STATUS_ATTRIBUTES:
            column = mapping.column_for(attribute)
            values = [v for v in (sample.get(column) or []) if v not in (None, "")]
            known = [v for v in values if outcome_value(v) is not None]
            if values and len(known) * 2 >= len(values) and {outcome_value(v) for v in known} == {True, False}:
                mapping.outcome_column = column
                break
    return mapping


def apply_overrides(mapping: Mapping, overrides: list[str], columns: list[str]) -> Mapping:
    """Apply "COLUMN=attribute" (or =outcome, =none) choices; raises MappingError."""
    result = Mapping(dict(mapping.columns), mapping.outcome_column)
    by_lower = {column.lower(): column for column in columns}
    for item in overrides:
        column_text, sep, target = item.rpartition("=")
        if not sep or not column_text.strip():
            raise MappingError(f"--map expects COLUMN=attribute, got {item!r}")
        column = by_lower.get(column_text.strip().lower())
        if column is None:
            raise MappingError(f"the file has no column {column_text.strip()!r} (columns: {', '.join(columns)})")
        set_target(result, column, target.strip())
    return result


def set_target(mapping: Mapping, column: str, target: str | None) -> None:
    """Point ``column`` at ``target`` (an attribute, "outcome" or "none"), in place."""
    target = (target or IGNORE).strip().lower()
    if target not in ATTRIBUTES and target not in (OUTCOME, IGNORE, ""):
        raise MappingError(f"unknown attribute {target!r}; use one of {', '.join(ATTRIBUTES)}, outcome or none")
    if target == OUTCOME:
        mapping.outcome_column = column
        return
    if mapping.outcome_column == column and target in (IGNORE, ""):
        mapping.outcome_column = None
    mapping.columns.pop(column, None)
    if target in ATTRIBUTES:
        for other, attribute in list(mapping.columns.items()):
            if attribute == target and target not in MULTI_COLUMN:
                del mapping.columns[other]  # one column per attribute
        mapping.columns[column] = target


def header_signature(columns: list[str]) -> str:
    """A short stable id of a header set (order and case ignored)."""
    joined = "\n".join(sorted(normalise_header(column) for column in columns))
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:16]


# ------------------------------------------------------------------ remembered per workshop

def remembered_mapping(*, session, workshop_id: int, columns: list[str],
                       sample: dict[str, list[str]] | None = None) -> Mapping:
    """The mapping saved for this header set, else the automatic one corrected by the
    workshop's latest saved choices for columns of the same name."""
    from sqlmodel import select

    from alignwork.models import ColumnMapping

    saved = session.exec(select(ColumnMapping).where(ColumnMapping.workshop_id == workshop_id)
                         .order_by(ColumnMapping.updated_at.desc())).all()
    signature = header_signature(columns)
    exact = next((row for row in saved if row.signature == signature), None)
    present = set(columns)
    if exact is not None:
        return Mapping({c: a for c, a in exact.columns.items() if c in present and a in ATTRIBUTES},
                       exact.outcome_column if exact.outcome_column in present else None)
    mapping = auto_mapping(columns, sample)
    if saved:
        latest = saved[0]
        for column in columns:
            if column in latest.columns:
                set_target(mapping, column, latest.columns[column])
        if latest.outcome_column in present:
            mapping.outcome_column = latest.outcome_column
    return mapping


def mapping_row(*, session, workshop_id: int, columns: list[str], create: bool = False):
    """The ``ColumnMapping`` kept for this workshop and header set: None when there is none, unless
    ``create`` (a new one, not yet added to the session)."""
    from sqlmodel import select

    from alignwork.models import ColumnMapping

    signature = header_signature(columns)
    row = session.exec(select(ColumnMapping).where(ColumnMapping.workshop_id == workshop_id,
                                                   ColumnMapping.signature == signature)).first()
    if row is None and create:
        row = ColumnMapping(workshop_id=workshop_id, signature=signature)
    return row


def remember_mapping(*, session, workshop_id: int, columns: list[str], mapping: Mapping,
                     commit: bool = True) -> None:
    """Store ``mapping`` for this workshop and header set."""
    from alignwork.models import utcnow

    row = mapping_row(session=session, workshop_id=workshop_id, columns=columns, create=True)
    # keys that are no file column ("@reason": the review's) belong to other readers of the file: kept
    row.columns = {**{key: value for key, value in (row.columns or {}).items() if key.startswith(OTHER_KEYS)},
                   **mapping.columns}
    row.outcome_column = mapping.outcome_column
    row.updated_at = utcnow()
    session.add(row)
    if commit:
        session.commit()
