"""The one place aznews reads the wall clock.

``AZNEWS_NOW`` (an ISO timestamp with a zone, e.g. ``2026-12-31T23:59:00+04:00``) freezes it:
tests and operators replaying a run set it, and every process started by the run inherits it.
Monotonic timers (timeouts, politeness delays) are not wall-clock time and do not come here.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

ENV = "AZNEWS_NOW"
BAKU = ZoneInfo("Asia/Baku")  # the project's calendar: versions and crawl windows follow Baku months


def now() -> datetime:
    """The current instant, in UTC (aware)."""
    frozen = os.environ.get(ENV)
    if not frozen:
        return datetime.now(UTC)
    try:
        value = datetime.fromisoformat(frozen)
    except ValueError:
        raise ValueError(f"{ENV}={frozen!r} is not an ISO timestamp (e.g. 2026-12-31T23:59:00+04:00)") from None
    if value.tzinfo is None:
        raise ValueError(f"{ENV}={frozen!r} needs a zone offset (e.g. +04:00)")
    return value.astimezone(UTC)


def baku_now() -> datetime:
    """The current instant on Baku's calendar."""
    return now().astimezone(BAKU)


def previous_month(at: datetime | None = None) -> tuple[str, str]:
    """(since, until) of the calendar month before ``at`` (default: now) in Baku, as YYYY-MM-DD."""
    today = (at or now()).astimezone(BAKU).date()
    first = today.replace(day=1)
    start = (first - timedelta(days=1)).replace(day=1)
    return start.isoformat(), first.isoformat()


def months(start: str, end: str) -> list[tuple[str, str, str]]:
    """Every month from ``start`` to ``end`` (YYYY-MM, inclusive) as (version, since, until)."""
    y, m = map(int, start.split("-"))
    last = tuple(map(int, end.split("-")))
    if (y, m) > last:
        raise ValueError(f"--from {start} is after --to {end}")
    out = []
    while (y, m) <= last:
        nxt = (y + (m == 12), m % 12 + 1)
        out.append((f"{y:04d}.{m:02d}", date(y, m, 1).isoformat(), date(*nxt, 1).isoformat()))
        y, m = nxt
    return out
