"""The monthly review meeting pack: one ``docmodel.Document`` the four writers render.

    pack = review_pack(facts)   # facts: alignwork.review.pack.gather_review(…)

Plain data in (the periods' stored metrics and findings, the definition, the next review
date already worked out), ``Document`` out: this module imports nothing of the review room.

Agenda in the seeds' shape (key metrics, process issues, vocabulary, decisions), the key
metrics across the periods so far (the same rows every month), returns by reason code,
the findings with their proposals, the glossary as a refresher, decisions and owners,
trend charts, and the next review date from the agreed cadence.
"""

from __future__ import annotations

from dataclasses import dataclass

from alignwork.definition.agreement import glossary_of
from alignwork.definition.criteria import Definition
from alignwork.documents.docmodel import Bullets, Document, Figure, Heading, KeyValues, Paragraph, Section, Table

TREND_PERIODS = 6  # columns of the key-metrics table: this period and the five before


AGENDA = (
    ("Key metrics", "the same figures as every month: volume, conversion, SLA, returns, the goal"),
    ("Returned leads and findings", "what the returns say about the definition; accept or park each proposal"),
    ("Process issues", "hand-offs, follow-up, data quality — aired by either team"),
    ("Vocabulary refresher", "the agreed words, read out so both teams keep meaning the same thing"),
    ("Decisions and owners", "who does what by when; proposals accepted go to a new draft version"),
)


@dataclass
class ReviewFacts:
    workshop_name: str
    company: str
    facilitator: str
    period: object  # a ReviewPeriod (period, file_name, metrics, findings, issues, decisions)
    earlier: list  # ReviewPeriods before ``period``, oldest first
    definition: Definition
    version_text: str
    next_review_due: str  # ISO date
    next_review_text: str  # "Next monthly review: 3 Feb 2027 (in 5 days)."


def baseline_words(goal: dict) -> str:
    """What the goal is measured against, in words: "the back-test of leads.csv", "the 2027-01
    review" (a period stored before this was said once wrote "the" itself)."""
    source = str((goal.get("baseline") or {}).get("source") or "back-test")
    return source if source.startswith("the ") else f"the {source}"


def _percent(value) -> str:
    return "–" if value is None else f"{value:.0%}"


def _count(value) -> str:
    return "–" if value is None else f"{value:,}"


# the key metrics, in the same order every month: (label, how to read it from the metrics)
KEY_METRICS = (
    ("Leads created", lambda m: _count(m.get("leads"))),
    ("Sent to Sales", lambda m: _count(m.get("sent"))),
    ("Share sent to Sales", lambda m: _percent(m.get("volume_share"))),
    ("MQL → SQL", lambda m: _percent(m["conversion"].get("mql_to_sql"))),
    ("SQL → won", lambda m: _percent(m["conversion"].get("sql_to_won"))),
    ("Won", lambda m: _count(m.get("won"))),
    ("Returned to Marketing", lambda m: _count(m.get("returned"))),
    ("Followed up within the SLA", lambda m: _percent((m.get("sla") or {}).get("share"))),
    ("Quality (won of decided)", lambda m: _percent(m.get("quality"))),
    ("Volume vs. baseline (goal 50 %)", lambda m: _percent((m.get("goal") or {}).get("volume_ratio"))),
    ("Quality vs. baseline (goal 2×)", lambda m: (lambda r: "–" if r is None else f"{r:.1f}×")(
        (m.get("goal") or {}).get("quality_ratio"))),
)


def _metrics_blocks(facts: ReviewFacts) -> list:
    shown = [*facts.earlier[-(TREND_PERIODS - 1):], facts.period]
    rows = tuple((label, *(read(item.metrics) for item in shown)) for label, read in KEY_METRICS)
    blocks = [Table(("Metric", *(item.period for item in shown)), rows, widths=(3.2, *([1.1] * len(shown))),
                    numeric=frozenset(range(1, len(shown) + 1)))]
    metrics = facts.period.metrics
    goal = metrics.get("goal") or {}
    if goal.get("baseline"):
        blocks.append(Paragraph(
            f"Half the volume, double the quality — against {baseline_words(goal)}: "
            f"{_percent(goal.get('volume_progress'))} of the way to half the volume, "
            f"{_percent(goal.get('quality_progress'))} of the way to double the quality.", "strong"))
    else:
        blocks.append(Paragraph("No baseline yet: a back-test with outcomes sets the volume and quality the goal "
                                "is measured against.", "muted"))
    if not metrics.get("sla"):
        blocks.append(Paragraph("Follow-up within the SLA is not measured: the export has no created and "
                                "first-contact times.", "muted"))
    return blocks


