"""Write files atomically and privately: one writer serves every file the app writes.

A temp file (0600) in the same folder, fsync, then rename over the target; a crash or an
error mid-write leaves the old file (or no file), never half a file. Folders the app
creates are 0700. Links are never followed: a link, even a dangling one, counts as an
existing file, and nothing but a regular file is ever replaced (a folder, a FIFO, a device
node or a link is refused with a one-line reason).
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

FILE_MODE = 0o600
FOLDER_MODE = 0o700


class UnsafeTarget(OSError):
    """The target is not a regular file (or its folder is missing); ``strerror`` says so plainly."""


def exists(path: str | Path) -> bool:
    """True if anything is at ``path``, a dangling link included (``Path.exists`` says False there)."""
    return os.path.lexists(Path(path).expanduser())


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def refusal(path: str | Path) -> str | None:
    """Why ``path`` must not be written (one line), or None when it is missing or a regular file."""
    target = Path(path).expanduser()
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        if not target.parent.is_dir():
            return f"the folder {target.parent} does not exist"
        return None
    except OSError as error:
        return f"{target} cannot be checked ({error.strerror or error})"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return f"{target} is a folder; give a file name"
    return f"{target} is {_kind(mode)}; Alignwork only replaces regular files, choose another name"


def _absolute(path: str | Path) -> Path:
    """The absolute path with the folder's links resolved but never the file's own name."""
    target = Path(os.path.abspath(Path(path).expanduser()))
    return target.parent.resolve() / target.name


def make_private_folders(folder: str | Path) -> Path:
    """Create ``folder`` and any missing parents, each 0700 (not only the last one)."""
    folder = Path(os.path.abspath(Path(folder).expanduser()))
    missing = [item for item in (folder, *folder.parents) if not os.path.lexists(item)]
    for item in reversed(missing):
        try:
            item.mkdir(mode=FOLDER_MODE)
        except FileExistsError:  # another process made it meanwhile
            pass
        else:
            os.chmod(item, FOLDER_MODE)  # mkdir's mode is filtered by the umask
    return folder


def write_atomic(path: str | Path, data: bytes | str, *, encoding: str = "utf-8", overwrite: bool = True) -> Path:
    payload = data.encode(encoding) if isinstance(data, str) else data
    return write_atomic_with(path, lambda handle: handle.write(payload), overwrite=overwrite)


def write_atomic_with(path: str | Path, writer: Callable[[IO[bytes]], object], *, overwrite: bool = True) -> Path:
    """Call ``writer(binary_handle)`` on a private temp file, then move it over ``path``.

    Raises UnsafeTarget when ``path`` is anything but a missing or regular file (or exists and
    ``overwrite`` is false); the new file is 0600 whatever the umask or the old file's mode."""
    target = _absolute(path)
    reason = refusal(target)
    if reason is None and not overwrite and exists(target):
        reason = f"{target} already exists"
    if reason:
        raise UnsafeTarget(errno.EEXIST, reason, str(target))
    descriptor, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            os.fchmod(handle.fileno(), FILE_MODE)
            writer(handle)
            handle.flush()
            os.fsync(handle.fileno())
        reason = refusal(target)  # a link or a FIFO may have appeared while we wrote
        if reason:
            raise UnsafeTarget(errno.EEXIST, reason, str(target))
        os.replace(temp_name, target)  # replaces a link itself, never what it points to
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)
    return target


def _sync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def open_private(path: str | Path, flags: int = os.O_WRONLY | os.O_CREAT | os.O_APPEND) -> int:
    """A descriptor on a private (0600) regular file, never through a link (logs, locks).

    Raises UnsafeTarget if ``path`` is a link, a FIFO, a device or a folder."""
    target = _absolute(path)
    reason = refusal(target)
    if reason:
        raise UnsafeTarget(errno.EEXIST, reason, str(target))
    descriptor = os.open(target, flags | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0), FILE_MODE)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise UnsafeTarget(errno.EEXIST, f"{target} is not a regular file", str(target))
        os.fchmod(descriptor, FILE_MODE)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def append_private(path: str | Path, text: str) -> None:
    """Append ``text`` (UTF-8) to a private regular file, creating it 0600."""
    descriptor = open_private(path)
    with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
        handle.write(text)


def neutralise_csv_cell(value: object) -> object:
    """Keep spreadsheets from running user text as a formula (= + - @ tab CR)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
