"""The monthly-refresh deployments: one schedule and parameter set for ``aznews serve`` (no server
or worker, ``flow.serve``) and for ``prefect.yaml`` (``prefect deploy`` to a work pool); a test
keeps the two in step. Each way of running it has its own deployment name, so neither rewrites
the other's (a served deployment has no work pool; a deployed one has its pool and pull steps)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from prefect.schedules import Cron

from aznews import clock
from aznews.clock import months, previous_month

FLOW = "refresh"
NAME = "monthly-refresh"  # prefect deploy (prefect.yaml) + a worker
SERVE_NAME = "monthly-refresh-serve"  # aznews serve
CRON = "0 3 1 * *"  # 03:00 on the 1st of every month ...
TIMEZONE = clock.BAKU.key  # ... Baku time
__all__ = [
    "CRON", "NAME", "PARAMETERS", "SERVE_NAME", "TIMEZONE", "months", "previous_month", "project_home", "schedule",
]  # fmt: skip
PARAMETERS: dict[str, Any] = {
    "crawl": True, "publishers": None, "since": None, "until": None, "repo_id": None, "review": False,
    "cc_news": False,
}  # fmt: skip
HOME_ENV = "AZNEWS_HOME"


def schedule() -> Cron:
    return Cron(CRON, timezone=TIMEZONE)


def project_home() -> dict[str, str]:
    """A ``prefect deploy`` build step: the directory the worker's flow runs start in (its pull
    step), which holds ``flows/refresh.py`` and, by default, ``data/``. ``AZNEWS_HOME`` when set,
    else the directory ``prefect deploy`` runs in; refused, naming the variable, when that is not
    an aznews checkout (nothing would be stored but a path the worker cannot run from)."""
    raw = os.environ.get(HOME_ENV)
    home = Path(raw).expanduser() if raw else Path.cwd()
    if not (home / "flows" / "refresh.py").is_file():
        where = f"{HOME_ENV}={raw}" if raw else f"the current directory ({home}) with {HOME_ENV} unset"
        raise RuntimeError(
            f"{where} holds no flows/refresh.py: run prefect deploy from the aznews checkout, or set {HOME_ENV} to it"
        )
    return {"directory": str(home.resolve())}


def scheduled_elsewhere() -> str | None:
    """Why ``aznews serve`` must not start: the worker deployment (``prefect deploy``) already runs
    this schedule on the same API, so every month would be built twice. None when it is absent
    or its schedule is paused."""
    from prefect import get_client
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            dep = client.read_deployment_by_name(f"{FLOW}/{NAME}")
        except ObjectNotFound:
            return None
    active = [s for s in dep.schedules or [] if s.active]
    if getattr(dep, "paused", False) or not active:
        return None
    pool = f" on work pool {dep.work_pool_name!r}" if dep.work_pool_name else ""
    return (
        f"deployment {FLOW}/{NAME}{pool} already runs this schedule, so each month would be built twice; "
        f"pause it first (prefect deployment schedule pause '{FLOW}/{NAME}' --all) "
        "or keep its worker instead of serving"
    )
