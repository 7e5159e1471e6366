"""Running the page extractor (``aznews.extract.page``) over many pages: chunks in worker
processes, in order, each page under its deadline (a helper process where SIGALRM cannot fire)."""

from __future__ import annotations

import logging
import threading
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Any

from aznews.extract.page import CHUNK, ExtractConfig, Extractor
from aznews.fetch.warc import Page
from aznews.ledger import Drop
from aznews.lifeline import spawn_pool
from aznews.logs import add_library_warnings, count_library_warnings, take_library_warnings

_WORKER: Extractor | None = None


def _init_worker(config: ExtractConfig) -> None:
    global _WORKER
    count_library_warnings()
    _WORKER = Extractor(config)


def _run_in_worker(pages: list[Page]) -> tuple[list[dict[str, Any] | Drop], Counter[str]]:
    """A group's results, with the library warnings counted in this worker meanwhile."""
    assert _WORKER is not None
    return _WORKER.extract_many(pages), take_library_warnings()


def in_groups(pages: Iterable[Page], size: int) -> Iterator[list[Page]]:
    """``pages`` in lists of ``size`` (the last may be shorter)."""
    iterator = iter(pages)
    while group := list(islice(iterator, size)):
        yield group


def extract_pages(
    pages: Iterable[Page],
    config: ExtractConfig | None = None,
    *,
    workers: int = 0,
    chunksize: int = CHUNK,
) -> Iterator[dict[str, Any] | Drop]:
    """Extract pages in order, in-process (``workers=0``) or on a pool of processes, ``chunksize``
    pages at a time (see ``Extractor.extract_many``).

    Results stream: memory holds at most a few chunks per worker, never the corpus.
    """
    config = config or ExtractConfig()
    count_library_warnings()
    if workers > 0:
        with _pool(workers, config) as pool:
            yield from _in_order(pool, in_groups(pages, chunksize), ahead=2 * workers)
    elif _needs_helper(config):
        yield from _helper_map(pages, config, chunksize)
    else:
        extractor = Extractor(config)
        for group in in_groups(pages, chunksize):
            yield from extractor.extract_many(group)


def _in_order(pool: ProcessPoolExecutor, groups: Iterable[list[Page]], ahead: int) -> Iterator[dict[str, Any] | Drop]:
    """The groups' results in order, with at most ``ahead`` groups sent and not yet read back
    (``Executor.map`` would take every page at once)."""
    sent: deque[Future] = deque()

    def read(future: Future) -> list[dict[str, Any] | Drop]:
        results, warned = future.result()
        add_library_warnings(warned)  # counted where the caller takes them
        return results

    for group in groups:
        sent.append(pool.submit(_run_in_worker, group))
        if len(sent) > ahead:
            yield from read(sent.popleft())
    while sent:
        yield from read(sent.popleft())


def _pool(workers: int, config: ExtractConfig) -> ProcessPoolExecutor:
    # an orphan would hold its parent's pipes (and memory) forever: workers die with this process
    return spawn_pool(workers, _init_worker, (config,))


_HELPERS = threading.local()


def _helper(config: ExtractConfig) -> ProcessPoolExecutor:
    """One spawned process that exits with its parent."""
    return _pool(1, config)


def deadline_off(config: ExtractConfig) -> bool:
    """Whether this thread cannot keep the per-page deadline: off the main thread SIGALRM cannot
    fire, and a daemonic process (a Dask worker with worker.daemon on) may not start the helper
    process that would keep it. The extract stage reports such batches as a run warning."""
    import multiprocessing as mp

    off_main = threading.current_thread() is not threading.main_thread()
    return config.timeout_s > 0 and off_main and bool(mp.current_process().daemon)


def _needs_helper(config: ExtractConfig) -> bool:
    """Off the main thread (a Dask worker, a thread pool) SIGALRM cannot stop a runaway page, so
    pages go to a helper process, unless this process is daemonic and may not start one."""
    if config.timeout_s <= 0 or threading.current_thread() is threading.main_thread():
        return False
    if deadline_off(config):
        if not getattr(_HELPERS, "warned", False):
            _HELPERS.warned = True
            logging.getLogger(__name__).warning(
                "per-page extraction deadline off: this daemonic worker thread cannot start a helper "
                "process; run Dask workers with distributed.worker.daemon=False"
            )
        return False
    return True


def _helper_map(pages: Iterable[Page], config: ExtractConfig, chunksize: int) -> Iterator[dict[str, Any] | Drop]:
    """Each thread extracts in its own long-lived helper process, on whose main thread the
    per-page deadline holds. A helper that died (a page crashed the parser) is replaced."""
    held = getattr(_HELPERS, "pool", None)
    if held is None or held[0] != config:
        if held is not None:
            held[1].shutdown(cancel_futures=True)
        held = _HELPERS.pool = (config, _helper(config))
    try:
        yield from _in_order(held[1], in_groups(pages, chunksize), ahead=2)
    except BrokenProcessPool:
        _HELPERS.pool = None
        raise
