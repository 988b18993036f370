"""Write files atomically: a temp file in the same folder, fsync, then rename.

A crash or an error mid-write leaves the old file (or no file), never half a file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO


def write_atomic(path: str | Path, data: bytes | str, *, encoding: str = "utf-8") -> Path:
    payload = data.encode(encoding) if isinstance(data, str) else data
    return write_atomic_with(path, lambda handle: handle.write(payload))


def write_atomic_with(path: str | Path, writer: Callable[[IO[bytes]], object]) -> Path:
    """Call ``writer(binary_handle)`` on a temp file, then move it over ``path``."""
    target = Path(path).expanduser().resolve()
    if target.is_dir():
        raise IsADirectoryError(f"{target} is a folder")
    descriptor, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            writer(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return target


def neutralise_csv_cell(value: object) -> object:
    """Keep spreadsheets from running user text as a formula (= + - @ tab CR)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
