"""Read a lead list exported from a CRM: CSV (any common encoding and delimiter) or XLSX.

Every cell is read as text (mapping and scoring decide what a number is), each
row keeps the FILE line number it starts on (column ``LINE``) so problems can
be reported in the user's terms, and rows that cannot be trusted are listed in
``LeadTable.bad_lines`` and left out — never silently mis-scored.

The CSV fast path lets polars parse and finds record boundaries, line numbers
and field counts on the raw bytes (``csv_index``: quotes make a newline or a
delimiter part of a field); a file of one record per line needs one counting
pass and no copy of its bytes. If polars and that index disagree — a stray quote
in an unquoted field, say — the file is read again with Python's ``csv`` module,
which is slower but exact.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from alignwork.backtest import csv_index

LINE = "_line"  # the file line (CSV) or sheet row (XLSX) a lead starts on
# What a lead file may hold, checked before anything big is allocated (a hostile or broken
# file gets a clear message instead of eating the memory or aborting the process).
MAX_ROWS = 5_000_000
MAX_COLUMNS = 2_000
MAX_CELL_BYTES = 131_072  # Excel itself holds at most 32,767 characters in a cell
MAX_FILE_BYTES = 2 << 30  # a CSV, read whole
MAX_SHEET_BYTES = 1 << 30  # an XLSX's sheet and shared strings, uncompressed
MAX_SHEET_CELLS = 60_000_000  # rows × columns a sheet may declare (the reader allocates its grid)
DELIMITERS = (",", ";", "\t", "|")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_UTF8_BOM = codecs.BOM_UTF8


class LeadFileError(Exception):
    """The file cannot be read at all; the message says why in plain words."""


@dataclass(frozen=True)
class BadLine:
    line: int
    reason: str


@dataclass
class LeadTable:
    """The rows of a lead file as text columns plus ``LINE``; bad rows already removed."""

    frame: object  # polars.DataFrame
    columns: list[str]  # original headers, in file order (made unique)
    rows: int  # data rows read (blank lines not counted), bad ones included
    bad_lines: list[BadLine] = field(default_factory=list)
    encoding: str = "utf-8"
    delimiter: str = ","
    file_name: str = ""


def read_leads(path: str | Path) -> LeadTable:
    """Read ``path`` (CSV or spreadsheet) into a ``LeadTable``; raises ``LeadFileError``."""
    path = Path(path)
    if not path.is_file():
        raise LeadFileError(f"{path} is not a file")
    if path.suffix.lower() in EXCEL_SUFFIXES:
        table = _read_excel(path)
    else:
        try:
            stamp = _stamp(path)
            if stamp[0] > MAX_FILE_BYTES:
                raise LeadFileError(f"{path.name} is {stamp[0]:,} bytes; Alignwork reads lead files up to "
                                    f"{MAX_FILE_BYTES:,} bytes: export fewer rows or columns")
            # a file of one record per line, the usual export, is read without a copy of its bytes:
            # one pass counts them (chunk by chunk) and polars reads the file itself
            block = _scan_block()
            with path.open("rb", buffering=0) as handle:
                table, parsed = _read_lines_file(path, csv_index.scan(csv_index.file_chunks(handle, block), block))
            changed = _stamp(path) != stamp
            if table is None or changed:  # any other, or one saved again meanwhile
                table, parsed = None, None if changed else parsed
                data = path.read_bytes()
        except OSError as error:
            raise LeadFileError(f"cannot read {path.name}: {error.strerror or error}") from None
        try:
            if table is None:
                try:  # polars reads the file itself (faster than from the bytes) unless it changed meanwhile
                    table = read_csv_bytes(data, source=path, parsed=parsed)
                    unchanged = _stamp(path) == stamp
                except OSError:
                    unchanged = False
                if not unchanged:
                    table = read_csv_bytes(data)
        except LeadFileError as error:  # "the file is empty" names the file: another may still be open
            raise LeadFileError(f"{path.name}: {error}") from None
    if table.rows == 0:  # a back-test of nothing would be recorded as a run with a 0 % pass rate
        raise LeadFileError(f"{path.name} has column headers but no lead rows; nothing to score")
    table.file_name = path.name
    return table


def _stamp(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns


# ------------------------------------------------------------------ encoding

def _unwrap(data: bytes) -> tuple[bytes, str]:
    """The bytes without BOM (UTF-16 converted), and the encoding they claim. Whether
    unmarked bytes are really UTF-8 is left to the parser (polars checks as it reads)."""
    if data.startswith(_UTF8_BOM):
        return data[len(_UTF8_BOM):], "utf-8-sig"
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return data.decode("utf-16").encode("utf-8"), "utf-16"
    if b"\x00" in data[:4096]:
        raise LeadFileError("this does not look like a text (CSV) file; export the leads as CSV or XLSX")
    return data, "utf-8"


def _from_cp1252(data: bytes) -> bytes:
    """Windows-1252 (Excel's "CSV" on Windows) as UTF-8."""
    try:
        return data.decode("cp1252").encode("utf-8")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return data.decode("latin-1").encode("utf-8")


class _NotUtf8(Exception):
    pass


# ------------------------------------------------------------------ CSV

def _unique_headers(raw: list[str]) -> list[str]:
    names: list[str] = []
    for index, name in enumerate(raw, start=1):
        base = name.strip() or f"Column {index}"
        candidate, counter = base, 2
        while candidate in names:
            candidate, counter = f"{base} ({counter})", counter + 1
        names.append(candidate)
    return names


def _sniff_delimiter(header: str, second: str) -> str:
    """The delimiter that splits the header most, preferring one the next line agrees with."""
    def count(text: str, delimiter: str) -> int:
        try:
            return len(next(csv.reader([text], delimiter=delimiter))) - 1
        except (csv.Error, StopIteration):
            return 0

    scored = []
    for delimiter in DELIMITERS:
        in_header = count(header, delimiter)
        agrees = bool(second) and count(second, delimiter) == in_header
        scored.append((in_header > 0, agrees, in_header, delimiter))
    best = max(scored)
    return best[3] if best[0] else ","


def _delimiter_of(head: bytes) -> str:
    first_lines = head.decode("utf-8", errors="replace").splitlines() or [""]
    return _sniff_delimiter(first_lines[0], first_lines[1] if len(first_lines) > 1 else "")


def _header_of(head: bytes, delimiter: str) -> list[str]:
    """The header's cells, read by the csv module; raises _NeedsExactReader."""
    try:
        return next(csv.reader(io.StringIO(head.decode("utf-8", errors="replace"), newline=""), delimiter=delimiter))
    except (csv.Error, StopIteration):
        raise _NeedsExactReader() from None


def read_csv_bytes(data: bytes, source: Path | None = None, parsed=None) -> LeadTable:
    """Parse CSV bytes (see module docstring): UTF-8 (with or without BOM), UTF-16 with BOM,
    else Windows-1252. ``source``: the file ``data`` was read from, for polars to read itself
    when it parses the bytes as they are; ``parsed``: polars' reading of it already made
    (``_read_lines_file``), used then."""
    unwrapped, encoding = _unwrap(data)
    try:
        return _parse_csv(unwrapped, encoding, source if unwrapped is data else None, parsed)
    except _NotUtf8:
        if encoding != "utf-8":
            raise LeadFileError(f"the file says it is {encoding} but is not; save it as UTF-8 CSV") from None
        return _parse_csv(_from_cp1252(unwrapped), "cp1252")


_SEP_HINT = re.compile(rb"(?i)sep=([^\r\n])\r?\n")  # Excel's "sep=;" first line names the delimiter


def _preamble(data: bytes) -> tuple[int, int, str | None]:
    """What comes before the header, the first non-blank line: ``(lines, bytes, delimiter)`` —
    blank lines (dropped) and Excel's "sep=;" line, which names the delimiter. Raises
    LeadFileError when there is nothing else."""
    leading = re.match(rb"[\r\n \t]*", data).end()
    if leading == len(data):
        raise LeadFileError("the file is empty")
    start = data.rfind(b"\n", 0, leading) + 1 if leading else 0
    lines = data.count(b"\n", 0, start)
    hint = _SEP_HINT.match(data, start)
    return (lines + 1, hint.end(), hint.group(1).decode()) if hint else (lines, start, None)


def _parse_csv(data: bytes, encoding: str, source: Path | None = None, parsed=None) -> LeadTable:
    skipped_lines, offset, named = _preamble(data)
    if offset:  # (no copy otherwise)
        data, source = data[offset:], None
    delimiter = named or _delimiter_of(data[:csv_index.HEAD])
    try:
        return _read_csv_polars(data, delimiter, encoding, skipped_lines, source,
                                parsed if source is not None else None)
    except _NeedsExactReader:
        return _read_csv_python(data, delimiter, encoding, skipped_lines)


class _NeedsExactReader(Exception):
    pass


def _scan_block() -> int:
    """The block of ``csv_index.scan``: a file it calls short has no line over ``MAX_CELL_BYTES``."""
    return max(1, MAX_CELL_BYTES // 2)




def _may_hold_blank_rows(frame, delimiter: str) -> bool:
    """Whether a row polars read may be blank as the record index has it (a record of at most 3
    bytes a field, nothing but delimiters, spaces and quotes: ``""``, ``;;;``): a row of a few
    cell bytes, each cell nothing else."""
    import polars as pl

    size = pl.sum_horizontal(pl.col(name).str.len_bytes().fill_null(0) for name in frame.columns)
    candidates = frame.filter(size <= 2 * frame.width + 3)  # the record's delimiters are bytes too
    if not candidates.height:
        return False
    filler = " \t\r\n\"" + delimiter
    return bool(candidates.select(pl.all_horizontal(
        (pl.col(name).str.strip_chars(filler).fill_null("") == "") for name in frame.columns).any()).item())


def _table_by_lines(frame, columns: list[str], skipped_lines: int, delimiter: str, encoding: str):
    """The ``LeadTable`` of a file polars read a record per line, every record proven whole
    (``csv_index.proven_by_lines``): its rows are on lines 2, 3, … (after ``skipped_lines``); None when
    a row may be blank (the record index tells those)."""
    import polars as pl

    if _may_hold_blank_rows(frame, delimiter):
        return None
    lines = pl.int_range(2 + skipped_lines, frame.height + 2 + skipped_lines, dtype=pl.Int64, eager=True)
    frame = frame.with_columns(chunked_like(lines.alias(LINE), frame))
    return LeadTable(frame=frame, columns=columns, rows=frame.height, bad_lines=[],
                     encoding=encoding, delimiter=delimiter)


def _read_lines_file(path: Path, scan: csv_index.Scan):
    """``(table, frame)``: the ``LeadTable`` of a UTF-8 file whose header is its first line, that
    polars reads itself a record per line and whose records are all proven whole, from ``scan``
    alone (no copy of its bytes); else None, with polars' reading of the file when it got that
    far (``read_csv_bytes`` reads the file then, and takes that frame rather than parse again)."""
    head = scan.head
    try:  # bytes polars can read as they are: no BOM, nothing before the header
        unwrapped, _encoding = _unwrap(head)
        _lines, offset, _named = _preamble(head)
    except (LeadFileError, ValueError):  # not text, blank (as far as the head goes), a UTF-16 head cut short
        return None, None
    if unwrapped is not head or offset:
        return None, None
    if scan.lines - 1 > MAX_ROWS or not scan.short:
        return None, None  # the exact index checks the limits on the records
    delimiter = _delimiter_of(head)
    try:
        header = _header_of(head, delimiter)
        if len(header) > MAX_COLUMNS:
            return None, None  # (the exact reader says so)
        columns = _unique_headers(header)
        frame = _polars_frame(path, delimiter, columns, truncate=False)
    except (_NeedsExactReader, _NotUtf8):
        return None, None
    if frame is None or scan.lines != frame.height + 1 or not csv_index.proven_by_lines(scan, frame, header):
        return None, frame
    return _table_by_lines(frame, columns, 0, delimiter, "utf-8"), frame


def _polars_frame(source, delimiter: str, columns: list[str], *, truncate: bool):
    """polars' reading of ``source`` (a path or bytes), every cell as text; None when a record is
    longer than the header and ``truncate`` is off. Raises _NotUtf8, _NeedsExactReader."""
    import polars as pl

    try:
        return pl.read_csv(source, separator=delimiter, has_header=True, new_columns=columns,
                           infer_schema=False, truncate_ragged_lines=truncate, quote_char='"',
                           raise_if_empty=False, glob=False)
    except pl.exceptions.PolarsError as error:
        if "utf-8" in str(error).lower():
            raise _NotUtf8() from None
        if not truncate:
            return None  # a record longer than the header, say: read again with it cut
        raise _NeedsExactReader() from None


def chunked_like(series, frame):
    """``series`` cut into the chunks of ``frame``'s columns (polars reads a CSV in chunks). A
    column of one chunk beside columns of many makes polars copy those columns into one chunk
    each time an expression reads them with it: on a million rows that doubles the cost of
    every pass over the text."""
    import polars as pl

    if not frame.width or frame.height != len(series):
        return series
    lengths = frame.get_column(frame.columns[0]).chunk_lengths()
    if len(lengths) < 2:
        return series
    parts, start = [], 0
    for length in lengths:
        parts.append(series.slice(start, length))
        start += length
    return pl.concat(parts, rechunk=False)


def _read_csv_polars(data: bytes, delimiter: str, encoding: str, skipped_lines: int,
                     source: Path | None = None, parsed=None) -> LeadTable:
    import numpy as np
    import polars as pl

    # rows and cell sizes are checked before polars allocates anything (polars keeps only the
    # header's columns, so their count is checked on the header). The lines bound the records:
    # only a file with too many lines or a long one needs the records' own spans for that.
    raw = np.frombuffer(data, dtype=np.uint8)
    block = _scan_block()
    scan = csv_index.scan(csv_index.byte_chunks(raw, block), block)
    newlines, exact = None, None
    if scan.lines - 1 > MAX_ROWS or not scan.short:  # the lines' own offsets tell whether a record can break a limit
        newlines = csv_index.positions(raw, 10)
        if csv_index.line_count(newlines, len(data)) - 1 > MAX_ROWS or \
                csv_index.longest_line(newlines, len(data)) > MAX_CELL_BYTES:
            exact = csv_index.record_spans(data, newlines)
            _check_limits(data, delimiter, exact[0] + skipped_lines, exact[1], exact[2])
    header = _header_of(data[:csv_index.HEAD], delimiter)
    _check_columns(len(header), 1 + skipped_lines)
    columns = _unique_headers(header)

    # a file without ragged records is read once: one whose records are its lines, their field
    # counts proven by the byte counts, needs no offsets (_table_by_lines); any other has its
    # records' spans taken and its field counts proven (csv_index.clean_field_counts) or, read with the
    # rest of a long record cut off, counted.
    frame = parsed if parsed is not None else _polars_frame(source or data, delimiter, columns, truncate=False)
    if frame is not None and exact is None and scan.lines == frame.height + 1 and \
            csv_index.proven_by_lines(scan, frame, header):
        table = _table_by_lines(frame, columns, skipped_lines, delimiter, encoding)
        if table is not None:
            return table
    if exact is None:  # records that span lines: their own spans, and the limits on them
        exact = csv_index.record_spans(data, csv_index.positions(raw, 10) if newlines is None else newlines)
        _check_limits(data, delimiter, exact[0] + skipped_lines, exact[1], exact[2])
    lines, starts, ends, quotes = exact
    fields = None
    if frame is not None:
        if len(lines) != frame.height + 1:
            raise _NeedsExactReader()
        fields = csv_index.clean_field_counts(data, delimiter, frame, header, quotes, starts)
    else:
        frame = _polars_frame(source or data, delimiter, columns, truncate=True)
    if fields is None:
        fields = csv_index.field_counts(data, delimiter, starts, quotes)
    if len(fields):
        widest = int(fields.argmax())
        _check_columns(int(fields[widest]), int(lines[widest]) + skipped_lines)
    if len(lines) != frame.height + 1 or fields[0] != len(columns):
        raise _NeedsExactReader()
    lines, fields, starts, ends = lines[1:] + skipped_lines, fields[1:], starts[1:], ends[1:]
    frame = frame.with_columns(chunked_like(pl.Series(LINE, lines, dtype=pl.Int64), frame))
    # blank: nothing but delimiters, spaces and quotes ("", ;;;, \r); only short records can be
    blank = np.zeros(len(lines), dtype=bool)
    filler = b" \t\r\n\"" + delimiter.encode()
    for record in np.flatnonzero(ends - starts <= 3 * len(columns) + 2):
        blank[record] = not data[starts[record]:ends[record]].strip(filler)
    ragged = (fields != len(columns)) & ~blank & \
        ~csv_index.only_empty_extras(data, delimiter, fields - len(columns), ends)
    if len(ragged) and len(quotes) % 2 and _quote_left_open(
            data[int(starts[-1]):int(ends[-1])].decode("utf-8", errors="replace"), delimiter):
        ragged[-1] = True  # a quote never closed: the last record ran on to the end of the file
    bad = [BadLine(int(line), _field_count_message(int(count), len(columns), int(line),
                                                   int(line) + csv_index.newlines_inside(data, int(start), int(end))))
           for line, count, start, end in zip(lines[ragged], fields[ragged], starts[ragged], ends[ragged])]
    rows = int((~blank).sum())
    if blank.any() or ragged.any():
        frame = frame.filter(pl.Series(~blank & ~ragged))
    return LeadTable(frame=frame, columns=columns, rows=rows, bad_lines=bad,
                     encoding=encoding, delimiter=delimiter)


def _field_count_message(found: int, expected: int, first: int = 0, last: int = 0) -> str:
    message = f"{found} field{'s' if found != 1 else ''} where the header has {expected}" \
        if found != expected else "a quote is never closed"
    if last > first:  # a quote opened on this line runs on: say which lines it swallowed
        swallowed = last - first
        message += (f"; a quote opened on line {first} is not closed before line {last}, so "
                    f"{swallowed:,} following line{'s' if swallowed != 1 else ''} ({first + 1}–{last}) "
                    "were read into it: close the quote or remove it")
    return message


def _is_last(text: str, line_num: int) -> bool:
    return line_num >= text.rstrip("\r\n").count("\n") + 1


def _lines_from(text: str, line: int) -> str:
    """``text`` from its 1-based line ``line`` on."""
    position = 0
    for _ in range(line - 1):
        position = text.find("\n", position) + 1
        if position == 0:
            return ""
    return text[position:]


def _quote_left_open(record: str, delimiter: str) -> bool:
    """True if ``record`` (the file's last) ends inside a quoted field: a quote opened and never
    closed. A stray quote inside an unquoted field (5'10" tall) is text, not an opening."""
    try:
        for _ in csv.reader(io.StringIO(record, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as error:
        return "end of data" in str(error)
    return False


def _check_columns(count: int, line: int) -> None:
    if count > MAX_COLUMNS:
        raise LeadFileError(f"line {line} has {count:,} columns; Alignwork reads at most {MAX_COLUMNS:,}: "
                            "export only the columns you need")


def _check_limits(data: bytes, delimiter: str, lines, starts, ends) -> None:
    """LeadFileError if the file has more rows than MAX_ROWS or a cell longer than MAX_CELL_BYTES
    (only records longer than that can hold one)."""
    import numpy as np

    if len(lines) - 1 > MAX_ROWS:
        raise LeadFileError(f"the file has {len(lines) - 1:,} rows; Alignwork reads at most {MAX_ROWS:,}: "
                            "split it or export fewer rows")
    raw = np.frombuffer(data, dtype=np.uint8)
    separator = ord(delimiter)
    for record in np.flatnonzero(ends - starts > MAX_CELL_BYTES):
        begin, end = int(starts[record]), int(ends[record])
        longest = csv_index.longest_field(raw[begin:end], separator)
        if longest > MAX_CELL_BYTES:
            raise LeadFileError(f"line {int(lines[record])} has a cell of {longest:,} bytes; Alignwork reads cells "
                                f"up to {MAX_CELL_BYTES:,} bytes (an unclosed quote can make one cell of the rest "
                                "of the file): fix that line or export the file again")


def _read_csv_python(data: bytes, delimiter: str, encoding: str, skipped_lines: int) -> LeadTable:
    import polars as pl

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _NotUtf8() from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    open_quote = False
    if text.count('"') % 2:
        last = text.rstrip("\r\n")
        open_quote = True  # refined below on the last record only
    try:
        columns = _unique_headers(next(reader))
        records: list[list[str]] = []
        lines: list[int] = []
        bad: list[BadLine] = []
        rows = 0
        previous_end = reader.line_num
        for record in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            rows += 1
            if len(record) > len(columns) and not any(record[len(columns):]):
                record = record[: len(columns)]  # only empty fields after the last column
            unclosed = open_quote and _is_last(text, reader.line_num) and _quote_left_open(
                _lines_from(last, start), delimiter)  # the last record ran on to the end of the file
            if len(record) != len(columns) or unclosed:
                bad.append(BadLine(start + skipped_lines, _field_count_message(
                    len(record), len(columns), start + skipped_lines, previous_end + skipped_lines)))
                continue
            records.append(record)
            lines.append(start + skipped_lines)
    except csv.Error as error:
        raise LeadFileError(f"the CSV cannot be read near line {reader.line_num + skipped_lines}: {error}") from None
    series = {name: [record[index] or None for record in records] for index, name in enumerate(columns)}
    frame = pl.DataFrame(series, schema={name: pl.String for name in columns})
    frame = frame.with_columns(chunked_like(pl.Series(LINE, lines, dtype=pl.Int64), frame))
    return LeadTable(frame=frame, columns=columns, rows=rows, bad_lines=bad,
                     encoding=encoding, delimiter=delimiter)


# ------------------------------------------------------------------ spreadsheets

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
            if info.file_size > MAX_SHEET_BYTES:
                raise LeadFileError(f"{path.name} holds {info.file_size:,} bytes of sheet data uncompressed; Alignwork "
                                    f"reads up to {MAX_SHEET_BYTES:,}: export fewer rows or columns, or save it as CSV")
            total, tail, run = 0, b"", 0
            long_text = re.compile(rb"[^<]{%d}" % (MAX_CELL_BYTES + 1))
            try:
                with archive.open(info) as handle:
                    while chunk := handle.read(1 << 20):
                        total += len(chunk)
                        cut = chunk.find(b"<")  # text runs between tags: one cell's text is one run
                        run = run + len(chunk) if cut < 0 else max(run + cut, 0)
                        if run > MAX_CELL_BYTES or long_text.search(chunk):
                            raise LeadFileError(f"{path.name} has a cell longer than {MAX_CELL_BYTES:,} bytes; "
                                                "Alignwork reads cells up to that (Excel itself holds 32,767 "
                                                "characters): fix that cell, or export the file as CSV")
                        if cut >= 0:
                            run = len(chunk) - chunk.rfind(b"<") - 1
                        if total > MAX_SHEET_BYTES:
                            raise LeadFileError(f"{path.name} holds more than {MAX_SHEET_BYTES:,} bytes of sheet "
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
                            if rows > MAX_ROWS or columns > MAX_COLUMNS or rows * columns > MAX_SHEET_CELLS:
                                raise LeadFileError(
                                    f"{path.name}: the first sheet declares {rows:,} rows × {columns:,} columns; "
                                    f"Alignwork reads at most {MAX_ROWS:,} rows, {MAX_COLUMNS:,} columns and "
                                    f"{MAX_SHEET_CELLS:,} cells: select only the used range and save it again, "
                                    "or export it as CSV")
            except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, NotImplementedError) as error:
                raise LeadFileError(f"cannot read {path.name} as a spreadsheet: it is damaged ({error}); open it in "
                                    "Excel and save it again, or export it as CSV") from None


def _read_excel(path: Path) -> LeadTable:
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
    columns = _unique_headers([value or "" for value in grid.row(header_index)])
    frame = grid.slice(header_index + 1).rename(dict(zip(raw_names, columns)))
    frame = frame.with_columns(pl.int_range(header_index + 2, header_index + 2 + frame.height, dtype=pl.Int64)
                               .alias(LINE))
    frame = frame.filter(filled.slice(header_index + 1))
    return LeadTable(frame=frame, columns=columns, rows=frame.height, encoding="xlsx", delimiter="")
