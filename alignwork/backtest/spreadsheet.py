"""Lead files that are spreadsheets (XLSX, XLSM, XLS, ODS): the first sheet, read with fastexcel
(calamine) after its declared size and real contents were checked against ``leads``' limits from
the zip itself, before the reader allocates anything. The limits are read from ``leads`` at each
call, so that they are one set for CSV and spreadsheets."""

from __future__ import annotations

import re
from pathlib import Path

from alignwork.backtest import leads
from alignwork.backtest.leads import LINE, LeadFileError, LeadTable

_SHEET_REF = re.compile(rb'<dimension ref="([A-Z]{0,3})(\d*)(?::([A-Z]{1,3})(\d+))?"|\sr="([A-Z]{0,3})(\d+)"')


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _first_sheet(archive) -> str | None:
    """The member name of the workbook's first sheet (what the reader loads), or None."""
    names = set(archive.namelist())
    try:
        workbook = archive.read("xl/workbook.xml")[:1 << 20] if archive.getinfo("xl/workbook.xml").file_size < 1 << 22 else b""
        rels = archive.read("xl/_rels/workbook.xml.rels") if archive.getinfo("xl/_rels/workbook.xml.rels").file_size < 1 << 22 else b""
    except KeyError:
        workbook = rels = b""
    first = re.search(rb'<(?:\w+:)?sheet\b[^>]*?r:id="([^"]+)"', workbook)
    if first:
        target = re.search(rb'<Relationship\b[^>]*?Id="' + re.escape(first.group(1)) + rb'"[^>]*?Target="([^"]+)"', rels) \
            or re.search(rb'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="' + re.escape(first.group(1)) + rb'"', rels)
        if target:
            name = target.group(1).decode("utf-8", "replace").lstrip("/")
            name = name if name.startswith("xl/") else f"xl/{name}"
            if name in names:
                return name
    sheets = sorted(name for name in names if name.startswith("xl/worksheets/") and name.endswith(".xml"))
    return sheets[0] if sheets else None


def _check_spreadsheet(path: Path) -> None:
    """LeadFileError if an XLSX's first sheet declares or holds more than the limits allow, read
    from the zip without building anything: its declared dimension, the furthest cell it names,
    and the real uncompressed size of the sheet and its shared strings (a zip may lie)."""
    import zipfile

    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # the reader tells a broken file in its own (plain) message
    with archive:
        sheet = _first_sheet(archive)
        members = [name for name in (sheet, "xl/sharedStrings.xml") if name and name in archive.namelist()]
        rows = columns = 0
        for member in members:
            info = archive.getinfo(member)
            if info.file_size > leads.MAX_SHEET_BYTES:
                raise LeadFileError(f"{path.name} holds {info.file_size:,} bytes of sheet data uncompressed; "
                                    f"Alignwork reads up to {leads.MAX_SHEET_BYTES:,}: export fewer rows or columns, "
                                    "or save it as CSV")
            total, tail, run = 0, b"", 0
            long_text = re.compile(rb"[^<]{%d}" % (leads.MAX_CELL_BYTES + 1))
            try:
                with archive.open(info) as handle:
                    while chunk := handle.read(1 << 20):
                        total += len(chunk)
                        cut = chunk.find(b"<")  # text runs between tags: one cell's text is one run
                        run = run + len(chunk) if cut < 0 else max(run + cut, 0)
                        if run > leads.MAX_CELL_BYTES or long_text.search(chunk):
                            raise LeadFileError(f"{path.name} has a cell longer than {leads.MAX_CELL_BYTES:,} bytes; "
                                                "Alignwork reads cells up to that (Excel itself holds 32,767 "
                                                "characters): fix that cell, or export the file as CSV")
                        if cut >= 0:
                            run = len(chunk) - chunk.rfind(b"<") - 1
                        if total > leads.MAX_SHEET_BYTES:
                            raise LeadFileError(f"{path.name} holds more than {leads.MAX_SHEET_BYTES:,} bytes of sheet "
                                                "data uncompressed; export fewer rows or columns, or save it as CSV")
                        if member == sheet:
                            text = tail + chunk
                            for match in _SHEET_REF.finditer(text):
                                if match.group(4):  # <dimension ref="A1:XFD1048576">
                                    columns = max(columns, _column_number(match.group(3)))
                                    rows = max(rows, int(match.group(4)))
                                elif match.group(2) or match.group(6):
                                    letters, number = (match.group(1), match.group(2)) if match.group(2) else \
                                        (match.group(5), match.group(6))
                                    columns = max(columns, _column_number(letters or b""))
                                    rows = max(rows, int(number))
                            tail = text[-64:]
                            if rows > leads.MAX_ROWS or columns > leads.MAX_COLUMNS \
                                    or rows * columns > leads.MAX_SHEET_CELLS:
                                raise LeadFileError(
                                    f"{path.name}: the first sheet declares {rows:,} rows × {columns:,} columns; "
                                    f"Alignwork reads at most {leads.MAX_ROWS:,} rows, {leads.MAX_COLUMNS:,} columns "
                                    f"and {leads.MAX_SHEET_CELLS:,} cells: select only the used range and save it "
                                    "again, or export it as CSV")
            except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, NotImplementedError) as error:
                raise LeadFileError(f"cannot read {path.name} as a spreadsheet: it is damaged ({error}); open it in "
                                    "Excel and save it again, or export it as CSV") from None


def read_excel(path: Path) -> LeadTable:
    """The first sheet of an XLSX/ODS (the first row with anything in it holds the headers) as a
    ``LeadTable``; raises ``LeadFileError``. Its declared size and real contents are checked
    against the limits first (``_check_spreadsheet``)."""
    import polars as pl

    _check_spreadsheet(path)  # before the reader allocates its grid from what the file claims

    try:
        import fastexcel

        # no header row and no skipping: row i of the frame is sheet row i + 1, empty rows included
        sheet = fastexcel.read_excel(str(path)).load_sheet(0, header_row=None, skip_rows=0, dtypes="string")
        grid = sheet.to_polars()
    except Exception:  # calamine reports broken or encrypted files in many ways, all in its own jargon
        raise LeadFileError(f"cannot read {path.name} as a spreadsheet: it is damaged, password-protected or "
                            "not really a spreadsheet; open it in Excel and save it again, or export it as CSV") \
            from None
    raw_names = grid.columns
    filled = grid.select(pl.any_horizontal(pl.all().is_not_null() & (pl.all().str.strip_chars() != ""))
                         if grid.width else pl.lit(False)).to_series()
    if not filled.any():
        raise LeadFileError(f"{path.name}: the first sheet is empty")
    header_index = int(filled.arg_true()[0])  # the first row with anything in it holds the headers
    columns = leads._unique_headers([value or "" for value in grid.row(header_index)])
    frame = grid.slice(header_index + 1).rename(dict(zip(raw_names, columns)))
    frame = frame.with_columns(pl.int_range(header_index + 2, header_index + 2 + frame.height, dtype=pl.Int64)
                               .alias(LINE))
    frame = frame.filter(filled.slice(header_index + 1))
    return LeadTable(frame=frame, columns=columns, rows=frame.height, encoding="xlsx", delimiter="")
