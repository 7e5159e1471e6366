"""A minimal progress hook: stages report, a front end (the CLI) may listen. No-op by default."""

from __future__ import annotations

from collections.abc import Callable

Listener = Callable[[str, int, int | None], None]
_listeners: list[Listener] = []


def listen(fn: Listener) -> Callable[[], None]:
    """Register ``fn(stage, advance, total)``; returns a function that unregisters it."""
    _listeners.append(fn)
    return lambda: _listeners.remove(fn)


def report(stage: str, advance: int = 1, total: int | None = None) -> None:
    for fn in list(_listeners):
        fn(stage, advance, total)
