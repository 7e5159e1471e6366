"""The ``monthly-refresh`` deployment: one definition for ``aznews serve`` (no server, ``flow.serve``)
and for ``prefect.yaml`` (``prefect deploy`` to a work pool); a test keeps the two in step."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from prefect.schedules import Cron

from aznews import clock

NAME = "monthly-refresh"
CRON = "0 3 1 * *"  # 03:00 on the 1st of every month ...
TIMEZONE = clock.BAKU.key  # ... Baku time
PARAMETERS: dict[str, Any] = {"crawl": True, "publishers": None, "since": None, "until": None, "repo_id": None}


def schedule() -> Cron:
    return Cron(CRON, timezone=TIMEZONE)


def previous_month(now: datetime | None = None) -> tuple[str, str]:
    """(since, until) of the calendar month before ``now`` in Baku, as YYYY-MM-DD."""
    today = (now or clock.now()).astimezone(clock.BAKU).date()
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
