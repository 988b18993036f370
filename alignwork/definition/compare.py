"""Compare two lead definitions: criteria added, removed and changed; thresholds, reason codes,
SLA and glossary changes. Also the plain-words rule text shared by documents and exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from alignwork.definition.criteria import ATTRIBUTES, Criterion, Definition

CRITERION_FIELDS = ("label", "attribute", "operator", "value", "points", "axis", "knockout", "decision")
THRESHOLD_FIELDS = ("mql_threshold", "sql_threshold", "sql_min_intent")
FIELD_NAMES = {
    "label": "label", "attribute": "attribute", "operator": "operator", "value": "value", "points": "points",
    "axis": "axis", "knockout": "knock-out", "decision": "decision", "mql_threshold": "MQL threshold",
    "sql_threshold": "SQL threshold", "sql_min_intent": "minimum intent points for SQL",
    # SLA fields (alignwork.definition.agreement.ServiceLevel)
    "mql_follow_up_hours": "MQL follow-up (hours)", "demo_follow_up_hours": "demo request follow-up (hours)",
    "contact_attempts": "contact attempts", "attempt_window_days": "days for the contact attempts",
    "rejection_return_days": "days to return a rejected lead", "reason_code_required": "reason code required",
    "recycle_after_days": "nurture period (days)", "review_meeting": "review meeting", "full_review": "full review",
    "next_review": "next review",
}
OPERATOR_WORDS = {"in": "is one of", "not_in": "is not one of", "between": "is between", "equals": "is",
                  "contains": "contains", "gte": "is at least", "lte": "is at most"}


def describe_value(value: Any) -> str:
    """A rule value in plain text: lists joined, ranges as "50 – 1,000", numbers grouped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return f"{value:,}" if isinstance(value, int) or float(value).is_integer() else f"{value:,.2f}"
    if isinstance(value, dict) and ("min" in value or "max" in value):
        low, high = value.get("min"), value.get("max")
        if low is not None and high is not None:
            return f"{describe_value(low)} – {describe_value(high)}"
        return f"at least {describe_value(low)}" if low is not None else f"at most {describe_value(high)}"
    if isinstance(value, (list, tuple)):
        return ", ".join(describe_value(item) for item in value)
    return str(value)


# what a rule's attribute is called in a document ("email_type" is a key, not a word)
ATTRIBUTE_WORDS = {"industry": "industry", "employees": "employees", "revenue_usd": "annual revenue",
                   "region": "region", "country": "country", "function": "job function", "seniority": "seniority",
                   "title": "job title", "email_type": "e-mail type", "lead_source": "lead source",
                   "lifecycle_stage": "lifecycle stage", "lead_status": "lead status"}


def _rule_value(attribute: str, value: Any) -> str:
    """A rule value in the words of its attribute: money as $10M, sources as their labels."""
    if attribute in ("revenue_usd", "employees"):
        from alignwork.synthesis.ranges import format_count, format_usd

        fmt = format_usd if attribute == "revenue_usd" else format_count

        def number(item: Any) -> str:
            return fmt(int(item)) if isinstance(item, (int, float)) and not isinstance(item, bool) \
                and float(item).is_integer() else describe_value(item)

        if isinstance(value, dict) and ("min" in value or "max" in value):
            low, high = value.get("min"), value.get("max")
            if low is not None and high is not None:
                return f"{number(low)}–{number(high)}"
            return number(low if low is not None else high)
        return ", ".join(number(item) for item in value) if isinstance(value, (list, tuple)) else number(value)
    if attribute == "lead_source":
        from alignwork.synthesis.normalize import lead_source_kinds

        labels = lead_source_kinds()
        items = value if isinstance(value, (list, tuple)) else [value]
        return ", ".join(f"“{labels.get(str(item), str(item).replace('_', ' '))}”" for item in items)
    return describe_value(value)


def describe_rule(criterion: Criterion) -> str:
    """A rule in plain words for documents: "employees is between 50–1,000", "annual revenue is
    at least $10M", 'lead source is "Requested a demo"'; descriptive criteria say so."""
    if not criterion.attribute or not criterion.operator:
        return "descriptive (not scored)"
    attribute = criterion.attribute
    operator = OPERATOR_WORDS.get(criterion.operator, criterion.operator.replace("_", " "))
    value = criterion.value
    if criterion.operator in ("in", "not_in") and isinstance(value, (list, tuple)) and len(value) == 1:
        operator = "is" if criterion.operator == "in" else "is not"
    words = ATTRIBUTE_WORDS.get(attribute, attribute.replace("_", " "))
    return f"{words} {operator} {_rule_value(attribute, value)}".strip()


