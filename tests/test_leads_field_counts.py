"""The record index's field counts (one scan for record bounds and quote spans) against Python's
csv module, record by record, with chunk edges falling everywhere."""

import csv
import io
import random

import pytest

from alignwork.backtest import leads


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
    monkeypatch.setattr(leads, "_CHUNK", chunk)
    lines, fields, starts, ends = leads._record_index(text.encode(), delimiter)
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
    monkeypatch.setattr(leads, "_CHUNK", chunk)
    data = b'a,b,c\n1,"x,y",3\n4,"open,5,6\n7,8\n'
    lines, fields, starts, ends = leads._record_index(data, ",")
    assert list(lines) == [1, 2, 3] and list(fields) == [3, 3, 5]
