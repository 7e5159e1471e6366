"""The ``monthly-refresh`` deployment: one definition for ``aznews serve`` (no server, ``flow.serve``)
and for ``prefect.yaml`` (``prefect deploy`` to a work pool); a test keeps the two in step."""

from __future__ import annotations

from typing import Any

from prefect.schedules import Cron

from aznews import clock
from aznews.clock import months, previous_month

NAME = "monthly-refresh"
CRON = "0 3 1 * *"  # 03:00 on the 1st of every month ...
TIMEZONE = clock.BAKU.key  # ... Baku time
__all__ = ["CRON", "NAME", "PARAMETERS", "TIMEZONE", "months", "previous_month", "schedule"]
PARAMETERS: dict[str, Any] = {
    "crawl": True, "publishers": None, "since": None, "until": None, "repo_id": None, "review": False,
    "cc_news": False,
}  # fmt: skip


def schedule() -> Cron:
    return Cron(CRON, timezone=TIMEZONE)
