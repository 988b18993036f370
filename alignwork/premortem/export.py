"""The premortem checklist as CSV or Markdown, written atomically.

CSV cells that a spreadsheet would run as a formula are neutralised; Markdown
escapes user text so a title like ``<script>`` or ``*bold*`` stays text.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from alignwork.atomic import neutralise_csv_cell, write_atomic
from alignwork.models import Risk
from alignwork.premortem.checklist import FIELDS, field_text, is_overdue

CSV_COLUMNS = ("id", *FIELDS, "overdue", "author", "suggestion", "merged_titles")
FORMATS = ("csv", "md")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")  # inline markup; < > & become entities


def checklist_csv(risks: Sequence[Risk], *, today: date | None = None) -> str:
    """One row per item, every field; dates ISO; evidence and merged titles joined by "; "."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for risk in risks:
        row = []
        for column in CSV_COLUMNS:
            if column == "overdue":
                value = "yes" if is_overdue(risk, today) else ""
            elif column == "merged_titles":
                value = "; ".join(risk.merged_titles or [])
            elif column in ("id", "author", "suggestion"):
                value = "" if getattr(risk, column) is None else str(getattr(risk, column))
            else:
                value = field_text(risk, column)
            row.append(neutralise_csv_cell(value))
        writer.writerow(row)
    return buffer.getvalue()


def md_escape(text: object) -> str:
    """User text safe inside Markdown (and the HTML it becomes): no markup, no raw HTML."""
    value = _MD_SPECIAL.sub(r"\\\1", html.escape(str(text or ""), quote=False))
    return " ".join(value.split())


def checklist_markdown(risks: Sequence[Risk], *, title: str, frame: str = "", review: date | None = None,
                       today: date | None = None) -> str:
    """A readable checklist: a summary table, then every item with its details."""
    lines = [f"# {md_escape(title)}", ""]
    if frame:
        lines += [md_escape(frame), ""]
    if review:
        lines += [f"Next review: {review.isoformat()}", ""]
    if not risks:
        return "\n".join([*lines, "No risks on the checklist yet.", ""])
    lines += ["| # | Risk | Class | Likelihood | Impact | Score | Votes | Owner | Due | Status |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for number, risk in enumerate(risks, 1):
        due = field_text(risk, "due_date") + (" (overdue)" if is_overdue(risk, today) else "")
        cells = [str(number), md_escape(risk.title), field_text(risk, "klass"), field_text(risk, "likelihood"),
                 field_text(risk, "impact"), field_text(risk, "score"), str(risk.votes), md_escape(risk.owner),
                 due, field_text(risk, "status")]
        lines.append("| " + " | ".join(cell or " " for cell in cells) + " |")
    lines.append("")
    for number, risk in enumerate(risks, 1):
        lines += [f"## {number}. {md_escape(risk.title)}", ""]
        details = [("Category", risk.category), ("Source", field_text(risk, "source")),
                   ("Written by", risk.author), ("Why", risk.description), ("Mitigation", risk.mitigation),
                   ("Suggested mitigation", risk.suggestion if not risk.mitigation else ""),
                   ("Review notes", risk.review_notes),
                   ("Merged from", "; ".join(risk.merged_titles or []))]
        lines += [f"- **{label}:** {md_escape(value)}" for label, value in details if str(value or "").strip()]
        if risk.evidence:
            lines.append("- **Evidence:**")
            lines += [f"    - {md_escape(item)}" for item in risk.evidence]
        lines.append("")
    return "\n".join(lines)


def export_checklist(path: str | Path, risks: Sequence[Risk], *, fmt: str | None = None, title: str = "",
                     frame: str = "", review: date | None = None, today: date | None = None) -> Path:
    """Write the checklist to ``path`` atomically; the format follows ``fmt`` or the suffix."""
    target = Path(path)
    fmt = (fmt or target.suffix.lstrip(".")).lower()
    fmt = "md" if fmt == "markdown" else fmt
    if fmt not in FORMATS:
        raise ValueError("export the checklist as .csv or .md")
    if fmt == "csv":
        # utf-8-sig so spreadsheet programs read accents correctly
        return write_atomic(target, checklist_csv(risks, today=today), encoding="utf-8-sig")
    return write_atomic(target, checklist_markdown(risks, title=title or "Premortem checklist", frame=frame,
                                                   review=review, today=today))
