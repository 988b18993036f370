"""Copy one whole workshop, exactly, from one database to another (SQLite ⇄ PostgreSQL).

Every row of every table that belongs to the workshop is copied: its own rows (those with
``workshop_id``) and the rows that hang off them (answers, notes, signers, votes…), in the
tables' dependency order. Ids are new in the target; every foreign key is mapped to the new
ids, self-references (a version's base, a merged risk) in a second pass. Values go across as
the database gave them, so the copy reads back the same. One transaction on the target.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Table, false, or_, select, update
from sqlalchemy.engine import Engine

from alignwork.models import load_all_tables
from alignwork.words import counted


class CopyError(ValueError):
    """A copy that cannot be done, told in one sentence."""


@dataclass(frozen=True)
class CopyResult:
    workshop_id: int
    name: str
    rows: int
    tables: int

    def describe(self) -> str:
        return f"workshop {self.workshop_id} {self.name!r} ({counted(self.rows, 'row')} in {counted(self.tables, 'table')})"


def _references(table: Table) -> list[tuple[str, str]]:
    """(column, referred table) for every single-column foreign key of ``table``."""
    return [(fk.parent.name, fk.column.table.name) for fk in table.foreign_keys]


def _rows_of(connection, metadata, workshop_id: int) -> dict[str, list[dict]]:
    """The workshop's rows per table, in dependency order."""
    picked: dict[str, list[dict]] = {}
    ids: dict[str, set] = {"workshop": {workshop_id}}
    for table in metadata.sorted_tables:
        if table.name == "alembic_version":
            continue
        if table.name == "workshop":
            query = select(table).where(table.c.id == workshop_id)
        else:
            owners = [(column, referred) for column, referred in _references(table)
                      if referred != table.name and referred in ids]
            if not owners:
                continue
            # a row belongs if any of its references points into the workshop (a premortem member
            # whose rep was removed still belongs through its session)
            query = select(table).where(or_(false(), *(table.c[column].in_(sorted(ids[referred]))
                                                       for column, referred in owners if ids[referred])))
        if "id" in table.c:
            query = query.order_by(table.c.id)
        rows = [dict(row._mapping) for row in connection.execute(query)]
        picked[table.name] = rows
        if "id" in table.c:
            ids[table.name] = {row["id"] for row in rows}
    return picked


def copy_workshop(*, source: Engine, target: Engine, workshop_id: int, name: str | None = None) -> CopyResult:
    """Copy the workshop from ``source`` to ``target``; CopyError (nothing written) if its name is taken."""
    metadata = load_all_tables()
    with source.connect() as connection:
        picked = _rows_of(connection, metadata, workshop_id)
    if not picked.get("workshop"):
        raise CopyError(f"no workshop with id {workshop_id}")
    new_name = (name or picked["workshop"][0]["name"]).strip()
    tables = {table.name: table for table in metadata.sorted_tables}
    with target.begin() as connection:
        workshop_table = tables["workshop"]
        if connection.execute(select(workshop_table.c.id).where(workshop_table.c.name == new_name)).first():
            raise CopyError(f"a workshop named {new_name!r} already exists there; give another name with --name")
        new_ids: dict[str, dict] = {}
        later: list[tuple[Table, int, dict]] = []  # self-references, set once every row exists
        count = 0
        for table_name, rows in picked.items():
            table = tables[table_name]
            references = _references(table)
            new_ids[table_name] = {}
            for row in rows:
                values = dict(row)
                old_id = values.pop("id", None)
                if table_name == "workshop":
                    values["name"] = new_name
                selfish = {}
                for column, referred in references:
                    if values.get(column) is None:
                        continue
                    if referred == table_name:
                        selfish[column] = values[column]
                        values[column] = None
                    else:
                        values[column] = new_ids.get(referred, {}).get(values[column])
                if old_id is None:
                    connection.execute(table.insert().values(**values))
                else:
                    new_id = connection.execute(table.insert().values(**values).returning(table.c.id)).scalar_one()
                    new_ids[table_name][old_id] = new_id
                    if selfish:
                        later.append((table, new_id, selfish))
                count += 1
        for table, new_id, selfish in later:
            mapped = {column: new_ids[table.name][old] for column, old in selfish.items()}
            connection.execute(update(table).where(table.c.id == new_id).values(**mapped))
        new_workshop = new_ids["workshop"][workshop_id]
    return CopyResult(workshop_id=new_workshop, name=new_name, rows=count,
                      tables=sum(1 for rows in picked.values() if rows))
