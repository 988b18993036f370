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
from dataclasses import dataclass, field
from pathlib import Path

LINE = "_line"  # the file line (CSV) or sheet row (XLSX) a lead starts on
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
            data = path.read_bytes()
        except OSError as error:
            raise LeadFileError(f"cannot read {path.name}: {error.strerror or error}") from None
        table = read_csv_bytes(data)
    table.file_name = path.name
    return table


# ------------------------------------------------------------------ encoding

def _to_utf8(data: bytes) -> tuple[bytes, str]:
    """The bytes as UTF-8 without BOM, and the encoding they were in."""
    if data.startswith(_UTF8_BOM):
        return data[len(_UTF8_BOM):], "utf-8-sig"
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return data.decode("utf-16").encode("utf-8"), "utf-16"
    if b"\x00" in data[:4096]:
        raise LeadFileError("this does not look like a text (CSV) file; export the leads as CSV or XLSX")
    import numpy as np

    if not len(data) or int(np.frombuffer(data, dtype=np.uint8).max()) < 0x80:
        return data, "ascii"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), 1 << 22):  # chunked: checks without a second copy in memory
            decoder.decode(data[start:start + (1 << 22)])
        decoder.decode(b"", final=True)
        return data, "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252").encode("utf-8"), "cp1252"
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return data.decode("latin-1").encode("utf-8"), "latin-1"


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


def read_csv_bytes(data: bytes) -> LeadTable:
    """Parse CSV bytes (see module docstring)."""
    data, encoding = _to_utf8(data)
    # the header is the first non-blank line; blank lines before it are dropped
    stripped = data.lstrip(b"\r\n")
    skipped_lines = data[: len(data) - len(stripped)].count(b"\n")
    data = stripped
    if not data.strip():
        raise LeadFileError("the file is empty")
    head_text = data[:65536].decode("utf-8", errors="replace")
    first_lines = head_text.splitlines()
    delimiter = _sniff_delimiter(first_lines[0], first_lines[1] if len(first_lines) > 1 else "")
    try:
        return _read_csv_polars(data, delimiter, encoding, skipped_lines)
    except _NeedsExactReader:
        return _read_csv_python(data, delimiter, encoding, skipped_lines)


class _NeedsExactReader(Exception):
    pass


def _record_index(data: bytes, delimiter: str):
    """Start line (1-based) and field count of every record, header included."""
    import numpy as np

    raw = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(raw == 10)
    delimiters = np.flatnonzero(raw == ord(delimiter))
    quotes = np.flatnonzero(raw == 34)
    if len(quotes):
        # a newline or delimiter inside quotes is part of a field: odd number of quotes before it
        newline_outside = np.searchsorted(quotes, newlines) % 2 == 0
        terminators = newlines[newline_outside]
        line_of_start = np.concatenate(([0], np.flatnonzero(newline_outside) + 1))
        delimiters = delimiters[np.searchsorted(quotes, delimiters) % 2 == 0]
    else:
        terminators = newlines
        line_of_start = np.arange(len(newlines) + 1)
    ends = terminators
    if len(data) and (not len(terminators) or terminators[-1] != len(data) - 1):
        ends = np.append(terminators, len(data))  # a last record without a final newline
    else:
        line_of_start = line_of_start[:-1]
    delimiters_before = np.searchsorted(delimiters, ends)
    fields = np.diff(np.concatenate(([0], delimiters_before))) + 1
    return line_of_start[: len(ends)] + 1, fields


def _read_csv_polars(data: bytes, delimiter: str, encoding: str, skipped_lines: int) -> LeadTable:
    import numpy as np
    import polars as pl

    header = next(csv.reader(io.StringIO(data[:65536].decode("utf-8", errors="replace")), delimiter=delimiter))
    columns = _unique_headers(header)
    try:
        frame = pl.read_csv(data, separator=delimiter, has_header=True, new_columns=columns,
                            infer_schema=False, truncate_ragged_lines=True, quote_char='"',
                            raise_if_empty=False)
    except pl.exceptions.PolarsError:
        raise _NeedsExactReader() from None
    lines, fields = _record_index(data, delimiter)
    if len(lines) != frame.height + 1 or fields[0] != len(columns):
        raise _NeedsExactReader()
    lines, fields = lines[1:] + skipped_lines, fields[1:]
    frame = frame.with_columns(pl.Series(LINE, lines, dtype=pl.Int64))
    blank = pl.all_horizontal(pl.col(columns).is_null() | (pl.col(columns).str.strip_chars() == ""))
    keep_blank = frame.select(blank).to_series().to_numpy()
    ragged = (fields != len(columns)) & ~keep_blank
    bad = [BadLine(int(line), _field_count_message(int(count), len(columns)))
           for line, count in zip(lines[ragged], fields[ragged])]
    rows = int((~keep_blank).sum())
    frame = frame.filter(pl.Series(~keep_blank & ~ragged))
    return LeadTable(frame=frame, columns=columns, rows=rows, bad_lines=bad,
                     encoding=encoding, delimiter=delimiter)


def _field_count_message(found: int, expected: int) -> str:
    return f"{found} field{'s' if found != 1 else ''} where the header has {expected}"


def _read_csv_python(data: bytes, delimiter: str, encoding: str, skipped_lines: int) -> LeadTable:
    import polars as pl

    reader = csv.reader(io.StringIO(data.decode("utf-8", errors="replace"), newline=""), delimiter=delimiter)
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
            if len(record) != len(columns):
                bad.append(BadLine(start + skipped_lines, _field_count_message(len(record), len(columns))))
                continue
            records.append(record)
            lines.append(start + skipped_lines)
    except csv.Error as error:
        raise LeadFileError(f"the CSV cannot be read near line {reader.line_num + skipped_lines}: {error}") from None
    series = {name: [record[index] or None for record in records] for index, name in enumerate(columns)}
    frame = pl.DataFrame(series, schema={name: pl.String for name in columns})
    frame = frame.with_columns(pl.Series(LINE, lines, dtype=pl.Int64))
    return LeadTable(frame=frame, columns=columns, rows=rows, bad_lines=bad,
                     encoding=encoding, delimiter=delimiter)


# ------------------------------------------------------------------ spreadsheets

def _read_excel(path: Path) -> LeadTable:
    import polars as pl

    try:
        import fastexcel

        sheet = fastexcel.read_excel(str(path)).load_sheet(0, dtypes="string")
        frame = sheet.to_polars()
    except Exception as error:  # calamine reports broken or encrypted files in many ways
        raise LeadFileError(f"cannot read {path.name} as a spreadsheet: {str(error).splitlines()[0] if str(error) else error}") from None
    if not frame.width:
        raise LeadFileError(f"{path.name}: the first sheet is empty")
    columns = _unique_headers([str(name) if not str(name).startswith("__UNNAMED__") else "" for name in frame.columns])
    frame = frame.rename(dict(zip(frame.columns, columns)))
    frame = frame.with_columns(pl.all().cast(pl.String))
    # sheet row numbers: the header is row 1, data starts on row 2
    frame = frame.with_row_index(LINE, offset=2).with_columns(pl.col(LINE).cast(pl.Int64))
    blank = pl.all_horizontal(pl.col(columns).is_null() | (pl.col(columns).str.strip_chars() == ""))
    frame = frame.filter(~blank)
    return LeadTable(frame=frame.select([*columns, LINE]), columns=columns, rows=frame.height,
                     encoding="xlsx", delimiter="")
