"""The draft lead definition built from a synthesis: criteria with evidence and
consensus, a two-axis scoring model, thresholds and reason codes.

Points follow consensus (how many reps stand behind a criterion):

=================  ======  =========  ====
criterion          strong  contested  weak
=================  ======  =========  ====
industry, size       20       10        5
function, seniority  15        8        4
revenue, region      10        5        3
SQL signal           30       20       10
MQL signal           10        5        3
disqualifier        -20      -10       -5   (unless a knock-out)
=================  ======  =========  ====

Groups named by a single rep (outliers) do not become criteria; they are listed
as surprises. Thresholds: MQL = half the best possible fit score (rounded to 5);
SQL = MQL + the smallest SQL signal, and an SQL needs at least that much intent.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from alignwork.definition.criteria import Criterion, Definition, Evidence, ReasonCode
from alignwork.definition.knockouts import apply_default as default_knockout_rule
from alignwork.synthesis.normalize import (
    industry_sector, lead_source_kind, region_members, region_of, title_function, title_seniority,
)
from alignwork.synthesis.data import InterviewData
from alignwork.synthesis.groups import Group, consensus_level
from alignwork.synthesis.numbers import RangeSummary, readiness_answer

POINTS = {
    "industry": (20, 10, 5), "employees": (20, 10, 5), "function": (15, 8, 4), "seniority": (15, 8, 4),
    "revenue_usd": (10, 5, 3), "region": (10, 5, 3), "sql_signal": (30, 20, 10), "mql_signal": (10, 5, 3),
    "disqualifier": (-20, -10, -5),
}
HIGH_INTENT = frozenset({"demo_request", "pricing_page", "contact_sales", "free_trial", "referral"})
MAX_REASON_CODES = 8
FLAG_LABELS = {"need": "The lead has a confirmed need", "budget": "Budget is confirmed",
               "authority": "We talk to someone who can decide"}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "item"


def points_for(kind: str, consensus: str | None) -> int:
    strong, contested, weak = POINTS[kind]
    return {"strong": strong, "contested": contested}.get(consensus or "", weak)


def _quotes(interviews: list[InterviewData], questions: tuple[str, ...]) -> list[str]:
    return [note.text for interview in interviews for note in interview.notes
            if note.kind == "quote" and note.question in questions]


def evidence_of(group: Group, questions: tuple[str, ...] | None = None) -> Evidence:
    return Evidence(participants=list(group.participants), interview_ids=group.interview_ids,
                    answers=list(group.members), quotes=_quotes(group.interviews, questions or (group.key,)))


def _from_group(group: Group, *, id: str, section: str, label: str, attribute: str | None = None,
                operator: str | None = None, value: Any = None, points: int = 0, axis: str = "fit",
                knockout: bool = False, question: str | None = None) -> Criterion:
    return Criterion(id=id, section=section, label=label, attribute=attribute, operator=operator, value=value,
                     points=points if attribute else 0, axis=axis, knockout=knockout,
                     question=question or group.key, support=group.support, share=round(group.share, 4),
                     consensus=group.consensus, evidence=evidence_of(group, (question or group.key,)))


def _usable(groups: list[Group]) -> list[Group]:
    return [g for g in groups if g.consensus != "outlier"]


def build_definition(*, total: int, groups: dict[str, list[Group]], size: RangeSummary, revenue: RangeSummary,
                     readiness: dict[str, Any], interviews: list[InterviewData]) -> Definition:
    """The draft definition for a synthesis (pure; same input, same ids and points)."""
    criteria: list[Criterion] = []
    for group in _usable(groups.get("industries", [])):
        criteria.append(_in_criterion(group, "ideal_company", "industry", "Industry", industry_sector, "industry"))
    criteria.extend(_range_criteria(size, "employees", "ideal_company.employees", "company_size", total, interviews))
    criteria.extend(_range_criteria(revenue, "revenue_usd", "ideal_company.revenue", "annual_revenue", total,
                                    interviews))
    wanted_regions: list[str] = []
    for group in _usable(groups.get("regions", [])):
        if group.label == "Global":
            continue
        criterion = _in_criterion(group, "ideal_company", "region", "Region", region_of, "region",
                                  expand=region_members)
        wanted_regions.extend(criterion.value or [])
        criteria.append(criterion)
    for key, attribute, read in (("titles", "function", title_function),
                                 ("titles_seniority", "seniority", title_seniority)):
        for group in _usable(groups.get(key, [])):
            criteria.append(_in_criterion(group, "persona", attribute, attribute.capitalize(), read, attribute,
                                          question="titles"))
    criteria.extend(_signal_criteria(_usable(groups.get("buying_signals", []))))
    criteria.extend(_readiness_criteria(readiness, total, interviews))
    core = size.core_range()
    criteria.extend(_disqualifiers(_usable(groups.get("rejection_triggers", [])), core, sorted(set(wanted_regions))))
    definition = Definition(criteria=criteria)
    set_thresholds(definition)
    definition.reason_codes = reason_codes(groups.get("rejection_triggers", []), groups.get("punt_signals", []))
    definition.summary = summarize(definition, total)
    return definition


def _in_criterion(group: Group, section: str, attribute: str, word: str, read, kind: str, *,
                  expand=None, question: str | None = None) -> Criterion:
    """``attribute in [...]`` with the normalised values of the group's answers, so a renamed or
    merged group still scores; descriptive when no answer normalises (a wording no vocabulary knows)."""
    values: set[str] = set()
    for member in group.members:
        value = read(member)
        if value:
            values |= set(expand(value)) if expand else {value}
    return _from_group(group, id=f"{section}.{attribute}.{slug(group.label)}", section=section,
                       label=f"{word}: {group.label}", attribute=attribute if values else None,
                       operator="in" if values else None, value=sorted(values) if values else None,
                       points=points_for(kind, group.consensus), question=question)


def _range_criteria(summary: RangeSummary, attribute: str, criterion_id: str, question: str, total: int,
                    interviews: list[InterviewData]) -> list[Criterion]:
    core = summary.core_range()
    if core is None:
        return []
    low, high = summary.core
    supporters = [a for a in summary.answers if a.low <= high and a.high >= low]
    consensus = consensus_level(len(supporters), total)
    if consensus == "outlier":
        return []
    what = "Company size" if attribute == "employees" else "Annual revenue"
    interviews_used = [a.interview for a in supporters]
    return [Criterion(
        id=criterion_id, section="ideal_company", label=f"{what}: {core.describe(summary.unit)}",
        attribute=attribute, operator="between", value={"min": core.low, "max": core.high},
        points=points_for(attribute, consensus), axis="fit", question=question, support=len(supporters),
        share=round(len(supporters) / total, 4) if total else 0.0, consensus=consensus,
        evidence=Evidence(participants=[i.participant for i in interviews_used],
                          interview_ids=[i.interview_id for i in interviews_used if i.interview_id is not None],
                          answers=[a.text for a in supporters], quotes=_quotes(interviews_used, (question,))))]


def _signal_criteria(groups: list[Group]) -> list[Criterion]:
    criteria = []
    for group in groups:
        kind = group.meta.get("lead_source")
        if not kind and not group.meta:
            kinds = Counter(k for m in group.members if (k := lead_source_kind(m)))
            kind = kinds.most_common(1)[0][0] if kinds else None
        section = "sql" if kind in HIGH_INTENT or not kind else "mql"
        points = points_for("sql_signal" if section == "sql" else "mql_signal", group.consensus)
        criteria.append(_from_group(
            group, id=f"{section}.signal.{slug(group.label)}", section=section, label=group.label,
            attribute="lead_source" if kind else None, operator="in" if kind else None,
            value=[kind] if kind else None, points=points, axis="intent"))
    return criteria


def _readiness_criteria(readiness: dict[str, Any], total: int, interviews: list[InterviewData]) -> list[Criterion]:
    criteria = []
    for flag, label in FLAG_LABELS.items():
        supporters = [i for i in interviews if (answer := readiness_answer(i.answers.get("readiness")))
                      and answer[flag]]
        if not supporters:
            continue
        criteria.append(_readiness(f"sql.bant.{flag}", label, supporters, total))
    months = readiness.get("timeline_months_median")
    if months is not None:
        supporters = [i for i in interviews if (answer := readiness_answer(i.answers.get("readiness")))
                      and answer["timeline_months"] is not None]
        criteria.append(_readiness("sql.bant.timeline", f"Plans to buy within {months:g} months", supporters, total))
    return criteria


def _readiness(criterion_id: str, label: str, supporters: list[InterviewData], total: int) -> Criterion:
    return Criterion(id=criterion_id, section="sql", label=label, axis="intent", question="readiness",
                     support=len(supporters), share=round(len(supporters) / total, 4) if total else 0.0,
                     consensus=consensus_level(len(supporters), total),
                     evidence=Evidence(participants=[i.participant for i in supporters],
                                       interview_ids=[i.interview_id for i in supporters if i.interview_id],
                                       quotes=_quotes(supporters, ("readiness",))))


def _disqualifiers(groups: list[Group], size_core, wanted_regions: list[str]) -> list[Criterion]:
    return [draft_knockout(group, size_core=size_core, wanted_regions=wanted_regions) for group in groups]


def draft_knockout(group: Group, *, size_core=None, wanted_regions: list[str] | None = None) -> Criterion:
    """The one place a grouped rejection reason becomes a disqualifier or knock-out.

    Whatever the wording or language, a reason the vocabulary knows keeps its reason code
    (STUDENT, COMPETITOR, PERSONAL_EMAIL, JOB_SEEKER, TOO_SMALL, …: id ``disqualifiers.<code>``)
    with its knock-out flag and CRM rule; a reason no list knows ("spare parts only") is a
    descriptive knock-out when at least a third of the reps name it (Sales applies it), else a
    descriptive disqualifier.
    """
    rule = dict(group.meta.get("rule") or {})
    code = group.meta.get("code")
    if code == "TOO_SMALL" and size_core is not None and size_core.low and size_core.low > 1:
        rule = {"attribute": "employees", "operator": "lte", "value": size_core.low - 1}
    if code == "WRONG_REGION" and wanted_regions:
        rule = {"attribute": "region", "operator": "not_in", "value": wanted_regions}
    if code:
        knockout = bool(group.meta.get("knockout"))  # without a rule it is descriptive: Sales applies it
    else:
        knockout = group.consensus in ("strong", "contested")
    criterion = _from_group(
        group, id=f"disqualifiers.{slug(code or group.label)}", section="disqualifiers", label=group.label,
        attribute=rule.get("attribute"), operator=rule.get("operator"), value=rule.get("value"),
        points=0 if knockout else points_for("disqualifier", group.consensus), knockout=knockout)
    # the default rule of the reason code (alignwork.definition.knockouts)
    return default_knockout_rule(criterion, code) if knockout or code == "PERSONAL_EMAIL" else criterion


def set_thresholds(definition: Definition) -> None:
    best_fit: dict[str, int] = {}
    for criterion in definition.scored_criteria():
        if criterion.axis == "fit" and criterion.points > 0:
            best_fit[criterion.attribute] = max(best_fit.get(criterion.attribute, 0), criterion.points)
    max_fit = sum(best_fit.values())
    definition.mql_threshold = max(10, int(5 * round(max_fit * 0.5 / 5)))
    sql_points = [c.points for c in definition.scored_criteria() if c.section == "sql" and c.points > 0]
    smallest = min(sql_points) if sql_points else 10
    definition.sql_min_intent = smallest
    definition.sql_threshold = definition.mql_threshold + smallest


def reason_codes(rejections: list[Group], punts: list[Group]) -> list[ReasonCode]:
    """Few, actionable codes Sales picks when returning a lead, named in Sales' words."""
    codes: list[ReasonCode] = []
    seen: set[str] = set()
    candidates = [g for g in rejections if g.support >= 2] + [g for g in punts if g.support >= 2][:2]
    for group in candidates:
        code = group.meta.get("code") or slug(group.label).upper().replace("-", "_")[:24]
        if code in seen or len(codes) >= MAX_REASON_CODES - 1:
            continue
        seen.add(code)
        codes.append(ReasonCode(code=code, label=group.label, support=group.support, examples=group.members[:5],
                                description="Said as: " + ", ".join(f"\u201c{m}\u201d" for m in group.members[:3])))
    codes.append(ReasonCode(code="OTHER", label="Other (say why in a note)",
                            description="Anything else; a frequent 'other' means a code is missing."))
    return codes


def summarize(definition: Definition, total: int) -> str:
    def labels(prefix: str) -> list[str]:
        return [c.label.split(": ", 1)[-1] for c in definition.criteria
                if c.id.startswith(prefix) and c.consensus in ("strong", "contested")]

    parts = [f"Drafted from {total} interview{'s' if total != 1 else ''}."]
    company = labels("ideal_company.industry")
    size = definition.criterion("ideal_company.employees")
    if company or size:
        parts.append("Ideal company: " + ", ".join(company or ["any industry"])
                     + (f", {size.label.split(': ', 1)[-1]}" if size else "") + ".")
    persona = labels("persona.function") + labels("persona.seniority")
    if persona:
        parts.append("Persona: " + ", ".join(persona) + ".")
    parts.append(f"A lead becomes an MQL at {definition.mql_threshold} points and an SQL at "
                 f"{definition.sql_threshold} with at least {definition.sql_min_intent} intent points.")
    knockouts = [c.label for c in definition.criteria if c.knockout and c.decision != "rejected"]
    if knockouts:
        parts.append("Knocked out: " + ", ".join(knockouts).lower() + ".")
    return " ".join(parts)
