"""Read a lead list exported from a CRM: CSV (any common encoding and delimiter) or XLSX.

Every cell is read as text (mapping and scoring decide what a number is), each
row keeps the FILE line number it starts on (column ``LINE``) so problems can
be reported in the user's terms, and rows that cannot be trusted are listed in
``LeadTable.bad_lines`` and left out — never silently mis-scored.

The CSV fast path lets polars parse and finds record boundaries, line numbers
and field counts with numpy on the raw bytes (quotes make a newline or a
delimiter part of a field). If polars and that index disagree — a stray quote
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
            with path.open("rb", buffering=0) as handle:
                table, parsed = _read_lines_file(path, _scan(_file_chunks(handle)))
            if table is None or _stamp(path) != stamp:  # any other, or one saved again meanwhile
                if _stamp(path) != stamp:
                    parsed = None
                data = path.read_bytes()
                table = None
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


def _parse_csv(data: bytes, encoding: str, source: Path | None = None, parsed=None) -> LeadTable:
    # the header is the first non-blank line; blank lines before it are dropped (no copy otherwise)
    leading = re.match(rb"[\r\n \t]*", data).end()
    if leading == len(data):
        raise LeadFileError("the file is empty")
    if leading:
        leading = data.rfind(b"\n", 0, leading) + 1
        skipped_lines, data, source = data[:leading].count(b"\n"), data[leading:], None
    else:
        skipped_lines = 0
    hint = re.match(rb"(?i)sep=([^\r\n])\r?\n", data)  # Excel's "sep=;" first line names the delimiter
    if hint:
        data, skipped_lines, source = data[hint.end():], skipped_lines + 1, None
    delimiter = hint.group(1).decode() if hint else _delimiter_of(data[:_HEAD])
    try:
        return _read_csv_polars(data, delimiter, encoding, skipped_lines, source,
                                parsed if source is not None else None)
    except _NeedsExactReader:
        return _read_csv_python(data, delimiter, encoding, skipped_lines)


class _NeedsExactReader(Exception):
    pass


_CHUNK = 1 << 23  # bytes scanned at a time: temporaries stay small whatever the file size
_HEAD = 65536  # the bytes the header and the delimiter are read from


@dataclass(frozen=True)
class _Scan:
    """What one pass over a file's bytes tells, nothing kept but counts and its first bytes:
    its lines (as ``_line_count``), whether every line is provably no longer than
    ``MAX_CELL_BYTES`` (``short``: every aligned block of ``MAX_CELL_BYTES // 2`` bytes holds an
    LF, so a line that contains no whole block is at most two blocks less one byte), its CRs,
    those right before an LF, its quotes, its size, first ``_HEAD`` bytes and last byte."""
    lines: int
    short: bool
    returns: int
    crlfs: int
    quotes: int
    size: int
    head: bytes
    last: int


def _scan_block() -> int:
    return max(1, MAX_CELL_BYTES // 2)


def _scan_chunk() -> int:
    block = _scan_block()
    # a whole number of blocks (none is cut in two), small enough to stay in the CPU cache as it is read
    return max(block, min(_CHUNK, 1 << 18) // block * block)


def _byte_chunks(raw):
    """``raw`` (a uint8 array) in ``_scan_chunk()`` parts."""
    chunk = _scan_chunk()
    for begin in range(0, len(raw), chunk):
        yield raw[begin:begin + chunk]


def _file_chunks(handle):
    """An open (unbuffered) binary file in ``_scan_chunk()`` parts, read into one buffer."""
    import numpy as np

    buffer = np.empty(_scan_chunk(), dtype=np.uint8)
    view = memoryview(buffer)
    while True:
        filled = 0
        while filled < len(buffer):
            got = handle.readinto(view[filled:])
            if not got:
                break
            filled += got
        if filled:
            yield buffer[:filled]
        if filled < len(buffer):
            return


def _scan(chunks) -> _Scan:
    """``_Scan`` of the bytes ``chunks`` (uint8 arrays, each a whole number of blocks but the last)."""
    import numpy as np

    block = _scan_block()
    lines = returns = crlfs = quotes = size = 0
    short, head, previous = True, b"", -1
    for part in chunks:
        feeds = part == 10
        lines += int(np.count_nonzero(feeds))
        whole = len(part) // block * block
        short = short and bool(feeds[:whole].reshape(-1, block).any(axis=1).all())
        cr = part == 13
        found = int(np.count_nonzero(cr))
        if found:
            returns += found
            crlfs += int(np.count_nonzero(cr[:-1] & feeds[1:]))
        crlfs += previous == 13 and int(part[0]) == 10
        quotes += int(np.count_nonzero(part == 34))
        if len(head) < _HEAD:
            head += part[:_HEAD - len(head)].tobytes()
        previous, size = int(part[-1]), size + len(part)
    return _Scan(lines + int(not lines or previous != 10), short, returns, crlfs, quotes, size, head, previous)


def _positions(raw, byte: int):
    """Offsets of every ``byte`` in ``raw``, scanned chunk by chunk."""
    import numpy as np

    parts = [np.flatnonzero(raw[begin:begin + _CHUNK] == byte) + begin for begin in range(0, len(raw), _CHUNK)]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def _count_before(raw, byte: int, *points):
    """For each array of sorted offsets in ``points``: how many ``byte`` come before each offset
    (one scan of ``raw`` serves them all)."""
    import numpy as np

    counts = [np.empty(len(each), dtype=np.int64) for each in points]
    total = 0
    for begin in range(0, len(raw), _CHUNK):
        found = np.flatnonzero(raw[begin:begin + _CHUNK] == byte) + begin
        for each, into in zip(points, counts):
            low, high = np.searchsorted(each, [begin, begin + _CHUNK])
            into[low:high] = total + np.searchsorted(found, each[low:high])
        total += len(found)
    for each, into in zip(points, counts):
        into[np.searchsorted(each, len(raw)):] = total
    return counts


def _record_spans(data: bytes, newlines=None, *, quoted: bool = True):
    """Start line (1-based) and byte span of every record, header included, and the quotes'
    offsets. Vectorised over the raw bytes: a newline between an odd and the next quote is
    inside a quoted field (an escaped "" pairs up too). ``newlines``: the LF offsets when the
    caller has them; ``quoted=False``: the spans of the LINES (every LF ends one), no quotes."""
    import numpy as np

    raw = np.frombuffer(data, dtype=np.uint8)
    newlines = _positions(raw, 10) if newlines is None else newlines
    quotes = _positions(raw, 34) if quoted else np.zeros(0, dtype=np.int64)
    if len(quotes):
        newline_outside = np.searchsorted(quotes, newlines) % 2 == 0
        terminators = newlines[newline_outside]
        line_of_start = np.concatenate(([0], np.flatnonzero(newline_outside) + 1))
    else:
        terminators = newlines
        line_of_start = np.arange(len(newlines) + 1)
    starts = np.concatenate(([0], terminators + 1))
    if starts[-1] >= len(data):  # the file ends with a newline: no record after it
        starts, line_of_start = starts[:-1], line_of_start[:-1]
    ends = np.append(starts[1:] - 1, len(data))
    return line_of_start + 1, starts, ends, quotes


def _field_counts(data: bytes, delimiter: str, starts, quotes):
    """Fields per record: its delimiters, minus those inside quoted spans (quote 2k to 2k+1), + 1."""
    import numpy as np

    raw = np.frombuffer(data, dtype=np.uint8)
    separator = ord(delimiter)
    bounds = np.append(starts, len(data))
    if len(quotes) < 2:
        return np.diff(_count_before(raw, separator, bounds)[0]) + 1
    opening, closing = quotes[0: len(quotes) - 1: 2], quotes[1::2]
    before_bounds, before_closing, before_opening = _count_before(raw, separator, bounds, closing, opening)
    inside = before_closing - before_opening
    record_of_span = np.searchsorted(starts, opening, side="right") - 1
    return np.diff(before_bounds) + 1 - np.bincount(record_of_span, weights=inside,
                                                    minlength=len(starts)).astype(np.int64)


def _record_index(data: bytes, delimiter: str):
    """Start line (1-based), field count and byte span of every record, header included."""
    lines, starts, ends, quotes = _record_spans(data)
    return lines, _field_counts(data, delimiter, starts, quotes), starts, ends


def _clean_field_counts(data: bytes, delimiter: str, frame, header: list[str], quotes, starts):
    """The field counts of a file polars read with ``truncate_ragged_lines`` off (so no record has
    more fields than the header), without counting each record's delimiters: an array of
    ``len(header)`` per record (``starts`` their offsets) when that is provably every
    record's count, else None.

    Proof: every quote opens a field (at its start) or closes one (at its end), so the quoted
    spans of ``_record_spans`` are exactly the quoted fields, as polars read them; and every CR
    comes before an LF (polars drops a CR that ends a cell, and the one of a CRLF). Each byte
    of the file is then a byte of a cell, a quote, a record's line break (with its CR) or a
    delimiter between two fields; if those delimiters number (fields - 1) × records, no record
    has fewer fields either."""
    import numpy as np

    raw = np.frombuffer(data, dtype=np.uint8)
    separator, last = ord(delimiter), len(raw) - 1
    if len(quotes) % 2:
        return None
    if len(quotes):
        opening, closing = quotes[0::2], quotes[1::2]
        before = np.zeros(256, dtype=bool)  # what comes before a field
        before[[separator, 10]] = True
        after = before.copy()  # and after one (a CR there comes before an LF: checked below)
        after[13] = True
        if not before[raw[opening[1:] - 1 if opening[0] == 0 else opening - 1]].all() or \
                not after[raw[(closing[:-1] if closing[-1] == last else closing) + 1]].all():
            return None
    if not _crs_before_lfs(raw):
        return None
    # the header (read by the csv module) is held to the same account on its own
    cells = sum(len(cell.encode("utf-8")) for cell in header)
    end = _header_end(raw, starts)
    if end != cells + int(np.searchsorted(quotes, end)) + len(header) - 1:
        return None
    cells += _cell_bytes(frame)
    # the line break ending each record but the last, which may end the file with one or not
    breaks = starts[1:] - 1
    if raw[last] == 10:
        breaks = np.append(breaks, last)
    dropped = len(breaks) + int(np.count_nonzero(raw[breaks - 1] == 13))  # (the header is never empty)
    if len(raw) - cells - len(quotes) - dropped != (len(header) - 1) * len(starts):
        return None
    return np.full(len(starts), len(header), dtype=np.int64)


def _crs_before_lfs(raw, count: int | None = None) -> bool:
    """Whether every CR in ``raw`` comes right before an LF (``count``: how many CRs, if counted)."""
    if not (_count(raw, 13) if count is None else count):
        return True
    returns = _positions(raw, 13)
    return int(returns[-1]) != len(raw) - 1 and bool((raw[returns + 1] == 10).all())


def _header_end(raw, starts) -> int:
    """Where the header's bytes end: before its line break (the LF, and a CR before it)."""
    last = len(raw) - 1
    end = int(starts[1]) - 1 if len(starts) > 1 else (last if raw[last] == 10 else last + 1)
    return end - bool(end > 0 and raw[end - 1] == 13)


