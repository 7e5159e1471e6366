"""The task runner for the CPU-heavy tasks (extract and MinHash batches), chosen by setting.

``AZNEWS_TASK_RUNNER=process`` (default) runs batches in a local process pool, ``thread`` in a
thread pool, ``dask`` on Dask: the existing cluster at ``AZNEWS_DASK_ADDRESS`` or, without one,
a local cluster of ``AZNEWS_WORKERS`` single-threaded worker processes. Workers of an existing
cluster must see the data directory at the same path (a shared filesystem) and run with
``distributed.worker.daemon: False`` (``DASK_DISTRIBUTED__WORKER__DAEMON=False``), so they may
start the helper process that keeps the per-page extraction deadline.
"""

from __future__ import annotations

from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner

from aznews.config import Settings
from aznews.lifeline import exit_with_parent
from flows.api import share_api


class ProcessPool(ProcessPoolTaskRunner):
    """Prefect's process pool whose workers share the flow's API and die with the flow process."""

    def __init__(self, max_workers: int | None = None, **kwargs) -> None:
        super().__init__(max_workers=max_workers, initializer=exit_with_parent, **kwargs)

    def __enter__(self):
        share_api()
        return super().__enter__()


def require_dask() -> None:
    """The Dask runner is an extra; without it, say how to install it (one line, no traceback)."""
    import importlib.util

    if importlib.util.find_spec("prefect_dask") is None or importlib.util.find_spec("distributed") is None:
        raise RuntimeError("the dask runner needs the dask extra: pip install 'aznews[dask]'")


def make_task_runner(settings: Settings | None = None) -> TaskRunner:
    settings = settings or Settings()
    workers = settings.worker_count
    if settings.task_runner == "thread":
        return ThreadPoolTaskRunner(max_workers=workers)
    if settings.task_runner == "process":
        return ProcessPool(max_workers=workers)
    require_dask()
    from flows.dask_runner import DaskRunner  # imports dask only when chosen

    if settings.dask_address:
        return DaskRunner(address=settings.dask_address)
    return DaskRunner(cluster_class="distributed.LocalCluster", cluster_kwargs=local_cluster_kwargs(workers))


def local_cluster_kwargs(workers: int) -> dict:
    """A local Dask cluster as the flow starts one: single-threaded worker processes that are not
    daemonic, so they may start the helper process that keeps the per-page extraction deadline
    off the main thread (workers of an existing cluster need the same setting)."""
    import dask

    dask.config.set({"distributed.worker.daemon": False})  # read by each worker's nanny at (re)start
    return {"n_workers": workers, "threads_per_worker": 1, "processes": True, "dashboard_address": None}
