"""Progress reporting and cancellation for long core work, without any UI."""

from __future__ import annotations

from collections.abc import Callable


class Cancelled(Exception):
    """The user cancelled; the work stopped and wrote nothing."""


class Progress:
    """Passed to long functions. ``report(done, total, message)``; ``check()`` raises
    Cancelled once ``cancel()`` was called (from any thread)."""

    def __init__(self, callback: Callable[[int, int, str], None] | None = None):
        self._callback = callback
        self._cancelled = False

    def cancel(self) -> None:
        self._cancelled = True

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def check(self) -> None:
        if self._cancelled:
            raise Cancelled()

    def report(self, done: int, total: int, message: str = "") -> None:
        self.check()
        if self._callback is not None:
            self._callback(done, total, message)


NO_PROGRESS = Progress()
