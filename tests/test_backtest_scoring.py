"""Scoring semantics (definition.py's docstring), one lead vs a whole table, bad numbers."""

from __future__ import annotations

import polars as pl
import pytest

from alignwork.definition.criteria import Condition, Criterion, Definition
from alignwork.backtest.attributes import Normalizers, number_from_text, prepare_attributes
from alignwork.backtest.leads import read_csv_bytes
from alignwork.backtest.mapping import auto_mapping
from alignwork.backtest.scoring import score_attributes, score_lead


def criterion(id, attribute, operator, value, points=0, axis="fit", **extra):
    section = extra.pop("section", "ideal_company")
    return Criterion(id=id, section=section, label=extra.pop("label", id), attribute=attribute,
                     operator=operator, value=value, points=points, axis=axis, **extra)


DEFINITION = Definition(mql_threshold=40, sql_threshold=70, sql_min_intent=20, criteria=[
    criterion("saas", "industry", "in", ["Software/SaaS", "financial services"], 25),
    criterion("size", "employees", "between", {"min": 200, "max": 5000}, 20),
    criterion("big", "revenue_usd", "gte", 10_000_000, 5),
    criterion("tiny", "employees", "lte", 10, -10),
    criterion("region", "region", "in", ["DACH", "North America"], 10),
    criterion("marketing", "function", "equals", "marketing", 15, section="persona"),
    criterion("senior", "seniority", "not_in", ["Individual contributor", "Manager"], 5, section="persona"),
    criterion("growth", "title", "contains", "growth", 5, section="persona"),
    criterion("demo", "lead_source", "in", ["demo_request", "pricing_page"], 30, "intent", section="sql"),
    criterion("webinar", "lead_source", "equals", "webinar", 10, "intent", section="mql"),
    criterion("personal", "email_type", "equals", "personal", -15, section="disqualifiers"),
    criterion("student", "email_type", "equals", "student", 0, section="disqualifiers", knockout=True),
    criterion("customer", "lifecycle_stage", "in", ["customer"], 0, section="disqualifiers", knockout=True),
    criterion("rejected", "industry", "in", ["Retail & e-commerce"], 50, decision="rejected"),
    Criterion(id="descriptive", section="ideal_company", label="Growing fast", points=99),
])


def test_fit_intent_score_stage_and_reasons_follow_the_contract():
    lead = {"title": "VP Growth Marketing", "industry": "SaaS", "employees": "1,200", "revenue_usd": "$50M",
            "country": "Germany", "email_type": "anna@acme.io", "lead_source": "Demo request"}
    scored = score_lead(DEFINITION, lead)
    assert (scored.fit_score, scored.intent_score, scored.score, scored.stage) == (85, 30, 115, "SQL")
    assert scored.reasons == ["saas (+25)", "size (+20)", "big (+5)", "region (+10)", "marketing (+15)",
                              "senior (+5)", "growth (+5)", "demo (+30)"]


def test_sql_needs_enough_intent_else_mql_else_nurture():
    fit_only = {"title": "CMO", "industry": "Fintech", "employees": 300, "country": "USA", "email_type": "a@b.io"}
    assert score_lead(DEFINITION, fit_only).stage == "MQL"   # 25+20+10+15+5 = 75 ≥ 70 but intent 0 < 20
    weak = {"title": "Engineer", "industry": "Retail", "employees": "5", "email_type": "x@gmail.com",
            "lead_source": "Webinar"}
    result = score_lead(DEFINITION, weak)
    assert (result.fit_score, result.intent_score, result.stage) == (-25, 10, "nurture")  # negatives add up
    assert "rejected (+50)" not in result.reasons and "Growing fast" not in " ".join(result.reasons)


def test_knockouts_disqualify_whatever_the_score():
    lead = {"title": "CMO", "industry": "SaaS", "employees": 900, "email_type": "kim@stanford.edu",
            "lead_source": "demo request"}
    result = score_lead(DEFINITION, lead)
    assert result.stage == "disqualified" and result.score == 95 and "student (knock-out)" in result.reasons
    assert score_lead(DEFINITION, {"lifecycle_stage": "Customer"}).stage == "disqualified"


