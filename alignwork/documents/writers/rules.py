"""The scoring model in the shapes CRM admins paste into their tools: a rules CSV and a JSON.

See docs/export.md for how they map onto HubSpot-style score groups and Pardot-style grades.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from typing import Any

from alignwork.atomic import neutralise_csv_cell
from alignwork.definition.criteria import ATTRIBUTES, Criterion, Definition

FORMAT = "alignwork-scoring-model"
VERSION = 1
CSV_COLUMNS = ("attribute", "operator", "value", "points", "axis", "knockout", "section", "label", "id")
GRADE_BANDS = (("A", 0.75), ("B", 0.5), ("C", 0.25), ("D", 0.0))


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


def rules_of(definition: Definition) -> list[Criterion]:
    """Scored rules, fit first, then intent; knock-outs last within each axis."""
    return sorted(definition.scored_criteria(), key=lambda c: (c.axis != "fit", c.knockout, -c.points))


def rules_csv(definition: Definition) -> str:
    """One row per scored rule; every cell neutralised so a spreadsheet never runs it as a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for rule in rules_of(definition):
        row = (rule.attribute, rule.operator, csv_value(rule.value), rule.points, rule.axis,
               "true" if rule.knockout else "false", rule.section, rule.label, rule.id)
        writer.writerow([neutralise_csv_cell(cell) for cell in row])
    return buffer.getvalue()


def max_points(definition: Definition, axis: str) -> int:
    """Most points a lead can reach on an axis: the best positive rule per attribute, summed
    (rules on one attribute usually exclude each other, e.g. one industry)."""
    best: dict[str, int] = defaultdict(int)
    for rule in definition.scored_criteria():
        if rule.axis == axis and rule.points > 0 and not rule.knockout:
            best[rule.attribute] = max(best[rule.attribute], rule.points)
    return sum(best.values())


def _rule_json(rule: Criterion) -> dict[str, Any]:
    return {"id": rule.id, "label": rule.label, "section": rule.section, "attribute": rule.attribute,
            "operator": rule.operator, "value": rule.value, "points": rule.points, "axis": rule.axis,
            "knockout": rule.knockout}


def scoring_model(definition: Definition, *, workshop: str = "", version: int | None = None,
                  status: str = "draft") -> dict[str, Any]:
    """The scoring model as a JSON-ready dict (documented in docs/export.md)."""
    rules = rules_of(definition)
    fit_max = max_points(definition, "fit")
    groups = {axis: {"max_points": max_points(definition, axis),
                     "rules": [_rule_json(r) for r in rules if r.axis == axis and not r.knockout]}
              for axis in ("fit", "intent")}
    return {
        "format": FORMAT, "version": VERSION, "workshop": workshop, "definition_version": version, "status": status,
        "thresholds": {"mql": definition.mql_threshold, "sql": definition.sql_threshold,
                       "sql_min_intent": definition.sql_min_intent},
        "score_groups": groups,
        "knockouts": [_rule_json(r) for r in rules if r.knockout],
        "grades": [{"grade": grade, "min_fit_points": round(fit_max * share)} for grade, share in GRADE_BANDS],
        "reason_codes": [{"code": r.code, "label": r.label, "description": r.description}
                         for r in definition.reason_codes],
        "attributes": {name: ATTRIBUTES[name] for name in sorted({r.attribute for r in rules} & set(ATTRIBUTES))},
    }


def scoring_json(definition: Definition, **context: Any) -> str:
    return json.dumps(scoring_model(definition, **context), ensure_ascii=False, indent=2) + "\n"
