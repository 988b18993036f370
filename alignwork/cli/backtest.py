"""``python -m alignwork backtest WORKSHOP LEADS.csv|.xlsx [--version N] [--map COLUMN=attribute …]
[--json] [--out scored.csv] [--force]``: score a lead list with a definition version."""

from __future__ import annotations

import argparse
from pathlib import Path

from alignwork.cli import CliError, bad_lines_report, columns_line, open_db, output_target, print_json
from alignwork.definition.vocabulary import ATTRIBUTES, FIELD_WORDS


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "backtest", help="score a CRM lead list with the lead definition and show what would pass",
        description="Score a lead list (CSV or XLSX) with a definition version: stages, pass rate, "
                    "and with an outcome column conversion and lift. Records the run.",
        epilog="attributes for --map: " + ", ".join(ATTRIBUTES) + ". See docs/backtest.md.")
    parser.add_argument("workshop", help="workshop id or name")
    parser.add_argument("leads", type=Path, help="lead file: .csv (any delimiter/encoding) or .xlsx")
    parser.add_argument("--version", type=int, metavar="N", help="definition version (default: the draft)")
    parser.add_argument("--map", action="append", default=[], metavar="COLUMN=attribute",
                        help="map a column to an attribute, 'outcome' or 'none' (repeatable; remembered)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--out", type=Path, metavar="SCORED.csv", help="write the scored list here")
    parser.add_argument("--rules-out", type=Path, metavar="RULES.csv|.json",
                        help="write the scoring rules with the raw CRM values each category matched in this file")
    parser.add_argument("--force", action="store_true", help="overwrite --out / --rules-out if it exists")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from alignwork import store
    from alignwork.backtest import history as backtest_runs
    from alignwork.backtest import mapping as mapping_mod
    from alignwork.definition import versions
    from alignwork.backtest.run import run_backtest
    from alignwork.backtest.leads import LeadFileError, read_leads

    for target in (args.out, args.rules_out):
        if target is not None:
            output_target(target, force=args.force)
    if args.rules_out is not None and args.rules_out.suffix.lower() not in (".csv", ".json"):
        raise CliError(f"--rules-out writes .csv or .json, not {args.rules_out.suffix or 'a file without extension'}")
    database = open_db(args)
    with database.session() as session:
        workshop = store.find_workshop(session=session, ident=args.workshop)
        try:
            if args.version is not None:  # a missing version is told before a big file is read
                versions.get_version(session=session, workshop_id=workshop.id, number=args.version)
            table = read_leads(args.leads)
            sample = {column: table.frame[column].head(200).to_list() for column in table.columns}
            chosen = mapping_mod.remembered_mapping(session=session, workshop_id=workshop.id,
                                                    columns=table.columns, sample=sample)
            chosen = mapping_mod.apply_overrides(chosen, args.map, table.columns)
            if not chosen.columns:
                raise CliError(f"no column of {args.leads.name} matches a lead attribute; "
                               f"use --map COLUMN=attribute (columns: {', '.join(table.columns)})")
            # only now: the working draft is created on first use, and a refusal writes nothing
            version, definition = backtest_runs.choose_definition(session=session, workshop_id=workshop.id,
                                                                  number=args.version)
        except (backtest_runs.BacktestError, LeadFileError, mapping_mod.MappingError) as error:
            raise CliError(str(error)) from None
        result = run_backtest(table, definition, chosen, version_number=version.number)
        if args.out is not None:
            try:
                backtest_runs.export_scored(result, args.out)
            except OSError as error:
                raise CliError(f"cannot write {args.out}: {error.strerror or error}") from None
        if args.map:
            mapping_mod.remember_mapping(session=session, workshop_id=workshop.id, columns=table.columns,
                                         mapping=chosen, commit=False)
        run = backtest_runs.record_run(session=session, workshop_id=workshop.id, result=result, version=version)
        if args.rules_out is not None:  # from the run just recorded: what 'export' writes for this version now
            _write_rules(args.rules_out, result, run, workshop.name, version.status)
    summary = result.summary()
    if args.json:
        print_json(summary)
    else:
        print(_text_report(summary))
    return 0


def _write_rules(path: Path, result, run, workshop: str, status: str) -> None:
    from alignwork.atomic import write_atomic
    from alignwork.documents.crm_values import CrmValues
    from alignwork.documents.writers.rules import rules_export

    text = rules_export("rules-csv" if path.suffix.lower() == ".csv" else "json", result.definition,
                        workshop=workshop, version=result.version_number, status=status,
                        crm_values=CrmValues.of_run(run))
    try:
        write_atomic(path, text.encode("utf-8"))
    except OSError as error:
        raise CliError(f"cannot write {path}: {error.strerror or error}") from None


def _text_report(summary: dict) -> str:
    stages = summary["stages"]
    version = "the draft" if summary["version"] is None else f"version {summary['version']}"
    lines = [f"{summary['file']}: {summary['rows']:,} rows, {summary['scored']:,} scored with {version}",
             "  " + ", ".join(f"{name} {count:,}" for name, count in stages.items()),
             f"  passing (MQL+SQL): {summary['volume']['passing']:,} of {summary['volume']['today']:,} "
             f"({summary['pass_rate']:.0%}); target about {summary['volume']['target']:,}",
             "  thresholds: MQL {mql}, SQL {sql} (intent ≥ {sql_min_intent})".format(**summary["thresholds"])]
    if summary.get("disqualified_by_reason"):
        lines.append("  disqualified by: " + ", ".join(f"{code} {count:,}"
                                                       for code, count in summary["disqualified_by_reason"].items()))
    if "conversion" in summary:
        conversion = summary["conversion"]
        percent = lambda value: "–" if value is None else f"{value:.1%}"  # noqa: E731
        lines.append(f"  conversion: passing {percent(conversion['passing'])}, failing "
                     f"{percent(conversion['failing'])}, all {percent(conversion['overall'])}; "
                     f"lift {summary['lift'] if summary['lift'] is not None else '–'}")
    elif (summary.get("mapping") or {}).get("outcome_column"):
        lines.append(f"  conversion: none — column '{summary['mapping']['outcome_column']}' holds no won/lost "
                     "values (won, closed won, converted… / lost, rejected, unqualified…)")
    mapping = summary.get("mapping") or {}
    mapped = sorted(mapping.get("columns", {}).items(),  # in the order the attributes are listed everywhere
                    key=lambda item: list(ATTRIBUTES).index(item[1]) if item[1] in ATTRIBUTES else len(ATTRIBUTES))
    lines.append(columns_line("columns read", [*((FIELD_WORDS.get(attribute, attribute), column)
                                                 for column, attribute in mapped),
                                               *([("outcome", mapping["outcome_column"])]
                                                 if mapping.get("outcome_column") else [])]))
    lines += bad_lines_report(len(summary["bad_lines"]), summary["bad_line_reasons"], more=" (see --json)")
    return "\n".join(lines)
