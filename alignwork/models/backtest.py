"""Tables of the backtest room (filled by its issue)."""

__all__: list[str] = []
