"""Warnings of the libraries that read pages (trafilatura's "discarding data", htmldate's, ...)
are counted for the run's summary instead of printed: a page they could not use is already a
recorded drop or a record. ``--verbose`` (``AZNEWS_VERBOSE=1``) lets them through as well."""

from __future__ import annotations

import logging
import os
from collections import Counter

LIBRARIES = ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer", "dateparser")


class _Count(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.counts: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[record.name.split(".")[0]] += 1


_COUNT = _Count()


def count_library_warnings() -> None:
    """Route the libraries' warnings to the counter (idempotent; call in every process that extracts)."""
    verbose = os.environ.get("AZNEWS_VERBOSE") == "1"
    for name in LIBRARIES:
        logger = logging.getLogger(name)
        if _COUNT not in logger.handlers:
            logger.addHandler(_COUNT)
        logger.setLevel(logging.WARNING)
        logger.propagate = verbose


def take_library_warnings() -> Counter[str]:
    """The warnings counted since the last call, per library."""
    got = Counter(_COUNT.counts)
    _COUNT.counts.clear()
    return got


def add_library_warnings(counts: Counter[str]) -> None:
    """Add warnings counted in another process (an extraction worker) to this one's count."""
    _COUNT.counts.update(counts)
