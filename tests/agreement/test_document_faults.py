"""The document faults of issue 13, each read back from the real file: PDF bookmarks, the
agreement chart, DOCX metadata, long words in tables, DRAFT marking, signing space, top risks
without a premortem, the DOCX footer, right-to-left text and emoji in the PDF."""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import pytest

pytest.importorskip("alignwork.premortem.checklist")

from alignwork.db import open_database  # noqa: E402
from alignwork.definition import agreement  # noqa: E402
from alignwork.documents.builders import build_agreement, build_summary  # noqa: E402
from alignwork.documents.docmodel import DocumentOptions  # noqa: E402
from alignwork.documents.facts import gather_facts  # noqa: E402
from alignwork.documents.writers import render_document  # noqa: E402
from tests.agreement.readback import read_back  # noqa: E402
from tests.agreement.workshop import add_top_risk, make_workshop  # noqa: E402

FORMATS = ("docx", "pdf", "md", "html")
NO_CHARTS = DocumentOptions(include_charts=False)


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    """(agreed version 1, proposed version 2) of the small test workshop, with one owned risk."""
    database = open_database(f"sqlite:///{tmp_path_factory.mktemp('faults') / 'a.db'}")
    with database.session() as session:
        workshop_id = make_workshop(session)
        add_top_risk(session, workshop_id)
        first = agreement.propose(session=session, workshop_id=workshop_id)
        agreement.add_signer(session=session, version_id=first.id, name="Ana Ruiz", role="VP Sales", team="Sales",
                             signed_on=date(2026, 11, 20))
        agreement.add_signer(session=session, version_id=first.id, name="Maya Lindqvist", role="CMO",
                             team="Marketing", signed_on=date(2026, 11, 21))
        agreement.agree(session=session, workshop_id=workshop_id, number=1)
        agreement.set_sla(session=session, workshop_id=workshop_id, demo_follow_up_hours=2)
        agreement.propose(session=session, workshop_id=workshop_id)
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
