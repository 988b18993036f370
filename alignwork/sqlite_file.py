"""The SQLite file before and around the engine: create it private, tell a damaged file from a
failing disk, keep a garbage -wal's bytes, set a damaged file aside (always said where), and
take the one verified backup an upgrade needs (kept until the upgrade succeeds).

Only a file whose bytes are wrong (SQLITE_CORRUPT, SQLITE_NOTADB, a failed quick_check, an
unknown format) is moved aside. A full disk, an I/O error, a permission or a lock leaves the
file exactly where it is, with a message that says so.
"""

from __future__ import annotations

import os
import sqlite3
import struct
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from alignwork.atomic import make_private_folders, write_atomic
from alignwork.db_errors import DatabaseError, DatabaseMissing, DatabaseUnavailable

KEEP_BACKUPS = 5
SQLITE_HEADER = b"SQLite format 3\x00"
# SQLite's primary result codes that mean the bytes are wrong; every other failure is the system's
_DAMAGE_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_WAL_MAGIC = (0x377F0682, 0x377F0683)


def _errors():
    return DatabaseError, DatabaseMissing, DatabaseUnavailable


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def unavailable(path: Path, reason: str):
    """The error for a file that is fine but cannot be used now (disk, permission, space)."""
    return _errors()[2](f"The database {path} cannot be opened right now: {reason.rstrip('.')}. It was left "
                        "where it is, untouched; free some disk space or check the disk and its permissions, "
                        "then start again.")


def prepare(path: Path, *, create: bool = True) -> None:
    """Create the folder (0700) and an empty database file (0600) before SQLite does.

    SQLite gives its -wal and -shm files the main file's permissions, so creating the file
    private first keeps all three private from the first byte. With ``create=False`` nothing
    is created: a missing file (or folder) is DatabaseMissing.
    """
    _error, missing, unavailable_error = _errors()
    if not create and not os.path.lexists(path):
        raise missing(f"There is no database at {path}; check the path (nothing was created).")
    if not path.parent.exists():
        try:
            make_private_folders(path.parent)  # each folder we create is private, not just the last
        except OSError as error:
            raise unavailable_error(f"Cannot create the folder {path.parent}: {error.strerror}.") from None
    if path.is_dir():
        raise unavailable_error(f"The database path {path} is a folder; give a file name instead.")
    if path.exists():
        if not os.access(path, os.R_OK | os.W_OK):
            raise unavailable_error(f"The database {path} cannot be read or written (check its permissions).")
        return
    try:
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError as error:
        raise unavailable_error(f"Cannot create the database {path}: {error.strerror}.") from None


def damage(path: Path) -> str | None:
    """None if the file looks healthy, else what is wrong with the file itself. A failing or
    full disk, a permission problem or a lock raises DatabaseUnavailable instead."""
    try:
        if not path.exists() or path.stat().st_size == 0:
            return None
        with open(path, "rb") as handle:
            if handle.read(16) != SQLITE_HEADER:
                return "it is not an Alignwork database (unknown file format)"
    except OSError as error:
        raise unavailable(path, error.strerror or str(error)) from None
    try:
        connection = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=5)
        try:
            result = connection.execute("PRAGMA quick_check").fetchone()
        finally:
            connection.close()
    except sqlite3.Error as error:
        code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
        if code in _DAMAGE_CODES:
            return f"it cannot be read ({error})"
        if code in _BUSY_CODES or "locked" in str(error):
            raise _errors()[2](f"The database {path} is locked by another program; close it and try again.")
        raise unavailable(path, str(error) or type(error).__name__) from None
    except UnicodeDecodeError:  # its schema holds names that are not text: not a file we wrote
        return "its table names are not valid text (not an Alignwork database, or damaged)"
    except OSError as error:
        raise unavailable(path, error.strerror or str(error)) from None
    if not result or result[0] != "ok":
        return f"it is damaged ({result[0] if result else 'no answer'})"
    return None


def _wal_checksum(data: bytes, big_endian: bool) -> tuple[int, int]:
    words = struct.unpack((">" if big_endian else "<") + f"{len(data) // 4}I", data)
    first = second = 0
    for index in range(0, len(words), 2):
        first = (first + words[index] + second) & 0xFFFFFFFF
        second = (second + words[index + 1] + first) & 0xFFFFFFFF
    return first, second


def wal_is_garbage(wal: Path) -> bool:
    """True if ``wal`` holds bytes but no valid WAL header: SQLite would silently reset it."""
    with open(wal, "rb") as handle:
        header = handle.read(32)
    if not header:
        return False
    if len(header) < 32:
        return True
    magic, = struct.unpack(">I", header[:4])
    if magic not in _WAL_MAGIC:
        return True
    return _wal_checksum(header[:24], magic & 1 == 1) != struct.unpack(">II", header[24:32])