def _cell_bytes(frame) -> int:
    """The bytes of every cell polars read (quotes it kept included)."""
    import polars as pl

    if not frame.width:
        return 0
    return int(frame.select(pl.sum_horizontal(pl.col(name).str.len_bytes().sum() for name in frame.columns)).item()
               or 0)


def _count(raw, byte: int) -> int:
    """How many ``byte`` there are in ``raw`` (chunk by chunk: no offsets kept)."""
    import numpy as np

    return sum(int(np.count_nonzero(raw[begin:begin + _CHUNK] == byte)) for begin in range(0, len(raw), _CHUNK))


def _line_count(newlines, size: int) -> int:
    """Lines in a file of ``size`` bytes with LFs at ``newlines`` (a last one without LF counts)."""
    return len(newlines) + int(not len(newlines) or int(newlines[-1]) != size - 1)


def _longest_line(newlines, size: int) -> int:
    """The longest line's length in bytes as ``_record_spans`` measures it: its LF not counted,
    but the file's last LF is, on the last line."""
    import numpy as np

    if not len(newlines):
        return size
    lengths = np.diff(newlines) - 1
    if int(newlines[-1]) == size - 1:  # the file ends with its LF: the last line's span holds it
        lengths[-1:] += 1
        first = int(newlines[0]) + (len(newlines) == 1)
        return max(first, int(lengths.max()) if len(lengths) else 0)
    return max(int(newlines[0]), int(lengths.max()) if len(lengths) else 0, size - int(newlines[-1]) - 1)


