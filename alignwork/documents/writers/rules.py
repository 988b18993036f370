"""The scoring model in the shapes CRM admins paste into their tools: a rules CSV and a JSON
with a HubSpot-style layout (fit and engagement score groups) and a Pardot-style grade profile.

Every rule carries its concrete conditions (word lists, domain lists, the raw CRM values each
category matched in the last back-test, ``alignwork.documents.crm_values``), under the same name
as in the documents. A knock-out no CRM field can tell is a row too, with its step for Sales.
See docs/export.md.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from typing import Any

from alignwork.atomic import neutralise_csv_cell
from alignwork.definition.compare import CONDITION_WORDS, describe_rule, rule_group, rules_of, value_words
from alignwork.definition.criteria import FIELDS, Condition, Criterion, Definition
from alignwork.definition.vocabulary import FIELD_WORDS
from alignwork.documents.crm_values import ConditionValues, CrmValues

FORMAT = "alignwork-scoring-model"
VERSION = 2
CSV_COLUMNS = ("id", "label", "group", "points", "knockout", "reason_code", "match", "field", "operator", "value",
               "crm_values", "crm_value_leads", "crm_values_note", "status", "sales_step", "in_words", "field_key",
               "operator_key", "section")
GRADE_BANDS = (("A", 0.75), ("B", 0.5), ("C", 0.25), ("D", 0.0))
# the standard CRM properties a field is usually in (internal names in brackets)
HUBSPOT_PROPERTIES = {
    "title": "Job Title (jobtitle)", "email": "Email (email)", "email_domain": "Email Domain (hs_email_domain)",
    "company": "Company Name (company)", "website": "Website URL (website)", "industry": "Industry (industry)",
    "employees": "Number of Employees (numemployees)", "revenue_usd": "Annual Revenue (annualrevenue)",
    "country": "Country/Region (country)", "region": "Region (a custom property)",
    "lead_source": "Original Source (hs_analytics_source) or your lead source property",
    "lifecycle_stage": "Lifecycle Stage (lifecyclestage)", "lead_status": "Lead Status (hs_lead_status)",
    "function": "Job Function (job_function)", "seniority": "Seniority (hs_seniority)",
    "email_type": "Email Domain (hs_email_domain)",
}
PARDOT_FIELDS = {
    "title": "Job Title", "email": "Email", "email_domain": "Email", "company": "Company", "website": "Website",
    "industry": "Industry", "employees": "Employees", "revenue_usd": "Annual Revenue", "country": "Country",
    "region": "Territory", "lead_source": "Source", "lifecycle_stage": "Prospect Lifecycle Stage",
    "lead_status": "Status", "function": "Department", "seniority": "Job Title", "email_type": "Email",
}
HUBSPOT_OPERATORS = {"is": "is equal to any of", "is_any_of": "is equal to any of", "is_none_of": "is none of",
                     "contains_any": "contains any of", "starts_with": "starts with any of",
                     "in_domain_list": "is any of / ends with any of", "between": "is between",
                     "less_than": "is less than", "greater_than": "is greater than", "is_empty": "is unknown",
                     "is_not_empty": "is known"}


def csv_value(value: Any) -> str:
    """A rule value in one CSV cell: lists joined by ";", ranges as "min..max" (a side may be empty)."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ";".join(str(item) for item in value)
    if isinstance(value, dict):
        low, high = value.get("min"), value.get("max")
        return f"{'' if low is None else low}..{'' if high is None else high}"
    return str(value)


def rule_status(rule: Criterion) -> str:
    """``active``, ``inactive`` (a list the facilitator has still to fill) or ``sales step``."""
    if rule.scored and not (rule.company_list and not any(c.active for c in rule.conditions if c.field != "lifecycle_stage")):
        return "active"
    if rule.company_list or rule.conditions:
        return "inactive"
    return "sales step"


def _condition_values(condition: Condition) -> list[Any] | Any:
    if isinstance(condition.value, list):
        return value_words(condition.field, condition.value) if condition.field == "lead_source" else condition.value
    return condition.value


def _condition_json(condition: Condition, crm: ConditionValues | None) -> dict[str, Any]:
    out = {"field": condition.field, "field_words": FIELD_WORDS.get(condition.field, condition.field),
           "operator": condition.operator, "operator_words": CONDITION_WORDS[condition.operator],
           "value": condition.value, "value_words": _condition_values(condition)}
    if crm is not None:  # a category: the values the CRM holds for it, or why there are none
        out["crm_values"] = crm.names
        out["crm_value_leads"] = [{"value": value, "leads": leads} for value, leads in crm.values]
        out["crm_values_note"] = crm.note
    return out


