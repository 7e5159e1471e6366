"""Running `aznews refresh` as a real process that may be killed, and reading a release back."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys

import pyarrow.parquet as pq


def _refresh(cwd, version, fault=None, batch_records=None, command=None, **env_extra):
    """Run `aznews refresh` (or ``command``) in its own process group; afterwards kill whatever it
    left running (a SIGKILLed CLI leaves its temporary Prefect server behind, as a real crash
    would). ``batch_records`` small enough for several batches puts extraction on the process
    pool, so the kill comes from a worker and takes the flow and its pool down together."""
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", **env_extra}
    env.pop("AZNEWS_FAULT", None)
    env.pop("AZNEWS_BATCH_RECORDS", None)
    if fault:
        env["AZNEWS_FAULT"] = fault
    if batch_records:
        env["AZNEWS_BATCH_RECORDS"] = str(batch_records)
    log = cwd / f"refresh-{version}-{fault or 'clean'}.log"
    args = command or [sys.executable, "-m", "aznews.cli", "refresh", "--version", version]
    with log.open("a") as out:
        proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)  # fmt: skip
        try:
            code = proc.wait(timeout=600)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
    return subprocess.CompletedProcess(proc.args, code, log.read_text(), "")


def _rows(release):
    rows = []
    for f in sorted((release / "data").glob("*.parquet")):
        for r in pq.read_table(f).to_pylist():
            r.pop("fetched_at", None)
            rows.append(r)
    return sorted(rows, key=lambda r: r["id"])
