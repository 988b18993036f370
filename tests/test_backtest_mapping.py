"""Automatic column mapping from CRM export headers, outcomes, overrides, memory."""

from __future__ import annotations

import pytest

from alignwork.backtest.mapping import (
    MappingError, apply_overrides, auto_mapping, header_signature, outcome_value, remember_mapping,
    remembered_mapping,
)
from alignwork.store import create_workshop


def test_hubspot_export_headers():
    columns = ["Record ID", "First Name", "Last Name", "Email", "Job Title", "Industry", "Number of Employees",
               "Annual Revenue", "Country/Region", "State/Region", "Original Source", "Lifecycle Stage",
               "Lead Status"]
    mapping = auto_mapping(columns)
    assert mapping.columns == {
        "Email": "email_type", "Job Title": "title", "Industry": "industry", "Number of Employees": "employees",
        "Annual Revenue": "revenue_usd", "Country/Region": "country", "Original Source": "lead_source",
        "Lifecycle Stage": "lifecycle_stage", "Lead Status": "lead_status"}
    assert mapping.outcome_column is None  # no sample: a status column is not assumed to be an outcome


def test_salesforce_api_names_and_opportunity_stage_as_outcome():
    columns = ["Id", "Title", "Industry", "NumberOfEmployees", "AnnualRevenue", "Country", "State", "Email",
               "LeadSource", "Status", "Opportunity_Stage__c"]
    mapping = auto_mapping(columns)
    assert mapping.columns == {"Title": "title", "Industry": "industry", "NumberOfEmployees": "employees",
                               "AnnualRevenue": "revenue_usd", "Country": "country", "Email": "email_type",
                               "LeadSource": "lead_source", "Status": "lead_status"}
    assert mapping.outcome_column == "Opportunity_Stage__c"


def test_marketo_and_pardot_style_headers_prefer_the_closest_name():
    mapping = auto_mapping(["Email Address", "Job Title", "Company Industry", "Company Size", "Revenue Range",
                            "Source", "Lead Source", "Job Level", "Department", "Region", "Outcome"])
    assert mapping.column_for("lead_source") == "Lead Source"  # "Lead Source" beats plain "Source"
    assert mapping.column_for("industry") == "Company Industry"
    assert mapping.column_for("employees") == "Company Size"
    assert mapping.column_for("revenue_usd") == "Revenue Range"
    assert mapping.column_for("seniority") == "Job Level" and mapping.column_for("function") == "Department"
    assert mapping.column_for("region") == "Region" and mapping.column_for("email_type") == "Email Address"
    assert mapping.outcome_column == "Outcome"


def test_misspelt_header_is_matched_closely_but_not_loosely():
    mapping = auto_mapping(["Industy", "Employess", "Stats"])
    assert mapping.columns == {"Industy": "industry", "Employess": "employees"}


def test_lead_status_doubles_as_outcome_when_its_values_say_won_or_lost():
    columns = ["Title", "Lead Status"]
    sample = {"Lead Status": ["Closed - Converted", "Closed - Not Converted", "Unqualified", "Open", None]}
    mapping = auto_mapping(columns, sample)
    assert mapping.column_for("lead_status") == "Lead Status" and mapping.outcome_column == "Lead Status"
    assert auto_mapping(columns, {"Lead Status": ["New", "Open", "Working", "Converted"]}).outcome_column is None


@pytest.mark.parametrize("text, expected", [
    ("Closed Won", True), ("closed-won", True), ("Won", True), ("YES", True), ("1", True), ("Accepted", True),
    ("Closed - Converted", True), ("customer", True), ("SQL", True),
    ("Closed Lost", False), ("lost", False), ("no", False), ("0", False), ("Rejected", False),
    ("Unqualified", False), ("Closed - Not Converted", False), ("Junk", False),
    ("Open", None), ("New", None), ("", None), (None, None), ("Working - Contacted", None),
    # German, as a German portal exports them: negations kept, anything unsure stays unknown
    ("Gewonnen", True), ("Abgeschlossen – gewonnen", True), ("KUNDE", True), ("Qualifiziert", True),
    ("Verloren", False), ("abgelehnt", False), ("Nicht qualifiziert", False), ("nicht konvertiert", False),
    ("Disqualifiziert", False), ("Neu", None), ("In Bearbeitung", None), ("Nicht gewonnen", None),
])
def test_outcome_values(text, expected):
    assert outcome_value(text) is expected


