"""The document faults of issue 13, each read back from the real file: PDF bookmarks, the
agreement chart, DOCX metadata, long words in tables, DRAFT marking, signing space, top risks
without a premortem, the DOCX footer, right-to-left text and emoji in the PDF."""

from __future__ import annotations

import dataclasses
import io

import pytest

pytest.importorskip("alignwork.premortem.checklist")

from alignwork.db import open_database  # noqa: E402
from alignwork.documents.builders import build_agreement, build_summary  # noqa: E402
from alignwork.documents.docmodel import DocumentOptions  # noqa: E402
from alignwork.documents.facts import gather_facts  # noqa: E402
from alignwork.documents.writers import render_document  # noqa: E402
from tests.agreement.readback import read_back  # noqa: E402
from tests.agreement.workshop import agreed_then_proposed  # noqa: E402

FORMATS = ("docx", "pdf", "md", "html")
NO_CHARTS = DocumentOptions(include_charts=False)


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    """(agreed version 1, proposed version 2) of the small test workshop, with one owned risk."""
    database = open_database(f"sqlite:///{tmp_path_factory.mktemp('faults') / 'a.db'}")
    with database.session() as session:
        workshop_id = agreed_then_proposed(session)
        agreed = gather_facts(session=session, workshop_id=workshop_id, number=1)
        proposed = gather_facts(session=session, workshop_id=workshop_id, number=2)
    yield agreed, proposed
    database.dispose()


def test_every_pdf_bookmark_points_at_its_own_heading(facts):
    from pypdf import PdfReader

    agreed, _ = facts
    reader = PdfReader(io.BytesIO(render_document(build_agreement(agreed, NO_CHARTS), "pdf")))
    entries = [entry for entry in reader.outline if not isinstance(entry, list)]
    assert len(entries) == 13
    pages = [reader.get_destination_page_number(entry) for entry in entries]
    assert pages == sorted(pages) and len(set(pages)) > 3  # in reading order, not all on page 1
    for entry, page in zip(entries, pages):
        text = reader.pages[page].extract_text()
        assert entry.title in text, (entry.title, page)  # the heading is on the page it points at
        assert entry.top is not None and float(entry.top) > 0  # and at its height, not the page top


def test_the_agreement_chart_shows_every_criterion_its_caption_counts(tmp_path):
    from alignwork.charts.synthesis import agreement_figure
    from alignwork.workshops.bundle import import_demo

    database = open_database(f"sqlite:///{tmp_path / 'demo.db'}")
    with database.session() as session:
        demo = gather_facts(session=session, workshop_id=import_demo(session=session).workshop_id, default=False)
    database.dispose()
    live = [c for c in demo.definition.criteria if c.decision != "rejected"]
    assert len(live) > 30 and sum(c.section == "disqualifiers" for c in live) >= 9  # the demo: ~38, 9+ knock-outs
    figure = agreement_figure(demo.definition.model_dump(mode="json"))
    labels = [tick.get_text() for tick in figure.axes[0].get_yticklabels()]
    assert len(labels) == len(live)  # none dropped, the disqualifiers included
    document = build_agreement(demo, DocumentOptions(sections=frozenset({"appendix"})))
    caption = next(f.caption for f in document.figures() if "Share of reps" in f.caption)
    assert f"{len(live)} criteria" in caption and "disqualifiers included" in caption


def test_docx_metadata_names_the_facilitator_and_today(facts):
    import docx
    from datetime import datetime, timezone

    agreed, _ = facts
    properties = docx.Document(io.BytesIO(render_document(build_agreement(agreed, NO_CHARTS), "docx"))).core_properties
    assert properties.author == "Maya Lindqvist" and properties.last_modified_by == "Maya Lindqvist"
    assert properties.title.startswith("Lead definition agreement — Acme Analytics")
    now = datetime.now(timezone.utc)
    for when in (properties.created, properties.modified):
        assert abs((now - when).total_seconds()) < 600, when


LONG_WORD = "Supercalifragilistic" * 6 + "expialidocious-and-more"  # 143 characters, no space


def test_a_long_word_breaks_inside_its_table_cell(facts):
    from tests.agreement.htmltext import parse_html
    import re

    agreed, _ = facts
    risky = dataclasses.replace(agreed, risks=[dataclasses.replace(agreed.risks[0], mitigation=LONG_WORD)])
    document = build_agreement(risky, DocumentOptions(include_charts=False, sections=frozenset({"risks"})))
    html = render_document(document, "html").decode("utf-8")
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html)
    runs = [run for cell in cells for run in parse_html(cell).text]
    assert "".join(runs).count(LONG_WORD[:20]) >= 1 and max(len(word) for run in runs for word in run.split()) <= 20
    assert "overflow-wrap: anywhere" in html
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(render_document(document, "pdf"))).pages[-1].extract_text()
    assert LONG_WORD not in text and LONG_WORD[:40] in "".join(text.split())  # wrapped, all of it printed
    assert max(len(word) for word in text.split()) < 60


def test_a_version_not_agreed_says_draft_in_every_format_and_on_every_pdf_page(facts):
    from pypdf import PdfReader

    agreed, proposed = facts
    for document in (build_agreement(proposed, NO_CHARTS), build_summary(proposed)):
        for fmt in FORMATS:
            text = read_back(render_document(document, fmt), fmt)
            assert "DRAFT" in text and "not agreed" in text, (document.kind, fmt)
        reader = PdfReader(io.BytesIO(render_document(document, "pdf")))
        assert all("DRAFT" in page.extract_text() for page in reader.pages)
    for fmt in FORMATS:
        assert "DRAFT" not in read_back(render_document(build_agreement(agreed, NO_CHARTS), fmt), fmt), fmt
    superseded = dataclasses.replace(agreed, status="superseded")
    assert "SUPERSEDED" in read_back(render_document(build_agreement(superseded, NO_CHARTS), "md"), "md")


