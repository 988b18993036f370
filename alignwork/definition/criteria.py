"""The lead definition: the contract shared by synthesis, scoring, premortem and export.

A definition is plain data (pydantic models, stored as JSON in
``DefinitionVersion.body``). Synthesis produces one; the facilitator edits it;
scoring applies it to leads; export renders it.

Scoring semantics (``alignwork.backtest.scoring`` implements them):

- A lead is a mapping of *fields* (see ``vocabulary.FIELDS``: the attributes, the raw
  e-mail and its domain, and any extra CRM column by its header) to values.
- A criterion has one or more *conditions* (``Condition``: field, operator, value) joined
  by ``match`` = ``all`` or ``any``. Operators (``OPERATORS``): is, is any of, is none of,
  contains any of words, starts with, in domain list, between, less than, greater than,
  is empty, is not empty; text compares case- and accent-insensitively, company names
  without legal suffixes ("ACME, Inc." is "Acme"). Only ``is empty`` fires on a missing
  value. A list condition with an empty list is *inactive* (it waits for the facilitator,
  e.g. the competitor list); a criterion fires when its active conditions say so.
- Criteria without conditions are descriptive (shown in documents, never scored). A
  knock-out that no CRM field can tell carries ``manual_step``: what Sales does instead.
  Rejected criteria never fire.
- ``fit_score`` = sum of points of fired criteria on axis ``fit``;
  ``intent_score`` = same for axis ``intent``, at most ``intent_cap`` when set; every
  signal a lead shows counts (a multi-value lead source cell "Pricing; Demo" fires both
  rules); negative points (disqualifiers that are not knock-outs) are added to the axis
  they name.
- ``score`` = fit_score + intent_score.
- Stage: ``disqualified`` if any fired criterion has ``knockout=True``; else
  ``SQL`` if score ≥ ``sql_threshold`` and intent_score ≥ ``sql_min_intent``;
  else ``MQL`` if score ≥ ``mql_threshold``; else ``nurture``. MQL and SQL pass.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from alignwork.definition.vocabulary import ATTRIBUTES, FIELDS, NUMERIC_FIELDS

Operator = Literal["is", "is_any_of", "is_none_of", "contains_any", "starts_with", "in_domain_list", "between",
                   "less_than", "greater_than", "is_empty", "is_not_empty"]
OPERATORS: tuple[str, ...] = Operator.__args__
LIST_OPERATORS = ("is_any_of", "is_none_of", "contains_any", "starts_with", "in_domain_list")
NO_VALUE_OPERATORS = ("is_empty", "is_not_empty")
TEXT_ONLY_OPERATORS = ("contains_any", "starts_with", "in_domain_list")
NUMBER_ONLY_OPERATORS = ("between", "less_than", "greater_than")
# the rule shape before conditions (stored definitions up to migration 0006): attribute/operator/value
LEGACY_OPERATORS = {"in": "is_any_of", "not_in": "is_none_of", "equals": "is", "contains": "contains_any",
                    "between": "between", "gte": "between", "lte": "between"}
SECTIONS = ("ideal_company", "persona", "mql", "sql", "disqualifiers")
SECTION_TITLES = {
    "ideal_company": "Ideal company",
    "persona": "Persona",
    "mql": "MQL criteria",
    "sql": "SQL criteria",
    "disqualifiers": "Disqualifiers",
}
Decision = Literal["open", "accepted", "edited", "rejected"]
Consensus = Literal["strong", "contested", "weak", "outlier"]


class Evidence(BaseModel):
    """Who supports a criterion and in which words."""

    participants: list[str] = Field(default_factory=list)  # rep names (anonymised on export if asked)
    interview_ids: list[int] = Field(default_factory=list)
    answers: list[str] = Field(default_factory=list)  # raw answers as spoken
    quotes: list[str] = Field(default_factory=list)  # notes of kind "quote"


def _number(value: Any, what: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            value = float(str(value).replace(",", "").strip())
        except (TypeError, ValueError):
            raise ValueError(f"{what} must be a number, not {value!r}") from None
    return int(value) if float(value).is_integer() else float(value)


class Condition(BaseModel):
    """One test on one lead field: ``job title contains any of words student, intern``.

    ``field``: a key of ``FIELDS`` or the header of any other mapped CRM column ("Lead Status").
    ``value``: a list of texts (or numbers on a number field) for the list operators, one text
    or number for ``is``, ``{"min": n|None, "max": n|None}`` for ``between`` (inclusive), a
    number for ``less_than``/``greater_than``, nothing for ``is_empty``/``is_not_empty``."""

    field: str
    operator: Operator
    value: Any = None

    @model_validator(mode="after")
    def _check(self) -> "Condition":
        self.field = " ".join(str(self.field).split())
        if not self.field:
            raise ValueError("a condition needs a field")
        numeric = self.field in NUMERIC_FIELDS
        name = FIELDS.get(self.field, self.field)
        if numeric and self.operator in TEXT_ONLY_OPERATORS:
            raise ValueError(f"“{self.operator.replace('_', ' ')}” compares text; {name} is a number")
        if not numeric and self.field in FIELDS and self.operator in NUMBER_ONLY_OPERATORS:
            raise ValueError(f"“{self.operator.replace('_', ' ')}” compares numbers; {name} is text")
        value = self.value
        if self.operator in NO_VALUE_OPERATORS:
            self.value = None
        elif self.operator in LIST_OPERATORS:
            items = value if isinstance(value, (list, tuple, set)) else ([] if value in (None, "") else [value])
            if numeric:
                self.value = [_number(item, name) for item in items]
            else:  # one entry per item, blank ones dropped, duplicates (in any case) once
                seen, cleaned = set(), []
                for item in items:
                    text = " ".join(str(item).split())
                    if text and text.casefold() not in seen:
                        seen.add(text.casefold())
                        cleaned.append(text)
                self.value = cleaned
        elif self.operator == "between":
            if isinstance(value, (list, tuple)) and len(value) == 2:
                value = {"min": value[0], "max": value[1]}
            if not isinstance(value, dict) or (value.get("min") is None and value.get("max") is None):
                raise ValueError("“between” needs a lowest or a highest number")
            low = None if value.get("min") is None else _number(value["min"], name)
            high = None if value.get("max") is None else _number(value["max"], name)
            if low is not None and high is not None and low > high:
                raise ValueError(f"the range {low}–{high} is upside down")
            self.value = {"min": low, "max": high}
        elif self.operator in ("less_than", "greater_than"):
            self.value = _number(value, name)
        else:  # "is"
            if value is None or str(value).strip() == "":
                raise ValueError("“is” needs a value")
            self.value = _number(value, name) if numeric else " ".join(str(value).split())
        return self

    @property
    def active(self) -> bool:
        """False for a list condition whose list is still empty (it can never fire)."""
        return self.operator not in LIST_OPERATORS or bool(self.value)


def legacy_condition(attribute: str, operator: str, value: Any) -> Condition:
    """A rule of the shape stored before conditions (``attribute``/``operator``/``value``)."""
    if operator == "gte":
        value = {"min": value, "max": None}
    elif operator == "lte":
        value = {"min": None, "max": value}
    elif operator in ("in", "not_in", "contains") and not isinstance(value, (list, tuple)):
        value = [] if value is None else [value]
    return Condition(field=attribute, operator=LEGACY_OPERATORS.get(operator, operator), value=value)


def upgrade_criterion(data: dict) -> dict:
    """A stored criterion in the current shape: ``attribute``/``operator``/``value`` become one
    condition (used when reading and by migration 0006)."""
    if not isinstance(data, dict) or not ({"attribute", "operator", "value"} & set(data)):
        return data
    data = dict(data)
    attribute, operator, value = data.pop("attribute", None), data.pop("operator", None), data.pop("value", None)
    if attribute and operator and not data.get("conditions"):
        data["conditions"] = [legacy_condition(attribute, operator, value).model_dump()]
    return data


class Criterion(BaseModel):
    id: str  # stable across re-synthesis, e.g. "ideal_company.industry"
    section: Literal["ideal_company", "persona", "mql", "sql", "disqualifiers"]
    label: str  # plain words, the one name of the rule everywhere: "Industry: Software/SaaS"
    conditions: list[Condition] = Field(default_factory=list)  # none = descriptive only
    match: Literal["all", "any"] = "all"
    reason_code: str | None = None  # a knock-out's reason code ("STUDENT"): counted per code in a back-test
    company_list: bool = False  # filled from a list of company names and domains the facilitator types
    manual_step: str = ""  # what Sales does where no CRM field can tell (shown in documents and exports)
    points: int = 0
    axis: Literal["fit", "intent"] = "fit"
    knockout: bool = False  # a disqualifier that removes the lead outright
    question: str | None = None  # the guide key it came from
    support: int = 0  # number of reps behind it
    share: float = 0.0  # support / interviews used
    consensus: Consensus | None = None
    evidence: Evidence = Field(default_factory=Evidence)
    decision: Decision = "open"
    rationale: str = ""

    @model_validator(mode="before")
    @classmethod
    def _old_shape(cls, data: Any) -> Any:
        return upgrade_criterion(data)

    @property
    def active_conditions(self) -> list[Condition]:
        return [c for c in self.conditions if c.active]

    @property
    def scored(self) -> bool:
        """Has conditions that can fire (an ``all`` criterion needs every one of them filled)."""
        active = self.active_conditions
        return bool(active) and (self.match == "any" or len(active) == len(self.conditions))

    @property
    def fields(self) -> list[str]:
        return list(dict.fromkeys(c.field for c in self.conditions))

    # the one-condition view of earlier versions: the first condition's field, operator, value
    @property
    def attribute(self) -> str | None:
        return self.conditions[0].field if self.conditions else None

    @property
    def operator(self) -> str | None:
        return self.conditions[0].operator if self.conditions else None

    @property
    def value(self) -> Any:
        return self.conditions[0].value if self.conditions else None

    @value.setter
    def value(self, value: Any) -> None:
        """Set the first condition's value (checked like a typed one); ValueError if it does not fit."""
        if not self.conditions:
            raise ValueError("a descriptive criterion has no value")
        first = self.conditions[0]
        self.conditions = [Condition(field=first.field, operator=first.operator, value=value), *self.conditions[1:]]


