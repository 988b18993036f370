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


def print_json(data) -> None:
    """What every ``--json`` prints: indented, non-ASCII kept as written."""
    import json

    print(json.dumps(data, indent=2, ensure_ascii=False))


def columns_line(label: str, pairs) -> str:
    """One report line saying which file column each thing was read from: ``pairs`` of (what, header)."""
    said = ", ".join(f"{what} ← “{header}”" for what, header in pairs)
    return f"  {label}: {said or 'none'}"


def bad_lines_report(count: int, reasons: list[dict], *, more: str = "") -> list[str]:
    """The report lines of ``count`` skipped bad lines: the first ten of ``reasons`` (``line``,
    ``reason``) and how many more (``more`` said after that, e.g. " (see --json)")."""
    from alignwork.words import counted

    if not count:
        return []
    shown = reasons[:10]
    lines = [f"  skipped {counted(count, 'bad line')}" + (":" if shown else "")]
    lines += [f"    line {item['line']}: {item['reason']}" for item in shown]
    if count > len(shown):
        lines.append(f"    … and {count - len(shown):,} more{more}")
    return lines


def output_target(path, *, force: bool, example: str = "out.csv"):
    """``path`` as a file the command may write: CliError if it is a folder or its folder is missing,
    if it is a link, FIFO or device (never replaced), or if it exists and ``force`` is not set."""
    from pathlib import Path

    from alignwork.atomic import exists, refusal

    target = Path(path).expanduser()
    if target.is_dir() and not target.is_symlink():
        raise CliError(f"{target} is a folder; give a file name such as {target / example}")
    if not target.parent.resolve().is_dir():
        raise CliError(f"the folder {target.parent} does not exist; {target.name} was not written")
    reason = refusal(target)
    if reason:
        raise CliError(f"cannot write {target}: {reason}")
    if exists(target) and not force:
        raise CliError(f"{target} already exists; use --force to overwrite it")
    return target


def open_db(args: argparse.Namespace, *, create: bool = False):
    """The database for a command. Only commands that add a workshop pass ``create=True``: every
    other one needs an existing workshop, so a mistyped --db path creates no file and no folder."""
    from alignwork.db import DatabaseError, DatabaseMissing, open_database

    try:
        database = open_database(args.db, create=create)
    except DatabaseMissing as error:
        raise CliError(_missing_database(args, str(error))) from None
    except DatabaseError as error:
        raise CliError(str(error)) from None
    for notice in database.notices:
        print(f"alignwork: note: {notice}", file=sys.stderr)
    return database


def _missing_database(args: argparse.Namespace, message: str) -> str:
    """A missing file in an existing folder is an empty database (the workshop is not there);
    a missing folder is a mistyped path, told as such. Neither is created."""
    from alignwork.db import sqlite_path
    from alignwork.paths import default_db_url

    path = sqlite_path(args.db or default_db_url())
    ident = getattr(args, "workshop", None) or getattr(args, "source", None)
    if ident is not None and path is not None and path.parent.is_dir():
        return f"no workshop with id or name {ident!r} (there is no database at {path} yet; nothing was created)"
    return message


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m alignwork",
                                     description="Alignwork: align Marketing and Sales on what a good lead is.")
    parser.add_argument("--db", metavar="URL", default=None,
                        help="database URL (any SQLAlchemy URL; default: $ALIGNWORK_DB or the data folder's SQLite file)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def _quiet_stdout() -> None:
    """After stdout failed (a closed pipe, a full disk) the interpreter's own flush at exit must
    not print a second error: point the descriptor at /dev/null."""
    import os

    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from alignwork.store import StoreError

    try:
        code = int(args.handler(args) or 0)
        sys.stdout.flush()  # a full disk behind stdout shows here, while we can still say so
        return code
    except (CliError, StoreError) as error:
        print(f"alignwork: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("alignwork: interrupted; nothing was written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        return 0
    except OSError as error:  # writing the output failed (stdout on a full disk…)
        _quiet_stdout()
        where = f" {error.filename}" if error.filename else " the output"
        print(f"alignwork: error: cannot write{where}: {error.strerror or _first_line(error)}", file=sys.stderr)
        return 2
    except Exception as error:  # noqa: BLE001 - the last guard: one line, never a traceback
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(error, SQLAlchemyError):
            print(f"alignwork: error: the database failed ({_first_line(error)}); nothing was written",
                  file=sys.stderr)
        else:
            print(f"alignwork: error: unexpected {type(error).__name__}: {_first_line(error)}", file=sys.stderr)
        return 2