def _returns_blocks(facts: ReviewFacts) -> list:
    metrics = facts.period.metrics
    earlier = facts.earlier[-(TREND_PERIODS - 1):]

    def average(code: str) -> str:
        counts = [next((r["leads"] for r in item.metrics.get("returned_by_code", []) if r["code"] == code), 0)
                  for item in earlier]
        return f"{sum(counts) / len(counts):,.0f}" if counts else "–"

    rows = tuple((row["code"], row["label"], f"{row['leads']:,}", _percent(row["share"]), average(row["code"]))
                 for row in metrics.get("returned_by_code", []))
    blocks = [Table(("Code", "Reason", "Leads", "Share", "Before (avg)"), rows, widths=(1.6, 3.2, 1, 1, 1.2),
                    numeric=frozenset({2, 3, 4}), empty="No reason codes are agreed.")]
    unknown = metrics.get("unknown_reasons") or []
    if unknown:
        blocks += [Paragraph("Reasons that match no agreed code (agree a code, or ask Sales to use one):", "muted"),
                   Bullets(tuple(f"{item['reason']} — {item['leads']:,}" for item in unknown[:15]))]
    owners = metrics.get("owners") or []
    if owners:
        blocks += [Heading("By owner", 2),
                   Table(("Owner", "Sent", "Returned", "Won"),
                         tuple((row["owner"], f"{row['sent']:,}", f"{row['returned']:,}", f"{row['won']:,}")
                               for row in owners[:15]), widths=(3, 1, 1, 1), numeric=frozenset({1, 2, 3}))]
    if metrics.get("returned_without_reason"):
        blocks.append(Paragraph(f"{metrics['returned_without_reason']:,} returned without a reason.", "muted"))
    return blocks


def _findings_blocks(facts: ReviewFacts) -> list:
    findings = facts.period.findings
    if not findings:
        return [Paragraph("Nothing in this period's returns or wins points at a change to the definition.", "muted")]
    blocks: list = []
    for finding in findings:
        status = "accepted — in the working draft" if finding.get("accepted") else "open"
        lines = ", ".join(map(str, finding["lines"][:12])) + (" …" if finding["leads"] > 12 else "")
        blocks += [Heading(finding["title"], 2), Paragraph(finding["detail"]),
                   KeyValues((("Proposal", finding["proposal"]["text"]), ("Status", status),
                              ("Leads", f"{finding['leads']:,}, file lines {lines}")))]
    return blocks


def _charts(facts: ReviewFacts) -> list:
    from alignwork.charts import figure_png
    from alignwork.charts.review import returns_figure, trend_figure, trend_rows

    rows = trend_rows([*facts.earlier, facts.period])
    blocks = []
    for build, caption in ((trend_figure, "Leads sent and returned per period; quality and follow-up share."),
                           (returns_figure, "Returned leads per period by reason code.")):
        figure = build(rows)
        width, height = figure.get_size_inches()
        blocks.append(Figure(figure_png(figure, dpi=110), caption, aspect=height / width))
    return blocks


def review_pack(facts: ReviewFacts, *, charts: bool = True) -> Document:
    """The meeting pack of ``facts.period``."""
    row = facts.period
    name = facts.company or facts.workshop_name
    issues = tuple(row.issues)
    decisions = tuple((item["decision"], item.get("owner") or "—", item.get("due") or "—") for item in row.decisions)
    accepted = tuple((f"Accepted proposal: {f['proposal']['text']}", "Facilitator", "next draft version")
                     for f in row.findings if f.get("accepted"))
    glossary = glossary_of(facts.definition)
    sections = [
        Section("agenda", "Agenda", [Table(("#", "Item", "What for"),
                                           tuple((str(i), item, why) for i, (item, why) in enumerate(AGENDA, 1)),
                                           widths=(0.4, 2.4, 5))]),
        Section("metrics", "Key metrics", _metrics_blocks(facts)),
        Section("returns", "Returned leads by reason code", _returns_blocks(facts)),
        Section("findings", "What the returns say about the definition", _findings_blocks(facts)),
        Section("issues", "Process issues aired",
                [Bullets(issues)] if issues else [Paragraph("None noted yet.", "muted")]),
        Section("vocabulary", "Vocabulary refresher",
                [Table(("Term", "Meaning"), tuple((e["term"], e["meaning"]) for e in glossary), widths=(1.6, 6))]),
        Section("decisions", "Decisions and owners",
                [Table(("Decision", "Owner", "Due"), decisions + accepted, widths=(5, 1.6, 1.4),
                       empty="No decisions noted yet.")]),
    ]
    if charts:
        sections.append(Section("charts", "Trends", _charts(facts), new_page=True))
    sections.append(Section("next", "Next review", [Paragraph(facts.next_review_text)]))
    meta = [("Workshop", facts.workshop_name), ("Company", facts.company or "—"), ("Period", row.period),
            ("Definition", facts.version_text), ("File", row.file_name or "—"),
            ("Facilitator", facts.facilitator or "—"), ("Next review", facts.next_review_due)]
    return Document(kind="review", title="Monthly lead review", subtitle=f"{name} — {row.period}", meta=meta,
                    sections=sections, footer=f"Lead review · {name} · {row.period}")
