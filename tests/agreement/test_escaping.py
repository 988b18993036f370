"""User text stays text: each writer's escaping, checked with a real parser."""

import pytest

from tests.agreement.htmltext import parse_html
from tests.agreement.workshop import FORMULA, LINK, SCRIPT

HOSTILE = ["PERSONAL_EMAIL and _x_ and __y__ a_b_", "R&D &amp; &#60; &copy;", SCRIPT, LINK, FORMULA,
           "1. not a list", "- nor this", "# nor a heading", "a | b", "`code` ~~strike~~ \\ backslash",
           "+ plus", "> quote", "line one\nline two"]


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_escape_round_trips_as_text(text):
    from markdown_it import MarkdownIt

    from alignwork.documents.writers.markdown import escape

    parsed = parse_html(MarkdownIt("commonmark").enable("table").enable("strikethrough").render(escape(text)))
    assert parsed.tags == ["p"] and "".join(parsed.text).strip() == " ".join(text.split())


@pytest.mark.parametrize("text", HOSTILE)
def test_html_escape_round_trips_as_text(text):
    from alignwork.documents.writers.html import escape

    parsed = parse_html(f"<p>{escape(text)}</p>")
    assert parsed.tags == ["p"] and "".join(parsed.text) == text


@pytest.mark.parametrize("text", HOSTILE + ["tab\there", "nul\x00and\x1bescape"])
def test_pdf_paragraph_text_is_escaped(text):
    from reportlab.platypus import Paragraph

    from alignwork.documents.writers.pdf import escape

    # reportlab parses Paragraph markup; escaped text must come out as the same words
    fragments = Paragraph(escape(text)).frags
    shown = "".join(" " if getattr(f, "lineBreak", False) else getattr(f, "text", "") for f in fragments)
    assert " ".join(shown.split()) == " ".join(text.replace("\x00", "").replace("\x1b", "").split())


def test_csv_cells_are_neutralised():
    import csv
    import io

    from alignwork.definition.criteria import Criterion, Definition
    from alignwork.documents.writers.rules import rules_csv

    rule = Criterion(id="x", section="ideal_company", label="@SUM(A1)", attribute="title", operator="contains",
                     value=FORMULA, points=-5)
    row = next(csv.DictReader(io.StringIO(rules_csv(Definition(criteria=[rule])))))
    assert row["value"] == "'" + FORMULA and row["label"] == "'@SUM(A1)" and row["points"] == "-5"
