"""A process that validates releases, started before anything else so that it imports Great
Expectations (~5 s here, the largest fixed cost of a small run) while the pages are extracted,
and so that GX (~150 MB) never sits beside the dedup state in the process that builds the release.
Deliberately light to import: it is what a run imports first."""

from __future__ import annotations

from concurrent.futures import Executor

from aznews.lifeline import spawn_pool


def _warm() -> None:
    import atexit
    import os

    atexit.register(os._exit, 0)  # once its pool is shut down, exit without unloading GX (0.6 s)
    from aznews.validate.gate import great_expectations
    from aznews.validate.stage import validate_release  # noqa: F401  (pandas, pyarrow, the report)

    great_expectations()


def start_validator() -> Executor:
    """A one-process pool, already starting, whose process has GX imported by its first job."""
    pool = spawn_pool(1, _warm)  # never outlives the run
    pool.submit(int)  # start the process now, not at the first job
    return pool


def stop_validator(pool: Executor) -> None:
    pool.shutdown(cancel_futures=True)
