"""What every benchmark prints first: the machine it ran on and how busy it was, and one way
to report a target: met or MISSED (a benchmark that misses its target exits non-zero)."""

from __future__ import annotations

import os
import platform
import resource
import sys
from pathlib import Path

_MISSED: list[str] = []


def header(what: str) -> None:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{what} | {os.cpu_count()} cores, load {load} (1/5/15 min) | Python {platform.python_version()}")


def target(name: str, value: float, bound: float, *, at_least: bool = True, unit: str = "") -> str:
    """'(target >= bound: met)' or '(target >= bound: MISSED)'; a miss is remembered for ``finish``."""
    ok = value >= bound if at_least else value <= bound
    if not ok:
        _MISSED.append(f"{name}: {value:,.2f}{unit} against {'>=' if at_least else '<='} {bound:,.2f}{unit}")
    return f"(target {'>=' if at_least else '<='} {bound:,g}{unit}: {'met' if ok else 'MISSED'})"


def finish() -> None:
    """Exit non-zero when any target was missed, naming each."""
    if _MISSED:
        print("MISSED targets:\n  " + "\n  ".join(_MISSED))
        sys.exit(1)


def reset_peak_rss() -> None:
    """Forget this process's peak RSS so far. Linux keeps the high-water mark across fork and
    exec: a child of a large benchmark process starts at its parent's peak (``/proc/self/
    clear_refs``, Linux >= 4.0; a no-op elsewhere)."""
    clear = Path("/proc/self/clear_refs")
    if clear.exists():
        clear.write_text("5")


def peak_rss_mib() -> float:
    """This process's peak RSS (since :func:`reset_peak_rss`), MiB."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