def rules_csv(definition: Definition, *, crm_values: CrmValues | None = None) -> str:
    """One row per condition (a rule of three conditions is three rows with the same id and label);
    a step for Sales is one row without a condition. Every cell neutralised so a spreadsheet never
    runs it as a formula. ``crm_values``: the back-test the raw CRM values come from (None: none)."""
    crm_values = crm_values or CrmValues()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for rule in rules_of(definition):
        head = (rule.id, rule.label, rule_group(rule), 0 if rule.knockout else rule.points,
                "true" if rule.knockout else "false", rule.reason_code or "", rule.match)
        tail = (rule_status(rule), rule.manual_step, describe_rule(rule, limit=None))
        conditions = rule.conditions or [None]
        for condition in conditions:
            if condition is None:
                middle = ("", "", "", "", "", "")
                keys = ("", "")
            else:
                values = _condition_values(condition)
                crm = crm_values.for_condition(rule, condition)
                middle = (FIELD_WORDS.get(condition.field, condition.field), CONDITION_WORDS[condition.operator],
                          csv_value(values), csv_value(crm.names) if crm else "",
                          csv_value([leads for _value, leads in crm.values]) if crm else "", crm.note if crm else "")
                keys = (condition.field, condition.operator)
            row = (*head, *middle, *tail, *keys, rule.section)
            writer.writerow([neutralise_csv_cell(cell) for cell in row])
    return buffer.getvalue()


def max_points(definition: Definition, axis: str) -> int:
    """Most points a lead can reach on an axis. Fit: the best positive rule per field, summed (rules
    on one field usually exclude each other, e.g. one industry). Intent: every signal adds up, at
    most the intent cap."""
    if axis == "intent":
        total = sum(r.points for r in definition.scored_criteria() if r.axis == "intent" and r.points > 0
                    and not r.knockout)
        return total if definition.intent_cap is None else min(total, definition.intent_cap)
    best: dict[str, int] = defaultdict(int)
    for rule in definition.scored_criteria():
        if rule.axis == axis and rule.points > 0 and not rule.knockout:
            best[rule.attribute] = max(best[rule.attribute], rule.points)
    return sum(best.values())


def _rule_json(rule: Criterion, crm_values: CrmValues) -> dict[str, Any]:
    return {"id": rule.id, "label": rule.label, "section": rule.section, "group": rule_group(rule),
            "points": 0 if rule.knockout else rule.points, "axis": rule.axis, "knockout": rule.knockout,
            "reason_code": rule.reason_code, "match": rule.match, "status": rule_status(rule),
            "in_words": describe_rule(rule, limit=None), "sales_step": rule.manual_step or None,
            "conditions": [_condition_json(c, crm_values.for_condition(rule, c)) for c in rule.conditions]}


def _crm_conditions(rule: Criterion, names: dict[str, str], operators: dict[str, str] | None,
                    crm_values: CrmValues) -> list[dict[str, Any]]:
    """A rule's active conditions on CRM properties; a category lists the raw CRM values it matched
    in the back-test (``values_from`` says so), else its own words (and ``values_from`` says why)."""
    out = []
    for condition in rule.conditions:
        if not condition.active:
            continue
        crm = crm_values.for_condition(rule, condition)
        field = "email_domain" if condition.field == "email" and condition.operator == "in_domain_list" \
            else condition.field
        item = {"property": names.get(field, f"{condition.field} (your CRM property)"),
                "operator": (operators or CONDITION_WORDS)[condition.operator],
                "values": crm.names if crm and crm.values else _condition_values(condition)}
        if crm is not None:
            item["values_from"] = crm.note if crm.values else f"Alignwork's category words, {crm.note}"
        out.append(item)
    return out


def hubspot_layout(definition: Definition, crm_values: CrmValues | None = None) -> dict[str, Any]:
    """HubSpot-style lead scoring: a Fit and an Engagement score group, each criterion with its points
    and conditions (AND within a criterion when all must hold, OR when any may), the MQL/SQL
    thresholds, and the knock-outs as a workflow that sets the lead status to Unqualified."""
    rules = rules_of(definition)
    crm_values = crm_values or CrmValues()

    def group(axis: str, name: str) -> dict[str, Any]:
        return {"name": name, "score_limit": max_points(definition, axis) if axis == "fit" else
                (definition.intent_cap if definition.intent_cap is not None else max_points(definition, axis)),
                "criteria": [{"name": r.label, "points": r.points, "logic": "OR" if r.match == "any" else "AND",
                              "conditions": _crm_conditions(r, HUBSPOT_PROPERTIES, HUBSPOT_OPERATORS, crm_values)}
                             for r in rules if r.axis == axis and not r.knockout and rule_status(r) == "active"]}

    knockouts = [r for r in rules if r.knockout]
    return {
        "score_groups": [group("fit", "Fit"), group("intent", "Engagement")],
        "combined_score": "Fit + Engagement",
        "thresholds": {"MQL": f"combined score ≥ {definition.mql_threshold} and not Unqualified",
                       "SQL": f"combined score ≥ {definition.sql_threshold} and Engagement ≥ "
                              f"{definition.sql_min_intent}"},
        "knockout_workflow": {
            "trigger": "any of the knock-outs below matches",
            "actions": ["set Lead Status to Unqualified", "set the reason property to the knock-out's reason code",
                        "remove from MQL lists"],
            "knockouts": [{"name": r.label, "reason_code": r.reason_code, "logic": "OR" if r.match == "any" else "AND",
                           "conditions": _crm_conditions(r, HUBSPOT_PROPERTIES, HUBSPOT_OPERATORS, crm_values)}
                          for r in knockouts if rule_status(r) == "active"]},
        "sales_steps": [{"name": r.label, "reason_code": r.reason_code, "step": r.manual_step
                         or "fill in the company list on the Definition page, then export again"}
                        for r in knockouts if rule_status(r) != "active"],
    }


