"""``python -m alignwork review WORKSHOP PERIOD_FILE.csv|.xlsx --period 2027-01 [--version N]
[--map COLUMN=attribute …] [--json]``: add a review period and print its metrics and findings."""

from __future__ import annotations

import argparse
from pathlib import Path

from alignwork.cli import CliError, bad_lines_report, columns_line, open_db, print_json
from alignwork.definition.vocabulary import ATTRIBUTES
from alignwork.words import counted, plural

REVIEW_TARGETS = ("status", "reason", "owner", "created", "contacted")  # as alignwork.review.columns


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "review", help="add a month's CRM export to the review and show its key metrics and findings",
        description="Score a period's lead export (CSV or XLSX) with the agreed definition version, as the "
                    "back-test does, and read its lead status, rejection reasons, owners and follow-up times. "
                    "A period added again is replaced (its process issues and decisions are kept).",
        epilog="targets for --map: " + ", ".join((*ATTRIBUTES, "outcome", *REVIEW_TARGETS, "none"))
               + ". See docs/review.md.")
    parser.add_argument("workshop", help="workshop id or name")
    parser.add_argument("leads", type=Path, help="the period's lead file: .csv (any delimiter/encoding) or .xlsx")
    parser.add_argument("--period", required=True, metavar="YYYY-MM", help="the month the file covers")
    parser.add_argument("--version", type=int, metavar="N", help="definition version (default: the agreed one)")
    parser.add_argument("--map", action="append", default=[], metavar="COLUMN=target",
                        help="map a column to an attribute, outcome, status, reason, owner, created, contacted "
                             "or none (repeatable; remembered for files with these headers)")
    parser.add_argument("--json", action="store_true", help="print the metrics and findings as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from alignwork import store
    from alignwork.backtest.history import BacktestError
    from alignwork.backtest.leads import LeadFileError, read_leads
    from alignwork.definition import versions
    from alignwork.review import periods

    periods.parse_period(args.period)  # a bad period is told before a big file is read
    database = open_db(args)
    with database.session() as session:
        workshop = store.find_workshop(session=session, ident=args.workshop)
        try:
            if args.version is not None:
                versions.get_version(session=session, workshop_id=workshop.id, number=args.version)
            table = read_leads(args.leads)
            row, _result = periods.add_period(session=session, workshop_id=workshop.id, period=args.period,
                                              table=table, overrides=args.map, number=args.version)
        except (BacktestError, LeadFileError) as error:
            raise CliError(str(error)) from None
        report = period_report(row)
    if args.json:
        print_json(report)
    else:
        print(text_report(report))
    return 0


def period_report(row) -> dict:
    """What ``--json`` prints: the period, its metrics and its findings."""
    return {"period": row.period, "version": row.version_number, "file": row.file_name, "rows": row.rows,
            "metrics": row.metrics, "findings": row.findings}


def _percent(value) -> str:
    return "–" if value is None else f"{value:.0%}"


def text_report(report: dict) -> str:
    from alignwork.documents.review import baseline_words

    metrics = report["metrics"]
    version = "the draft" if report["version"] is None else f"version {report['version']}"
    conversion = metrics["conversion"]
    lines = [f"{report['period']} review of {report['file']} with {version}: {metrics['leads']:,} "
             f"{plural('lead', metrics['leads'])}",
             f"  sent to Sales {metrics['sent']:,} ({_percent(metrics['volume_share'])}), "
             f"accepted (SQL) {metrics['accepted']:,}, won {metrics['won']:,}, returned {metrics['returned']:,}",
             f"  conversion: MQL → SQL {_percent(conversion['mql_to_sql'])}, SQL → won "
             f"{_percent(conversion['sql_to_won'])}"]
    sla = metrics.get("sla")
    lines.append(f"  followed up within {sla['hours']} h: {_percent(sla['share'])} of {sla['measured']:,}" if sla
                 else "  follow-up SLA: not measured (the file has no created and first-contact times)")
    codes = ", ".join(f"{row['code']} {row['leads']:,}" for row in metrics["returned_by_code"])
    lines.append(f"  returned by reason: {codes or 'no reason codes agreed'}")
    if metrics["unknown_reasons"]:
        unknown = "; ".join(f"{item['reason']!r} ({item['leads']})" for item in metrics["unknown_reasons"][:8])
        lines.append(f"  reasons that match no agreed code: {unknown}")
    goal = metrics.get("goal") or {}
    if goal.get("baseline"):
        parts = []
        if "volume_ratio" in goal:
            parts.append(f"volume {goal['volume_ratio']:.0%} of before ({goal['volume_progress']:.0%} of the way "
                         "to half)")
        if "quality_ratio" in goal:
            parts.append(f"quality {goal['quality_ratio']:.1f}× ({goal['quality_progress']:.0%} of the way to double)")
        lines.append(f"  goal against {baseline_words(goal)}: " + ("; ".join(parts) or "not measurable"))
    else:
        lines.append("  goal: no baseline yet (run a back-test with outcomes)")
    read = (metrics.get("mapping") or {}).get("review")
    if read is not None:
        from alignwork.review.columns import REVIEW_TARGETS, TARGET_WORDS

        lines.append(columns_line("review columns read", [(TARGET_WORDS[target], read[target])
                                                          for target in REVIEW_TARGETS if read.get(target)]))
    lines += bad_lines_report(metrics.get("bad_lines", 0), metrics.get("bad_line_reasons", []))
    findings = report["findings"]
    lines.append(f"{counted(len(findings), 'finding')}" + (":" if findings else "."))
    for finding in findings:
        lines += [f"  • {finding['title']}", f"    {finding['detail']}",
                  f"    proposal: {finding['proposal']['text']}",
                  f"    leads on file lines {', '.join(map(str, finding['lines'][:10]))}"
                  + (" …" if finding["leads"] > 10 else "")]
    return "\n".join(lines)
