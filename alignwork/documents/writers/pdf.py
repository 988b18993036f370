"""PDF writer (reportlab platypus, imported lazily): title page, headings with bookmarks, tables
that split across pages with their header repeated, embedded charts, "Page N of M".

reportlab Paragraphs read a little XML markup, so every piece of user text is
XML-escaped first: ``<script>`` prints as text. DejaVu Sans (shipped with
matplotlib) covers the characters user text may hold (é, ø, ≥, →, curly quotes)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape as _xml_escape

from alignwork.documents.docmodel import (
    Bullets, Document, Figure, Heading, KeyValues, PageBreak, Paragraph, Table, clean_text,
)

FONT = "AlignworkSans"
INK, MUTED, RULE, BAND, ACCENT = "#1f2328", "#5b6570", "#d0d7de", "#eef2f7", "#2f6fde"


def escape(text: object) -> str:
    return "<br/>".join(_xml_escape(line) for line in clean_text(text).split("\n"))


def _register_fonts() -> str:
    """Register DejaVu Sans once; fall back to Helvetica if the files are missing."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT in pdfmetrics.getRegisteredFontNames():
        return FONT
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    files = {"": "DejaVuSans.ttf", "-Bold": "DejaVuSans-Bold.ttf", "-Italic": "DejaVuSans-Oblique.ttf",
             "-BoldItalic": "DejaVuSans-BoldOblique.ttf"}
    if not all((folder / name).exists() for name in files.values()):
        return "Helvetica"
    for suffix, name in files.items():
        pdfmetrics.registerFont(TTFont(FONT + suffix, str(folder / name)))
    for bold, italic, suffix in ((0, 0, ""), (1, 0, "-Bold"), (0, 1, "-Italic"), (1, 1, "-BoldItalic")):
        addMapping(FONT, bold, italic, FONT + suffix)
    return FONT


def _styles(font: str) -> dict:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    bold = f"{font}-Bold" if font == FONT else "Helvetica-Bold"
    base = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13.5, textColor=HexColor(INK), spaceAfter=6)
    return {
        "body": base,
        "lead": ParagraphStyle("lead", parent=base, fontSize=10.5, leading=15),
        "muted": ParagraphStyle("muted", parent=base, textColor=HexColor(MUTED)),
        "strong": ParagraphStyle("strong", parent=base, fontName=bold),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11, spaceAfter=0),
        "head": ParagraphStyle("head", parent=base, fontName=bold, fontSize=8.5, leading=11, spaceAfter=0),
        "bullet": ParagraphStyle("bullet", parent=base, leftIndent=12, bulletIndent=2, spaceAfter=3),
        "caption": ParagraphStyle("caption", parent=base, fontSize=8.5, textColor=HexColor(MUTED), spaceAfter=12),
        "h1": ParagraphStyle("h1", parent=base, fontName=bold, fontSize=15, leading=19, spaceBefore=14,
                             spaceAfter=8, keepWithNext=True),
        "h2": ParagraphStyle("h2", parent=base, fontName=bold, fontSize=11.5, leading=15, spaceBefore=10,
                             spaceAfter=5, keepWithNext=True),
        "title": ParagraphStyle("title", parent=base, fontName=bold, fontSize=28, leading=34, spaceAfter=10),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=14, leading=19, textColor=HexColor(MUTED),
                                   spaceAfter=28),
    }


