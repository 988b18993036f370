"""The meeting pack of a review period: gather its facts once, build it with
``alignwork.documents.review`` and write it with the existing document writers."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from sqlmodel import Session

from alignwork import store
from alignwork.definition import versions
from alignwork.definition.agreement import version_label
from alignwork.definition.criteria import Definition
from alignwork.documents.review import ReviewFacts, review_pack
from alignwork.models import DefinitionVersion
from alignwork.review import meeting, periods


def gather_review(*, session: Session, workshop_id: int, period: str, today: date | None = None) -> ReviewFacts:
    """Everything the pack shows, read once; ReviewError when the period was never added."""
    workshop = store.get_workshop(session=session, workshop_id=workshop_id)
    row = periods.get_period(session=session, workshop_id=workshop_id, period=period)
    everything = periods.list_periods(session=session, workshop_id=workshop_id)
    version = session.get(DefinitionVersion, row.definition_version_id) if row.definition_version_id else None
    definition = versions.load_definition(version) if version else Definition()
    held = [item.created_at.date() for item in everything]
    due = meeting.next_review(definition.sla, held, today=today)
    return ReviewFacts(workshop_name=workshop.name, company=workshop.company, facilitator=workshop.facilitator,
                       period=row, earlier=[item for item in everything if item.period < row.period],
                       definition=definition,
                       version_text=version_label(version) if version else f"version {row.version_number}",
                       next_review_due=due.due.isoformat(), next_review_text=due.text(today))


def export_review(*, session: Session, workshop_id: int, period: str, format: str, path: str | Path,
                  force: bool = False, charts: bool = True):
    """Write the pack of ``period`` as docx, pdf, md or html (atomically, never over a file without ``force``)."""
    from alignwork.atomic import write_atomic
    from alignwork.documents.formats import DOCUMENT_FORMATS
    from alignwork.documents.writers import ExportError, ExportResult, check_extension, check_target, render_document

    if format not in DOCUMENT_FORMATS:
        raise ExportError(f"the review pack is a document: choose {', '.join(DOCUMENT_FORMATS)}")
    check_extension(path, format)
    started = time.perf_counter()
    target = check_target(path, force=force)
    payload = render_document(review_pack(gather_review(session=session, workshop_id=workshop_id, period=period),
                                          charts=charts), format)
    check_target(target, force=force)
    try:
        written = write_atomic(target, payload)
    except OSError as error:
        raise ExportError(f"cannot write {target}: {error.strerror or error}") from None
    return ExportResult(path=written, format=format, size=len(payload), seconds=time.perf_counter() - started)
