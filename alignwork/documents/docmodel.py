"""One document structure, built once from the workshop and rendered by every writer.

Blocks carry *plain text only*: user text is never markup here. Each writer
escapes it for its own format (XML for DOCX/PDF, HTML entities, CommonMark
backslashes), so an answer ``<script>alert(1)</script>`` prints as text
everywhere. Figures are PNG bytes rendered once and shared by all writers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Union

from alignwork.documents.formats import AGREEMENT_SECTIONS, SECTION_KEYS  # noqa: F401  (docmodel's own names)

# user text can carry control characters that XML (DOCX, PDF) cannot hold
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean_text(value: object) -> str:
    """Any value as printable text: control characters dropped, line ends unified."""
    text = "" if value is None else str(value)
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2  # 1 is a section title (writers render Section titles at level 1)


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: Literal["body", "lead", "muted", "strong"] = "body"


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] | None = None  # relative column widths
    numeric: frozenset[int] = frozenset()  # right-aligned columns
    caption: str = ""
    empty: str = "None."  # shown instead of an empty table
    sign_space: bool = False  # rows are room to sign by hand: tall, empty cells drawn as lines


@dataclass(frozen=True)
class KeyValues:
    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Figure:
    png: bytes
    caption: str
    width_ratio: float = 1.0  # share of the text width
    aspect: float = 0.5625  # height / width of the image


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Union[Heading, Paragraph, Bullets, Table, KeyValues, Figure, PageBreak]


@dataclass
class Section:
    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    new_page: bool = False  # start on a new page (paged formats)


@dataclass
class Document:
    """A whole document: a title page (paged formats) and sections in order."""

    kind: Literal["agreement", "summary", "review"]
    title: str
    subtitle: str
    meta: list[tuple[str, str]]  # title-page facts: workshop, version, status, date
    sections: list[Section]
    footer: str = ""  # left of the page number in paged formats
    title_page: bool = True
    author: str = ""  # document metadata (DOCX core properties, PDF info)
    created: datetime | None = None
    # a version not in force ("DRAFT", "SUPERSEDED"): every page and every format shows it
    mark: str = ""
    notice: str = ""  # the sentence under the mark: what the version is and what it lacks

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def figures(self) -> list[Figure]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]

    def plain_text(self) -> str:
        """Everything readable in the document, one item a line (tests and search)."""
        lines = [self.title, self.subtitle, *(f"{k}: {v}" for k, v in self.meta)]
        if self.mark:
            lines.append(f"{self.mark}: {self.notice}")
        for section in self.sections:
            lines.append(section.title)
            for block in section.blocks:
                if isinstance(block, (Heading, Paragraph)):
                    lines.append(block.text)
                elif isinstance(block, Bullets):
                    lines.extend(block.items)
                elif isinstance(block, Table):
                    lines.extend(" | ".join(row) for row in (block.columns, *block.rows))
                elif isinstance(block, KeyValues):
                    lines.extend(f"{k}: {v}" for k, v in block.pairs)
                elif isinstance(block, Figure):
                    lines.append(block.caption)
        return "\n".join(lines)


def shorten(text: str, limit: int) -> str:
    """One line of at most ``limit`` characters; a longer one ends in "…" at a word if it can."""
    text = " ".join(clean_text(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ·,;:-") + "…"


@dataclass(frozen=True)
class DocumentOptions:
    """What to put in a document. ``sections=None`` means all of them."""

    document: Literal["agreement", "summary"] = "agreement"
    sections: frozenset[str] | None = None
    include_quotes: bool = True
    include_notes: bool = False  # private interview notes (surprises, pains, ideas)
    include_charts: bool = True
    anonymise: bool = False

    def wants(self, key: str) -> bool:
        return self.sections is None or key in self.sections

    @property
    def shows_charts(self) -> bool:
        """Whether the document of these options has charts (the agreement's appendix holds them)."""
        return self.document == "agreement" and self.include_charts and self.wants("appendix")


def unknown_sections(keys: list[str]) -> list[str]:
    return [key for key in keys if key not in SECTION_KEYS]
