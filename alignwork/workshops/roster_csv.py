"""Read a roster of reps from a CSV file as spreadsheets export it.

A header row is required and ``name`` is the only required column. Headers
match case-insensitively with common aliases ("Full name", "Segment",
"Territory"…); unknown columns are ignored and reported. UTF-8 (with or
without BOM) or Windows-1252; comma, semicolon or tab separated. Every problem
names its line in the file; on any problem nothing is returned, so nothing is
imported.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from alignwork.interviews.guide import PROFILES

NAME_MAX = 200

# canonical field → header spellings (compared after lower-casing and squeezing spaces, _ and -)
ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "fullname", "rep", "rep name", "sales rep", "salesperson", "person",
             "participant", "employee", "contact"),
    "role": ("role", "title", "job title", "position", "job"),
    "team": ("team", "segment", "sales team", "group", "department", "unit"),
    "region": ("region", "territory", "area", "geo", "geography", "market", "country", "location"),
    "profile": ("profile", "type", "rep type", "category", "tier"),
    "notes": ("notes", "note", "comment", "comments", "remarks"),
}
_HEADER_LOOKUP = {alias: canonical for canonical, aliases in ALIASES.items() for alias in aliases}

_PROFILE_WORDS = {"rock_star": "rock_star", "rockstar": "rock_star", "star": "rock_star", "top": "rock_star",
                  "top_performer": "rock_star", "engaged": "engaged", "other": "other", "": "other"}


class RosterCsvError(ValueError):
    """The CSV cannot be imported; ``problems`` lists each one with its line number."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        super().__init__(shown)


@dataclass
class RosterImport:
    rows: list[dict[str, str]]  # keyword arguments for store.add_participants
    unknown_columns: list[str] = field(default_factory=list)


def _normal_header(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().lower()).strip()


def normalise_profile(text: str) -> str | None:
    """"Rock star", "rock-star", "ROCKSTAR" → "rock_star"; None when it is no profile at all."""
    key = re.sub(r"[\s\-]+", "_", text.strip().lower())
    key = _PROFILE_WORDS.get(key, key)
    return key if key in PROFILES else None


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    """The separator the header row uses most (headers rarely hold quotes or separators)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    return max((",", ";", "\t"), key=header.count)


def parse_roster_csv(data: bytes | str) -> RosterImport:
    """Parse a roster CSV into rows for ``store.add_participants``; RosterCsvError if anything is wrong."""
    text = _decode(data)
    if not text.strip():
        raise RosterCsvError(["line 1: the file is empty; expected a header row with at least a name column"])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    records = []
    try:
        start = 1
        for record in reader:
            records.append((start, record))
            start = reader.line_num + 1
    except csv.Error as error:
        raise RosterCsvError([f"line {reader.line_num}: cannot be read as CSV ({error})"]) from None
    header_line, header = next(((line, rec) for line, rec in records if any(cell.strip() for cell in rec)),
                               (1, []))
    columns, unknown, problems = _map_header(header, header_line)
    if problems:
        raise RosterCsvError(problems)
    rows: list[dict[str, str]] = []
    for line, record in records:
        if line <= header_line or not any(cell.strip() for cell in record):
            continue
        row, row_problems = _read_row(record, columns, len(header), line)
        problems.extend(row_problems)
        if not row_problems:
            rows.append(row)
    if problems:
        raise RosterCsvError(problems)
    if not rows:
        raise RosterCsvError([f"line {header_line + 1}: no reps below the header row"])
    return RosterImport(rows=rows, unknown_columns=unknown)


def _map_header(header: list[str], line: int) -> tuple[dict[int, str], list[str], list[str]]:
    columns: dict[int, str] = {}
    unknown: list[str] = []
    problems: list[str] = []
    first_for: dict[str, str] = {}
    for index, title in enumerate(header):
        canonical = _HEADER_LOOKUP.get(_normal_header(title))
        if canonical is None:
            if title.strip():
                unknown.append(title.strip())
            continue
        if canonical in first_for:
            problems.append(f"line {line}: the columns {first_for[canonical]!r} and {title.strip()!r} "
                            f"both mean {canonical}; keep one")
            continue
        first_for[canonical] = title.strip()
        columns[index] = canonical
    if "name" not in first_for:
        found = ", ".join(repr(t.strip()) for t in header if t.strip()) or "nothing"
        problems.append(f"line {line}: no name column in the header row (found {found}); "
                        "the first row must name the columns, e.g. name,role,team,region,profile,notes")
    return columns, unknown, problems


def _read_row(record: list[str], columns: dict[int, str], width: int,
              line: int) -> tuple[dict[str, str], list[str]]:
    problems = []
    if len(record) > width and any(cell.strip() for cell in record[width:]):
        problems.append(f"line {line}: {len(record)} values but the header has {width} columns "
                        "(a separator inside a value needs quotes)")
    row = {canonical: record[index].strip() if index < len(record) else "" for index, canonical in columns.items()}
    if not row.get("name"):
        problems.append(f"line {line}: the name is empty")
    elif len(row["name"]) > NAME_MAX:
        problems.append(f"line {line}: the name is longer than {NAME_MAX} characters")
    if "profile" in row:
        profile = normalise_profile(row["profile"])
        if profile is None:
            problems.append(f"line {line}: profile {row['profile']!r} is not one of rock star, engaged or other")
        else:
            row["profile"] = profile
    return row, problems
