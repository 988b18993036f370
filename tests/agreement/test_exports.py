"""Every export read back with a real reader: python-docx, pypdf, markdown-it-py (CommonMark),
html.parser, csv and json. One workshop and one built document serve all format tests."""

import csv
import io
import json

import pytest

pytest.importorskip("alignwork.premortem.checklist")  # lands with the premortem room

from alignwork.db import open_database  # noqa: E402
from alignwork.documents.facts import gather_facts  # noqa: E402
from alignwork.documents.docmodel import DocumentOptions  # noqa: E402
from alignwork.documents.builders import build_agreement, build_summary  # noqa: E402
from alignwork.documents.writers import ExportError, export_workshop, render_document  # noqa: E402
from alignwork.documents.writers.rules import rules_csv, scoring_model  # noqa: E402
from tests.agreement.htmltext import parse_html  # noqa: E402
from tests.agreement.workshop import FORMULA, LINK, SCRIPT, agreed_then_proposed  # noqa: E402

SIGNERS = ("Ana <b>Ruiz</b>", "Maya Lindqvist")


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """Version 1 agreed and signed; version 2 (MQL threshold changed) proposed, signatures pending."""
    database = open_database(f"sqlite:///{tmp_path_factory.mktemp('exports') / 'a.db'}")
    with database.session() as session:
        workshop_id = agreed_then_proposed(session, SIGNERS)
        agreed = gather_facts(session=session, workshop_id=workshop_id, number=1)
        proposed = gather_facts(session=session, workshop_id=workshop_id, number=2)
    yield database, workshop_id, agreed, proposed
    database.dispose()


@pytest.fixture(scope="module")
def rendered(setup):
    _, _, agreed, _ = setup
    document = build_agreement(agreed, DocumentOptions(include_notes=False))
    return {fmt: render_document(document, fmt) for fmt in ("docx", "pdf", "md", "html")}


EXPECTED = ["Industry: Software/SaaS", "Requested a demo", "Student or academic", "PERSONAL_EMAIL",
            "Sales ignores MQLs in Q1", "Kim Lee", "Weekly MQL queue review", *SIGNERS, SCRIPT,
            "Sales contacts every MQL within 24 hours", "Recycled / nurture", "Dana Whitfield", LINK]


def _squash(text: str) -> str:
    return "".join(text.split())


def test_docx_reads_back(rendered):
    import docx

    document = docx.Document(io.BytesIO(rendered["docx"]))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == ["Summary", "Who was interviewed", "Ideal company and persona"]
    assert "Sign-off" in headings and "Appendix: evidence and charts" in headings
    text = "\n".join([p.text for p in document.paragraphs] +
                     [cell.text for table in document.tables for row in table.rows for cell in row.cells])
    for expected in EXPECTED:
        assert expected in text, expected
    rows = {tuple(c.text for c in row.cells) for table in document.tables for row in table.rows}
    assert ("fit", "Industry: Software/SaaS", "industry is Software/SaaS", "+15") in rows
    assert ("Ana <b>Ruiz</b>", "VP Sales", "Sales", "20 Nov 2026") in rows
    body_rows = [row for table in document.tables for row in table.rows[1:]]
    assert all("w:cantSplit" in row._tr.xml for row in body_rows)  # a row never breaks across pages
    footer_xml = document.sections[0].footer._element.xml
    assert "NUMPAGES" in footer_xml and "PAGE" in footer_xml
    assert len(document.inline_shapes) >= 2  # charts
    assert "PRIVATE" not in text


def test_pdf_reads_back(rendered):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(rendered["pdf"]))
    pages = len(reader.pages)
    assert pages >= 5
    texts = [page.extract_text() for page in reader.pages]
    assert "Lead definition agreement" in texts[0] and "Agreed" in texts[0]
    assert f"Page 2 of {pages}" in texts[1] and f"Page {pages} of {pages}" in texts[-1]
    whole = _squash("\n".join(texts))
    for expected in EXPECTED:
        assert _squash(expected) in whole, expected
    assert "PRIVATE" not in whole
    assert [item.title for item in reader.outline][:2] == ["Summary", "Who was interviewed"]


def test_markdown_is_commonmark_with_escaped_text(rendered):
    from markdown_it import MarkdownIt

    source = rendered["md"].decode("utf-8")
    html = MarkdownIt("commonmark").enable("table").render(source)
    parsed = parse_html(html)
    assert not {"script", "a", "b"} & set(parsed.tags)  # user text never becomes markup
    assert parsed.tags.count("h2") >= 12 and "table" in parsed.tags
    text = "".join(parsed.text)
    for expected in EXPECTED:
        assert expected in text, expected
    assert "| fit | Industry: Software/SaaS | industry is Software/SaaS | +15 |" in source
    assert "Other \\| \\*say why\\*" in source  # a pipe in a cell does not break the table
    assert all(src.startswith("data:image/png;base64,") for src in parsed.images) and parsed.images  # no evil.example


def test_html_is_self_contained_and_escaped(rendered):
    html = rendered["html"].decode("utf-8")
    parsed = parse_html(html)
    assert not {"script", "link", "a", "b"} & set(parsed.tags)
    assert len(parsed.images) >= 2 and all(src.startswith("data:image/png;base64,") for src in parsed.images)
    text = "".join(parsed.text)
    for expected in EXPECTED:
        assert expected in text, expected
    assert "@media print" in html