class ReasonCode(BaseModel):
    """A reason Sales picks when returning a lead; few, actionable, in Sales' words."""

    code: str  # "STUDENT"
    label: str  # "Student or academic"
    description: str = ""
    support: int = 0
    examples: list[str] = Field(default_factory=list)


class Definition(BaseModel):
    summary: str = ""
    criteria: list[Criterion] = Field(default_factory=list)
    mql_threshold: int = 40
    sql_threshold: int = 70
    sql_min_intent: int = 1
    intent_cap: int | None = None  # most intent points a lead can collect, however many signals it shows
    reason_codes: list[ReasonCode] = Field(default_factory=list)
    # filled by the agreement step (issue 6); kept here so they version with the definition
    sla: dict[str, Any] = Field(default_factory=dict)
    glossary: list[dict[str, str]] = Field(default_factory=list)
    # top-level fields the facilitator set by hand ("mql_threshold", "reason_codes", "summary"…);
    # re-synthesis keeps them (alignwork.definition.versions)
    edited: list[str] = Field(default_factory=list)
    # the finished interviews it was synthesized from, id → last change
    # (alignwork.interviews.inputs): tells when it is out of date
    built_from: dict[str, str] = Field(default_factory=dict)

    def scored_criteria(self) -> list[Criterion]:
        """Criteria that take part in scoring: have active conditions and are not rejected."""
        return [c for c in self.criteria if c.scored and c.decision != "rejected"]

    def by_section(self, section: str) -> list[Criterion]:
        return [c for c in self.criteria if c.section == section]

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)
