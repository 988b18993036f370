"""All tables, grouped by room: ``from alignwork.models import Risk`` works for every room.

The workshop room (workshops, roster, guide, interviews) is imported at once: start-up needs
it. The other rooms' tables are created on the first use of any name this package does not
hold yet (PEP 562 ``__getattr__``) — ``metadata`` included, so whoever asks for the metadata
(Alembic's env.py, the migration test) always gets every table. Building those SQLModel
classes cost ~25 ms at every start, for pages the user may not open.

Only the workshop room may be referred to by a foreign key from the others (never the other
way round), so its tables never wait for a room that is not loaded yet.
"""

from __future__ import annotations

import importlib

from alignwork.models.base import utcnow  # noqa: F401  (naming convention first)
from alignwork.models.workshop import *  # noqa: F401,F403

# every room but the workshop one, in the order their foreign keys need them
LATER_ROOMS = ("definition", "premortem", "agreement", "backtest")


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
