"""Every document format read back as plain text with a real reader (python-docx, pypdf,
markdown-it-py then html.parser, html.parser)."""

from __future__ import annotations

import io

from tests.agreement.htmltext import parse_html


def docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            parts += [p.text for p in part.paragraphs]
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def markdown_text(data: bytes) -> str:
    from markdown_it import MarkdownIt

    return " ".join(parse_html(MarkdownIt("commonmark").enable("table").render(data.decode("utf-8"))).text)


def html_text(data: bytes) -> str:
    return " ".join(parse_html(data.decode("utf-8")).text)


READERS = {"docx": docx_text, "pdf": pdf_text, "md": markdown_text, "html": html_text}


def read_back(data: bytes, fmt: str) -> str:
    """The readable text of one exported document, whitespace runs made single spaces."""
    return " ".join(READERS[fmt](data).split())