def test_missing_values_never_fire_even_not_in():
    result = score_lead(DEFINITION, {"title": "", "employees": None})
    assert (result.score, result.reasons, result.stage) == (0, [], "nurture")


@pytest.mark.parametrize("text, attribute, number", [
    ("250", "employees", 250), ("1,200", "employees", 1200), ("51-200", "employees", 125.5),
    ("10,000+", "employees", 10000), ("under 50", "employees", 49), ("n/a", "employees", None),
    ("$5M", "revenue_usd", 5_000_000), ("5000000.00", "revenue_usd", 5_000_000), ("", "revenue_usd", None),
    ("5 000", "employees", 5000), ("1\u00a0200\u202f000", "employees", 1_200_000),
    ("5 000 000 €", "revenue_usd", 5_000_000), ("50 - 200", "employees", 125),
    ("$1,234,567.89", "revenue_usd", 1_234_567.89), ("1.500.000,00 €", "revenue_usd", 1_500_000),
    ("2.500", "employees", 2500), ("2.5", "employees", 2.5),
])
def test_size_and_revenue_text_to_numbers(text, attribute, number):
    assert number_from_text(text, attribute) == number


def test_non_numeric_sizes_and_revenues_are_bad_lines_not_unknowns():
    data = ("Job Title,Number of Employees,Annual Revenue\n"
            "CMO,250,$5M\n"           # 2
            "CFO,lots,$1M\n"          # 3: bad size
            "CEO,,\n"                 # 4: empty is fine (missing)
            "CTO,n/a,ten\n"           # 5: bad revenue only
            "VP,big,huge\n"           # 6: both bad → one line, both reasons
            "Dev,\"1,001-5,000\",12000000\n").encode()
    table = read_csv_bytes(data)
    attributes, bad = prepare_attributes(table.frame, auto_mapping(table.columns), Normalizers.default())
    assert [(item.line, item.reason) for item in bad] == [
        (3, "Number of Employees 'lots' is not a number of employees"),
        (5, "Annual Revenue 'ten' is not an annual revenue"),
        (6, "Number of Employees 'big' is not a number of employees; Annual Revenue 'huge' is not an annual revenue"),
    ]
    assert attributes["_line"].to_list() == [2, 4, 7]
    assert attributes["employees"].to_list() == [250, None, 3000.5]
    assert attributes["revenue_usd"].to_list() == [5_000_000, None, 12_000_000]


def test_european_and_currency_formatted_numbers_through_the_whole_table():
    data = ("Job Title;Number of Employees;Annual Revenue\n"
            "CMO;2.500;\"$1,234,567.89\"\n"
            "CFO;5 000;1.500.000,00 €\n"
            "CEO;250;2500000.50\n").encode()
    table = read_csv_bytes(data)
    attributes, bad = prepare_attributes(table.frame, auto_mapping(table.columns), Normalizers.default())
    assert bad == []
    assert attributes["employees"].to_list() == [2500, 5000, 250]  # never 2.5 or "5 to 0"
    assert attributes["revenue_usd"].to_list() == [1_234_567.89, 1_500_000, 2_500_000.5]


