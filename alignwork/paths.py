"""Where Alignwork keeps its files. ALIGNWORK_HOME overrides everything (tests use it)."""

from __future__ import annotations

import os
from functools import cache
from importlib import resources as _resources
from pathlib import Path

APP_NAME = "Alignwork"
RESOURCE_PACKAGE = "alignwork.resources"  # the repository's top folder resources/, installed here
DOCS_PACKAGE = "alignwork.resources.docs"  # the repository's top folder docs/ (its Markdown pages)


def data_dir() -> Path:
    """The private data folder (created 0700 on first use)."""
    home = os.environ.get("ALIGNWORK_HOME")
    if home:
        path = Path(home).expanduser()
    else:
        from platformdirs import user_data_path

        path = user_data_path(APP_NAME, appauthor=False)
    from alignwork.atomic import make_private_folders

    make_private_folders(path)  # every folder made here is 0700, not just the last one
    try:
        os.chmod(path, 0o700)
    except OSError:  # a folder we do not own (e.g. shared mount): keep going
        pass
    return path


def default_db_url() -> str:
    """ALIGNWORK_DB if set, else the SQLite file in the data folder."""
    return os.environ.get("ALIGNWORK_DB") or f"sqlite:///{data_dir() / 'alignwork.db'}"


def _shipped_folder(package: str, checkout_folder: str) -> Path:
    """The folder of the data package ``package`` where it is installed (a wheel, an editable
    install, a desktop bundle), else the checkout's top folder ``checkout_folder``."""
    try:
        root = _resources.files(package)
    except ModuleNotFoundError:  # a plain checkout that was never installed
        return Path(__file__).resolve().parent.parent / checkout_folder
    # wheels install unzipped, so the package is a real folder (Qt and open() need file paths)
    return Path(str(root))


@cache
def resources_dir() -> Path:
    """The folder of data files: the package ``alignwork.resources`` (the checkout's ``resources/``)."""
    return _shipped_folder(RESOURCE_PACKAGE, "resources")


@cache
def docs_dir() -> Path:
    """The user guide Help shows: the package ``alignwork.resources.docs`` (the checkout's ``docs/``)."""
    return _shipped_folder(DOCS_PACKAGE, "docs")


def resource(*parts: str) -> Path:
    """A shipped data file, e.g. ``resource("normalize", "sectors.json")``."""
    return resources_dir().joinpath(*parts)
