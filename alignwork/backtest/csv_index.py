"""The record index of CSV bytes, on numpy: counts, offsets and proofs of field counts.

``leads`` reads a lead file with polars; this is how it knows, without a second parser, on
which line each record starts, how many fields each has and whether the file keeps its
limits — a quote makes a newline or a delimiter part of a field, so the bytes are scanned for
LFs, CRs, quotes and delimiters, chunk by chunk (temporaries stay small whatever the size).
``scan`` is the one pass a file of one record per line needs; the offsets (``positions``,
``record_spans``) are taken only for the others.
"""

from __future__ import annotations

from dataclasses import dataclass

_CHUNK = 1 << 23  # bytes scanned at a time: temporaries stay small whatever the file size
HEAD = 65536  # the bytes the header and the delimiter are read from


@dataclass(frozen=True)
class Scan:
    """What one pass over a file's bytes tells, nothing kept but counts and its first bytes:
    its lines (as ``line_count``), whether every line is provably no longer than twice the
    scan's block (``short``: every aligned block of bytes holds an LF, so a line that contains
    no whole block is at most two blocks less one byte), its CRs,
    those right before an LF, its quotes, its size, first ``HEAD`` bytes and last byte."""
    lines: int
    short: bool
    returns: int
    crlfs: int
    quotes: int
    size: int
    head: bytes
    last: int


