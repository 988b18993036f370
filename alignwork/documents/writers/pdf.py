"""PDF writer (reportlab platypus, imported lazily): title page, headings with bookmarks, tables
that split across pages with their header repeated, embedded charts, "Page N of M".

reportlab Paragraphs read a little XML markup, so every piece of user text is
XML-escaped first: ``<script>`` prints as text. Arabic is joined (arabic-reshaper) and
right-to-left runs are reordered (python-bidi) line by line as paragraphs are drawn. DejaVu Sans (shipped with
matplotlib) covers the characters user text may hold (é, ø, ≥, →, curly quotes, Hebrew, Arabic);
a character it lacks (many emoji) is drawn from a system font that has it (fontconfig), else
printed as its name in brackets ("[rocket]"), never as an empty box."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape as _xml_escape

from alignwork.documents.docmodel import (
    Bullets, Document, Figure, Heading, KeyValues, PageBreak, Paragraph, Table, clean_text, shorten,
)

FONT = "AlignworkSans"
SIGN_HEIGHT = 46  # points of a row to sign by hand (about 16 mm)
INK, MUTED, RULE, BAND, ACCENT, DRAFT = "#1f2328", "#5b6570", "#d0d7de", "#eef2f7", "#2f6fde", "#c5484d"


# right-to-left letters (Hebrew, Arabic, Syriac, Thaana, NKo… and their presentation forms)
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_INVISIBLE = {"\u200d", "\ufe0e", "\ufe0f", "\u200b", "\u2060"}  # joiners and variation selectors
_COVERAGE: dict[str, frozenset[int]] = {}  # registered font name → the characters it has glyphs for
_FALLBACKS: list[str] = []  # fonts found for characters DejaVu lacks (emoji), registered as found
_SEARCHED: set[int] = set()


def visual(line: str, *, reorder: bool = True) -> str:
    """One line as reportlab should get it: Arabic letters in their joined forms (arabic-reshaper)
    and, with ``reorder``, right-to-left runs in drawing order by the Unicode bidi algorithm
    (python-bidi, base direction left to right: reportlab draws characters left to right).
    Lines without right-to-left letters are left alone."""
    if not _RTL.search(line):
        return line
    from arabic_reshaper import reshape

    line = reshape(line)
    if not reorder:
        return line
    from bidi import get_display

    return get_display(line, base_dir="L")


def _para():
    """reportlab's Paragraph, reordering right-to-left runs line by line when it draws: lines are
    broken in reading order first, so a wrapped Hebrew or Arabic sentence starts on the first line."""
    global _PARA
    if _PARA is None:
        from reportlab.platypus import Paragraph as Base

        class Para(Base):
            def draw(self):
                lines = getattr(getattr(self, "blPara", None), "lines", None)
                if self.blPara.kind != 0 or not any(_RTL.search(w) for _, words in lines for w in words):
                    return super().draw()
                from bidi import get_display

                self.blPara.lines = [(extra, get_display(" ".join(words), base_dir="L").split(" "))
                                     for extra, words in lines]
                try:
                    return super().draw()
                finally:
                    self.blPara.lines = lines  # a later split or redraw starts from reading order

        _PARA = Para
    return _PARA


_PARA = None


def _coverage(font: str) -> frozenset[int] | None:
    """The characters a registered TrueType font has glyphs for; None when it is not one
    (DejaVu Sans missing: Helvetica, whose coverage reportlab does not tell)."""
    if font not in _COVERAGE:
        from reportlab.pdfbase import pdfmetrics

        if font == FONT and FONT not in pdfmetrics.getRegisteredFontNames():
            _register_fonts()
        try:
            face = getattr(pdfmetrics.getFont(font), "face", None)
        except KeyError:
            return None
        _COVERAGE[font] = frozenset(getattr(face, "charToGlyph", {}) or ())
    return _COVERAGE[font] or None


def _fallback_for(code: int) -> str | None:
    """A registered font with a glyph for ``code``, looking once through the system's fonts
    (fontconfig) for one reportlab can embed (TrueType outlines; colour-bitmap emoji fonts cannot)."""
    for name in _FALLBACKS:
        if code in (_coverage(name) or ()):
            return name
    if code in _SEARCHED:
        return None
    _SEARCHED.add(code)
    import subprocess

    try:
        found = subprocess.run(["fc-list", "--format", "%{file}\n", f":charset={code:x}"], capture_output=True,
                               text=True, timeout=5).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return None
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for path in found:
        if not path.lower().endswith((".ttf", ".otf")):
            continue
        name = f"AlignworkFallback{len(_FALLBACKS)}"
        try:
            pdfmetrics.registerFont(TTFont(name, path))
        except Exception:  # noqa: BLE001 — CFF outlines, colour bitmaps: not embeddable, try the next
            continue
        _FALLBACKS.append(name)
        if code in (_coverage(name) or ()):
            return name
    return None


def unprintable(char: str) -> str:
    """What stands in for a character no font here can draw: its Unicode name, visibly."""
    import unicodedata

    return f"[{unicodedata.name(char, f'U+{ord(char):04X}').lower()}]"


def printable(line: str, font: str = "", *, reorder: bool = True) -> list[tuple[str, str | None]]:
    """``line`` as runs of (text, font or None for the body font); characters no font has are
    replaced by their names in brackets ("[rocket]") rather than drawn as empty boxes."""
    font = font or FONT
    covered = _coverage(font) if font == FONT else None
    line = visual(line, reorder=reorder)
    if covered is None or line.isascii() or covered.issuperset(map(ord, line)):  # the common case, at C speed
        return [(line, None)] if line else []
    runs: list[tuple[str, str | None]] = []
    for char in line:
        target: str | None = None
        if covered is not None and ord(char) not in covered and not char.isspace():
            if char in _INVISIBLE:
                continue
            target = _fallback_for(ord(char))
            if target is None:
                char = unprintable(char)
        if runs and runs[-1][1] == target:
            runs[-1] = (runs[-1][0] + char, target)
        else:
            runs.append((char, target))
    return runs


def _markup(runs: list[tuple[str, str | None]]) -> str:
    return "".join(_xml_escape(text) if name is None else f'<font name="{name}">{_xml_escape(text)}</font>'
                   for text, name in runs)


def escape(text: object) -> str:
    """User text as Paragraph markup: XML-escaped, Arabic joined, with a fallback font or a visible
    name for characters DejaVu Sans lacks. A one-line text in one font is reordered line by line
    as it is drawn (``_para``); several lines or fonts make reportlab's other line kind, which
    that cannot reach, so those are put in drawing order here, before wrapping."""
    lines = clean_text(text).split("\n")
    if len(lines) == 1:
        runs = printable(lines[0], reorder=False)
        if all(name is None for _, name in runs):
            return _markup(runs)
    return "<br/>".join(_markup(printable(line)) for line in lines)


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
        "notice": ParagraphStyle("notice", parent=base, fontSize=10, leading=14, textColor=HexColor(DRAFT),
                                 spaceAfter=0),
        "caption": ParagraphStyle("caption", parent=base, fontSize=8.5, textColor=HexColor(MUTED), spaceAfter=12),
        "h1": ParagraphStyle("h1", parent=base, fontName=bold, fontSize=15, leading=19, spaceBefore=14,
                             spaceAfter=8, keepWithNext=True),
        "h2": ParagraphStyle("h2", parent=base, fontName=bold, fontSize=11.5, leading=15, spaceBefore=10,
                             spaceAfter=5, keepWithNext=True),
        "title": ParagraphStyle("title", parent=base, fontName=bold, fontSize=28, leading=34, spaceAfter=10),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=14, leading=19, textColor=HexColor(MUTED),
                                   spaceAfter=28),
    }


def _numbered_canvas(footer: str, font: str, skip_first: bool, mark: str = ""):
    from reportlab.lib.colors import HexColor
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        """Holds pages back until the end so each can say "Page N of M". Bookmarks wait with
        their page: a destination made before its page exists would point at page 1."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []
            self._marks: list[tuple[str, float]] = []

        def mark_here(self, key: str, top: float) -> None:
            self._marks.append((key, top))

        def showPage(self):  # noqa: N802 (reportlab name)
            self._pages.append(dict(self.__dict__))
            self._marks = []
            self._startPage()

        def _decorate(self, total: int) -> None:
            width, height = self._pagesize
            if mark:  # a version not in force: across every page, behind nothing
                self.saveState()
                self.setFillColor(HexColor(DRAFT))
                self.setFillAlpha(0.09)
                self.setFont(f"{font}-Bold" if font == FONT else "Helvetica-Bold", 110)
                self.translate(width / 2, height / 2)
                self.rotate(45)
                self.drawCentredString(0, -40, mark)
                self.restoreState()
                self.setFont(f"{font}-Bold" if font == FONT else "Helvetica-Bold", 8)
                self.setFillColor(HexColor(DRAFT))
                self.drawRightString(width - 56, height - 34, f"{mark} — not agreed")
            if not (skip_first and self._pageNumber == 1):
                self.setStrokeColor(HexColor(RULE))
                self.setLineWidth(0.5)
                self.line(56, 40, width - 56, 40)
                self.setFont(font, 7.5)
                self.setFillColor(HexColor(MUTED))
                number = f"Page {self._pageNumber} of {total}"
                room = width - 112 - stringWidth(number, font, 7.5) - 18
                self.drawString(56, 28, fit_width(footer, font, 7.5, room))
                self.drawRightString(width - 56, 28, number)

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                for key, top in state["_marks"]:  # this page exists now: the destination is right
                    self.bookmarkPage(key, fit="XYZ", left=0, top=top)
                self._decorate(total)
                super().showPage()
            super().save()

    return NumberedCanvas


