"""HTML writer: one self-contained file (styles inline, charts as data: URIs) that prints well.
All user text goes through ``html.escape``."""

from __future__ import annotations

import base64
import re
from html import escape as _escape

from alignwork.documents.docmodel import (
    Bullets, Document, Figure, Heading, KeyValues, PageBreak, Paragraph, Table, clean_text,
)

BREAK_EVERY = 20  # longest unbreakable run in a table cell, in characters
STYLE = """
:root { color-scheme: light; --ink: #1f2328; --muted: #5b6570; --rule: #d0d7de; --band: #f3f5f7; --accent: #2f6fde; --draft: #c5484d; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.45 "Segoe UI", "Helvetica Neue", Arial, sans-serif; color: var(--ink); overflow-wrap: anywhere;
       max-width: 52rem; margin: 2rem auto; padding: 0 1.5rem; }
header.title { border-bottom: 2px solid var(--accent); padding-bottom: 1rem; margin-bottom: 1.5rem; }
header.title h1 { font-size: 1.9rem; margin: 0 0 .25rem; }
.subtitle { color: var(--muted); margin: 0 0 1rem; font-size: 1.1rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--rule); padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
p.lead { font-size: 1.05rem; } p.muted { color: var(--muted); font-style: italic; } p.strong { font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .95em; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid var(--rule);
         overflow-wrap: anywhere; word-break: break-word; }
table.sign td { height: 16mm; border: 1px solid var(--muted); vertical-align: middle; }
.notice { border: 2px solid var(--draft); background: #fdf0f0; color: var(--draft); padding: .5rem .8rem;
          margin: 0 0 1rem; }
.notice strong { letter-spacing: .05em; }
.watermark { position: fixed; top: 40%; left: 0; right: 0; text-align: center; transform: rotate(-35deg);
             font: 700 8rem/1 sans-serif; color: var(--draft); opacity: .1; pointer-events: none; z-index: 10; }
th { background: var(--band); font-weight: 600; } td.num, th.num { text-align: right; white-space: nowrap; }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: .5rem 0 1rem; }
dl.kv dt { font-weight: 600; } dl.kv dd { margin: 0; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: .9em; }
footer { color: var(--muted); font-size: .85em; margin-top: 3rem; border-top: 1px solid var(--rule); padding-top: .5rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  section.new-page { break-before: page; }
  h2, h3 { break-after: avoid; } tr, figure { break-inside: avoid; } thead { display: table-header-group; }
  @page { size: A4; margin: 18mm 16mm; }
}
"""


def escape(text: object) -> str:
    return _escape(clean_text(text), quote=True)


_LONG_WORD = re.compile(r"\S{%d,}" % (BREAK_EVERY + 1))


def _breakable(text: object) -> str:
    """Escaped text (line ends as ``<br>``) where a word longer than BREAK_EVERY characters may break (``<wbr>``):
    a 136-character word wraps inside its column instead of pushing the table off the page.
    The CSS says the same (overflow-wrap), for browsers that honour it."""
    def split(match: re.Match) -> str:
        word = match.group(0)
        return "<wbr>".join(escape(word[i:i + BREAK_EVERY]) for i in range(0, len(word), BREAK_EVERY))

    lines = []
    for line in clean_text(text).split("\n"):
        parts, last = [], 0
        for match in _LONG_WORD.finditer(line):
            parts += [escape(line[last:match.start()]), split(match)]
            last = match.end()
        lines.append("".join(parts) + escape(line[last:]))
    return "<br>".join(lines)


def _table(block: Table) -> str:
    if not block.rows:
        return f'<p class="muted">{escape(block.empty)}</p>'
    cls = lambda i: ' class="num"' if i in block.numeric else ""  # noqa: E731
    head = "".join(f"<th{cls(i)}>{_breakable(c)}</th>" for i, c in enumerate(block.columns))
    body = "".join("<tr>" + "".join(f"<td{cls(i)}>{_breakable(cell)}</td>" for i, cell in enumerate(row)) + "</tr>"
                   for row in block.rows)
    caption = f"<caption>{escape(block.caption)}</caption>" if block.caption else ""
    css = ' class="sign"' if block.sign_space else ""
    return f"<table{css}>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _block(block) -> str:
    if isinstance(block, Heading):
        level = min(block.level + 1, 6)
        return f"<h{level}>{escape(block.text)}</h{level}>"
    if isinstance(block, Paragraph):
        return f'<p class="{block.style}">{_breakable(block.text)}</p>'
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{_breakable(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, KeyValues):
        return '<dl class="kv">' + "".join(f"<dt>{escape(k)}</dt><dd>{_breakable(v)}</dd>"
                                          for k, v in block.pairs) + "</dl>"
    if isinstance(block, Figure):
        data = base64.b64encode(block.png).decode("ascii")
        return (f'<figure><img src="data:image/png;base64,{data}" alt="{escape(block.caption)}">'
                f"<figcaption>{escape(block.caption)}</figcaption></figure>")
    if isinstance(block, PageBreak):
        return '<div style="break-after: page"></div>'
    raise TypeError(f"unknown block {block!r}")


def render_html(document: Document) -> str:
    """The document as one HTML5 file with nothing external."""
    meta = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in document.meta)
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f'<meta name="author" content="{escape(document.author)}">' if document.author else "",
             '<meta name="generator" content="Alignwork">',
             f"<title>{escape(document.title)} — {escape(document.subtitle)}</title>",
             f"<style>{STYLE}</style></head><body>",
             f'<header class="title"><h1>{escape(document.title)}</h1><p class="subtitle">{escape(document.subtitle)}</p>'
             + (f'<p class="notice" role="note"><strong>{escape(document.mark)}</strong> — {escape(document.notice)}</p>'
                if document.mark else "")
             + f'<dl class="kv">{meta}</dl></header>']
    if document.mark:  # on screen and on every printed page
        parts.insert(-1, f'<div class="watermark" aria-hidden="true">{escape(document.mark)}</div>')
    for section in document.sections:
        css = ' class="new-page"' if section.new_page else ""
        parts.append(f'<section id="{escape(section.key)}"{css}><h2>{escape(section.title)}</h2>')
        parts.extend(_block(block) for block in section.blocks)
        parts.append("</section>")
    parts.append(f"<footer>{escape(document.footer)}</footer></body></html>")
    return "\n".join(parts) + "\n"