def test_rules_csv_and_json_match_the_definition(setup):
    _, _, agreed, _ = setup
    rows = list(csv.DictReader(io.StringIO(rules_csv(agreed.definition))))
    assert list(rows[0])[:10] == ["id", "label", "group", "points", "knockout", "reason_code", "match", "field",
                                  "operator", "value"]
    by_id = {row["id"]: row for row in rows}
    assert by_id["ideal_company.industry"]["value"] == "Software/SaaS" and by_id["ideal_company.industry"]["points"] == "15"
    assert by_id["ideal_company.employees"]["value"] == "50..1000"
    assert by_id["disqualifiers.student"]["knockout"] == "true"
    assert by_id["disqualifiers.personal"]["points"] == "-20"  # a number, not neutralised
    assert by_id["ideal_company.hostile"]["value"] == "'" + FORMULA
    model = scoring_model(agreed.definition, workshop="w", version=1, status="agreed")
    assert model["thresholds"] == {"mql": 30, "sql": 55, "sql_min_intent": 20, "intent_cap": None}
    assert model["score_groups"]["fit"]["max_points"] == 15 + 10 + 10 + 3
    assert [r["id"] for r in model["knockouts"]] == ["disqualifiers.student"]
    assert [g["grade"] for g in model["grades"]] == ["A", "B", "C", "D"]
    json.dumps(model)


def test_anonymise_quotes_notes_and_sections(setup):
    from alignwork.documents.writers.markdown import render_markdown

    _, _, agreed, _ = setup
    plain = build_agreement(agreed, DocumentOptions(anonymise=True, include_charts=False)).plain_text()
    assert "Dana" not in plain and "Tom Becker" not in plain and "Priya" not in plain
    assert "Rep A" in plain and "Rep A says:" in plain  # the first name inside a quote too
    assert "Maya Lindqvist" in plain  # signers sign with their names
    no_quotes = build_agreement(agreed, DocumentOptions(include_quotes=False, include_charts=False)).plain_text()
    assert "says:" not in no_quotes
    notes = build_agreement(agreed, DocumentOptions(include_notes=True, include_charts=False)).plain_text()
    assert "PRIVATE-PAIN" in notes and "PRIVATE-ROSTER" not in notes
    some = build_agreement(agreed, DocumentOptions(sections=frozenset({"scoring", "signoff"})))
    assert [s.key for s in some.sections] == ["scoring", "signoff"]
    assert "## Scoring model" in render_markdown(some) and "Glossary" not in render_markdown(some)


def test_partly_signed_says_who_is_missing_and_leaves_lines_for_them(setup):
    import dataclasses

    _, _, agreed, _ = setup
    sales_only = [s for s in agreed.signers if s.team == "Sales"]
    facts = dataclasses.replace(agreed, status="proposed", signers=sales_only)
    document = build_agreement(facts, DocumentOptions(include_charts=False, sections=frozenset({"signoff"})))
    text = document.plain_text()
    assert "Signatures pending: 1 signed so far. Still needed: a Marketing signer with a signing date." in text
    assert "1 of 1 signed" not in text
    blank_rows = [b.rows for b in document.sections[0].blocks if getattr(b, "columns", None) and b.columns[0] == "Team"]
    assert [row[0] for row in blank_rows[0]] == ["Marketing"]


def test_changes_and_pending_signatures(setup):
    _, _, _, proposed = setup
    document = build_agreement(proposed, DocumentOptions(include_charts=False))
    text = document.plain_text()
    assert "Signatures pending" in text and "Proposed for agreement" in text
    assert "Compared with version 1." in text and "SLA demo request follow-up (hours): 4 → 2" in text
    assert "Within 2 hours" in text


def test_summary_is_one_page(setup):
    from pypdf import PdfReader

    _, _, agreed, _ = setup
    summary = build_summary(agreed, DocumentOptions(document="summary"))
    reader = PdfReader(io.BytesIO(render_document(summary, "pdf")))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "What a good lead is" in text and "STUDENT" in text and "Maya Lindqvist (Marketing)" in text


def test_export_is_atomic_and_never_overwrites_without_force(setup, tmp_path, monkeypatch):
    database, workshop_id, _, _ = setup
    target = tmp_path / "rules.csv"
    target.write_text("keep me")
    with database.session() as session:
        with pytest.raises(ExportError, match="already exists"):
            export_workshop(session=session, workshop_id=workshop_id, format="rules-csv", path=target)
        assert target.read_text() == "keep me"
        with pytest.raises(ExportError, match="does not exist"):
            export_workshop(session=session, workshop_id=workshop_id, format="md", path=tmp_path / "no" / "x.md")

        import alignwork.documents.writers.rules as rules

        def broken(*_args, **_kwargs):
            raise RuntimeError("disk on fire")

        monkeypatch.setattr(rules, "rules_csv", broken)
        with pytest.raises(RuntimeError):
            export_workshop(session=session, workshop_id=workshop_id, format="rules-csv", path=target, force=True)
        monkeypatch.undo()
        assert target.read_text() == "keep me" and sorted(p.name for p in tmp_path.iterdir()) == ["rules.csv"]
        result = export_workshop(session=session, workshop_id=workshop_id, format="rules-csv", path=target,
                                 force=True, number=1)
    assert result.size == target.stat().st_size and target.read_text().startswith("id,label,group,points")

