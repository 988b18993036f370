"""Exports: documents (DOCX, PDF, Markdown, HTML), the scoring model (rules CSV, JSON) and the
workshop bundle. ``export_workshop`` reads the workshop once, builds, and writes atomically;
it never replaces an existing file unless ``force`` is set."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from alignwork.atomic import exists, refusal, write_atomic
from alignwork.documents.docmodel import Document, DocumentOptions
from alignwork.documents.formats import DOCUMENT_FORMATS, FORMATS
from alignwork.progress import NO_PROGRESS, Progress
from alignwork.store import StoreError

class ExportError(StoreError):
    """An export that cannot be written, in plain words; nothing was written."""


@dataclass(frozen=True)
class ExportResult:
    path: Path
    format: str
    size: int
    seconds: float


_ALSO = {"html": {".htm"}, "md": {".markdown"}}


def check_extension(path: str | Path, format: str) -> None:
    """ExportError when ``path`` is named like another format's file ("agreement.docx" for a
    PDF): it would not open. Names with no or an unknown extension are left as chosen."""
    suffix = Path(path).suffix.lower()
    known = {extension for extension, _ in FORMATS.values()} | set().union(*_ALSO.values())
    own = {FORMATS[format][0]} | _ALSO.get(format, set())
    if suffix in known and suffix not in own:
        raise ExportError(f"{Path(path).name} is named like a {suffix} file but this is {FORMATS[format][1]}; "
                          f"name it {Path(path).stem}{FORMATS[format][0]}, or choose the format that fits the name")


def check_target(path: str | Path, *, force: bool) -> Path:
    """The output path, or ExportError if it is not writable or exists without ``force``. A link
    (even a dangling one) exists; a link, folder, FIFO or device is never replaced, even with force."""
    target = Path(path).expanduser()
    reason = refusal(target)
    if reason:
        raise ExportError(reason)
    if exists(target) and not force:
        raise ExportError(f"{target} already exists; choose another name or overwrite it (--force)")
    return target


def render_document(document: Document, format: str) -> bytes:
    """One document in one format, as bytes."""
    if format == "md":
        from alignwork.documents.writers.markdown import render_markdown

        return render_markdown(document).encode("utf-8")
    if format == "html":
        from alignwork.documents.writers.html import render_html

        return render_html(document).encode("utf-8")
    import io

    buffer = io.BytesIO()
    if format == "docx":
        from alignwork.documents.writers.docx import write_docx

        write_docx(document, buffer)
    elif format == "pdf":
        from alignwork.documents.writers.pdf import write_pdf

        write_pdf(document, buffer)
    else:
        raise ExportError(f"{format} is not a document format ({', '.join(DOCUMENT_FORMATS)})")
    return buffer.getvalue()


def export_workshop(*, session: Session, workshop_id: int, format: str, path: str | Path,
                    options: DocumentOptions = DocumentOptions(), number: int | None = None, force: bool = False,
                    default_version: bool = True, progress: Progress = NO_PROGRESS) -> ExportResult:
    """Export one workshop in one format to ``path`` (see FORMATS).

    ``number`` picks a definition version; None means the agreed one (else the newest, else
    the draft) unless ``default_version`` is false, which means the working draft."""
    if format not in FORMATS:
        raise ExportError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    check_extension(path, format)
    started = time.perf_counter()
    target = check_target(path, force=force)
    progress.report(0, 3, "Reading the workshop")
    if format == "bundle":
        from alignwork.workshops.bundle import bundle_json, export_bundle

        payload = bundle_json(export_bundle(session=session, workshop_id=workshop_id)).encode("utf-8")
    else:
        from alignwork.documents.facts import gather_facts

        wants_charts = format in DOCUMENT_FORMATS and options.shows_charts
        facts = gather_facts(session=session, workshop_id=workshop_id, number=number, default=default_version,
                             synthesis=wants_charts)
        progress.report(1, 3, "Building")
        if format in ("json", "rules-csv"):
            from alignwork.documents.writers.rules import rules_export

            payload = rules_export(format, facts.definition, workshop=facts.workshop_name,
                                   version=facts.version_number, status=facts.status,
                                   crm_values=facts.crm_values).encode("utf-8")
        else:
            from alignwork.documents.builders import build_document

            document = build_document(facts, options)
            progress.report(2, 3, f"Writing {FORMATS[format][1]}")
            payload = render_document(document, format)
    progress.check()  # a cancel while building writes nothing
    check_target(target, force=force)  # the file may have appeared meanwhile
    try:
        written = write_atomic(target, payload)
    except OSError as error:  # a read-only folder, a full disk: say so, leave nothing behind
        raise ExportError(f"cannot write {target}: {error.strerror or error}") from None
    progress.report(3, 3, "Done")
    return ExportResult(path=written, format=format, size=len(payload), seconds=time.perf_counter() - started)


def draw_workshop_charts(*, session: Session, workshop_id: int, options: DocumentOptions = DocumentOptions(),
                         number: int | None = None, default_version: bool = True) -> int:
    """Draw the charts ``export_workshop`` would put in this agreement document (the same facts and
    options), so that the export finds them drawn; returns how many (0: the document has none)."""
    from alignwork.documents.builders import draw_charts
    from alignwork.documents.facts import gather_facts

    if not options.shows_charts:
        return 0
    facts = gather_facts(session=session, workshop_id=workshop_id, number=number, default=default_version,
                         synthesis=True)
    return draw_charts(facts, options)


__all__ = ["FORMATS", "DOCUMENT_FORMATS", "ExportError", "ExportResult", "check_extension", "check_target", "render_document",
           "export_workshop", "draw_workshop_charts"]
