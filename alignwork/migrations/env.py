"""Alembic environment: always run from alignwork.db with a live connection."""

from alembic import context

from alignwork.models import load_all_tables

metadata = load_all_tables()  # the other rooms' tables are otherwise created on first use

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only `alembic` on the command line
    from alignwork.db import make_engine
    from alignwork.paths import default_db_url

    connection = make_engine(context.config.get_main_option("sqlalchemy.url") or default_db_url()).connect()

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