def test_the_table_and_one_lead_agree_on_every_row():
    data = ("Job Title,Industry,Number of Employees,Annual Revenue,Country,Email,Lead Source,Lifecycle Stage\n"
            "VP Growth Marketing,SaaS,\"1,200\",$50M,Germany,anna@acme.io,Demo request,Lead\n"
            "CMO,Fintech,300,,USA,cmo@bank.com,,MQL\n"
            "Engineer,Retail,5,,France,x@gmail.com,Webinar,\n"
            "CMO,SaaS,900,,,kim@stanford.edu,demo request,Lead\n"
            "Head of Sales,Banking,51-200,10-50M,Austin TX,b@c.de,Pricing page,Customer\n"
            ",,,,,,,\n"
            "Student,Higher Education,1,,UK,not-an-email,Free trial,subscriber\n"
            "Marketing Manager,Software,10000+,$2B,Canada,,Pricing page,Lead\n"
            "CMO,SaaS,1e3,,Germany,@acme.io,Webinar,Lead\n"
            "VP Sales,Fintech, 250 ,,Spain,\" BOB@GMAIL.COM\",Event,Lead\n"
            "Head of Growth,Fin services,300,,DACH,a b@acme.io,demo,\n").encode()
    table = read_csv_bytes(data)
    mapping = auto_mapping(table.columns)
    attributes, bad = prepare_attributes(table.frame, mapping, Normalizers.default())
    scored = score_attributes(attributes, DEFINITION)
    assert bad == [] and scored.height == 10
    for row, record in zip(table.frame.iter_rows(named=True), scored.iter_rows(named=True)):
        lead = {attribute: row[column] for column, attribute in mapping.columns.items()}
        one = score_lead(DEFINITION, lead)
        assert (record["fit_score"], record["intent_score"], record["score"], record["stage"], record["reasons"]) \
            == (one.fit_score, one.intent_score, one.score, one.stage, "; ".join(one.reasons)), row
    assert scored["stage"].to_list() == ["SQL", "MQL", "nurture", "disqualified", "disqualified", "nurture",
                                         "SQL", "MQL", "nurture", "SQL"]
    assert scored["email_type"].cast(str).to_list()[-3:] == ["invalid", "personal", "invalid"]


def test_more_criteria_than_one_mask_holds():
    many = Definition(mql_threshold=50, sql_threshold=1000, criteria=[
        criterion(f"c{index}", "employees", "gte", index, 1) for index in range(130)])
    table = read_csv_bytes(b"Employees\n0\n64\n129\n500\n")
    attributes, _ = prepare_attributes(table.frame, auto_mapping(table.columns), Normalizers.default())
    scored = score_attributes(attributes, many)
    assert scored["score"].to_list() == [1, 65, 130, 130]
    assert scored["stage"].to_list() == ["nurture", "MQL", "MQL", "MQL"]
    assert scored["reasons"][1].split("; ")[-1] == "c64 (+1)"


@pytest.mark.parametrize("count", [3, 20, 21, 62])
def test_the_table_of_fired_combinations_and_the_general_path_agree(monkeypatch, count):
    from alignwork.backtest import scoring

    definition = Definition(mql_threshold=20, sql_threshold=60, sql_min_intent=10, intent_cap=15, criteria=[
        *DEFINITION.criteria[:3],
        *[criterion(f"c{index}", "employees", "gte", index * 10, index % 7 - 2, "intent" if index % 3 else "fit")
          for index in range(count - 3)]])
    data = ("Job Title,Industry,Number of Employees,Annual Revenue\n" + "".join(
        f"VP {index},{'SaaS' if index % 2 else 'Retail'},{index * 37 % 700},{index * 3}M\n"
        for index in range(60))).encode()
    table = read_csv_bytes(data)
    attributes, _ = prepare_attributes(table.frame, auto_mapping(table.columns), Normalizers.default())
    by_table = score_attributes(attributes, definition)
    monkeypatch.setattr(scoring, "_TABLE_BITS", 0)
    general = score_attributes(attributes, definition)
    assert by_table.select(pl.all().cast(pl.String)).equals(general.select(pl.all().cast(pl.String)))
    assert by_table["score"].n_unique() > 3


def test_more_conditions_on_one_column_than_a_word_holds_are_all_decided():
    """70 conditions on the title (more than the 62 bits of a word): each fires where it should."""
    import polars as pl

    from alignwork.backtest.scoring import _fired

    words = [f"word{n}" for n in range(70)]
    criteria = [Criterion(id=f"c{n}", section="persona", label=f"Title {n}", points=1,
                          conditions=[Condition(field="title", operator="contains_any", value=[word])])
                for n, word in enumerate(words)]
    titles = [f"Head of {word}" for word in words] + [None, "nothing"]
    attributes = pl.DataFrame({"title": pl.Series(titles, dtype=pl.Categorical)})
    fired = _fired(attributes, criteria)
    for n in range(70):
        assert [row for row, hit in enumerate(fired[n]) if hit] == [n], n
