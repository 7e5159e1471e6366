"""Child processes that die with their parent.

A ``kill -9`` of ``aznews`` (an OOM kill, a lost SSH session) runs no cleanup, so every process
the run starts (the temporary Prefect API, pool workers, extraction helpers) watches the process
that started it and exits as soon as it is gone (it is re-parented, so ``getppid`` changes). A
process that started children of its own takes them along: they watch it in turn.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

POLL_S = 0.25


def exit_with_parent(parent: int | None = None) -> None:
    """Start a daemon thread that ends this process when ``parent`` (default: the current
    parent) is no longer its parent. Idempotent per process; usable as a pool ``initializer``
    with ``initargs=(os.getpid(),)`` (or see ``spawn_pool``)."""
    global _WATCHING
    if _WATCHING:
        return
    _WATCHING = True
    parent = os.getppid() if parent is None else parent

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(POLL_S)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="aznews-lifeline").start()


_WATCHING = False


def _start(parent: int, initializer: Callable[..., Any] | None, initargs: tuple) -> None:
    exit_with_parent(parent)
    if initializer is not None:
        initializer(*initargs)


def spawn_pool(
    workers: int, initializer: Callable[..., Any] | None = None, initargs: tuple = ()
) -> ProcessPoolExecutor:
    """A process pool of spawned workers (no copy of this process's threads and locks) that exit
    with this process, each running ``initializer(*initargs)`` first."""
    return ProcessPoolExecutor(
        workers, mp_context=mp.get_context("spawn"), initializer=_start, initargs=(os.getpid(), initializer, initargs)
    )
