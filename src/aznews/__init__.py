"""aznews: build and publish the open corpus of Azerbaijani news."""

import os
import sys
from importlib.metadata import PackageNotFoundError, version

if sys.platform == "linux":
    # Arrow's default pool (mimalloc) keeps what the tail stages free: the main process of an
    # 8,000-page refresh peaked at 446 MiB with it, 381 MiB with jemalloc (benchmarks/e2e.py).
    # Read once, when pyarrow is first imported; spawned workers inherit it. An operator's choice wins.
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "jemalloc")

try:
    __version__ = version("aznews")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+local"
