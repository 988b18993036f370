"""A workshop whose only definition is one given by hand (the draft, or a saved version N)."""

from __future__ import annotations

from alignwork.definition.criteria import Definition
from alignwork.models import DefinitionVersion
from alignwork.store import create_workshop


def workshop_with(database, name: str, definition: Definition, *, number: int | None = None, **workshop) -> int:
    """Create the workshop ``name`` holding ``definition`` as its draft (``number`` None) or as saved
    version ``number``; returns its id."""
    with database.session() as session:
        created = create_workshop(session=session, name=name, **workshop)
        session.add(DefinitionVersion(workshop_id=created.id, body=definition.model_dump(mode="json"),
                                      **({} if number is None else {"number": number, "status": "saved"})))
        session.commit()
        return created.id