def keep_garbage_wal(path: Path) -> str | None:
    """Copy a -wal file SQLite would discard to ``<name>-wal.garbage-<time>``; the notice, or None."""
    wal = Path(f"{path}-wal")
    target = wal.with_name(f"{wal.name}.garbage-{_stamp()}")
    try:
        if not wal.is_file() or not wal_is_garbage(wal):
            return None
        write_atomic(target, wal.read_bytes(), overwrite=False)
    except OSError as error:
        raise unavailable(path, f"its journal {wal.name} is not valid and could not be kept aside "
                                f"({error.strerror or error})") from None
    return (f"The journal {wal} of the database {path} was not valid, so SQLite cannot use it; its bytes "
            f"were kept in {target} and the database opened as last saved.")


def set_aside(path: Path, problem: str) -> str:
    """Move a damaged file (and its -wal/-shm) aside; the notice says where it went."""
    target = path.with_name(f"{path.name}.corrupt-{datetime.now().strftime('%Y%m%d-%H%M%S')}")
    if os.path.lexists(target):
        target = path.with_name(f"{path.name}.corrupt-{_stamp()}")
    moved = []
    try:
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{path}{suffix}")
            if source.exists():
                os.rename(source, Path(f"{target}{suffix}"))  # same folder: no copy, no space needed
                moved.append(suffix)
    except OSError as error:
        where = f" (part of it is already in {target})" if moved else ""
        raise _errors()[2](f"The database {path} cannot be used because {problem}, and it could not be moved "
                           f"aside ({error.strerror}){where}; move it away yourself and start again.") from None
    return (f"The database {path} could not be used because {problem}. It was moved to {target} "
            f"and a new, empty database was started. Your old file is untouched there.")


# ------------------------------------------------------------------ backups

def _verified(path: Path) -> bool:
    try:
        connection = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
        try:
            return connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            connection.close()
    except sqlite3.Error:
        return False


def backup(path: Path, label: str, *, rotate: bool = True) -> Path:
    """Copy a live SQLite file with the backup API into ``backups/`` (0700), verify the copy, then
    give it its name (a crash mid-copy leaves only a temp file); keep the last few."""
    error_type = _errors()[0]
    folder = make_private_folders(path.parent / "backups")
    target = folder / f"{path.stem}-{label}-{_stamp()}.db"
    temp = folder / f".{target.name}.tmp"
    try:
        os.close(os.open(temp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600))
        source = sqlite3.connect(path, timeout=5)
        copy = sqlite3.connect(temp)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        if not _verified(temp):
            raise error_type(f"The backup of {path} before upgrading failed its check; nothing was changed.")
        os.chmod(temp, 0o600)
        os.replace(temp, target)
    except (OSError, sqlite3.Error) as error:
        temp.unlink(missing_ok=True)
        reason = getattr(error, "strerror", None) or str(error)
        raise unavailable(path, f"the backup before upgrading could not be written ({reason})") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    if rotate:
        rotate_backups(path)
    return target


def _marker(path: Path) -> Path:
    return path.parent / "backups" / f"{path.stem}.upgrade-pending"


def rotate_backups(path: Path) -> None:
    """Keep the newest KEEP_BACKUPS; the backup of an unfinished upgrade is never removed."""
    folder = path.parent / "backups"
    pending = pending_backup(path)
    olds = sorted(folder.glob(f"{path.stem}-*.db"), key=lambda p: p.stat().st_mtime_ns)[:-KEEP_BACKUPS]
    for old in olds:
        if old != pending:
            old.unlink(missing_ok=True)


def pending_backup(path: Path) -> Path | None:
    """The verified backup of an upgrade that has not finished yet, if there is one."""
    marker = _marker(path)
    try:
        name = marker.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    candidate = marker.parent / name
    return candidate if name and "/" not in name and candidate.is_file() else None


def upgrade_backup(path: Path, label: str) -> Path:
    """The one verified backup of this upgrade: the pending one of an interrupted try (the clean
    file from before it began), else a new one, remembered until ``upgrade_done``."""
    pending = pending_backup(path)
    if pending is not None and _verified(pending):
        return pending
    target = backup(path, label, rotate=False)
    try:
        write_atomic(_marker(path), target.name + "\n")
    except OSError as error:
        target.unlink(missing_ok=True)
        raise unavailable(path, f"the backup before upgrading could not be recorded ({error.strerror})") from None
    return target


def upgrade_done(path: Path) -> None:
    _marker(path).unlink(missing_ok=True)
    rotate_backups(path)


def finish_pending(path: Path) -> None:
    """At head already: an upgrade marker left by a start that died after its last commit goes."""
    if _marker(path).exists():
        upgrade_done(path)
