"""DOCX writer (python-docx, imported lazily): a title page, real Heading styles, styled tables
that repeat their header row, charts as pictures and "Page N of M" in the footer.

python-docx puts text into XML text nodes, so markup in user text stays text;
``clean_text`` drops the control characters XML cannot hold."""

from __future__ import annotations

import io
from typing import IO

from alignwork.documents.docmodel import (
    Bullets, Document, Figure, Heading, KeyValues, PageBreak, Paragraph, Table, clean_text, shorten,
)

ACCENT = "2F6FDE"
BAND = "EEF2F7"
RULE = "C9D1D9"
MUTED = (0x5B, 0x65, 0x70)
DRAFT = "C5484D"
# the footer text's longest line beside "Page 10 of 12" at 8.5 pt on A4 (Calibri averages under 4.3 pt a
# character, 16.6 cm hold about 470 pt; wider fallback fonts keep a margin)
FOOTER_CHARS = 80
SIGN_HEIGHT_PT = 46  # a row to sign by hand (about 16 mm), as in the PDF


def _field(run, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) inside ``run``; Word and LibreOffice fill it in."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "1":
            element = OxmlElement("w:t")
            element.text = "1"
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        run._r.append(element)


def _shade(cell, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _light_borders(table) -> None:
    """Thin grey rules between rows, no vertical lines: the look of the PDF tables."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        visible = edge in ("top", "bottom", "insideH")
        element.set(qn("w:val"), "single" if visible else "nil")
        if visible:
            element.set(qn("w:sz"), "4")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), RULE)
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _row_flag(row, flag: str) -> None:
    """Set a row property: w:tblHeader (repeat on every page) or w:cantSplit (never break across pages)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    marker = OxmlElement(flag)
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _setup(docx_document, footer_text: str, mark: str = "") -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Cm, Pt, RGBColor

    styles = docx_document.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(10.5)
    styles["Normal"].paragraph_format.space_after = Pt(6)
    for name, size in (("Title", 28), ("Heading 1", 16), ("Heading 2", 12.5)):
        style = styles[name]
        style.font.name = "Calibri"
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor.from_string("1F2328")
    styles["Heading 1"].paragraph_format.space_before = Pt(18)
    section = docx_document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.different_first_page_header_footer = True  # no page number on the title page
    styles["Footer"].font.size = Pt(8.5)  # the page-number fields take the paragraph style
    styles["Footer"].font.color.rgb = RGBColor(*MUTED)
    # one line: the text at the left, "Page N of M" at a right tab stop, the text cut to fit
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.LEFT
    text_width = section.page_width - section.left_margin - section.right_margin
    footer.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    for text, instruction in ((f"{shorten(footer_text, FOOTER_CHARS)}\tPage ", "PAGE"), (" of ", "NUMPAGES")):
        run = footer.add_run(text)
        run.font.size, run.font.color.rgb = Pt(8.5), RGBColor(*MUTED)
        number = footer.add_run()
        number.font.size, number.font.color.rgb = Pt(8.5), RGBColor(*MUTED)
        _field(number, instruction)
    if mark:  # a version not in force says so at the top of every page, the title page too
        for header in (section.header, section.first_page_header):
            paragraph = header.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = paragraph.add_run(f"{mark} — not agreed")
            run.bold, run.font.size, run.font.color.rgb = True, Pt(10), RGBColor.from_string(DRAFT)


def _title_page(docx_document, document: Document) -> None:
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt, RGBColor

    for _ in range(5):
        docx_document.add_paragraph()
    docx_document.add_paragraph(clean_text(document.title), style="Title")
    subtitle = docx_document.add_paragraph()
    run = subtitle.add_run(clean_text(document.subtitle))
    run.font.size, run.font.color.rgb = Pt(14), RGBColor(*MUTED)
    _notice(docx_document, document)
    docx_document.add_paragraph()
    _key_values(docx_document, document.meta)
    docx_document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _key_values(docx_document, pairs) -> None:
    from docx.shared import Cm

    table = docx_document.add_table(rows=0, cols=2)
    table.autofit = False
    table.columns[0].width, table.columns[1].width = Cm(4.2), Cm(12.3)
    for key, value in pairs:
        row = table.add_row()
        _row_flag(row, "w:cantSplit")
        cells = row.cells
        cells[0].width, cells[1].width = Cm(4.2), Cm(12.3)
        cells[0].paragraphs[0].add_run(clean_text(key)).bold = True
        cells[1].paragraphs[0].add_run(clean_text(value))
    docx_document.add_paragraph()


def _table(docx_document, block: Table) -> None:
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    if not block.rows:
        docx_document.add_paragraph(clean_text(block.empty)).runs[0].italic = True
        return
    table = docx_document.add_table(rows=1, cols=len(block.columns))
    table.style = "Table Grid"
    if not block.sign_space:  # signing boxes keep the grid's lines
        _light_borders(table)
    widths = block.widths or (1,) * len(block.columns)
    scale = 16.5 / sum(widths)
    for index, title in enumerate(block.columns):
        cell = table.rows[0].cells[index]
        run = cell.paragraphs[0].add_run(clean_text(title))
        run.bold, run.font.size = True, Pt(9.5)
        if index in block.numeric:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _shade(cell, BAND)
    _row_flag(table.rows[0], "w:tblHeader")
    for row in block.rows:
        added = table.add_row()
        _row_flag(added, "w:cantSplit")  # a row's "7 of 11" never lands on one page and "(contested)" on the next
        if block.sign_space:  # room to sign by hand, in a box
            added.height, added.height_rule = Pt(SIGN_HEIGHT_PT), WD_ROW_HEIGHT_RULE.AT_LEAST
        cells = added.cells
        for index, value in enumerate(row):
            paragraph = cells[index].paragraphs[0]
            paragraph.add_run(clean_text(value)).font.size = Pt(9.5)
            if index in block.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    # Word reads cell widths, LibreOffice the grid columns: set both, with autofit off
    table.autofit = False
    for index, column in enumerate(table.columns):
        column.width = Cm(widths[index] * scale)
    for row in table.rows:
        for index, cell in enumerate(row.cells):
            cell.width = Cm(widths[index] * scale)
    if block.caption:
        docx_document.add_paragraph(clean_text(block.caption), style="Caption")
    docx_document.add_paragraph()


def _block(docx_document, block) -> None:
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm, Pt, RGBColor

    if isinstance(block, Heading):
        docx_document.add_heading(clean_text(block.text), level=min(block.level, 9))
    elif isinstance(block, Paragraph):
        run = docx_document.add_paragraph().add_run(clean_text(block.text))
        run.bold = block.style == "strong"
        if block.style == "lead":
            run.font.size = Pt(11.5)
        if block.style == "muted":
            run.italic, run.font.color.rgb = True, RGBColor(*MUTED)
    elif isinstance(block, Bullets):
        for item in block.items:
            docx_document.add_paragraph(clean_text(item), style="List Bullet")
    elif isinstance(block, Table):
        _table(docx_document, block)
    elif isinstance(block, KeyValues):
        _key_values(docx_document, block.pairs)
    elif isinstance(block, Figure):
        docx_document.add_picture(io.BytesIO(block.png), width=Cm(16.5 * block.width_ratio))
        docx_document.add_paragraph(clean_text(block.caption), style="Caption")
    elif isinstance(block, PageBreak):
        docx_document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _properties(docx_document, document: Document) -> None:
    """Core properties of our own: python-docx's template says author "python-docx", 2013."""
    from datetime import datetime, timezone

    properties = docx_document.core_properties
    when = (document.created or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(tzinfo=None)
    properties.title = clean_text(f"{document.title} — {document.subtitle}")
    properties.subject = clean_text(document.subtitle)
    properties.author = properties.last_modified_by = clean_text(document.author) or "Alignwork"
    properties.created = properties.modified = when
    properties.revision = 1
    properties.comments = "Written by Alignwork" + (f"; {document.mark}: {clean_text(document.notice)}"
                                                    if document.mark else "")
    properties.keywords = "lead definition; " + ("agreed" if not document.mark else document.mark.lower())
    properties.category = "Lead definition"


def _notice(docx_document, document: Document) -> None:
    """The sentence that says a version is not in force, in red under the title."""
    from docx.shared import Pt, RGBColor

    if not document.mark:
        return
    paragraph = docx_document.add_paragraph()
    head = paragraph.add_run(f"{document.mark} — ")
    head.bold = True
    body = paragraph.add_run(clean_text(document.notice))
    for run in (head, body):
        run.font.size, run.font.color.rgb = Pt(11), RGBColor.from_string(DRAFT)


def write_docx(document: Document, handle: IO[bytes]) -> None:
    """Write ``document`` as DOCX to a binary handle."""
    import docx
    from docx.enum.text import WD_BREAK

    docx_document = docx.Document()
    _properties(docx_document, document)
    _setup(docx_document, document.footer, document.mark)
    if document.title_page:
        _title_page(docx_document, document)
    else:
        docx_document.sections[0].different_first_page_header_footer = False
        docx_document.add_paragraph(clean_text(document.title), style="Title")
        docx_document.add_paragraph(clean_text(document.subtitle)).runs[0].italic = True
        _notice(docx_document, document)
    first = True
    for section in document.sections:
        if section.new_page and not first:
            docx_document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        first = False
        docx_document.add_heading(clean_text(section.title), level=1)
        for block in section.blocks:
            _block(docx_document, block)
    docx_document.save(handle)
