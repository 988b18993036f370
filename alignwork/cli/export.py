"""Export and agreement commands: ``export`` (documents, scoring model, bundle) and ``agreement``
(status, propose, sign, agree)."""

from __future__ import annotations

import argparse
from datetime import date

from alignwork.cli import CliError, open_db
from alignwork.words import plural


def _sections(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write it as YYYY-MM-DD") from None


def register(subparsers) -> None:
    from alignwork.documents.formats import FORMATS, SECTION_KEYS

    export = subparsers.add_parser(
        "export", help="export the lead definition as a document, scoring rules or a bundle",
        description="Write the lead definition agreement or the one-page summary (docx, pdf, md, html), "
                    "the scoring model (json, rules-csv) or the workshop bundle. Never overwrites without --force.")
    export.add_argument("workshop", metavar="WORKSHOP", help="the workshop's id or exact name")
    export.add_argument("--format", required=True, choices=list(FORMATS), help="output format")
    export.add_argument("--document", choices=("agreement", "summary", "review"), default="agreement",
                        help="which document (docx, pdf, md, html; default: agreement); review: the meeting "
                             "pack of --period")
    export.add_argument("--period", metavar="YYYY-MM", help="the review period (with --document review)")
    export.add_argument("--version", type=int, metavar="N",
                        help="definition version (default: the agreed one, else the newest, else the draft)")
    export.add_argument("--draft", action="store_true", help="export the working draft")
    export.add_argument("--anonymise", "--anonymize", action="store_true", help="rep names become Rep A, Rep B…")
    export.add_argument("--no-quotes", action="store_true", help="leave evidence quotes out")
    export.add_argument("--notes", action="store_true", help="include private interview notes in the appendix")
    export.add_argument("--no-charts", action="store_true", help="leave charts out")
    export.add_argument("--sections", type=_sections, metavar="KEY,KEY",
                        help=f"only these sections of the agreement: {', '.join(SECTION_KEYS)}")
    export.add_argument("--out", "-o", required=True, metavar="PATH", help="the file to write")
    export.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    export.set_defaults(handler=run_export)

    agreement = subparsers.add_parser(
        "agreement", help="show or move a definition version through propose, sign and agree",
        description="Without an action: list the versions with their status and signers.")
    agreement.add_argument("workshop", metavar="WORKSHOP", help="the workshop's id or exact name")
    actions = agreement.add_subparsers(dest="action", metavar="ACTION")
    propose = actions.add_parser("propose", help="propose version N, or freeze the working draft as a new version")
    propose.add_argument("--version", type=int, metavar="N")
    propose.add_argument("--note", default="")
    sign = actions.add_parser("sign", help="add a signer to version N")
    sign.add_argument("--version", type=int, metavar="N", required=True)
    sign.add_argument("--name", required=True)
    sign.add_argument("--role", default="")
    sign.add_argument("--team", required=True, type=str.capitalize, choices=("Sales", "Marketing"))
    sign.add_argument("--date", type=_date, default=None, metavar="YYYY-MM-DD",
                      help="signing date (default: today)")
    agree = actions.add_parser("agree", help="agree version N (needs a Sales and a Marketing signer)")
    agree.add_argument("--version", type=int, metavar="N", required=True)
    agreement.set_defaults(handler=run_agreement)


def run_export(args: argparse.Namespace) -> int:
    from alignwork.documents.docmodel import DocumentOptions, unknown_sections
    from alignwork.documents.writers import check_extension, check_target, export_workshop
    from alignwork.store import find_workshop

    if args.sections and unknown_sections(args.sections):
        raise CliError(f"unknown {plural('section', len(unknown_sections(args.sections)))} {', '.join(unknown_sections(args.sections))}")
    if args.draft and args.version is not None:
        raise CliError("give --version N or --draft, not both")
    if args.anonymise and args.format == "bundle":  # silently ignored it would ship every name and note
        raise CliError("a bundle keeps rep names and notes (it is the whole workshop); --anonymise applies to "
                       "the documents: docx, pdf, md, html")
    check_extension(args.out, args.format)  # before any work
    check_target(args.out, force=args.force)
    if (args.document == "review") != (args.period is not None):
        raise CliError("--period goes with --document review (the meeting pack of that month), and it needs one")
    if args.document == "review":
        return _export_review(args)
    options = DocumentOptions(document=args.document, sections=frozenset(args.sections) if args.sections else None,
                              include_quotes=not args.no_quotes, include_notes=args.notes,
                              include_charts=not args.no_charts, anonymise=args.anonymise)
    database = open_db(args)
    with database.session() as session:
        workshop = find_workshop(session=session, ident=args.workshop)
        result = export_workshop(session=session, workshop_id=workshop.id, format=args.format, path=args.out,
                                 options=options, number=args.version, force=args.force,
                                 default_version=not args.draft)
    print(f"Wrote {result.path} ({result.size:,} bytes, {result.seconds:.2f} s)")
    return 0


def _export_review(args: argparse.Namespace) -> int:
    from alignwork.review.pack import export_review
    from alignwork.store import find_workshop

    database = open_db(args)
    with database.session() as session:
        workshop = find_workshop(session=session, ident=args.workshop)
        result = export_review(session=session, workshop_id=workshop.id, period=args.period, format=args.format,
                               path=args.out, force=args.force, charts=not args.no_charts)
    print(f"Wrote {result.path} ({result.size:,} bytes, {result.seconds:.2f} s)")
    return 0


def run_agreement(args: argparse.Namespace) -> int:
    from alignwork.definition import agreement
    from alignwork.store import find_workshop

    database = open_db(args)
    with database.session() as session:
        workshop = find_workshop(session=session, ident=args.workshop)
        if args.action == "propose":
            version = agreement.propose(session=session, workshop_id=workshop.id, number=args.version, note=args.note)
            print(f"Version {version.number} is proposed; collect a Sales and a Marketing signature, then agree it.")
        elif args.action == "sign":
            version = agreement.find_version(session=session, workshop_id=workshop.id, number=args.version)
            signer = agreement.add_signer(session=session, version_id=version.id, name=args.name, role=args.role,
                                          team=args.team, signed_on=args.date or date.today())
            print(f"{signer.name} ({signer.team}) signed version {version.number} on {signer.signed_on}.")
        elif args.action == "agree":
            version = agreement.agree(session=session, workshop_id=workshop.id, number=args.version)
            print(f"Version {version.number} is agreed.")
        else:
            versions = agreement.all_versions(session=session, workshop_id=workshop.id)
            if not versions:
                print("No definition versions yet: synthesize the interviews, then "
                      f"'agreement {args.workshop} propose' freezes the draft as version 1.")
            for version in versions:
                signers = agreement.list_signers(session=session, version_id=version.id)
                names = ", ".join(f"{s.name} ({s.team}{', ' + str(s.signed_on) if s.signed_on else ', unsigned'})"
                                  for s in signers) or "no signers"
                print(f"{agreement.version_label(version):<15} {version.status:<11} {names}")
    return 0