def scan_chunk(block: int) -> int:
    # a whole number of blocks (none is cut in two), small enough to stay in the CPU cache as it is read
    return max(block, min(_CHUNK, 1 << 18) // block * block)


def byte_chunks(raw, block: int):
    """``raw`` (a uint8 array) in ``scan_chunk(block)`` parts."""
    chunk = scan_chunk(block)
    for begin in range(0, len(raw), chunk):
        yield raw[begin:begin + chunk]


def file_chunks(handle, block: int):
    """An open (unbuffered) binary file in ``scan_chunk(block)`` parts, read into one buffer."""
    import numpy as np

    buffer = np.empty(scan_chunk(block), dtype=np.uint8)
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


def scan(chunks, block: int) -> Scan:
    """``Scan`` of the bytes ``chunks`` (uint8 arrays, each a whole number of ``block`` bytes but the last)."""
    import numpy as np

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
        if len(head) < HEAD:
            head += part[:HEAD - len(head)].tobytes()
        previous, size = int(part[-1]), size + len(part)
    return Scan(lines + int(not lines or previous != 10), short, returns, crlfs, quotes, size, head, previous)


def positions(raw, byte: int):
    """Offsets of every ``byte`` in ``raw``, scanned chunk by chunk."""
    import numpy as np

    parts = [np.flatnonzero(raw[begin:begin + _CHUNK] == byte) + begin for begin in range(0, len(raw), _CHUNK)]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def count_before(raw, byte: int, *points):
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


def record_spans(data: bytes, newlines=None, *, quoted: bool = True):
    """Start line (1-based) and byte span of every record, header included, and the quotes'
    offsets. Vectorised over the raw bytes: a newline between an odd and the next quote is
    inside a quoted field (an escaped "" pairs up too). ``newlines``: the LF offsets when the
    caller has them; ``quoted=False``: the spans of the LINES (every LF ends one), no quotes."""
    import numpy as np

    raw = np.frombuffer(data, dtype=np.uint8)
    newlines = positions(raw, 10) if newlines is None else newlines
    quotes = positions(raw, 34) if quoted else np.zeros(0, dtype=np.int64)
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


def field_counts(data: bytes, delimiter: str, starts, quotes):
    """Fields per record: its delimiters, minus those inside quoted spans (quote 2k to 2k+1), + 1."""
    import numpy as np

    raw = np.frombuffer(data, dtype=np.uint8)
    separator = ord(delimiter)
    bounds = np.append(starts, len(data))
    if len(quotes) < 2:
        return np.diff(count_before(raw, separator, bounds)[0]) + 1
    opening, closing = quotes[0: len(quotes) - 1: 2], quotes[1::2]
    before_bounds, before_closing, before_opening = count_before(raw, separator, bounds, closing, opening)
    inside = before_closing - before_opening
    record_of_span = np.searchsorted(starts, opening, side="right") - 1
    return np.diff(before_bounds) + 1 - np.bincount(record_of_span, weights=inside,
                                                    minlength=len(starts)).astype(np.int64)


def record_index(data: bytes, delimiter: str):
    """Start line (1-based), field count and byte span of every record, header included."""
    lines, starts, ends, quotes = record_spans(data)
    return lines, field_counts(data, delimiter, starts, quotes), starts, ends


def clean_field_counts(data: bytes, delimiter: str, frame, header: list[str], quotes, starts):
    """The field counts of a file polars read with ``truncate_ragged_lines`` off (so no record has
    more fields than the header), without counting each record's delimiters: an array of
    ``len(header)`` per record (``starts`` their offsets) when that is provably every
    record's count, else None.

    Proof: every quote opens a field (at its start) or closes one (at its end), so the quoted
    spans of ``record_spans`` are exactly the quoted fields, as polars read them; and every CR
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
    if not crs_before_lfs(raw):
        return None
    # the header (read by the csv module) is held to the same account on its own
    cells = sum(len(cell.encode("utf-8")) for cell in header)
    end = header_end(raw, starts)
    if end != cells + int(np.searchsorted(quotes, end)) + len(header) - 1:
        return None
    cells += cell_bytes(frame)
    # the line break ending each record but the last, which may end the file with one or not
    breaks = starts[1:] - 1
    if raw[last] == 10:
        breaks = np.append(breaks, last)
    dropped = len(breaks) + int(np.count_nonzero(raw[breaks - 1] == 13))  # (the header is never empty)
    if len(raw) - cells - len(quotes) - dropped != (len(header) - 1) * len(starts):
        return None
    return np.full(len(starts), len(header), dtype=np.int64)


def crs_before_lfs(raw, count: int | None = None) -> bool:
    """Whether every CR in ``raw`` comes right before an LF (``count``: how many CRs, if counted)."""
    if not (count_byte(raw, 13) if count is None else count):
        return True
    returns = positions(raw, 13)
    return int(returns[-1]) != len(raw) - 1 and bool((raw[returns + 1] == 10).all())


def header_end(raw, starts) -> int:
    """Where the header's bytes end: before its line break (the LF, and a CR before it)."""
    last = len(raw) - 1
    end = int(starts[1]) - 1 if len(starts) > 1 else (last if raw[last] == 10 else last + 1)
    return end - bool(end > 0 and raw[end - 1] == 13)


def cell_bytes(frame) -> int:
    """The bytes of every cell polars read (quotes it kept included)."""
    import polars as pl

    if not frame.width:
        return 0
    return int(frame.select(pl.sum_horizontal(pl.col(name).str.len_bytes().sum() for name in frame.columns)).item()
               or 0)


def count_byte(raw, byte: int) -> int:
    """How many ``byte`` there are in ``raw`` (chunk by chunk: no offsets kept)."""
    import numpy as np

    return sum(int(np.count_nonzero(raw[begin:begin + _CHUNK] == byte)) for begin in range(0, len(raw), _CHUNK))


def line_count(newlines, size: int) -> int:
    """Lines in a file of ``size`` bytes with LFs at ``newlines`` (a last one without LF counts)."""
    return len(newlines) + int(not len(newlines) or int(newlines[-1]) != size - 1)


def longest_line(newlines, size: int) -> int:
    """The longest line's length in bytes as ``record_spans`` measures it: its LF not counted,
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


def proven_by_lines(scan: Scan, frame, header: list[str]) -> bool:
    """Whether every record of a file whose records are its lines (polars read one record per
    line, ``scan.lines`` of them with the header) and that polars read with
    ``truncate_ragged_lines`` off (no record has more fields than the header) provably has
    ``len(header)`` fields. Unlike ``clean_field_counts`` it needs no offsets, only the counts
    of ``scan``, so a file that quotes every cell (as HubSpot and Salesforce export) costs no
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
    delimiters = scan.size - scan.returns - (header_cells + cell_bytes(frame) + scan.quotes + line_feeds)
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


def only_empty_extras(data: bytes, delimiter: str, extra, ends):
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


def newlines_inside(data: bytes, start: int, end: int) -> int:
    """Line breaks inside one record (quoted ones), not the one that ends it."""
    while end > start and data[end - 1] in b"\r\n":
        end -= 1
    return data.count(b"\n", start, end)


def longest_field(raw, separator: int) -> int:
    """The longest field of one record (bytes, quotes included): delimiters outside quotes split it."""
    import numpy as np

    quotes = np.flatnonzero(raw == 34)
    cuts = np.flatnonzero(raw == separator)
    if len(quotes):
        cuts = cuts[np.searchsorted(quotes, cuts) % 2 == 0]
    bounds = np.concatenate(([-1], cuts, [len(raw)]))
    return int(np.diff(bounds).max()) - 1
