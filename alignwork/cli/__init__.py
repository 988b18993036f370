"""Command line: ``python -m alignwork COMMAND …``. A thin face over the core.

Each command lives in its own module with ``register(subparsers)``; a command's
handler is ``handler(args) -> int`` and opens the database with ``open_db(args)``.
Errors: one clear line on stderr, exit code 2, nothing written.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMAND_MODULES = [
    "alignwork.cli.bundle",
    "alignwork.cli.synthesize",
    "alignwork.cli.premortem",
    "alignwork.cli.backtest",
    "alignwork.cli.review",
    "alignwork.cli.export",
]


class CliError(Exception):
    """A problem told to the user in one line (exit code 2)."""


def open_db(args: argparse.Namespace):
    from alignwork.db import DatabaseError, open_database

    try:
        database = open_database(args.db)
    except DatabaseError as error:
        raise CliError(str(error)) from None
    for notice in database.notices:
        print(f"alignwork: note: {notice}", file=sys.stderr)
    return database


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m alignwork",
                                     description="Alignwork: align Marketing and Sales on what a good lead is.")
    parser.add_argument("--db", metavar="URL", default=None,
                        help="database URL (any SQLAlchemy URL; default: $ALIGNWORK_DB or the data folder's SQLite file)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from alignwork.store import StoreError

    try:
        return int(args.handler(args) or 0)
    except (CliError, StoreError) as error:
        print(f"alignwork: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("alignwork: interrupted; nothing was written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