def _numbered_canvas(footer: str, font: str, skip_first: bool):
    from reportlab.lib.colors import HexColor
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        """Holds pages back until the end so each can say "Page N of M"."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                if not (skip_first and self._pageNumber == 1):
                    width, _ = self._pagesize
                    self.setStrokeColor(HexColor(RULE))
                    self.setLineWidth(0.5)
                    self.line(56, 40, width - 56, 40)
                    self.setFont(font, 7.5)
                    self.setFillColor(HexColor(MUTED))
                    self.drawString(56, 28, clean_text(footer)[:120])
                    self.drawRightString(width - 56, 28, f"Page {self._pageNumber} of {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


def _table(block: Table, styles: dict, width: float):
    from reportlab.lib.colors import HexColor
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus import Table as T
    from reportlab.platypus import TableStyle

    if not block.rows:
        return [P(escape(block.empty), styles["muted"])]
    right = ParagraphStyle("num", parent=styles["cell"], alignment=TA_RIGHT)
    right_head = ParagraphStyle("numhead", parent=styles["head"], alignment=TA_RIGHT)
    data = [[P(escape(c), right_head if i in block.numeric else styles["head"]) for i, c in enumerate(block.columns)]]
    data += [[P(escape(cell), right if i in block.numeric else styles["cell"]) for i, cell in enumerate(row)]
             for row in block.rows]
    widths = block.widths or (1,) * len(block.columns)
    table = T(data, colWidths=[width * w / sum(widths) for w in widths], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), HexColor(BAND)),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, HexColor(ACCENT)),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, HexColor(RULE)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]))
    items = [table]
    if block.caption:
        items.append(P(escape(block.caption), styles["caption"]))
    return items


def _key_values(pairs, styles: dict, width: float):
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus import Table as T
    from reportlab.platypus import TableStyle

    data = [[P(escape(k), styles["head"]), P(escape(v), styles["cell"])] for k, v in pairs]
    table = T(data, colWidths=[width * 0.28, width * 0.72], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    return [table]


def _space_after(flowables: list, points: float) -> list:
    """Room below a block that never spills onto a page of its own (a trailing Spacer can)."""
    if flowables:
        flowables[-1].spaceAfter = max(getattr(flowables[-1], "spaceAfter", 0) or 0, points)
    return flowables


def _flowables(block, styles: dict, width: float, height: float) -> list:
    from reportlab.platypus import Image, KeepTogether
    from reportlab.platypus import PageBreak as Break
    from reportlab.platypus import Paragraph as P

    if isinstance(block, Heading):
        return [P(escape(block.text), styles["h2" if block.level > 1 else "h1"])]
    if isinstance(block, Paragraph):
        return [P(escape(block.text), styles.get(block.style, styles["body"]))]
    if isinstance(block, Bullets):
        items = [P(escape(item), styles["bullet"], bulletText="•") for item in block.items]
        return _space_after(items, 6)
    if isinstance(block, Table):
        return _space_after(_table(block, styles, width), 10)
    if isinstance(block, KeyValues):
        return _space_after(_key_values(block.pairs, styles, width), 8)
    if isinstance(block, Figure):
        image_width = width * block.width_ratio
        image_height = image_width * block.aspect
        if image_height > height * 0.8:  # tall charts shrink to fit a page with their caption
            image_width, image_height = image_width * height * 0.8 / image_height, height * 0.8
        image = Image(io.BytesIO(block.png), width=image_width, height=image_height)
        image.hAlign = "LEFT"
        return [KeepTogether([image, P(escape(block.caption), styles["caption"])])]
    if isinstance(block, PageBreak):
        return [Break()]
    raise TypeError(f"unknown block {block!r}")


def _title_page(document: Document, styles: dict, width: float) -> list:
    from reportlab.platypus import HRFlowable, PageBreak as Break, Paragraph as P, Spacer
    from reportlab.lib.colors import HexColor

    return [Spacer(1, 150), HRFlowable(width="18%", thickness=4, color=HexColor(ACCENT), hAlign="LEFT",
                                       spaceAfter=18),
            P(escape(document.title), styles["title"]), P(escape(document.subtitle), styles["subtitle"]),
            *_key_values(document.meta, styles, width * 0.8), Break()]


def write_pdf(document: Document, handle: IO[bytes]) -> None:
    """Write ``document`` as an A4 PDF to a binary handle."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak as Break
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus import SimpleDocTemplate

    font = _register_fonts()
    styles = _styles(font)
    pdf = SimpleDocTemplate(handle, pagesize=A4, leftMargin=56, rightMargin=56, topMargin=56, bottomMargin=60,
                            title=clean_text(document.title), subject=clean_text(document.subtitle),
                            author="Alignwork")
    width, height = pdf.width, pdf.height
    story: list = []
    if document.title_page:
        story += _title_page(document, styles, width)
    else:
        story += [P(escape(document.title), styles["title"]), P(escape(document.subtitle), styles["muted"])]
    for index, section in enumerate(document.sections):
        if section.new_page and (index > 0 or not document.title_page):
            if story and index > 0:
                story.append(Break())
        heading = P(escape(section.title), styles["h1"])
        heading._bookmark = (section.key, clean_text(section.title))
        story.append(heading)
        for block in section.blocks:
            story += _flowables(block, styles, width, height)

    def after_flowable(flowable) -> None:
        mark = getattr(flowable, "_bookmark", None)
        if mark:
            pdf.canv.bookmarkPage(mark[0])
            pdf.canv.addOutlineEntry(mark[1], mark[0], level=0)

    pdf.afterFlowable = after_flowable
    pdf.build(story, canvasmaker=_numbered_canvas(document.footer, font, document.title_page))
