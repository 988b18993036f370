"""Rendered charts kept on disk by their inputs, so that a cold export (a CLI run, the app's next
start) reuses the PNGs an earlier export drew instead of importing matplotlib and drawing again.

A file's name is the SHA-1 of the chart's key (its name and inputs, see builders._png) and of the
code that draws it (the chart modules' and the document builders' source, Alignwork's and
matplotlib's versions): a change to any of them draws the chart afresh. Files are private (0600,
written atomically) in ``data_dir()/charts``; the KEEP most recently used stay. The folder is a
convenience only: one that cannot be read or written (full disk, read-only) means the chart is
drawn, never that an export fails.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

KEEP = 64  # files; a chart is 20–120 kB
FOLDER = "charts"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@cache
def _code_version() -> str:
    """What the drawing depends on besides the inputs (source files where they ship, versions)."""
    from importlib import metadata

    from alignwork import charts

    digest = hashlib.sha1()
    sources = [*sorted(Path(charts.__file__).parent.glob("*.py")), Path(__file__).with_name("builders.py")]
    for path in sources:
        try:
            digest.update(path.name.encode() + path.read_bytes())
        except OSError:  # a bundle without sources: the versions below still tell releases apart
            pass
    import alignwork

    digest.update(f"alignwork {alignwork.__version__}".encode())  # carried by the code: a bundle has it too
    try:
        digest.update(f"matplotlib {metadata.version('matplotlib')}".encode())
    except metadata.PackageNotFoundError:
        pass
    return digest.hexdigest()


def _folder() -> Path:
    from alignwork.paths import data_dir

    return data_dir() / FOLDER


def _name(key: str) -> str:
    return hashlib.sha1(f"{_code_version()}:{key}".encode()).hexdigest()


def load(key: str) -> tuple[bytes, float] | None:
    """``(png, height / width)`` drawn earlier for ``key``, or None."""
    try:
        folder = _folder()
        found = next(folder.glob(f"{_name(key)}-*.png"), None)
        if found is None:
            return None
        png = found.read_bytes()
        aspect = int(found.stem.rsplit("-", 1)[1]) / 1e6
        os.utime(found)  # recently used: kept when older ones go
    except (OSError, ValueError):
        return None
    return (png, aspect) if png.startswith(_PNG_SIGNATURE) and aspect > 0 else None


def store(key: str, png: bytes, aspect: float) -> None:
    """Keep ``png`` for ``key``; drop the least recently used files beyond KEEP. Never raises."""
    from alignwork.atomic import make_private_folders, write_atomic

    try:
        folder = make_private_folders(_folder())
        write_atomic(folder / f"{_name(key)}-{round(aspect * 1e6)}.png", png)
        files = sorted(folder.glob("*.png"), key=lambda path: path.stat().st_mtime_ns, reverse=True)
        for old in files[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:  # a full disk or a read-only folder: the chart is simply drawn next time
        pass