def _proven_by_lines(scan: _Scan, frame, header: list[str]) -> bool:
    """Whether every record of a file whose records are its lines (polars read one record per
    line, ``scan.lines`` of them with the header) and that polars read with
    ``truncate_ragged_lines`` off (no record has more fields than the header) provably has
    ``len(header)`` fields. Unlike ``_clean_field_counts`` it needs no offsets, only the counts
    of ``_scan``, so a file that quotes every cell (as HubSpot and Salesforce export) costs no
    more than one that quotes none.

    Proof: a record per line means every LF ends a record (no cell holds one); if every CR comes
    before an LF, polars drops each (the CR of a CRLF). Every other byte of the file is a cell
    byte, a quote or a delimiter between two fields, and a quote that polars kept in a cell (an
    escaped "" gives one, a stray quote in an unquoted cell is one) is counted once as a cell
    byte, so: file bytes = cell bytes − quotes in cells + quotes + LFs + CRs + delimiters. The
    byte counts alone give delimiters − quotes in cells, at most (fields − 1) × records since no
    record has more fields: equal, no record has fewer and no cell holds a quote; less, the
    quotes in cells are counted (one pass over the cells) and must make up the difference. The
    header (read by the csv module) is held to the same account on its own line."""
    import polars as pl

    if scan.crlfs != scan.returns or scan.quotes % 2:  # a lone CR; a quote left open (the exact index tells)
        return False
    first = scan.head.find(b"\n")
    if first < 0 and scan.size > len(scan.head):
        return False  # a header longer than the bytes it is read from
    end = first if first >= 0 else scan.size  # the header's bytes end before its LF (and a CR)
    end -= bool(end > 0 and scan.head[end - 1] == 13)
    header_cells = sum(len(cell.encode("utf-8")) - cell.count('"') for cell in header)
    if end != header_cells + scan.head[:end].count(b'"') + len(header) - 1:
        return False
    line_feeds = scan.lines - 1 + int(scan.last == 10)
    delimiters = scan.size - scan.returns - (header_cells + _cell_bytes(frame) + scan.quotes + line_feeds)
    # that is the delimiters less the quotes kept in cells: no more than (fields − 1) × records,
    # as no record has more fields. Equal: none has fewer, and no cell holds a quote.
    expected = (len(header) - 1) * scan.lines
    if delimiters != expected:
        if delimiters > expected or not frame.width:
            return False
        kept = frame.select(pl.sum_horizontal(pl.col(name).str.count_matches('"', literal=True).sum()
                                              for name in frame.columns)).item()
        if delimiters + (kept or 0) != expected:
            return False
    return True


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
    (``_proven_by_lines``): its rows are on lines 2, 3, … (after ``skipped_lines``); None when
    a row may be blank (the record index tells those)."""
    import polars as pl

    if _may_hold_blank_rows(frame, delimiter):
        return None
    lines = pl.int_range(2 + skipped_lines, frame.height + 2 + skipped_lines, dtype=pl.Int64, eager=True)
    frame = frame.with_columns(chunked_like(lines.alias(LINE), frame))
    return LeadTable(frame=frame, columns=columns, rows=frame.height, bad_lines=[],
                     encoding=encoding, delimiter=delimiter)


def _read_lines_file(path: Path, scan: _Scan):
    """``(table, frame)``: the ``LeadTable`` of a UTF-8 file whose header is its first line, that
    polars reads itself a record per line and whose records are all proven whole, from ``scan``
    alone (no copy of its bytes); else None, with polars' reading of the file when it got that
    far (``read_csv_bytes`` reads the file then, and takes that frame rather than parse again)."""
    head = scan.head
    if not head.strip() or head[:3] == _UTF8_BOM or head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or \
            b"\x00" in head[:4096] or re.match(rb"[ \t]*[\r\n]|(?i:sep=)", head):
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
    if frame is None or scan.lines != frame.height + 1 or not _proven_by_lines(scan, frame, header):
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
    scan = _scan(_byte_chunks(raw))
    newlines, exact = None, None
    if scan.lines - 1 > MAX_ROWS or not scan.short:  # the lines' own offsets tell whether a record can break a limit
        newlines = _positions(raw, 10)
        if _line_count(newlines, len(data)) - 1 > MAX_ROWS or _longest_line(newlines, len(data)) > MAX_CELL_BYTES:
            exact = _record_spans(data, newlines)
            _check_limits(data, delimiter, exact[0] + skipped_lines, exact[1], exact[2])
    header = _header_of(data[:_HEAD], delimiter)
    _check_columns(len(header), 1 + skipped_lines)
    columns = _unique_headers(header)

    # a file without ragged records is read once: one whose records are its lines, their field
    # counts proven by the byte counts, needs no offsets (_table_by_lines); any other has its
    # records' spans taken and its field counts proven (_clean_field_counts) or, read with the
    # rest of a long record cut off, counted.
    frame = parsed if parsed is not None else _polars_frame(source or data, delimiter, columns, truncate=False)
    if frame is not None and exact is None and scan.lines == frame.height + 1 and \
            _proven_by_lines(scan, frame, header):
        table = _table_by_lines(frame, columns, skipped_lines, delimiter, encoding)
        if table is not None:
            return table
    if exact is None:  # records that span lines: their own spans, and the limits on them
        exact = _record_spans(data, _positions(raw, 10) if newlines is None else newlines)
        _check_limits(data, delimiter, exact[0] + skipped_lines, exact[1], exact[2])
    lines, starts, ends, quotes = exact
    fields = None
    if frame is not None:
        if len(lines) != frame.height + 1:
            raise _NeedsExactReader()
        fields = _clean_field_counts(data, delimiter, frame, header, quotes, starts)
    else:
        frame = _polars_frame(source or data, delimiter, columns, truncate=True)
    if fields is None:
        fields = _field_counts(data, delimiter, starts, quotes)
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
    ragged = (fields != len(columns)) & ~blank & ~_only_empty_extras(data, delimiter, fields - len(columns), ends)
    if len(ragged) and len(quotes) % 2 and _quote_left_open(
            data[int(starts[-1]):int(ends[-1])].decode("utf-8", errors="replace"), delimiter):
        ragged[-1] = True  # a quote never closed: the last record ran on to the end of the file
    bad = [BadLine(int(line), _field_count_message(int(count), len(columns), int(line),
                                                   int(line) + _newlines_inside(data, int(start), int(end))))
           for line, count, start, end in zip(lines[ragged], fields[ragged], starts[ragged], ends[ragged])]
    rows = int((~blank).sum())
    if blank.any() or ragged.any():
        frame = frame.filter(pl.Series(~blank & ~ragged))
    return LeadTable(frame=frame, columns=columns, rows=rows, bad_lines=bad,
                     encoding=encoding, delimiter=delimiter)


def _only_empty_extras(data: bytes, delimiter: str, extra, ends):
    """Records whose fields beyond the header's are all empty ("1,2,," under "a,b"): exports
    often end every row with a delimiter; nothing is shifted, so they are kept."""
    import numpy as np

    raw = np.frombuffer(data, dtype=np.uint8)
    ok = np.zeros(len(extra), dtype=bool)
    candidates = np.flatnonzero((extra > 0) & (extra <= 3))
    if not len(candidates):
        return ok
    end = ends[candidates]
    end = end - (raw[np.maximum(end - 1, 0)] == 13)  # before a CR of CRLF
    keep = np.ones(len(candidates), dtype=bool)
    for back in (1, 2, 3):
        needed = extra[candidates] >= back
        position = np.maximum(end - back, 0)
        keep &= ~needed | (raw[position] == ord(delimiter))
    ok[candidates] = keep
    return ok


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


def _newlines_inside(data: bytes, start: int, end: int) -> int:
    """Line breaks inside one record (quoted ones), not the one that ends it."""
    while end > start and data[end - 1] in b"\r\n":
        end -= 1
    return data.count(b"\n", start, end)


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
        longest = _longest_field(raw[begin:end], separator)
        if longest > MAX_CELL_BYTES:
            raise LeadFileError(f"line {int(lines[record])} has a cell of {longest:,} bytes; Alignwork reads cells "
                                f"up to {MAX_CELL_BYTES:,} bytes (an unclosed quote can make one cell of the rest "
                                "of the file): fix that line or export the file again")


def _longest_field(raw, separator: int) -> int:
    """The longest field of one record (bytes, quotes included): delimiters outside quotes split it."""
    import numpy as np

    quotes = np.flatnonzero(raw == 34)
    cuts = np.flatnonzero(raw == separator)
    if len(quotes):
        cuts = cuts[np.searchsorted(quotes, cuts) % 2 == 0]
    bounds = np.concatenate(([-1], cuts, [len(raw)]))
    return int(np.diff(bounds).max()) - 1


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