def attribute_help(attribute: str | None) -> str:
    return ATTRIBUTES.get(attribute or "", "")


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: Any
    after: Any

    def describe(self) -> str:
        label = FIELD_NAMES.get(self.name, self.name.replace("_", " "))
        before, after = describe_value(self.before) or "(none)", describe_value(self.after) or "(none)"
        return f"{label}: {before} → {after}"


@dataclass(frozen=True)
class CriterionChange:
    id: str
    label: str
    section: str
    changes: tuple[FieldChange, ...]


@dataclass
class Comparison:
    """What changed from ``before`` to ``after``."""

    added: list[Criterion] = field(default_factory=list)
    removed: list[Criterion] = field(default_factory=list)
    changed: list[CriterionChange] = field(default_factory=list)
    thresholds: list[FieldChange] = field(default_factory=list)
    reason_codes_added: list[str] = field(default_factory=list)
    reason_codes_removed: list[str] = field(default_factory=list)
    sla: list[FieldChange] = field(default_factory=list)
    glossary: list[FieldChange] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not any((self.added, self.removed, self.changed, self.thresholds, self.reason_codes_added,
                        self.reason_codes_removed, self.sla, self.glossary))

    def lines(self) -> list[str]:
        """Every change as one plain sentence, most important first."""
        lines = [change.describe() for change in self.thresholds]
        lines += [f"Added: {c.label} ({c.points:+d} {c.axis} points)" if c.points else f"Added: {c.label}"
                  for c in self.added]
        lines += [f"Removed: {c.label}" for c in self.removed]
        for change in self.changed:
            lines.append(f"Changed: {change.label} — " + "; ".join(item.describe() for item in change.changes))
        lines += [f"New reason code: {code}" for code in self.reason_codes_added]
        lines += [f"Reason code dropped: {code}" for code in self.reason_codes_removed]
        lines += [f"SLA {change.describe()}" for change in self.sla]
        lines += [f"Glossary {change.describe()}" for change in self.glossary]
        return lines


def compare_definitions(before: Definition, after: Definition) -> Comparison:
    """Compare two definitions criterion by criterion (matched by ``id``). A review decision
    counts only when a criterion is rejected or restored: "open → edited" is bookkeeping that
    follows every edit, not a change the signers need to read."""
    result = Comparison()
    old = {c.id: c for c in before.criteria}
    new = {c.id: c for c in after.criteria}
    result.added = [c for c in after.criteria if c.id not in old]
    result.removed = [c for c in before.criteria if c.id not in new]
    for criterion in after.criteria:
        previous = old.get(criterion.id)
        if previous is None:
            continue
        changes = tuple(FieldChange(name, getattr(previous, name), getattr(criterion, name))
                        for name in CRITERION_FIELDS if getattr(previous, name) != getattr(criterion, name)
                        and (name != "decision" or "rejected" in (previous.decision, criterion.decision)))
        if changes:
            result.changed.append(CriterionChange(criterion.id, criterion.label, criterion.section, changes))
    result.thresholds = [FieldChange(name, getattr(before, name), getattr(after, name))
                         for name in THRESHOLD_FIELDS if getattr(before, name) != getattr(after, name)]
    old_codes = {r.code: r.label for r in before.reason_codes}
    new_codes = {r.code: r.label for r in after.reason_codes}
    result.reason_codes_added = [f"{code} ({label})" for code, label in new_codes.items() if code not in old_codes]
    result.reason_codes_removed = [f"{code} ({label})" for code, label in old_codes.items() if code not in new_codes]
    # only what was set explicitly counts: a body without an SLA uses the defaults
    old_sla, new_sla = before.sla or {}, after.sla or {}
    result.sla = [FieldChange(key, old_sla.get(key), new_sla.get(key))
                  for key in sorted(set(old_sla) | set(new_sla)) if old_sla.get(key) != new_sla.get(key)
                  and old_sla and new_sla]
    old_terms = {e.get("term", ""): e.get("meaning", "") for e in before.glossary}
    new_terms = {e.get("term", ""): e.get("meaning", "") for e in after.glossary}
    if old_terms and new_terms:
        result.glossary = [FieldChange(term, old_terms.get(term), new_terms.get(term))
                           for term in list(new_terms) + [t for t in old_terms if t not in new_terms]
                           if old_terms.get(term) != new_terms.get(term)]
    return result
