"""Print the interview kit to PDF with Qt's own text engine, written atomically."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from alignwork.atomic import write_atomic


def kit_pdf_bytes(html: str, *, title: str = "Interview kit") -> bytes:
    """Lay ``html`` out on A4 pages and return the PDF."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(title)
    writer.setCreator("Alignwork")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(16, 14, 16, 14), QPageLayout.Unit.Millimeter))
    writer.setResolution(300)
    document = QTextDocument()
    font = QFont()
    font.setPointSizeF(10)
    document.setDefaultFont(font)
    document.setHtml(html)
    document.print_(writer)
    del writer  # finishes the PDF in the buffer
    buffer.close()
    return bytes(data)


def write_kit_pdf(path: str | Path, html: str, *, title: str = "Interview kit") -> Path:
    """Write the kit PDF to ``path`` atomically (no half-written file on any error)."""
    return write_atomic(path, kit_pdf_bytes(html, title=title))
