"""The task runner for the CPU-heavy tasks (extract and MinHash batches), chosen by setting.

``AZNEWS_TASK_RUNNER=process`` (default) runs batches in a local process pool, ``thread`` in a
thread pool, ``dask`` on Dask: the existing cluster at ``AZNEWS_DASK_ADDRESS`` or, without one,
a local cluster of ``AZNEWS_WORKERS`` single-threaded worker processes. Workers of an existing
cluster must see the data directory at the same path (a shared filesystem) and run with
``distributed.worker.daemon: False`` (``DASK_DISTRIBUTED__WORKER__DAEMON=False``), so they may
start the helper process that keeps the per-page extraction deadline.
"""

from __future__ import annotations

import os

from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner

from aznews.config import Settings


def make_task_runner(settings: Settings | None = None) -> TaskRunner:
    settings = settings or Settings()
    workers = settings.workers or os.cpu_count() or 1
    if settings.task_runner == "thread":
        return ThreadPoolTaskRunner(max_workers=workers)
    if settings.task_runner == "process":
        return ProcessPoolTaskRunner(max_workers=workers)
    from prefect_dask import DaskTaskRunner

    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    return DaskTaskRunner(cluster_class="distributed.LocalCluster", cluster_kwargs=local_cluster_kwargs(workers))


def local_cluster_kwargs(workers: int) -> dict:
    """A local Dask cluster as the flow starts one: single-threaded worker processes that are not
    daemonic, so they may start the helper process that keeps the per-page extraction deadline
    off the main thread (workers of an existing cluster need the same setting)."""
    import dask

    dask.config.set({"distributed.worker.daemon": False})  # read by each worker's nanny at (re)start
    return {"n_workers": workers, "threads_per_worker": 1, "processes": True, "dashboard_address": None}
