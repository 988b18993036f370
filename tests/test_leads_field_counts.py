"""The record index's field counts (one scan for record bounds and quote spans) against Python's
csv module, record by record, with chunk edges falling everywhere."""

import csv
import io
import random

import pytest

from alignwork.backtest import csv_index, leads


def _records(seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    pieces = ["a", "Manager, Sales", 'say ""hi""', "x;y", "two\nlines", "", "5'10", "|", "\t"]
    return [[rng.choice(pieces) for _ in range(rng.randint(1, 6))] for _ in range(rng.randint(1, 40))]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("chunk", [1, 2, 5, 64, 1 << 23])
@pytest.mark.parametrize("seed", range(6))
def test_field_counts_match_the_csv_module(monkeypatch, delimiter, chunk, seed):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n" if seed % 2 else "\n").writerows(_records(seed))
    text = buffer.getvalue()
    monkeypatch.setattr(csv_index, "_CHUNK", chunk)
    lines, fields, starts, ends = csv_index.record_index(text.encode(), delimiter)
    expected = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    assert [int(count) for count in fields] == [len(record) for record in expected]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    first_lines, previous = [], 0
    for _ in reader:
        first_lines.append(previous + 1)
        previous = reader.line_num
    assert [int(line) for line in lines] == first_lines


@pytest.mark.parametrize("chunk", [1, 3, 1 << 23])
def test_delimiters_after_a_quote_never_closed_still_split_fields(monkeypatch, chunk):
    monkeypatch.setattr(csv_index, "_CHUNK", chunk)
    data = b'a,b,c\n1,"x,y",3\n4,"open,5,6\n7,8\n'
    lines, fields, starts, ends = csv_index.record_index(data, ",")
    assert list(lines) == [1, 2, 3] and list(fields) == [3, 3, 5]


def _strict_frame(data: bytes, delimiter: str, header: list[str]):
    """The frame polars reads with ragged records refused (as ``_read_csv_polars`` first does), or None."""
    import polars as pl

    try:
        return pl.read_csv(data, separator=delimiter, has_header=True, new_columns=leads._unique_headers(header),
                           infer_schema=False, truncate_ragged_lines=False, raise_if_empty=False)
    except pl.exceptions.PolarsError:
        return None


def _proven(data: bytes, delimiter: str):
    lines, starts, ends, quotes = csv_index.record_spans(data)
    header = next(csv.reader(io.StringIO(data.decode("utf-8", errors="replace"), newline=""), delimiter=delimiter))
    frame = _strict_frame(data, delimiter, header)
    if frame is None or len(lines) != frame.height + 1:
        return None, None
    return csv_index.clean_field_counts(data, delimiter, frame, header, quotes, starts), \
        csv_index.field_counts(data, delimiter, starts, quotes)


@pytest.mark.parametrize("seed", range(300))
def test_field_counts_proven_without_counting_are_the_counted_ones(seed):
    """The shortcut for clean files (a byte account instead of a count per record) either declines
    or gives exactly the counts of the record index, whatever the rows, quotes and line ends."""
    rng = random.Random(seed)
    delimiter = rng.choice([",", ";", "\t"])
    width = rng.randint(1, 5)
    pieces = ["a", "", " ", "x y", '"q"', '"a,b"', '"two\nlines"', '"cr\r"', '"say ""hi"""', 'mid"quote', "\r", "é"]
    rows = [delimiter.join(rng.choice(pieces).replace(",", delimiter) for _ in range(
        width if rng.random() < 0.7 else rng.randint(0, width + 2))) for _ in range(rng.randint(1, 8))]
    ending = rng.choice(["\n", "\r\n", "\r\r\n"])
    header = rng.choice(["", "\r", '"h,x"' + delimiter]) + delimiter.join(f"c{n}" for n in range(width))
    data = (ending.join([header, *rows]) + rng.choice(["", ending, "\r"])).encode()
    proven, counted = _proven(data, delimiter)
    if proven is not None:
        assert list(proven) == list(counted), data


@pytest.mark.parametrize("data", [
    b"a,b,c\rX\n1,2,3\n4\n",        # a lone CR in the header (the csv module ends the header there)
    b"a,b,c\n1,2,3\n4,5\n6,7,8,9\n",  # one short, one long
    b"a,b\n1,2\n3\n,\n",            # short and blank-ish records
    b'a,b\n"1",2\r\r\n3,4\r',        # CRs that are cell bytes, and one that ends the file
])
def test_the_shortcut_never_hides_a_ragged_record(data):
    proven, counted = _proven(data, ",")
    assert proven is None or list(proven) == list(counted)
    assert proven is None or set(counted) == {len(next(csv.reader(io.StringIO(data.decode(), newline=""))))}


@pytest.mark.parametrize("data", [
    b'Name,Title,Notes\r\n"Ann","VP, Sales","two\r\nlines"\r\nBen,CMO,\r\n',
    b"a;b\n1;2\n3;4",
    b'"x"\t"y"\n"1"\t""\n',
])
def test_a_clean_file_is_proven_without_counting_each_record(data):
    delimiter = ";" if b";" in data else ("\t" if b"\t" in data else ",")
    proven, counted = _proven(data, delimiter)
    assert proven is not None and list(proven) == list(counted)


def _proven_by_lines(data: bytes, delimiter: str):
    """``csv_index.proven_by_lines`` on a file polars read a record per line, with the counted fields; None
    when it does not apply."""
    lines, starts, ends, _quotes = csv_index.record_spans(data, quoted=False)
    header = next(csv.reader(io.StringIO(data.decode("utf-8", errors="replace"), newline=""), delimiter=delimiter))
    frame = _strict_frame(data, delimiter, header)
    if frame is None or len(lines) != frame.height + 1:
        return None, None
    exact_lines, exact_starts, _ends, quotes = csv_index.record_spans(data)
    block = leads._scan_block()
    raw = __import__("numpy").frombuffer(data, dtype="uint8")
    proven = csv_index.proven_by_lines(csv_index.scan(csv_index.byte_chunks(raw, block), block), frame, header)
    return [len(header)] * len(starts) if proven else None, \
        csv_index.field_counts(data, delimiter, exact_starts, quotes) if len(exact_lines) == len(lines) else None


def _line_file(seed: int) -> tuple[bytes, str]:
    """A small CSV as exports write them (every cell quoted, some, or none; CRLF or LF), with now
    and then what breaks the shortcut: short or long rows, stray or open quotes, CRs, cells on
    two lines."""
    rng = random.Random(1000 + seed)
    delimiter = rng.choice([",", ";", "\t"])
    width = rng.randint(1, 5)
    plain = ["a", "", " ", "x y", "é", "VP, Sales", 'say "hi"', "5'10\" to 6'2\""]
    hostile = ['"', '""', '"open', "\r", "two\nlines", "cr\r"]
    quote_all = rng.random() < 0.4

    def cell() -> str:
        text = rng.choice(hostile) if rng.random() < 0.08 else rng.choice(plain)
        if text in hostile and rng.random() < 0.5:
            return text  # as it is: the file is broken there
        needs = quote_all or any(ch in text for ch in (delimiter, '"', "\n", "\r", ",")) and rng.random() < 0.9
        return '"' + text.replace('"', '""') + '"' if needs else text

    rows = [delimiter.join(cell() for _ in range(width if rng.random() < 0.9 else rng.randint(0, width + 2)))
            for _ in range(rng.randint(1, 8))]
    ending = rng.choice(["\n", "\r\n"]) if rng.random() < 0.9 else "\r\r\n"
    header = (rng.choice(["\r", '"h,x"' + delimiter, '"h""q"' + delimiter]) if rng.random() < 0.3 else "") + \
        delimiter.join(f'"c{n}"' if quote_all else f"c{n}" for n in range(width))
    return (ending.join([header, *rows]) + (rng.choice(["", ending]) if rng.random() < 0.9 else "\r")).encode(), \
        delimiter


@pytest.mark.parametrize("seed", range(300))
def test_field_counts_proven_by_lines_are_the_counted_ones(seed):
    """The line shortcut (a byte account without quote offsets) either declines or gives exactly
    the counts of the record index, and only when every record is one line."""
    data, delimiter = _line_file(seed)
    proven, counted = _proven_by_lines(data, delimiter)
    if proven is not None:
        assert counted is not None and list(proven) == list(counted), data


def test_the_line_shortcut_proves_most_clean_files():
    """Not a test that cannot fail: most of those files are clean, and the shortcut takes them."""
    outcomes = [_proven_by_lines(*_line_file(seed)) for seed in range(300)]
    proven = sum(found is not None for found, _counted in outcomes)
    assert proven >= 60, proven


@pytest.mark.parametrize("data", [
    b'"Name","Title","Notes"\r\n"Ann","VP, Sales","say ""hi"""\r\n"Ben","CMO",""\r\n',
    b"a;b\n1;2\n3;4",
    b'"x"\t"y"\n"1"\t""\n',
    b"h1,h2\n5'10\" to 6'2\",x\n",  # stray quotes in an unquoted cell are cell bytes
])
def test_a_file_of_one_line_records_is_proven_by_lines(data):
    delimiter = ";" if b";" in data else ("\t" if b"\t" in data else ",")
    proven, counted = _proven_by_lines(data, delimiter)
    assert proven is not None and list(proven) == list(counted)


@pytest.mark.parametrize("data", [
    b"a,b,c\n1,2,3\n4,5\n",           # one short record
    b"a,b\n1,\"2\n",                  # a quote never closed
    b'a,b\n"1,2",3\n4\n',             # short after a quoted delimiter
    b"a,b\n1,2\r3,4\n",               # a lone CR
])
def test_the_line_shortcut_never_hides_a_ragged_record(data):
    proven, counted = _proven_by_lines(data, ",")
    assert proven is None or (counted is not None and list(proven) == list(counted)
                              and set(counted) == {len(next(csv.reader(io.StringIO(data.decode(), newline=""))))})


@pytest.mark.parametrize("data", [b"a", b"a\n", b"ab\ncd", b"\n\n", b"abc\n\nxy\n", b"x\nlonger line\ny", b"\nab"])
def test_line_count_and_longest_line_are_those_of_the_line_spans(data):
    lines, starts, ends, _quotes = csv_index.record_spans(data, quoted=False)
    newlines = csv_index.positions(__import__("numpy").frombuffer(data, dtype="uint8"), 10)
    assert csv_index.line_count(newlines, len(data)) == len(lines)
    assert csv_index.longest_line(newlines, len(data)) == int((ends - starts).max())


@pytest.mark.parametrize("seed", range(50))
def test_line_count_and_longest_line_on_random_lines(seed):
    rng = random.Random(seed)
    data = "".join(rng.choice(["a", "bb", "\n", "\n", "\r"]) for _ in range(rng.randint(1, 30))).encode()
    test_line_count_and_longest_line_are_those_of_the_line_spans(data)


@pytest.mark.parametrize("seed", range(60))
def test_the_scan_counts_the_lines_and_never_calls_a_long_line_short(seed, monkeypatch, tmp_path):
    """``_scan`` (before polars runs, no offsets kept): the line count of the spans, "short" only
    when no line is longer than the cell limit, and the CRs, CRLFs and quotes — with a small
    limit, lines of every length around it and files of a few chunks, scanned from the bytes and
    from the file alike."""
    import numpy as np

    limit = random.Random(seed).choice([4, 5, 8, 16])
    monkeypatch.setattr(leads, "MAX_CELL_BYTES", limit)
    monkeypatch.setattr(csv_index, "_CHUNK", 3 * limit)  # several chunks, not a multiple of the block
    rng = random.Random(seed)
    data = b"".join(rng.choice([b"x", b'"', b"\r"]) * rng.choice([0, 1, limit // 2, limit - 1, limit, limit + 1,
                                                                2 * limit]) + rng.choice([b"\n", b"\r\n"])
                    for _ in range(rng.randint(1, 12)))
    if rng.random() < 0.5:
        data = data[:-1] or b"x"
    lines, starts, ends, _quotes = csv_index.record_spans(data, quoted=False)
    block = leads._scan_block()
    scan = csv_index.scan(csv_index.byte_chunks(np.frombuffer(data, dtype=np.uint8), block), block)
    (tmp_path / "f.csv").write_bytes(data)
    with (tmp_path / "f.csv").open("rb", buffering=0) as handle:
        assert csv_index.scan(csv_index.file_chunks(handle, block), block) == scan
    count, short = scan.lines, scan.short
    assert count == len(lines)
    assert (scan.returns, scan.crlfs, scan.quotes, scan.size, scan.last) == (
        data.count(b"\r"), data.count(b"\r\n"), data.count(b'"'), len(data), data[-1])
    assert scan.head == data[:csv_index.HEAD]
    longest = int((ends - starts).max())
    if short:
        assert longest <= limit, (data, longest)
    assert short or longest >= _block(limit)  # "long" only where a line may be: the exact offsets then tell


def _block(limit: int) -> int:
    """The scan's block: a block without LF lies inside one line, so that line is as long."""
    return max(1, limit // 2)
