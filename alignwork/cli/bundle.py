"""Workshop commands: ``list``, ``import``, ``export-bundle`` and ``roster-import``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alignwork.cli import CliError, open_db, output_target
from alignwork.words import counted, plural


def register(subparsers) -> None:
    listing = subparsers.add_parser("list", help="list the workshops",
                                    description="List the workshops: id, name, status, reps, interviews, last change.")
    listing.set_defaults(handler=run_list)

    importing = subparsers.add_parser("import", help="import a workshop bundle (JSON)",
                                      description="Import a workshop bundle as a new workshop, or merge a "
                                                  "colleague's interviews into an existing one with --into.")
    importing.add_argument("bundle", metavar="BUNDLE.json", nargs="?", help="the bundle file")
    importing.add_argument("--demo", action="store_true",
                           help="import the demo workshop that ships with Alignwork (12 reps, 11 finished interviews)")
    importing.add_argument("--name", metavar="NEW_NAME", help="name the new workshop (required if the name is taken)")
    importing.add_argument("--into", metavar="WORKSHOP",
                           help="merge into this workshop (id or exact name): reps matched by ref or name, "
                                "conflicting answers kept and reported")
    importing.set_defaults(handler=run_import)

    copying = subparsers.add_parser("copy", help="copy a workshop to another database (SQLite ⇄ PostgreSQL)",
                                    description="Copy one workshop, exactly, from --db to --to (for example from "
                                                "this laptop's SQLite file to the team's PostgreSQL).")
    copying.add_argument("workshop", metavar="WORKSHOP", help="the workshop's id or exact name in --db")
    copying.add_argument("--to", metavar="URL", required=True, help="the database to copy it into")
    copying.add_argument("--name", metavar="NEW_NAME", help="its name there (required if the name is taken)")
    copying.set_defaults(handler=run_copy)

    exporting = subparsers.add_parser("export-bundle", help="export a workshop as a bundle (JSON)",
                                      description="Write one workshop, with its roster, guide and interviews, "
                                                  "to a bundle file.")
    exporting.add_argument("workshop", metavar="WORKSHOP", help="the workshop's id or exact name")
    exporting.add_argument("-o", "--output", metavar="FILE.json", required=True,
                           help="where to write the bundle ('-' for standard output)")
    exporting.add_argument("--force", action="store_true", help="overwrite FILE.json if it exists")
    exporting.set_defaults(handler=run_export)

    roster = subparsers.add_parser("roster-import", help="add reps to a workshop from a CSV file",
                                   description="Add reps from a CSV file with a header row (name required; "
                                               "role, team, region, profile, notes optional). All or nothing.")
    roster.add_argument("workshop", metavar="WORKSHOP", help="the workshop's id or exact name")
    roster.add_argument("csv", metavar="FILE.csv", help="the roster file")
    roster.set_defaults(handler=run_roster_import)


@contextmanager
def database_session(args: argparse.Namespace, *, create: bool = False) -> Iterator:
    """A session on the chosen database; a database that fails mid-way becomes one CliError line."""
    from sqlalchemy.exc import SQLAlchemyError

    database = open_db(args, create=create)
    try:
        with database.session() as session:
            yield session
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise CliError(f"the database failed ({reason}); nothing was written") from None
    finally:
        database.dispose()


def run_list(args: argparse.Namespace) -> int:
    import os

    from alignwork import store
    from alignwork.db import sqlite_path
    from alignwork.paths import default_db_url

    url = args.db or default_db_url()
    try:
        path = sqlite_path(url)
    except Exception:  # not a URL: open_db says so in its words
        path = None
    # looking creates nothing: a missing file in an existing folder has no workshops yet (import
    # makes it); a missing folder is a mistyped path and open_db says so
    fresh = path is not None and not os.path.lexists(path) and path.parent.is_dir()
    if fresh:
        overview = []
    else:
        with database_session(args) as session:
            overview = store.workshop_overview(session=session)
    if not overview:
        where = f" (there is no database at {path} yet)" if fresh and args.db else ""
        print(f"No workshops yet{where}. Import one: python -m alignwork import BUNDLE.json, "
              "or the demo: python -m alignwork import --demo")
        return 0
    rows = [("ID", "NAME", "STATUS", "REPS", "INTERVIEWS", "UPDATED")]
    for item in overview:
        rows.append((str(item.workshop.id), item.workshop.name,
                     "archived" if item.workshop.archived else "active", str(item.participants),
                     f"{item.done}/{item.interviews} done", item.last_activity.astimezone().strftime("%Y-%m-%d %H:%M")))
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    return 0


def run_import(args: argparse.Namespace) -> int:
    from alignwork.workshops.bundle import (BundleError, demo_bundle_path, import_bundle, load_bundle_file,
                                            validate_bundle)

    if (args.bundle is None) == (not args.demo):
        raise CliError("give a bundle file or --demo (one of them)")
    try:
        data = load_bundle_file(demo_bundle_path() if args.demo else args.bundle)
        validate_bundle(data)  # before the database is even opened
    except BundleError as error:
        raise CliError(str(error)) from None
    if args.into is not None:
        return _run_merge(args, data)
    with database_session(args, create=True) as session:
        try:
            # the demo again is "… (2)", as the app's Open demo workshop does
            result = import_bundle(session=session, data=data, name=args.name,
                                   rename_if_taken=args.demo and args.name is None)
        except BundleError as error:
            raise CliError(str(error)) from None
    print(f"Imported workshop {result.workshop_id} {result.name!r}: {counted(result.participants, 'rep')}, "
          f"{counted(result.interviews, 'interview')}, {counted(result.answers, 'answer')}, {counted(result.notes, 'note')}")
    return 0


def _run_merge(args: argparse.Namespace, data: dict) -> int:
    from alignwork import store
    from alignwork.workshops.bundle_merge import BundleError, merge_bundle

    if args.name is not None:
        raise CliError("--name and --into do not go together: --into keeps the workshop's name")
    with database_session(args) as session:
        workshop = store.find_workshop(session=session, ident=args.into)
        try:
            result = merge_bundle(session=session, data=data, workshop_id=workshop.id)
        except BundleError as error:
            raise CliError(f"{error}; nothing was merged") from None
    print(f"Merged into {result.describe()}")
    for conflict in result.conflicts:
        print(f"alignwork: conflict: {conflict}", file=sys.stderr)
    return 0


def run_copy(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from alignwork import store
    from alignwork.workshops.copy import CopyError, copy_workshop

    source = open_db(args)
    try:
        target = open_db(argparse.Namespace(**{**vars(args), "db": args.to}))
    except CliError:
        source.dispose()
        raise
    try:
        with source.session() as session:
            workshop = store.find_workshop(session=session, ident=args.workshop)
        result = copy_workshop(source=source.engine, target=target.engine, workshop_id=workshop.id, name=args.name)
    except CopyError as error:
        raise CliError(f"{error}; nothing was copied") from None
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise CliError(f"the database failed ({reason}); nothing was copied") from None
    finally:
        source.dispose()
        target.dispose()
    print(f"Copied workshop {workshop.id} {workshop.name!r} to {result.describe()}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from alignwork import store
    from alignwork.workshops.bundle import bundle_json, export_bundle, write_bundle_file

    to_stdout = args.output == "-"
    target = Path(args.output).expanduser()
    if not to_stdout:
        output_target(target, force=args.force, example="workshop.json")
    with database_session(args) as session:
        workshop = store.find_workshop(session=session, ident=args.workshop)
        data = export_bundle(session=session, workshop_id=workshop.id)
    if to_stdout:
        sys.stdout.write(bundle_json(data))
        return 0
    try:
        write_bundle_file(data, target)
    except OSError as error:
        raise CliError(f"cannot write {target}: {error.strerror or error}") from None
    print(f"Exported workshop {workshop.id} {workshop.name!r} to {target}: "
          f"{counted(len(data['participants']), 'rep')}, {counted(len(data['interviews']), 'interview')}")
    return 0


def run_roster_import(args: argparse.Namespace) -> int:
    from alignwork import store
    from alignwork.workshops.roster_csv import RosterCsvError, parse_roster_csv

    path = Path(args.csv).expanduser()
    try:
        roster = parse_roster_csv(path.read_bytes())
    except OSError as error:
        raise CliError(f"cannot read {path}: {error.strerror or error}") from None
    except RosterCsvError as error:
        raise CliError(f"{path}: {error}; nothing was imported") from None
    with database_session(args) as session:
        workshop = store.find_workshop(session=session, ident=args.workshop)
        added = store.add_participants(session=session, workshop_id=workshop.id, rows=roster.rows)
    print(f"Added {counted(len(added), 'rep')} to workshop {workshop.id} {workshop.name!r}")
    if roster.unknown_columns:
        print(f"alignwork: note: ignored unknown {plural('column', len(roster.unknown_columns))}: {', '.join(roster.unknown_columns)}", file=sys.stderr)
    return 0
