"""The lead definition: the contract shared by synthesis, scoring, premortem and export.

A definition is plain data (pydantic models, stored as JSON in
``DefinitionVersion.body``). Synthesis produces one; the facilitator edits it;
scoring applies it to leads; export renders it.

Scoring semantics (``alignwork.backtest.scoring`` implements them):

- A lead is a mapping of *attributes* (see ``ATTRIBUTES``) to normalised values.
- A criterion *fires* on a lead when its ``attribute`` has a value and
  ``operator``/``value`` match it. Criteria with ``attribute=None`` are
  descriptive (shown in documents, never scored). Rejected criteria never fire.
- ``fit_score`` = sum of points of fired criteria on axis ``fit``;
  ``intent_score`` = same for axis ``intent``; negative points (disqualifiers
  that are not knock-outs) are added to the axis they name.
- ``score`` = fit_score + intent_score.
- Stage: ``disqualified`` if any fired criterion has ``knockout=True``; else
  ``SQL`` if score ≥ ``sql_threshold`` and intent_score ≥ ``sql_min_intent``;
  else ``MQL`` if score ≥ ``mql_threshold``; else ``nurture``. MQL and SQL pass.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from alignwork.definition.vocabulary import ATTRIBUTES

OPERATORS = ("in", "not_in", "between", "equals", "contains", "gte", "lte")
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


class Criterion(BaseModel):
    id: str  # stable across re-synthesis, e.g. "ideal_company.industry"
    section: Literal["ideal_company", "persona", "mql", "sql", "disqualifiers"]
    label: str  # plain words: "Industry is Software/SaaS or Financial services"
    attribute: str | None = None  # key of ATTRIBUTES; None = descriptive only
    operator: Literal["in", "not_in", "between", "equals", "contains", "gte", "lte"] | None = None
    # in/not_in: list[str]; between: {"min": n|None, "max": n|None}; equals/contains: str; gte/lte: number
    value: Any = None
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
        """Criteria that take part in scoring: have an attribute and are not rejected."""
        return [c for c in self.criteria if c.attribute and c.operator and c.decision != "rejected"]

    def by_section(self, section: str) -> list[Criterion]:
        return [c for c in self.criteria if c.section == section]

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)