def test_pending_signature_lines_leave_room_to_sign(facts):
    import docx
    from docx.shared import Pt

    from alignwork.documents.writers.pdf import _register_fonts, _styles, _table

    _, proposed = facts
    pending = dataclasses.replace(proposed, signers=[])
    document = build_agreement(pending, DocumentOptions(include_charts=False, sections=frozenset({"signoff"})))
    lines = next(b for b in document.sections[0].blocks if getattr(b, "sign_space", False))
    assert [row[0] for row in lines.rows] == ["Sales", "Marketing"]
    table = _table(lines, _styles(_register_fonts()), 480)[0]
    table.wrap(480, 800)
    assert min(table._rowHeights[1:]) >= 40  # points: a hand signature fits (it was 10 pt of underscores)
    word = docx.Document(io.BytesIO(render_document(document, "docx")))
    signing = next(t for t in word.tables if len(t.columns) == 4 and t.rows[0].cells[2].text == "Signature")
    assert all(row.height is not None and row.height >= Pt(40) for row in signing.rows[1:])
    markdown = render_document(document, "md").decode("utf-8")
    assert "| Sales | \\_\\_\\_" in markdown


def test_top_risks_say_when_no_premortem_ran(facts):
    agreed, _ = facts
    unowned = dataclasses.replace(agreed, premortem="none",
                                  risks=[dataclasses.replace(r, owner="") for r in agreed.risks])
    text = build_agreement(unowned, DocumentOptions(include_charts=False, sections=frozenset({"risks"}))).plain_text()
    assert "No premortem session was run for this workshop" in text and "None of them has an owner yet" in text
    assert "unassigned" not in text
    ran = dataclasses.replace(agreed, premortem="finished")
    text = build_agreement(ran, DocumentOptions(include_charts=False, sections=frozenset({"risks"}))).plain_text()
    assert "No premortem" not in text and "From the premortem" in text


def test_the_docx_footer_stays_on_one_line_with_a_long_company_name(facts):
    import docx

    from alignwork.documents.writers.docx import FOOTER_CHARS

    agreed, _ = facts
    long_name = dataclasses.replace(agreed, company="Internationale Vereinigte Handelsgesellschaft für "
                                                    "Industriebedarf und Dienstleistungen mbH & Co. KG Nord")
    word = docx.Document(io.BytesIO(render_document(build_agreement(long_name, NO_CHARTS), "docx")))
    footer = word.sections[0].footer.paragraphs
    assert len(footer) == 1
    text, _, page = footer[0].text.partition("\t")
    assert page.startswith("Page") and len(text) <= FOOTER_CHARS and text.endswith("version 1")
    assert "Internationale Vereinigte" in text and "…" in text


def test_right_to_left_text_is_drawn_in_reading_order_and_emoji_never_as_boxes(facts):
    from pypdf import PdfReader

    from alignwork.documents.writers.pdf import FONT, _coverage, _register_fonts, printable

    agreed, _ = facts
    hebrew, arabic = "שלום עולם", "مرحبا بالعالم"
    quote = f"{hebrew} / {arabic} 👍 🚀 ☺"
    odd = dataclasses.replace(agreed, company=hebrew, risks=[dataclasses.replace(agreed.risks[0], title=quote)])
    document = build_agreement(odd, DocumentOptions(include_charts=False, sections=frozenset({"risks"})))
    pages = PdfReader(io.BytesIO(render_document(document, "pdf"))).pages
    drawn = "\n".join(page.extract_text(extraction_mode="layout") for page in pages)  # left to right as drawn
    read = "\n".join(page.extract_text() for page in pages)  # pypdf reads right-to-left runs back
    assert "םלוע םולש" in drawn and hebrew not in drawn  # drawn right to left, as a reader's eye goes
    assert hebrew in read  # and so it reads back in logical order
    text = drawn
    from arabic_reshaper import reshape
    from bidi import get_display

    assert get_display(reshape(arabic)) in text  # joined letters, in drawing order
    _register_fonts()
    covered = _coverage(FONT)
    for run, font in printable(quote):
        if font is None:  # every character in the body font is one it has a glyph for
            assert all(ord(ch) in covered or ch.isspace() for ch in run), run
    assert "☺" in text  # DejaVu has it
    shown = "".join(run for run, font in printable("👍 🚀") if font is None)
    assert "[thumbs up sign]" in shown or "👍" not in shown  # a fallback font, or its name: never a box


def test_a_wrapped_right_to_left_sentence_starts_on_its_first_line(facts):
    from pypdf import PdfReader

    agreed, _ = facts
    words = "אבא אמא בית גן דלת הר ורד זית חלון טל יד כוס לחם מים נר סוס עץ פרח צב קיר ראש שמש תפוח".split()
    sentence = " ".join(words + [word + "ים" for word in words])  # two lines' worth, no word twice
    risky = dataclasses.replace(agreed, risks=[dataclasses.replace(agreed.risks[0], mitigation=sentence)])
    document = build_agreement(risky, DocumentOptions(include_charts=False, sections=frozenset({"risks"})))
    page = PdfReader(io.BytesIO(render_document(document, "pdf"))).pages[-1]
    lines = [line for line in page.extract_text().splitlines() if any("\u0590" <= ch <= "\u05ff" for ch in line)]
    # each line drawn right to left, the sentence's first words on the first line (read back in order)
    assert lines[0].split()[:2] == ["אבא", "אמא"], lines[:2]
    assert words[-1] + "ים" in lines[-1].split()
