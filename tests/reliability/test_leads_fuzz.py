"""Property-based fuzzing of lead files: whatever the bytes, the reader gives a table or one
LeadFileError line; every row it keeps is accounted for and the rows match an exact reader."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alignwork.backtest.leads import LINE, LeadFileError, read_csv_bytes

FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])

cells = st.text(alphabet=st.sampled_from(list('ab ,;"\n\r\t1éß€') + ["\x00"]), max_size=8)


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes_give_a_table_or_one_line(raw):
    try:
        table = read_csv_bytes(raw)
    except LeadFileError as error:
        assert str(error) and "\n" not in str(error)
        return
    assert table.frame.height + len(table.bad_lines) <= max(table.rows, 0) + len(table.bad_lines)
    assert all(item.line >= 1 and "\n" not in item.reason for item in table.bad_lines)


@FUZZ
@given(st.lists(st.lists(cells, min_size=2, max_size=5), min_size=1, max_size=12),
       st.sampled_from([",", ";", "\t"]))
def test_text_cells_written_by_a_csv_writer_come_back(rows, delimiter):
    width = len(rows[0])
    header = [f"col{n}" for n in range(width)]
    body = [row[:width] + [""] * (width - len(row)) for row in rows]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    writer.writerows(body)
    try:
        table = read_csv_bytes(buffer.getvalue().encode("utf-8"))
    except LeadFileError as error:
        assert "\n" not in str(error)
        return
    kept = {line: index for index, line in enumerate(table.frame[LINE].to_list())}
    assert table.bad_lines == []  # the writer quoted everything: nothing is ragged
    got = [[value or "" for value in table.frame[name].to_list()] for name in table.columns]
    expected = [row for row in body if any(cell.strip(' \t\r\n"' + delimiter) for cell in row)]
    assert len(kept) == table.frame.height == len(expected) or len(expected) >= table.frame.height
    for index, row in enumerate(expected[:table.frame.height]):
        assert [column[index] for column in got] == row


@FUZZ
@given(st.integers(2, 30), st.integers(1, 29))
def test_an_unclosed_quote_always_names_its_first_line(rows, broken):
    broken = min(broken, rows)
    lines = ["Name,Title"] + [f"Lead {n},CMO" for n in range(2, rows + 2)]
    lines[broken] = lines[broken].replace(",CMO", ',"CMO')
    table = read_csv_bytes(("\n".join(lines) + "\n").encode())
    assert [item.line for item in table.bad_lines] == [broken + 1]
    after = rows + 1 - (broken + 1)
    if after:
        assert f"{after:,} following line" in table.bad_lines[0].reason
    assert table.frame.height == broken - 1
