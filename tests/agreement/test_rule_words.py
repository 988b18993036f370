"""Documents describe rules in words, not attribute keys or enum names."""

import pytest

from alignwork.definition.compare import describe_rule
from alignwork.definition.criteria import Criterion


@pytest.mark.parametrize(("attribute", "operator", "value", "expected"), [
    ("email_type", "in", ["personal"], "e-mail type is personal"),
    ("email_type", "in", ["invalid", "missing"], "e-mail type is any of invalid, missing"),
    ("lead_source", "in", ["pricing_page"], "lead source is “Asked for pricing”"),
    ("revenue_usd", "between", {"min": 10_000_000, "max": 1_000_000_000}, "annual revenue is between $10M–$1B"),
    ("revenue_usd", "gte", 5_000_000, "annual revenue is at least $5M"),
    ("employees", "lte", 999, "employees is at most 999"),
    ("employees", "between", {"min": 1000, "max": 5000}, "employees is between 1,000–5,000"),
    ("region", "not_in", ["Benelux", "DACH"], "region is none of Benelux, DACH"),
])
def test_rule_in_words(attribute, operator, value, expected):
    criterion = Criterion(id="c", section="disqualifiers", label="x", attribute=attribute,
                          operator=operator, value=value, points=-5)
    assert describe_rule(criterion) == expected


def test_dollars_in_chart_labels_stay_text():
    from alignwork.charts import figure_png
    from alignwork.charts.agreement import scoring_points_figure
    from alignwork.definition.criteria import Definition

    definition = Definition(criteria=[Criterion(id="r", section="ideal_company", label="Annual revenue: $10M–$1B",
                                                attribute="revenue_usd", operator="gte", value=10_000_000, points=10)])
    figure = scoring_points_figure(definition)
    figure_png(figure)  # draws: an unescaped "$…$" would render as maths and drop the dollars
    labels = [label.get_text() for label in figure.axes[0].get_yticklabels()]
    assert labels == [r"Annual revenue: \$10M–\$1B"]


def test_descriptive_criteria_score_nothing_rather_than_zero():
    from alignwork.documents.builders import _rule_points

    descriptive = Criterion(id="d", section="disqualifiers", label="No budget")
    assert _rule_points(descriptive, unit=" points") == "—"
    assert _rule_points(Criterion(id="k", section="disqualifiers", label="Competitor", knockout=True)) == "knock-out"
    assert _rule_points(Criterion(id="p", section="disqualifiers", label="Too small", attribute="employees",
                                  operator="lte", value=9, points=-10), unit=" points") == "-10 points"
