"""parse_range reads ranges the way people say them — and refuses what no company can be."""

import pytest

from alignwork.synthesis.ranges import Range, parse_range

M = 1_000_000


@pytest.mark.parametrize(("text", "unit", "expected"), [
    ("200-2000", "employees", Range(200, 2000)),
    ("200 – 2000", "employees", Range(200, 2000)),
    ("5k+", "employees", Range(5000, None)),
    ("5k-10k", "employees", Range(5000, 10_000)),
    ("mid-market", "employees", Range(100, 999)),
    ("mid-market", "usd", Range(10 * M, 1000 * M)),
    ("under 50", "employees", Range(None, 49)),
    ("250 to 1,500 people", "employees", Range(250, 1500)),
    ("1k-2k", "employees", Range(1000, 2000)),
    ("$10M-$50M", "usd", Range(10 * M, 50 * M)),
    ("10-50", "usd", Range(10 * M, 50 * M)),
    ("over 100 million", "usd", Range(100 * M, None)),
    ("0-50", "employees", Range(1, 50)),  # a company has at least one employee
    ("0", "usd", Range(0, 0)),  # a pre-revenue company is real
    ("10-50", "", Range(10, 50)),
])
def test_readable_ranges(text, unit, expected):
    assert parse_range(text, unit) == expected


@pytest.mark.parametrize(("text", "unit"), [
    ("-5", "employees"), ("- 5", "employees"), ("-5", "usd"), ("−5", ""),
    ("up to -3", "employees"), ("10 - -5", "employees"), ("-5-10", "employees"), ("5--10", "employees"),
    ("0", "employees"), ("0-0", "employees"), ("under 1", "employees"), ("under 0", ""),
    ("-", "employees"), ("lots", "employees"), ("", "employees"),
])
def test_unreadable_ranges(text, unit):
    assert parse_range(text, unit) is None
