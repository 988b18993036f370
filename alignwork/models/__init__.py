"""All tables, grouped by room: ``from alignwork.models import Risk`` works for every room.

Only the ``workshop`` table is built at import: start-up needs it for the workshop list. Every
other table (the roster, guide and interviews, then the other rooms') is created on the first
use of any name this package does not hold yet (PEP 562 ``__getattr__``) — ``metadata``
included, so whoever asks for the metadata (Alembic's env.py, the migration test) always gets
every table. Building those SQLModel classes cost ~40 ms at every start, before any page needs them.

Foreign keys only point at tables loaded before (the workshop table, or a room earlier in
``LATER_ROOMS``), so a table never waits for one that is not built yet.
"""

from __future__ import annotations

import importlib

from alignwork.models.base import utcnow  # noqa: F401  (naming convention first)
from alignwork.models.workshop import *  # noqa: F401,F403

# every table file but workshop.py, in the order their foreign keys need them
LATER_ROOMS = ("interviews", "definition", "premortem", "agreement", "backtest", "review")


def load_all_tables():
    """Create every room's tables (once) and return the complete ``MetaData``."""
    from alignwork.models import base

    for room in LATER_ROOMS:
        module = importlib.import_module(f"alignwork.models.{room}")
        globals().update({name: getattr(module, name) for name in module.__all__})
    globals()["metadata"] = base.metadata
    return base.metadata


def __getattr__(name: str):
    if name.startswith("__"):  # probes such as __path__ or __wrapped__ must not load anything
        raise AttributeError(name)
    load_all_tables()
    try:
        return globals()[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