def test_overrides_set_ignore_and_refuse():
    columns = ["Title", "Size", "Won?", "Notes"]
    mapping = apply_overrides(auto_mapping(columns), ["notes=industry", "Won?=outcome", "title=none",
                                                      "Size=employees"], columns)
    assert mapping.columns == {"Notes": "industry", "Size": "employees"}
    assert mapping.outcome_column == "Won?"
    with pytest.raises(MappingError, match="no column 'Budget'"):
        apply_overrides(mapping, ["Budget=revenue_usd"], columns)
    with pytest.raises(MappingError, match="unknown attribute 'colour'"):
        apply_overrides(mapping, ["Notes=colour"], columns)
    with pytest.raises(MappingError, match="COLUMN=attribute"):
        apply_overrides(mapping, ["Notes"], columns)


def test_mapping_is_remembered_per_workshop_and_header_set(session):
    first = create_workshop(session=session, name="Q3 alignment").id
    other = create_workshop(session=session, name="Other").id
    columns = ["Title", "Size", "Notes"]
    chosen = apply_overrides(auto_mapping(columns), ["Notes=industry"], columns)
    remember_mapping(session=session, workshop_id=first, columns=columns, mapping=chosen)
    again = remembered_mapping(session=session, workshop_id=first, columns=["Notes", "Size", "Title"])
    assert again.columns == {"Title": "title", "Size": "employees", "Notes": "industry"}
    assert remembered_mapping(session=session, workshop_id=other, columns=columns).column_for("industry") is None
    # a new file shape of the same workshop keeps the choices for columns it shares
    wider = remembered_mapping(session=session, workshop_id=first, columns=["Title", "Notes", "Email"])
    assert wider.columns == {"Title": "title", "Notes": "industry", "Email": "email_type"}
    assert header_signature(["A", "b"]) == header_signature(["B ", "a"])


@pytest.mark.parametrize("columns, expected", [
    # HubSpot with German as the portal language
    (["Vorname", "Nachname", "E-Mail", "Berufsbezeichnung", "Name des Unternehmens", "Branche",
      "Anzahl der Mitarbeiter", "Jahresumsatz", "Land/Region", "Quelle des Leads", "Phase im Lebenszyklus",
      "Lead-Status"],
     {"E-Mail": "email_type", "Berufsbezeichnung": "title", "Name des Unternehmens": "company",
      "Branche": "industry", "Anzahl der Mitarbeiter": "employees", "Jahresumsatz": "revenue_usd",
      "Land/Region": "country", "Quelle des Leads": "lead_source", "Phase im Lebenszyklus": "lifecycle_stage",
      "Lead-Status": "lead_status"}),
    # as a stranger types them: compounds, other words, case, umlauts spelt out
    (["vorname", "MITARBEITERANZAHL", "Firmenname", "Stellenbezeichnung", "Abteilung", "Hierarchieebene",
      "Ursprüngliche Quelle", "Webseite", "Telefonnummer", "Bundesland", "Unternehmensgroesse"],
     {"MITARBEITERANZAHL": "employees", "Firmenname": "company", "Stellenbezeichnung": "title",
      "Abteilung": "function", "Hierarchieebene": "seniority", "Ursprüngliche Quelle": "lead_source",
      "Webseite": "website"}),
    # English in another order keeps its meaning
    (["Employees Number", "Source Lead", "Name Company"],
     {"Employees Number": "employees", "Source Lead": "lead_source", "Name Company": "company"}),
])
def test_headers_in_german_or_another_word_order_are_read_by_their_words(columns, expected):
    """A German export (HubSpot, Salesforce or Dynamics in German) maps like an English one: each
    header word read into English by its stem, compounds split, word order free. A phone number,
    a first name or a federal state is none of the attributes."""
    assert auto_mapping(columns).columns == expected


def test_a_german_outcome_header_is_found():
    mapping = auto_mapping(["Berufsbezeichnung", "Branche", "Ergebnis"])
    assert mapping.outcome_column == "Ergebnis" and mapping.columns == {"Berufsbezeichnung": "title",
                                                                        "Branche": "industry"}
