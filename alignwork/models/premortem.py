"""Tables of the premortem room (filled by its issue)."""

__all__: list[str] = []