def grade_step(points: int, best: int) -> str:
    """A fit rule's points as a Pardot grade adjustment: thirds of a letter, up or down."""
    if not best:
        return "no change"
    thirds = max(1, min(3, round(abs(points) / best * 3)))
    words = {1: "1/3 letter", 2: "2/3 letter", 3: "a full letter"}[thirds]
    return f"{'increase' if points > 0 else 'decrease'} grade by {words}"


def pardot_profile(definition: Definition, crm_values: CrmValues | None = None) -> dict[str, Any]:
    """A Pardot-style grading profile: every prospect starts at D; each fit criterion that holds moves
    the grade up (or down) by thirds of a letter, from A to F; intent stays a score."""
    rules = [r for r in rules_of(definition) if r.axis == "fit" and not r.knockout and rule_status(r) == "active"]
    crm_values = crm_values or CrmValues()
    best = max((abs(r.points) for r in rules), default=0)
    fit_max = max_points(definition, "fit")
    return {
        "starting_grade": "D", "grades": ["A", "B", "C", "D", "F"],
        "criteria": [{"name": r.label, "points": r.points, "adjustment": grade_step(r.points, best),
                      "logic": "OR" if r.match == "any" else "AND",
                      "conditions": _crm_conditions(r, PARDOT_FIELDS, None, crm_values)} for r in rules],
        "grade_bands": [{"grade": grade, "min_fit_points": round(fit_max * share)} for grade, share in GRADE_BANDS]
        + [{"grade": "F", "min_fit_points": None, "when": "a knock-out matches"}],
        "scoring": {"mql_score": definition.mql_threshold, "sql_score": definition.sql_threshold,
                    "rules": [{"name": r.label, "points": r.points} for r in rules_of(definition)
                              if r.axis == "intent" and not r.knockout and rule_status(r) == "active"]},
    }


def scoring_model(definition: Definition, *, workshop: str = "", version: int | None = None,
                  status: str = "draft", crm_values: CrmValues | None = None) -> dict[str, Any]:
    """The scoring model as a JSON-ready dict (documented in docs/export.md)."""
    rules = rules_of(definition)
    crm_values = crm_values or CrmValues()
    fit_max = max_points(definition, "fit")
    groups = {axis: {"max_points": max_points(definition, axis),
                     "rules": [_rule_json(r, crm_values) for r in rules if r.axis == axis and not r.knockout]}
              for axis in ("fit", "intent")}
    fields = sorted({c.field for r in rules for c in r.conditions})
    return {
        "format": FORMAT, "version": VERSION, "workshop": workshop, "definition_version": version, "status": status,
        "crm_values_from": crm_values.source(),
        "thresholds": {"mql": definition.mql_threshold, "sql": definition.sql_threshold,
                       "sql_min_intent": definition.sql_min_intent, "intent_cap": definition.intent_cap},
        "rules": [_rule_json(r, crm_values) for r in rules],
        "score_groups": groups,
        "knockouts": [_rule_json(r, crm_values) for r in rules if r.knockout],
        "grades": [{"grade": grade, "min_fit_points": round(fit_max * share)} for grade, share in GRADE_BANDS],
        "hubspot": hubspot_layout(definition, crm_values),
        "pardot": pardot_profile(definition, crm_values),
        "reason_codes": [{"code": r.code, "label": r.label, "description": r.description}
                         for r in definition.reason_codes],
        "fields": {name: FIELDS.get(name, "a column of the lead file, by its header") for name in fields},
    }


def scoring_json(definition: Definition, **context: Any) -> str:
    return json.dumps(scoring_model(definition, **context), ensure_ascii=False, indent=2) + "\n"


def rules_export(format: str, definition: Definition, *, workshop: str, version: int | None, status: str,
                 crm_values: CrmValues | None) -> str:
    """The rules file of ``format`` (``rules-csv`` or ``json``): what ``export`` writes and what
    ``backtest --rules-out`` writes, from one place."""
    if format == "rules-csv":
        return rules_csv(definition, crm_values=crm_values)
    return scoring_json(definition, workshop=workshop, version=version, status=status, crm_values=crm_values)
