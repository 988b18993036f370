"""Compare two lead definitions: criteria added, removed and changed; thresholds, reason codes,
SLA and glossary changes. Also the plain-words rule text shared by documents and exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from alignwork.definition.criteria import ATTRIBUTES, LIST_OPERATORS, Criterion, Definition
from alignwork.definition.vocabulary import FIELD_WORDS

CRITERION_FIELDS = ("label", "conditions", "match", "points", "axis", "knockout", "decision", "manual_step")
THRESHOLD_FIELDS = ("mql_threshold", "sql_threshold", "sql_min_intent")
FIELD_NAMES = {
    "label": "label", "conditions": "rule", "match": "conditions joined by", "manual_step": "step for Sales",
    "attribute": "attribute", "operator": "operator", "value": "value", "points": "points",
    "axis": "axis", "knockout": "knock-out", "decision": "decision", "mql_threshold": "MQL threshold",
    "sql_threshold": "SQL threshold", "sql_min_intent": "minimum intent points for SQL",
    # SLA fields (alignwork.definition.agreement.ServiceLevel)
    "mql_follow_up_hours": "MQL follow-up (hours)", "demo_follow_up_hours": "demo request follow-up (hours)",
    "contact_attempts": "contact attempts", "attempt_window_days": "days for the contact attempts",
    "rejection_return_days": "days to return a rejected lead", "reason_code_required": "reason code required",
    "recycle_after_days": "nurture period (days)", "review_meeting": "review meeting", "full_review": "full review",
    "next_review": "next review",
}
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
        if value and all(hasattr(item, "field") and hasattr(item, "operator") for item in value):
            return "; ".join(describe_condition(item) for item in value)  # a rule's conditions
        return ", ".join(describe_value(item) for item in value)
    return str(value)


# what a rule's field is called in a document ("email_type" is a key, not a word)
ATTRIBUTE_WORDS = FIELD_WORDS
CONDITION_WORDS = {"is": "is", "is_any_of": "is any of", "is_none_of": "is none of",
                   "contains_any": "contains any of the words", "starts_with": "starts with",
                   "in_domain_list": "is in the domain list", "between": "is between", "less_than": "is less than",
                   "greater_than": "is greater than", "is_empty": "is empty", "is_not_empty": "is not empty"}
LIST_LIMIT = 8  # items of a long list a document names before "and N more"


def value_words(field: str, value: Any) -> list[str]:
    """A condition's list items in the words of its field: lead-source kinds as their labels."""
    items = value if isinstance(value, (list, tuple)) else [value]
    if field == "lead_source":
        from alignwork.synthesis.normalize import lead_source_kinds

        labels = lead_source_kinds()
        return [labels.get(str(item), str(item).replace("_", " ")) for item in items]
    return [describe_value(item) for item in items]


def _rule_value(attribute: str, value: Any, limit: int | None = None) -> str:
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
    words = value_words(attribute, value)
    if attribute == "lead_source":
        words = [f"“{word}”" for word in words]
    if limit is not None and len(words) > limit:
        return ", ".join(words[:limit]) + f" and {len(words) - limit} more"
    return ", ".join(words)


def describe_condition(condition, limit: int | None = LIST_LIMIT) -> str:
    """One condition in plain words: "job title contains any of the words student, intern",
    "annual revenue is at least $10M", 'lead source is "Requested a demo"'."""
    field, operator, value = condition.field, condition.operator, condition.value
    words = FIELD_WORDS.get(field, field)
    if operator in ("is_empty", "is_not_empty"):
        return f"{words} {CONDITION_WORDS[operator]}"
    if operator in LIST_OPERATORS and not value:
        return f"{words} {CONDITION_WORDS[operator]} (list still empty)"
    phrase = CONDITION_WORDS[operator]
    if operator == "between" and isinstance(value, dict):
        if value.get("min") is None:
            phrase = "is at most"
        elif value.get("max") is None:
            phrase = "is at least"
    if operator == "is_any_of" and len(value) == 1:
        phrase = "is"
    if operator == "is_none_of" and len(value) == 1:
        phrase = "is not"
    return f"{words} {phrase} {_rule_value(field, value, limit)}".strip()


def describe_rule(criterion: Criterion, limit: int | None = LIST_LIMIT) -> str:
    """A rule in plain words for documents, its conditions joined by "and" / "or"; a criterion
    waiting for a list, a step for Sales and a descriptive one say so."""
    if not criterion.conditions:
        if criterion.manual_step:
            return "Sales step: " + criterion.manual_step
        return "descriptive (not scored)"
    joiner = " or " if criterion.match == "any" else " and "
    text = joiner.join(describe_condition(c, limit) for c in criterion.conditions
                       if c.active or not criterion.company_list)
    if criterion.company_list and not any(c.active for c in criterion.conditions if c.field != "lifecycle_stage"):
        waiting = "inactive until the company list is filled in on the Definition page"
        return f"{text} (the company list is still empty: {waiting})" if text else waiting[0].upper() + waiting[1:]
    return text


def rules_of(definition: Definition) -> list[Criterion]:
    """The rules every document and export states, in one order: scored rules, fit first, then
    intent, then knock-outs — knock-outs still waiting for their company list and steps for Sales
    included."""
    live = [c for c in definition.criteria if c.decision != "rejected" and (c.scored or c.knockout)]
    return sorted(live, key=lambda c: (c.knockout, c.axis != "fit", -c.points))


def rule_group(rule: Criterion) -> str:
    return "knock-out" if rule.knockout else rule.axis


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
