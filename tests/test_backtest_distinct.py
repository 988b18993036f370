"""The columnar back-test decides conditions on a column's DISTINCT values, with a vectorised
pre-test that settles most of them before ``condition_test`` sees the rest. These tests
check, on many values in many spellings, that the shortcut never changes a verdict."""

from __future__ import annotations

import random

import polars as pl
import pytest

from alignwork.backtest.attributes import _email_domains, _email_parts, distinct_codes, map_distinct
from alignwork.backtest.scoring import _SMALL, _key_bits, condition_test
from alignwork.definition.criteria import Condition

BASES = ["Acme", "ACME, Inc.", "acme corporation", "Rival Soft GmbH", "RivalSoft", "Hooli & Co", "hooli and co",
         "Étudiant", "Universität Wien", "PhD-Student", "phd student", "Student", "Intern (Sales)", "Head of IT",
         "vp   marketing", "VP Marketing", "uni-mannheim.de", "Student.UVA.nl", "stanford.EDU", "ac-motors.com",
         "https://www.Acme.com/about", "sales@acme.com", "@acme.com", "mit.edu.", "gmail.com", "x\x1cstudent",
         "Lead\tStatus", "  ", "", "学生", "Working", "working ", "demo_request|pricing_page", "webinar"]


def _values(count: int) -> list[str]:
    rng = random.Random(11)
    out = set(BASES)
    while len(out) < count:
        base = rng.choice(BASES)
        out.add(rng.choice([base.upper(), base.lower(), f" {base} ", f"{base} {rng.randrange(999)}",
                            f"{rng.randrange(999)}{base}", base.replace(" ", "  "), f"{base}.io"]))
    return sorted(out)


CONDITIONS = [
    Condition(field="company", operator="is_any_of", value=["Acme", "Rival Soft", "Hooli & Co", "Ünïcode AG"]),
    Condition(field="company", operator="is_none_of", value=["Acme"]),
    Condition(field="company", operator="contains_any", value=["soft", "co", "étudiant"]),
    Condition(field="title", operator="contains_any", value=["student", "phd student", "intern", "学生"]),
    Condition(field="title", operator="starts_with", value=["VP", "head of", "Ét"]),
    Condition(field="title", operator="is", value="VP Marketing"),
    Condition(field="title", operator="is_empty"),
    Condition(field="title", operator="is_not_empty"),
    Condition(field="email_domain", operator="in_domain_list", value=["edu", "ac.uk", "uni-mannheim.de", "acme.com"]),
    Condition(field="email", operator="in_domain_list", value=["edu", "gmail.com"]),
    Condition(field="email_domain", operator="contains_any", value=["uni", "student"]),
    Condition(field="email_domain", operator="is_any_of", value=["acme.com", "https://stanford.edu"]),
    Condition(field="website", operator="in_domain_list", value=["acme.com"]),
    Condition(field="website", operator="is_none_of", value=["acme.com"]),
    Condition(field="lead_source", operator="is_any_of", value=["pricing_page", "webinar"]),
    Condition(field="Lead Status", operator="is", value="working"),
    Condition(field="company", operator="is_any_of", value=[]),
]


@pytest.mark.parametrize("count", [40, _SMALL * 4])
def test_distinct_value_verdicts_are_those_of_condition_test(count):
    values = _values(count)
    bits = _key_bits(pl.Series(values, dtype=pl.String), CONDITIONS)
    for bit, condition in enumerate(CONDITIONS):
        test = condition_test(condition)
        wrong = [v for v, b in zip(values, bits) if bool(b >> bit & 1) != test(v)]
        assert not wrong, (condition, wrong[:5])


def test_map_distinct_calls_once_per_value_and_keeps_nulls():
    calls: list[str] = []
    series = pl.Series(["b", None, "a", "b", "", "a"])
    out = map_distinct(series, lambda v: calls.append(v) or v.upper())
    assert out.to_list() == ["B", None, "A", "B", "", "A"]
    assert sorted(calls) == ["", "a", "b"]
    keys, codes = distinct_codes(series)
    assert keys.gather(codes).to_list() == series.to_list()


def test_email_domains_match_the_whole_address_rule():
    emails = pl.Series(["Kim@Uni-Mannheim.DE", " A@B.com ", "a@@b.com", "mailto:x@Y.com.", "x@é.de>", "@x.com",
                        "x@", None, "no at", "a b@c.com", "émile@Müller.de", "Émile@müller.de", "z@..."])
    exact = emails.str.strip_chars().str.to_lowercase().str.extract(r"^(?:mailto:)?[^@\s]+@([^@\s]+?)[>.]*$", 1)
    assert _email_domains(emails, _email_parts(emails)).series().cast(pl.String).to_list() == exact.to_list()


def test_cleaned_values_are_those_of_clean_one_by_one():
    from alignwork.backtest.attributes import _SPACE, _clean, _cleaned

    assert _SPACE == "".join(ch for ch in map(chr, range(0x110000)) if ch.isspace())
    values = pl.Series([" Acme ", "\x1cAcme\x1f", "\u3000", "", None, "a\u2009b", "\xa0Rival\u202f", "Acme"])
    assert _cleaned(distinct_codes(values)).series().cast(pl.String).to_list() == \
        [None if value is None else _clean(value) for value in values.to_list()]


def test_value_ids_read_categories_as_their_text():
    from alignwork.backtest.scoring import value_ids

    text = pl.Series(["b", None, "a", "b", "zz", None])
    for values in (text, text.cast(pl.Categorical)):
        keys, slots, ids = value_ids(values, len(values))
        table = dict(zip(slots.tolist(), keys.to_list()))
        assert [table.get(int(i)) for i in ids] == text.to_list()
        assert int(ids[1]) == int(slots.max()) + 1  # a missing value: one past the last slot
