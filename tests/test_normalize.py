"""Normalisation tables: titles, industries, regions, e-mails, lead sources, tag groups."""

import pytest

from alignwork.synthesis import normalize
from alignwork.synthesis.normalize import (
    email_type, industry_sector, lead_source_kind, region_matches, region_of, revenue_range,
    size_range, title_function, title_seniority,
)
from alignwork.synthesis.ranges import Range
from alignwork.synthesis.tag_groups import group_tags


@pytest.mark.parametrize("title, function, seniority", [
    ("VP Marketing", "Marketing", "VP/Head"),
    ("vp mktg", "Marketing", "VP/Head"),
    ("Vice President, Marketing", "Marketing", "VP/Head"),
    ("CMO", "Marketing", "C-level"),
    ("SVP Marketing", "Marketing", "VP/Head"),
    ("CIO", "IT", "C-level"),
    ("Chief Marketing Officer", "Marketing", "C-level"),
    ("Head of IT", "IT", "VP/Head"),
    ("Director of Demand Gen", "Marketing", "Director"),
    ("Markting Director", "Marketing", "Director"),  # typo
    ("Product Marketing Manager", "Marketing", "Manager"),
    ("Partner Marketing Manager", "Marketing", "Manager"),  # not a partner of the firm
    ("Marketing Operations Manager", "Marketing", "Manager"),
    ("Account Executive", "Sales", "Individual contributor"),
    ("VP of Sales", "Sales", "VP/Head"),
    ("Founder & CEO", "Executive/Owner", "C-level"),
    ("Managing Director", "Executive/Owner", "C-level"),
    ("Sr. Director, Engineering", "Engineering", "Director"),
    ("Software Engineer", "Engineering", "Individual contributor"),
    ("CFO", "Finance", "C-level"),
    ("Head of RevOps", "Operations", "VP/Head"),
    ("Product Owner", "Product", "Manager"),
    ("marketing", "Marketing", None),
    ("", None, None),
])
def test_titles(title, function, seniority):
    assert title_function(title) == function
    assert title_seniority(title) == seniority


@pytest.mark.parametrize("text, sector", [
    ("fintech", "Financial services"), ("Banking", "Financial services"), ("Fin services", "Financial services"),
    ("banks", "Financial services"), ("B2B SaaS", "Software/SaaS"), ("software companies", "Software/SaaS"),
    ("manufactoring", "Manufacturing"), ("e-commerce", "Retail & e-commerce"), ("Pharma", "Life sciences & pharma"),
    ("govt", "Public sector"), ("higher ed", "Education"), ("Oil & Gas", "Energy & utilities"),
    ("MSPs", "IT services"), ("xyz widgets", None), ("n/a", None),
])
def test_industries(text, sector):
    assert industry_sector(text) == sector


def test_every_sector_name_maps_to_itself():
    for name in normalize.sectors():
        assert industry_sector(name) == name


@pytest.mark.parametrize("text, region", [
    ("Germany", "DACH"), ("DE", "DACH"), ("Munich, Bavaria, DE", "DACH"), ("Austin, TX", "North America"),
    ("USA", "North America"), ("US & Canada", "North America"), ("UK", "UK & Ireland"), ("Ireland", "UK & Ireland"),
    ("Scandinavia", "Nordics"), ("Netherlands", "Benelux"), ("Spain", "Southern Europe"), ("Poland", "EMEA-other"),
    ("Australia", "ANZ"), ("Japan", "APAC"), ("Brazil", "LATAM"), ("Germny", "DACH"),
    ("EMEA", "EMEA"), ("Europe", "Europe"), ("Global", "Global"), ("n/a", None), ("", None),
])
def test_regions(text, region):
    assert region_of(text) == region


def test_super_region_matches_its_members_only():
    assert region_matches("EMEA", "DACH")
    assert region_matches("DACH", "DACH")
    assert not region_matches("DACH", "EMEA")  # a lead somewhere in EMEA is not known to be in DACH
    assert not region_matches("EMEA", "North America")
    assert normalize.region_members("Americas") == {"North America", "LATAM"}
    assert set(normalize.regions()) <= normalize.region_members("Global")


@pytest.mark.parametrize("email, kind", [
    ("a@gmail.com", "personal"), ("z@yahoo.co.uk", "personal"), ("p@web.de", "personal"),
    ("bob@acme.com", "business"), ("m@mail.acme.com", "business"),
    ("x@stanford.edu", "student"), ("y@ox.ac.uk", "student"), ("q@student.uni-mannheim.de", "student"),
    ("bad", "invalid"), ("a@b", "invalid"), ("a..b@acme.com", "invalid"), ("", "missing"), (None, "missing"),
])
def test_email_types(email, kind):
    assert email_type(email) == kind


@pytest.mark.parametrize("text, kind", [
    ("Demo Request", "demo_request"), ("Pricing page visit", "pricing_page"), ("Contact us form", "contact_sales"),
    ("Free Trial", "free_trial"), ("Webinar", "webinar"), ("Whitepaper download", "content_download"),
    ("Trade show", "event"), ("Partner referral", "referral"), ("Purchased list", "purchased_list"),
    ("Organic Search", "organic"), ("Google Ads", "paid"), ("asked for pricing", "pricing_page"),
    ("came back to the site twice", "repeat_visit"), ("demo_request", "demo_request"), ("zzz", None),
])
def test_lead_sources(text, kind):
    assert lead_source_kind(text) == kind


def test_ranges_delegate_and_accept_numbers():
    assert size_range("250 to 1,500 people") == Range(250, 1500)
    assert size_range(120) == Range(120, 120)
    assert size_range("no idea") is None
    assert revenue_range("$10M-$50M") == Range(10_000_000, 50_000_000)


def _groups(values, key):
    return {group.label: sorted(group.members) for group in group_tags(values, key=key)}


def test_rejections_group_by_meaning():
    groups = _groups(["students", "student email", "competitor", "Competitors", "gmail", "personal e-mail",
                      "hotmail address", "they work at a competitor"], "rejection_triggers")
    assert groups == {
        "Student or academic": ["student email", "students"],
        "Competitor": ["Competitors", "competitor", "they work at a competitor"],
        "Personal email address": ["gmail", "hotmail address", "personal e-mail"],
    }
    student = next(g for g in group_tags(["students"], key="rejection_triggers"))
    assert student.meta["code"] == "STUDENT" and student.meta["knockout"] is True


def test_unknown_answers_cluster_by_wording():
    groups = _groups(["blue widgets", "Blue widget", "red things", "blue widgets"], "custom_colours")
    assert groups == {"Blue widgets": ["Blue widget", "blue widgets"], "Red things": ["red things"]}


def test_titles_and_industries_group_by_function_and_sector():
    assert _groups(["VP Marketing", "cmo", "Head of IT", "CIO"], "titles") == {
        "Marketing": ["VP Marketing", "cmo"], "IT": ["CIO", "Head of IT"]}
    assert _groups([("fintech", "Banking"), ["SaaS"]], "industries") == {
        "Financial services": ["Banking", "fintech"], "Software/SaaS": ["SaaS"]}


def test_stronger_signal_wins_a_tie():
    assert _groups(["webinar + pricing"], "buying_signals") == {"Asked for pricing": ["webinar + pricing"]}
