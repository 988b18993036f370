"""CommonMark writer (tables as GFM pipes). Every piece of user text is backslash-escaped,
so ``<script>`` or ``[link](javascript:…)`` in an answer prints as text."""

from __future__ import annotations

import base64
import re

from alignwork.documents.docmodel import (
    Bullets, Document, Figure, Heading, KeyValues, PageBreak, Paragraph, Table, clean_text,
)

# punctuation CommonMark or GFM could read as markup anywhere in a line; "_" only at a word's
# edge (inside a word it never emphasises) and "&" only where it would start an entity
_INLINE = re.compile(r"([\\`*\[\]<>|~!#]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|&(?=#?[A-Za-z0-9]+;))")
# and what only counts at the start of a line: list, heading, quote, setext and ordered-list markers
_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")


def escape(text: object, *, line_start: bool = True) -> str:
    """Plain text as inline CommonMark: one line, markup characters escaped (``line_start``:
    also block markers such as "- " or "1." that only count where a line begins)."""
    line = " ".join(clean_text(text).split())
    line = _INLINE.sub(r"\\\1", line)
    if not line_start:
        return line
    return _LINE_START.sub(lambda m: m.group(1) + "".join("\\" + ch if not ch.isdigit() else ch
                                                           for ch in m.group(2)), line)


def _table(block: Table) -> list[str]:
    if not block.rows:
        return [escape(block.empty)]
    lines = ["| " + " | ".join(escape(c, line_start=False) for c in block.columns) + " |",
             "| " + " | ".join("---:" if i in block.numeric else "---" for i in range(len(block.columns))) + " |"]
    blank = "\\_" * 16 if block.sign_space else " "  # a line to sign on, in print
    lines += ["| " + " | ".join(escape(cell, line_start=False) or blank for cell in row) + " |" for row in block.rows]
    return lines


def _block(block, figures: bool) -> list[str]:
    if isinstance(block, Heading):
        return ["#" * min(block.level + 1, 6) + " " + escape(block.text)]
    if isinstance(block, Paragraph):
        text = escape(block.text)
        return [f"**{text}**" if block.style == "strong" else f"*{text}*" if block.style == "muted" else text]
    if isinstance(block, Bullets):
        return [f"- {escape(item)}" for item in block.items] or ["*None.*"]
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, KeyValues):
        return [f"- **{escape(key)}:** {escape(value)}" for key, value in block.pairs]
    if isinstance(block, Figure):
        if not figures:
            return [f"*{escape(block.caption)}*"]
        data = base64.b64encode(block.png).decode("ascii")
        return [f"![{escape(block.caption)}](data:image/png;base64,{data})", "", f"*{escape(block.caption)}*"]
    if isinstance(block, PageBreak):
        return []
    raise TypeError(f"unknown block {block!r}")


def render_markdown(document: Document, *, figures: bool = True) -> str:
    """The document as CommonMark text. Figures are inlined as data URIs (``figures=False``: captions only)."""
    lines = [f"# {escape(document.title)}", "", f"*{escape(document.subtitle)}*", ""]
    if document.mark:
        lines += [f"> **{escape(document.mark)}** — {escape(document.notice)}", ""]
    lines += [f"- **{escape(key)}:** {escape(value)}" for key, value in document.meta] + [""]
    for section in document.sections:
        lines += [f"## {escape(section.title)}", ""]
        for block in section.blocks:
            rendered = _block(block, figures)
            if rendered:
                lines += rendered + [""]
    return "\n".join(lines).rstrip() + "\n"
