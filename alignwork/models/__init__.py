"""All tables, grouped by room. Importing this package registers every table on
``SQLModel.metadata`` (Alembic's env.py and ``db.open_database`` rely on it)."""

from alignwork.models.base import metadata, utcnow  # noqa: F401  (naming convention first)
from alignwork.models.workshop import *  # noqa: F401,F403
from alignwork.models.definition import *  # noqa: F401,F403
from alignwork.models.premortem import *  # noqa: F401,F403
from alignwork.models.agreement import *  # noqa: F401,F403
from alignwork.models.backtest import *  # noqa: F401,F403