def fit_width(text: str, font: str, size: float, width: float) -> str:
    """``text`` on one line no wider than ``width`` points, shortened with "…" if need be."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = "".join(run for run, _ in printable(clean_text(text).replace("\n", " "), font))
    if stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if stringWidth(shorten(text, middle), font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return shorten(text, max(low, 1))


def _bookmarked_heading(text: str, style, key: str, title: str, level: int):
    """A heading that bookmarks the spot it is drawn at and adds itself to the outline."""
    P = _para()

    class Bookmarked(P):
        def draw(self):
            _, top = self.canv.absolutePosition(0, self.height)
            if hasattr(self.canv, "mark_here"):
                self.canv.mark_here(key, top + self.style.fontSize * 0.4)
            self.canv.addOutlineEntry(title, key, level=level)
            super().draw()

    return Bookmarked(text, style)


def _table(block: Table, styles: dict, width: float):
    from reportlab.lib.colors import HexColor
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    P = _para()
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
    rows = [None] * len(data)
    if block.sign_space:  # room for a hand-written name, signature and date
        rows = [None] + [SIGN_HEIGHT] * len(block.rows)
    table = T(data, colWidths=[width * w / sum(widths) for w in widths], rowHeights=rows, repeatRows=1,
              hAlign="LEFT")
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), HexColor(BAND)),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, HexColor(ACCENT)),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, HexColor(RULE)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if block.sign_space:
        commands += [("GRID", (0, 1), (-1, -1), 0.6, HexColor(MUTED)), ("VALIGN", (0, 1), (-1, -1), "MIDDLE")]
    table.setStyle(TableStyle(commands))
    items = [table]
    if block.caption:
        items.append(P(escape(block.caption), styles["caption"]))
    return items


def _key_values(pairs, styles: dict, width: float):
    P = _para()
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
    P = _para()

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
    from reportlab.platypus import HRFlowable, PageBreak as Break, Spacer

    P = _para()
    from reportlab.lib.colors import HexColor

    return [Spacer(1, 150), HRFlowable(width="18%", thickness=4, color=HexColor(ACCENT), hAlign="LEFT",
                                       spaceAfter=18),
            P(escape(document.title), styles["title"]), P(escape(document.subtitle), styles["subtitle"]),
            *_notice(document, styles, width), *_key_values(document.meta, styles, width * 0.8), Break()]


def _notice(document: Document, styles: dict, width: float) -> list:
    """The box that says a version is not in force, under the title."""
    from reportlab.lib.colors import HexColor
    P = _para()
    from reportlab.platypus import Table as T
    from reportlab.platypus import TableStyle

    if not document.mark:
        return []
    box = T([[P(f"<b>{escape(document.mark)}</b> — {escape(document.notice)}", styles["notice"])]],
            colWidths=[width], hAlign="LEFT")
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.2, HexColor(DRAFT)),
                             ("BACKGROUND", (0, 0), (-1, -1), HexColor("#fdf0f0")),
                             ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                             ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8)]))
    box.spaceAfter = 12
    return [box]


def write_pdf(document: Document, handle: IO[bytes]) -> None:
    """Write ``document`` as an A4 PDF to a binary handle."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak as Break
    P = _para()
    from reportlab.platypus import SimpleDocTemplate

    font = _register_fonts()
    styles = _styles(font)
    pdf = SimpleDocTemplate(handle, pagesize=A4, leftMargin=56, rightMargin=56, topMargin=56, bottomMargin=60,
                            title=clean_text(document.title), subject=clean_text(document.subtitle),
                            author=clean_text(document.author) or "Alignwork", creator="Alignwork")
    width, height = pdf.width, pdf.height
    story: list = []
    if document.title_page:
        story += _title_page(document, styles, width)
    else:
        story += [P(escape(document.title), styles["title"]), P(escape(document.subtitle), styles["muted"]),
                  *_notice(document, styles, width)]
    for index, section in enumerate(document.sections):
        if section.new_page and (index > 0 or not document.title_page):
            if story and index > 0:
                story.append(Break())
        story.append(_bookmarked_heading(escape(section.title), styles["h1"], section.key,
                                         clean_text(section.title), 0))
        for block in section.blocks:
            story += _flowables(block, styles, width, height)
    pdf.build(story, canvasmaker=_numbered_canvas(document.footer, font, document.title_page, document.mark))
