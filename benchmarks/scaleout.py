"""Scale-out benchmark: the flow's extract + MinHash batches on a Dask cluster of 1, then 2
workers (one thread each), on the same generated WARC.

    python benchmarks/scaleout.py [--pages 2000] [--batch 250]

The cluster is started here and handed to the flow by address, exactly as an operator points
AZNEWS_DASK_ADDRESS at an existing cluster. Prints wall time, pages/s, pages/s per worker, the
speed-up from 1 to 2 workers, the workers' own CPU time (pages per worker CPU-second, and how
busy they were: on a 2-core machine the flow, the Prefect API and the scheduler share the cores
with the workers), and each run's largest peak RSS of a worker with its extraction helper
process (a worker holds one batch of pages at a time, so this must not grow with --pages).
Then the same extract batches submitted straight to Dask, without Prefect: the engine's own
ceiling. Pages are "real" weight (~125 KB).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402


def write_warc(directory: Path, n: int) -> Path:
    from aznews.fetch.warc import WarcSink

    with WarcSink(directory, fsync=False, max_bytes=1 << 40) as sink:
        for page in corpus.pages(n):
            sink.write(page.url, 200, "OK", list(page.headers.items()), page.body, page.fetched_at)
    return sink.files[0]


def _tree(pid: int) -> list[int]:
    kids = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        kids += [int(k) for k in (task / "children").read_text().split()]
    return [pid] + [d for k in kids for d in _tree(k)]


def _worker_usage() -> tuple[float, float]:
    """(peak RSS MB, CPU seconds) of this worker plus its live descendants (a Dask worker and
    its extraction helper hold memory and do the work together), from /proc."""
    peak_kb, ticks = 0, 0
    for pid in _tree(os.getpid()):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak_kb += int(line.split()[1])
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime + stime
    return peak_kb / 1024, ticks / os.sysconf("SC_CLK_TCK")


def run(warc: Path, work: Path, workers: int, batch: int) -> list[tuple[float, float, float]]:
    """The flow's batches on a fresh cluster, twice: cold (workers import Prefect and aznews and
    start their helpers) and warm (a long-lived cluster's steady state). Per run: wall seconds,
    largest worker + helper peak RSS (MB), workers' CPU seconds."""
    from distributed import Client, LocalCluster
    from prefect import flow

    from aznews import stages
    from aznews.config import Settings
    from flows.refresh import _run_batches
    from flows.runners import local_cluster_kwargs, make_task_runner

    out = []
    with LocalCluster(**local_cluster_kwargs(workers)) as cluster:
        runner = make_task_runner(Settings(task_runner="dask", dask_address=cluster.scheduler_address))

        @flow(name="bench-extract-batches", task_runner=runner)
        def batches(work: Path) -> int:
            plan, _ = stages.plan_extract([warc], batch)
            done = _run_batches([asdict(p) for p in plan], work, None)
            return sum(sum(d["ledger"]["stages"].get("extract", {}).values()) for d in done)

        cpu_before = 0.0
        for attempt in ("cold", "warm"):
            started = time.perf_counter()
            assert batches(work / attempt), "no pages went through"
            wall = time.perf_counter() - started
            with Client(cluster) as client:
                usage = list(client.run(_worker_usage).values())
            cpu = sum(u[1] for u in usage)
            out.append((wall, max(u[0] for u in usage), cpu - cpu_before))
            cpu_before = cpu
    return out


def _extract_batch(batch, out: str) -> int:
    from aznews import stages

    return sum(stages.extract_batch(batch, Path(out)).ledger.kept.values())


def run_plain(warc: Path, work: Path, workers: int, batch: int) -> list[float]:
    """The same extract batches submitted straight to Dask (cold, then warm): the engine's ceiling."""
    from distributed import Client, LocalCluster

    from aznews import stages
    from flows.runners import local_cluster_kwargs

    plan, _ = stages.plan_extract([warc], batch)
    walls = []
    cluster = LocalCluster(**local_cluster_kwargs(workers))
    with cluster, Client(cluster) as client:
        for attempt in ("cold", "warm"):
            (work / attempt).mkdir(parents=True)
            started = time.perf_counter()
            futures = [
                client.submit(_extract_batch, b, str(work / attempt / f"{i}.parquet")) for i, b in enumerate(plan)
            ]
            assert sum(client.gather(futures))
            walls.append(time.perf_counter() - started)
    return walls


def warm_up() -> None:
    from prefect import flow

    flow(name="bench-warm-up")(lambda: None)()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=250, help="WARC records per batch")
    args = parser.parse_args()
    os.environ.update(PREFECT_LOGGING_LEVEL="WARNING", TQDM_DISABLE="1", PREFECT_SERVER_ANALYTICS_ENABLED="false")
    with tempfile.TemporaryDirectory() as tmp:
        warc = write_warc(Path(tmp) / "raw", args.pages)
        print(f"{args.pages} pages ({warc.stat().st_size / 1e6:.0f} MB WARC), batches of {args.batch}")
        warm_up()  # start the local Prefect API before timing, as a deployment has one running
        walls = {}
        for workers in (1, 2):
            runs = run(warc, Path(tmp) / f"w{workers}", workers, args.batch)
            for attempt, (wall, rss, cpu) in zip(("cold", "warm"), runs, strict=True):
                walls[workers, attempt] = wall
                rate = args.pages / wall
                print(f"{workers} worker(s), {attempt}: {wall:5.1f} s  {rate:6.1f} pages/s  "
                      f"{rate / workers:6.1f} pages/s per worker  {args.pages / cpu:6.1f} pages per worker CPU-s  "
                      f"workers busy {100 * cpu / wall / workers:3.0f}%  peak RSS {rss:.0f} MB")  # fmt: skip
        for attempt in ("cold", "warm"):
            ratio = walls[1, attempt] / walls[2, attempt]
            print(f"speed-up 1 -> 2 workers, {attempt}: {ratio:.2f}x (refresh flow batches)")
        plain = {n: run_plain(warc, Path(tmp) / f"plain-{n}", n, args.batch) for n in (1, 2)}
        for n, (cold, warm) in plain.items():
            print(
                f"no Prefect, {n} worker(s): cold {cold:5.1f} s, warm {warm:5.1f} s  {args.pages / warm:6.1f} pages/s"
            )
        print(f"speed-up 1 -> 2 workers, warm: {plain[1][1] / plain[2][1]:.2f}x (extract batches straight on Dask)")


if __name__ == "__main__":
    main()
