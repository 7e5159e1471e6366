"""End to end, as an operator runs it: `aznews refresh --warc FILE` as a separate process, on
generated WARC files of several sizes (benchmarks/corpus.py, real-weight ~125 KB pages), and the
bundled sample (`aznews refresh`, README command 1's job).

    python benchmarks/e2e.py [--sizes 600 2000 8000] [--workers 2] [--datatrove /tmp/dtvenv/bin/python]

Prints per size: wall time, CPU seconds of the whole process tree, peak RSS of the largest
process (the CLI or a pool worker; with a Prefect API configured, also its server), and from a
least-squares fit over the sizes the fixed cost per run and the cost per extra document (wall
and CPU). Each size is a fresh data directory, so no cache and no earlier release helps. With
``--datatrove``, datatrove's FineWeb-style pipeline (benchmarks/datatrove_anchor.py, in its own
venv) runs on the same WARC right after each aznews run, and the ratios are printed; targets
(issue 14): the sample <= 6 s; wall <= datatrove's on the smallest size; CPU per document
<= 0.5x datatrove's and peak RSS <= 400 MiB and <= 1.1x its 2,000-page value at >= 8,000 pages.
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
from benchmarks.machine import finish, header, target  # noqa: E402


def write_warc(folder: Path, n: int) -> Path:
    """n generated pages as WARC files in ``folder`` (the sink starts a new file every ~256 MB, so
    32,000 pages make three); the folder is what ``aznews refresh --warc`` reads."""
    from aznews.fetch.warc import WarcSink

    sink = WarcSink(folder, fsync=False)
    for page in corpus.pages(n):
        sink.write(page.url, 200, "OK", [("Content-Type", "text/html; charset=utf-8")], page.body, page.fetched_at)
    sink.close()
    return folder


def run(warc: Path | None, work: Path, env: dict[str, str]) -> dict[str, float]:
    """One `aznews refresh` process (and everything it starts): wall, CPU, peak RSS."""
    work.mkdir(parents=True, exist_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    args = ["--warc", str(warc)] if warc else []
    out = subprocess.run(
        [sys.executable, "-m", "aznews.cli", "refresh", "--version", "2026.11", *args],
        cwd=work, env=env, capture_output=True, text=True,
    )  # fmt: skip
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        raise SystemExit(f"refresh failed on {warc}:\n{out.stdout[-3000:]}{out.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "rss_mib": after.ru_maxrss / 1024}  # ru_maxrss is in KiB


def datatrove(python: str, folder: Path, workers: int) -> dict[str, float]:
    """benchmarks/datatrove_anchor.py in its venv on the same WARC: wall, CPU, peak RSS."""
    files = sorted(folder.glob("*.warc.gz"))
    if len(files) != 1:
        raise SystemExit(f"the datatrove anchor reads one WARC file; {folder} holds {len(files)} at this size")
    warc = files[0]
    out = subprocess.run(
        [python, str(ROOT / "benchmarks" / "datatrove_anchor.py"), str(warc), "--workers", str(workers)],
        stdin=subprocess.DEVNULL, capture_output=True, text=True,
    )  # fmt: skip
    line = next((x for x in out.stdout.splitlines() if x.startswith("datatrove: ")), "")
    if out.returncode != 0 or "exit 0" not in line:
        raise SystemExit(f"datatrove anchor failed on {warc}:\n{out.stdout[-2000:]}{out.stderr[-2000:]}")
    wall, cpu, rss = (float(line.split(k)[0].split()[-1]) for k in (" s wall", " CPU-s", " MiB"))
    return {"wall": wall, "cpu": cpu, "rss_mib": rss}


def fit(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """(intercept, slope) of the least-squares line."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
    return my - slope * mx, slope


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[600, 2000, 8000])
    parser.add_argument("--runner", default="process")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--datatrove", metavar="PYTHON", help="the python of a venv with datatrove 0.10.1")
    parser.add_argument(
        "--warc-cache", type=Path, metavar="DIR", help="keep each size's generated WARC here and reuse it"
    )
    args = parser.parse_args()
    if len(args.sizes) < 3:
        raise SystemExit("--sizes needs at least 3 sizes for the fit")
    header("e2e: aznews refresh as a process")
    env = {**os.environ, "AZNEWS_TASK_RUNNER": args.runner, "AZNEWS_WORKERS": str(args.workers)}
    env.pop("PREFECT_API_URL", None)  # a fresh machine: no Prefect API configured
    rows, anchors = [], {}
    with tempfile.TemporaryDirectory(prefix="aznews-e2e-") as tmp:
        sample = run(None, Path(tmp) / "sample", env)
        met = target("sample refresh", sample["wall"], 6.0, at_least=False, unit=" s")
        print(f"  sample (15 pages): {sample['wall']:5.1f} s wall, {sample['cpu']:5.1f} CPU-s, "
              f"peak RSS {sample['rss_mib']:.0f} MiB {met}")  # fmt: skip
        for n in args.sizes:
            work = Path(tmp) / f"n{n}"
            cached = args.warc_cache / f"n{n}" if args.warc_cache else None
            warc = cached if cached and any(cached.glob("*.warc.gz")) else write_warc(cached or work / "warc", n)
            r = run(warc, work, env)
            rows.append((n, r))
            print(f"  {n:6d} pages: {r['wall']:7.1f} s wall, {r['cpu']:7.1f} CPU-s, "
                  f"{n / r['wall']:6.1f} pages/s, peak RSS of the largest process {r['rss_mib']:6.0f} MiB")  # fmt: skip
            if args.datatrove:
                d = anchors[n] = datatrove(args.datatrove, warc, args.workers)
                ratio = f"wall {r['wall'] / d['wall']:.2f}x, CPU {r['cpu'] / d['cpu']:.2f}x"
                print(f"         datatrove: {d['wall']:7.1f} s wall, {d['cpu']:7.1f} CPU-s, "
                      f"RSS {d['rss_mib']:.0f} MiB; aznews/datatrove: {ratio}")  # fmt: skip
    ns = [float(n) for n, _ in rows]
    wall0, wall1 = fit(ns, [r["wall"] for _, r in rows])
    cpu0, cpu1 = fit(ns, [r["cpu"] for _, r in rows])
    print(f"fixed cost per run: {wall0:.1f} s wall, {cpu0:.1f} CPU-s (fit over {len(ns)} sizes)")
    print(f"cost per document:  {1000 * wall1:.1f} ms wall, {1000 * cpu1:.1f} CPU-ms "
          f"({1 / wall1:.0f} docs/s marginal, {args.workers} workers)")  # fmt: skip
    by_size = dict(rows)
    if anchors:
        small = min(anchors)
        print(
            f"wall at {small} pages vs datatrove "
            f"{target('small-run wall ratio', by_size[small]['wall'] / anchors[small]['wall'], 1.0, at_least=False)}"
        )
        for n in (n for n in anchors if n >= 8000):
            ratio = by_size[n]["cpu"] / anchors[n]["cpu"]
            print(f"CPU per document at {n} pages vs datatrove {ratio:.2f}x "
                  f"{target(f'CPU ratio at {n}', ratio, 0.5, at_least=False)}")  # fmt: skip
    if 2000 in by_size:
        for n in (n for n in by_size if n >= 8000):
            rss = by_size[n]["rss_mib"]
            met = target(f"RSS at {n}", rss, 400, at_least=False, unit=" MiB")
            print(f"peak RSS at {n}: {rss:.0f} MiB {met}"
                  f", {rss / by_size[2000]['rss_mib']:.2f}x its 2,000-page value "
                  f"{target(f'RSS growth 2k->{n}', rss / by_size[2000]['rss_mib'], 1.1, at_least=False)}")  # fmt: skip
    finish()


if __name__ == "__main__":
    main()
