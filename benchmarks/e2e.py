"""End to end, as an operator runs it: `aznews refresh --warc FILE` as a separate process, on
generated WARC files of several sizes (benchmarks/corpus.py, real-weight ~125 KB pages).

    python benchmarks/e2e.py [--sizes 250 1000 2000] [--runner process] [--workers 2]

Prints per size: wall time, CPU seconds of the whole process tree, peak RSS of the largest
process (the CLI, its Prefect API, a pool worker), and from a least-squares fit over the sizes
the fixed cost per run and the cost per extra document (wall and CPU). Each size is a fresh data
directory, so no cache and no earlier release helps.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import corpus  # noqa: E402
from benchmarks.machine import finish, header  # noqa: E402


def write_warc(path: Path, n: int) -> Path:
    from aznews.fetch.warc import WarcSink

    sink = WarcSink(path, fsync=False)
    for page in corpus.pages(n):
        sink.write(page.url, 200, "OK", [("Content-Type", "text/html; charset=utf-8")], page.body, page.fetched_at)
    sink.close()
    return sink.files[0]


def run(warc: Path, work: Path, env: dict[str, str]) -> dict[str, float]:
    """One `aznews refresh` process (and everything it starts): wall, CPU, peak RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "aznews.cli", "refresh", "--version", "2026.11", "--warc", str(warc)],
        cwd=work, env=env, capture_output=True, text=True,
    )  # fmt: skip
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        raise SystemExit(f"refresh failed on {warc}:\n{out.stdout[-3000:]}{out.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "rss_mb": after.ru_maxrss / 1024}


def fit(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """(intercept, slope) of the least-squares line."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
    return my - slope * mx, slope


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 1000, 2000])
    parser.add_argument("--runner", default="process")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if len(args.sizes) < 3:
        raise SystemExit("--sizes needs at least 3 sizes for the fit")
    header("e2e: aznews refresh as a process")
    env = {**os.environ, "AZNEWS_TASK_RUNNER": args.runner, "AZNEWS_WORKERS": str(args.workers)}
    env.pop("PREFECT_API_URL", None)  # the run starts its own API, as on a fresh machine
    rows = []
    with tempfile.TemporaryDirectory(prefix="aznews-e2e-") as tmp:
        for n in args.sizes:
            work = Path(tmp) / f"n{n}"
            warc = write_warc(work / "warc", n)
            r = run(warc, work, env)
            rows.append((n, r))
            print(f"  {n:6d} pages: {r['wall']:7.1f} s wall, {r['cpu']:7.1f} CPU-s, "
                  f"{n / r['wall']:6.1f} pages/s, peak RSS of the largest process {r['rss_mb']:6.0f} MB")  # fmt: skip
    ns = [float(n) for n, _ in rows]
    wall0, wall1 = fit(ns, [r["wall"] for _, r in rows])
    cpu0, cpu1 = fit(ns, [r["cpu"] for _, r in rows])
    print(f"fixed cost per run: {wall0:.1f} s wall, {cpu0:.1f} CPU-s (fit over {len(ns)} sizes)")
    print(f"cost per document:  {1000 * wall1:.1f} ms wall, {1000 * cpu1:.1f} CPU-ms "
          f"({1 / wall1:.0f} docs/s marginal, {args.workers} workers)")  # fmt: skip
    finish()


if __name__ == "__main__":
    main()
