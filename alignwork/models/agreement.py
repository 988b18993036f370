"""Tables of the agreement room (filled by its issue)."""

__all__: list[str] = []
