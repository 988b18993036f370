"""Text and tables of a document come from one set of facts: after the thresholds and the
interviews change, every number in every format (DOCX, PDF, Markdown, HTML) says the same.

The case from issue 13: the demo workshop drafted from 11 interviews, a 12th interview done,
a calibrated MQL threshold of 18 saved from the back-test, the version agreed. The summary
text said "MQL at 30 points… drafted from 11 interviews" above "MQL score ≥ 18" and "12 reps"."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlmodel import select

from alignwork import store
from alignwork.backtest.history import save_calibrated_draft
from alignwork.db import open_database
from alignwork.definition import agreement, versions
from alignwork.documents.docmodel import DocumentOptions
from alignwork.documents.writers import export_workshop
from alignwork.models import Interview
from alignwork.workshops.bundle import import_demo
from tests.agreement.readback import read_back

FORMATS = ("docx", "pdf", "md", "html")
# every place a document states the MQL threshold, and every place it states an interview count
MQL_NUMBERS = [r"MQL at (\d+) points", r"MQL score ≥ (\d+)", r"score ≥ (\d+) points, no knock-out",
               r"reaches (\d+) points", r"MQL threshold (\d+) points"]
DRAFTED_FROM = [r"[Dd]rafted from (\d+) interviews?"]
INTERVIEWED = [r"(\d+) reps were interviewed", r"Interviews:? (\d+) reps"]
SUPPORT = r"(?<!Page )\b\d+ of (\d+)\b"  # "7 of 11 (strong)"; not "Page 2 of 9"


def _numbers(patterns: list[str], text: str) -> list[int]:
    return [int(n) for pattern in patterns for n in re.findall(pattern, text)]


def _sign_and_agree(session, workshop_id: int) -> int:
    version = agreement.propose(session=session, workshop_id=workshop_id)
    agreement.add_signer(session=session, version_id=version.id, name="Ana Ruiz", role="VP Sales", team="Sales",
                         signed_on=date(2026, 11, 20))
    agreement.add_signer(session=session, version_id=version.id, name="Maya Lindqvist", role="CMO",
                         team="Marketing", signed_on=date(2026, 11, 21))
    agreement.agree(session=session, workshop_id=workshop_id, number=version.number)
    return version.number


def _export_all(session, workshop_id: int, folder, tag: str, document: str = "agreement") -> dict[str, str]:
    texts = {}
    for fmt in FORMATS:
        path = folder / f"{tag}-{document}.{fmt}"
        export_workshop(session=session, workshop_id=workshop_id, format=fmt, path=path,
                        options=DocumentOptions(document=document, include_charts=False))
        texts[fmt] = read_back(path.read_bytes(), fmt)
    return texts


def _one_pager_agrees(session, workshop_id: int, folder, tag: str, mql: int) -> None:
    for fmt, text in _export_all(session, workshop_id, folder, tag, "summary").items():
        assert set(_numbers(MQL_NUMBERS, text)) == {mql}, (fmt, _numbers(MQL_NUMBERS, text))
        assert set(_numbers(INTERVIEWED, text)) == {12}, fmt


@pytest.fixture()
def demo(tmp_path):
    database = open_database(f"sqlite:///{tmp_path / 'facts.db'}")
    with database.session() as session:
        workshop_id = import_demo(session=session).workshop_id
        versions.current_draft(session=session, workshop_id=workshop_id)  # drafted from the 11 interviews
        yield session, workshop_id
    database.dispose()


def _twelfth_interview(session, workshop_id: int) -> None:
    done = {i.participant_id for i in session.exec(select(Interview).where(Interview.workshop_id == workshop_id))
            if i.status == "done"}
    rep = next(p for p in store.list_participants(session=session, workshop_id=workshop_id) if p.id not in done)
    store.create_interview(session=session, participant_id=rep.id, status="done", held_on=date(2026, 11, 12))


def test_threshold_and_interviews_agree_in_every_format(demo, tmp_path):
    session, workshop_id = demo
    _twelfth_interview(session, workshop_id)
    save_calibrated_draft(session=session, workshop_id=workshop_id, mql_threshold=18)
    _sign_and_agree(session, workshop_id)
    for fmt, text in _export_all(session, workshop_id, tmp_path, "v1").items():
        assert set(_numbers(MQL_NUMBERS, text)) == {18}, (fmt, _numbers(MQL_NUMBERS, text))
        assert set(_numbers(DRAFTED_FROM, text)) == {11}, fmt  # what the criteria were counted over
        assert set(_numbers(INTERVIEWED, text)) == {12}, fmt  # what is done now
        assert set(int(n) for n in re.findall(SUPPORT, text)) == {11}, fmt  # "7 of 11", never "7 of 12"
        assert "1 interview since" in text, fmt  # and the document says they differ, in words
    _one_pager_agrees(session, workshop_id, tmp_path, "v1", 18)

    # re-synthesized from all 12, calibrated again, agreed again: every number moves together
    versions.resynthesize_draft(session=session, workshop_id=workshop_id)
    save_calibrated_draft(session=session, workshop_id=workshop_id, mql_threshold=22)
    _sign_and_agree(session, workshop_id)
    for fmt, text in _export_all(session, workshop_id, tmp_path, "v2").items():
        assert set(_numbers(MQL_NUMBERS, text)) == {22}, (fmt, _numbers(MQL_NUMBERS, text))
        assert set(_numbers(DRAFTED_FROM, text)) == {12}, fmt
        assert set(_numbers(INTERVIEWED, text)) == {12}, fmt
        assert set(int(n) for n in re.findall(SUPPORT, text)) == {12}, fmt
        assert "interview since" not in text and "interviews since" not in text, fmt
    _one_pager_agrees(session, workshop_id, tmp_path, "v2", 22)
