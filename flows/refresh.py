"""The ``refresh`` flow: fetch -> read pages (cut into batches) -> extract batches (on the task
runner, flows/runners.py) -> merge -> dedup -> validate -> publish (-> publish to the Hub).

Tasks only move file paths between library stage functions (aznews.stages); the library never
imports Prefect, so the same stages run in a test, a script, or a Dask worker.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task, unmapped
from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.futures import as_completed

from aznews import __version__, progress, stages
from aznews.config import Settings
from aznews.dedup import INDEX_NAME
from aznews.faults import checkpoint
from aznews.ledger import Ledger
from aznews.paths import sample_warc
from aznews.publish import (
    NothingToRelease,
    ReleaseExists,
    newest_release,
    next_version,
    read_manifest,
    release_ids,
    unreleased_warcs,
    validate_version,
    write_release,
)
from aznews.publish.takedown import Takedown
from aznews.validate import GateFailed, run_gate
from aznews.validate.report import REPORT_HTML, REPORT_MD, VALIDATION_JSON, write_report
from flows.runners import make_task_runner


@task(name="fetch", retries=2, retry_delay_seconds=[60, 300], timeout_seconds=12 * 3600)
def fetch(
    data_dir: str,
    registry: str | None,
    publishers: list[str] | None,
    since: str | None,
    until: str | None,
    max_pages: int,
) -> None:
    """Crawl the publishers for the month window into WARC files under data/raw (network I/O
    only; the crawl state makes a retry or a rerun resume, never refetch)."""
    from aznews.fetch import crawl_publishers, utc_day

    settings = Settings(data_dir=Path(data_dir))
    logger = get_run_logger()
    pages = itertools.count(1)

    def on_page(stage: str, advance: int, total: int | None) -> None:  # called from crawler threads
        if stage == "fetch" and (n := next(pages)) % 100 == 0:
            logger.info("fetch: %d pages fetched so far", n)

    stop = progress.listen(on_page)
    try:
        report, counts, files = crawl_publishers(
            settings,
            registry_path=Path(registry) if registry else None,
            publisher_ids=publishers or None,
            since=utc_day(since),
            until=utc_day(until),
            max_pages=max_pages,
        )
    finally:
        stop()
    logger.info("fetch: %d pages stored, %d WARC file(s); frontier %s", report.stored, len(files), counts)


@task(name="read-pages", timeout_seconds=3600)
def read_pages(sources: list[str], batch_records: int) -> dict[str, Any]:
    """Resolve the WARC inputs (files or directories of *.warc.gz) and cut them into batches of
    records; I/O only, no parsing. A corrupt WARC tail is a recorded drop, not a failure."""
    from aznews.fetch.warc import resolve_warc_inputs

    paths = resolve_warc_inputs(sources)
    batches, ledger = stages.plan_extract(paths, batch_records)
    get_run_logger().info("%d WARC file(s): %d batches of up to %d records", len(paths), len(batches), batch_records)
    return {"batches": [asdict(b) for b in batches], "ledger": ledger.to_dict(), "inputs": [p.name for p in paths]}


@functools.cache
def _code_fingerprint() -> str:
    """The installed aznews code, by content (the same on every worker that has the same code):
    changed code, new cache keys."""
    root = Path(stages.__file__).parent
    h = hashlib.sha256(__version__.encode())
    for f in sorted(root.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts:
            h.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


_OUTPUTS = ("part", "out")  # parameters naming the file a task writes


def _inputs_key(context: Any, parameters: dict[str, Any]) -> str:
    """Cache key from the task's inputs as they are on disk: every absolute input path with its
    size, mtime and inode; each output path with its directory's inode (a deleted and recreated
    work directory never serves a stale cached path); the rest as JSON; and the code. A rerun
    after a crash reuses each finished batch."""

    def on_disk(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: on_disk(v) for k, v in sorted(value.items())}
        if isinstance(value, list | tuple):
            return [on_disk(v) for v in value]
        if isinstance(value, str) and value.startswith("/") and Path(value).exists():
            st = Path(value).stat()
            return [value, st.st_size, st.st_mtime_ns, st.st_ino]
        return value

    inputs = {k: on_disk(v) for k, v in sorted(parameters.items()) if k not in _OUTPUTS}
    outputs = {k: [v, Path(v).parent.stat().st_ino] for k, v in parameters.items() if k in _OUTPUTS}
    blob = json.dumps([context.task.name, _code_fingerprint(), inputs, outputs], default=str)
    return f"aznews-{context.task.name}-{hashlib.sha256(blob.encode()).hexdigest()}"


# Deterministic, so never retried; cached by its inputs so a rerun after a crash skips it. No
# task timeout: on Dask it could not interrupt a worker thread; the per-page deadline (which
# holds on every runner) bounds a batch instead.
@task(name="extract-batch", cache_key_fn=_inputs_key, persist_result=True)
def extract_batch(batch: dict[str, Any], part: str, out: str, registry: str | None) -> dict[str, Any]:
    """One batch of WARC records -> one Parquet part, and its MinHash signatures in ``out``
    (CPU-bound; runs on the task runner)."""
    from aznews.extract import ExtractConfig
    from aznews.fetch.warc import WarcSlice

    cfg = ExtractConfig(registry_path=Path(registry) if registry else None)
    result = stages.extract_batch(WarcSlice(**batch), Path(part), cfg)
    stages.sign_batch(result.path, Path(out))
    return {**result.to_dict(), "signatures": out}


def _run_batches(batches: list[dict[str, Any]], work: Path, registry: str | None) -> list[dict[str, Any]]:
    """Extract and sign every batch on the flow's task runner (one batch: right here), showing
    progress as batches finish; results come back in batch order whatever order they finish in."""
    parts = [str(stages.part_path(work, i)) for i in range(len(batches))]
    sigs = [str(stages.part_path(work, i, "minhash")) for i in range(len(batches))]
    stages.part_path(work, 0).parent.mkdir(parents=True, exist_ok=True)
    if len(batches) <= 1:  # no pool to start for one batch
        done = [extract_batch(*args, registry) for args in zip(batches, parts, sigs, strict=True)]
    else:
        done = _map_batches(batches, parts, sigs, registry)
    for i, result in enumerate(done):  # a cached result whose files were deleted: make them again
        if not (Path(result["path"]).exists() and Path(result["signatures"]).exists()):
            get_run_logger().warning("batch %d: cached output %s is gone; extracting it again", i, result["path"])
            done[i] = extract_batch.with_options(refresh_cache=True)(batches[i], parts[i], sigs[i], registry)
    return done


def _map_batches(
    batches: list[dict[str, Any]], parts: list[str], sigs: list[str], registry: str | None
) -> list[dict[str, Any]]:
    """The batches mapped onto the task runner, with progress (artifact, log, CLI bar)."""
    logger = get_run_logger()
    futures = extract_batch.map(batches, parts, sigs, unmapped(registry))
    total = sum(b["records"] for b in batches)
    records = {f.task_run_id: b["records"] for f, b in zip(futures, batches, strict=True)}
    artifact = create_progress_artifact(0.0, description=f"extract: {len(batches)} batches, {total} WARC records")
    seen = 0
    for finished, fut in enumerate(as_completed(futures), start=1):
        fut.result()  # a failed batch fails the flow here, with its own error
        seen += records[fut.task_run_id]
        update_progress_artifact(artifact, 100.0 * seen / total)
        progress.report("extract", records[fut.task_run_id], total)
        if finished == len(batches) or finished % max(1, len(batches) // 10) == 0:
            logger.info("extract: %d/%d batches, %d/%d records", finished, len(batches), seen, total)
    return [f.result() for f in futures]


@task(name="merge-extract", timeout_seconds=3600)
def merge_extract(parts: list[dict[str, Any]], read_ledger: dict[str, Any], work: str) -> dict[str, Any]:
    """Concatenate the extracted parts in batch order into one file, with one ledger."""
    res = stages.merge_extract(
        [stages.StageResult.from_dict(p) for p in parts],
        Path(work) / "extracted.parquet",
        Ledger.from_dict(read_ledger),
    )
    res.save_ledger(Path(work) / "ledger-extract.json")
    get_run_logger().info("extract: %s", res.ledger.stage_counts())
    return res.to_dict()


@task(name="dedup", timeout_seconds=6 * 3600)
def dedup(
    extracted: str, signatures: list[str], work: str, registry: str | None, version: str, data_dir: str
) -> dict[str, Any]:
    settings = Settings(data_dir=Path(data_dir))
    res = stages.run_dedup(
        Path(extracted),
        Path(work) / "deduped.parquet",
        Path(registry) if registry else None,
        version=version,
        state_dir=settings.state_dir,
        releases_dir=settings.releases_dir,
        takedown=Takedown.load(settings.takedown_file),
        signature_files=[Path(p) for p in signatures],
    )
    res.save_ledger(Path(work) / "ledger-dedup.json")
    get_run_logger().info("dedup index: %s; %s", res.index_source, dict(res.notes))
    return {
        "path": str(res.path),
        "index": str(Path(work) / INDEX_NAME),
        "ledger": res.ledger.to_dict(),
        "notes": dict(res.notes),
    }


@task(name="validate", timeout_seconds=3600)
def validate(deduped: str, version: str, data_dir: str, registry: str | None, ledger: dict[str, Any]) -> dict[str, Any]:
    """Run every suite, write the release report (also when the gate fails), then gate."""
    import pandas as pd

    from aznews.schema import column_names
    from aznews.sources import load_registry

    settings = Settings(data_dir=Path(data_dir))
    report_dir = settings.reports_dir / version
    frame = pd.read_parquet(deduped)
    params = {"schema_columns": column_names(), "publisher_ids": [p.id for p in load_registry(registry)]}
    previous = newest_release(settings.releases_dir, before=version)
    pairs = release_ids(previous, with_urls=True) if previous is not None else None
    previous_ids = [i for i, _ in pairs] if pairs is not None else None
    takedown = Takedown.load(settings.takedown_file)
    entries = {i: e for i, u in pairs or [] if (e := takedown.entry_for(i, u)) is not None}
    taken_down = list(entries)
    if previous is not None and frame.empty and not taken_down:
        raise NothingToRelease(f"no new articles since release {previous.name}; nothing to release as {version}")
    gate = run_gate(frame, params, report_dir / "data_docs", previous_ids=previous_ids, takedown=taken_down)
    report_dir.mkdir(parents=True, exist_ok=True)
    outcome = gate.to_dict()
    (report_dir / VALIDATION_JSON).write_text(
        json.dumps(outcome, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    head = write_report(
        report_dir,
        version=version,
        rows=frame,
        total_rows=len(previous_ids or []) - len(taken_down) + len(frame),
        ledger=ledger,
        gate=outcome,
        previous=previous.name if previous is not None else None,
        previous_ids=previous_ids,
        taken_down=dict(Counter(map(str, entries.values()))),
    )
    create_markdown_artifact(
        key="release-report",
        markdown=(report_dir / REPORT_MD).read_text(encoding="utf-8"),
        description=f"aznews {version}: release report ({report_dir / REPORT_HTML})",
    )
    create_table_artifact(key="release-headline", table=[head], description=f"aznews {version}: headline numbers")
    if not gate.passed:
        raise GateFailed(gate)
    return {"warnings": gate.warnings, "rows": len(frame), "headline": head, "report": str(report_dir / REPORT_HTML)}


@task(name="publish", timeout_seconds=3600)  # never retried blindly: versions are immutable
def publish(
    deduped: str, index: str, version: str, data_dir: str, summary: dict[str, Any], force: bool, inputs: list[str]
) -> str:
    """Write the release with its dedup index, then make that index the local state."""
    settings = Settings(data_dir=Path(data_dir))
    report_dir = settings.reports_dir / version
    extra = {INDEX_NAME: Path(index)}  # the dedup index and the report travel with the release
    extra.update({name: report_dir / name for name in (REPORT_HTML, REPORT_MD, VALIDATION_JSON)})
    previous = newest_release(settings.releases_dir, before=version)
    path = write_release(
        Path(deduped),  # streamed, a batch at a time
        version,
        settings.releases_dir,
        summary=summary,
        force=force,
        extra_files=extra,
        previous=previous,
        takedown=Takedown.load(settings.takedown_file),
        inputs=inputs,
    )
    checkpoint("publish:before-state")  # crash tests: release visible, dedup state not yet saved
    stages.commit_dedup_state(Path(index), settings.state_dir)
    return str(path)


@task(name="publish-hub", timeout_seconds=6 * 3600)  # its own single, head-checked retry
def publish_hub(release_path: str, repo_id: str) -> dict[str, Any]:
    from aznews.publish.hub import publish_to_hub

    result = publish_to_hub(Path(release_path), repo_id)
    get_run_logger().info("published %s to %s: commit %s", Path(release_path).name, repo_id, result["commit"])
    return result


def _summary(ledger: Ledger, notes: dict[str, int]) -> dict[str, Any]:
    return {
        "stages": ledger.stage_counts(),
        "by_rule": ledger.by_rule(),
        "drops": [d.as_dict() for d in ledger.drops],
        "notes": notes,
    }


@flow(name="refresh", log_prints=True, task_runner=make_task_runner())
def refresh(
    version: str | None = None,
    warc: list[str] | None = None,
    data_dir: str = "data",
    registry: str | None = None,
    force: bool = False,
    batch_records: int | None = None,
    crawl: bool = False,
    publishers: list[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    max_pages: int = 1000,
    repo_id: str | None = None,
) -> dict[str, Any]:
    """Build a release: crawl (``crawl=True``: the publishers' articles between ``since`` and
    ``until``, YYYY-MM-DD) or read WARC input (the bundled sample by default), then extract,
    dedup, validate and publish locally, and to the Hub when ``repo_id`` is given (the token
    comes from HF_TOKEN or the login, never from a parameter). ``batch_records`` WARC records
    make one extract batch (default: AZNEWS_BATCH_RECORDS); batches run on the task runner."""
    logger = get_run_logger()
    settings = Settings(data_dir=Path(data_dir).resolve())
    releases = settings.releases_dir
    existing = (
        [p.name for p in releases.iterdir() if p.is_dir() and not p.name.startswith(".")] if releases.exists() else []
    )
    version = validate_version(version) if version else next_version([])
    if version in existing and not force:
        raise ReleaseExists(
            f"release {version} already exists at {releases / version}; versions are immutable. "
            f"Pass --version {next_version(existing, version)} for a re-release of it, "
            "or --force to replace this local copy."
        )
    work = settings.work_dir / version
    work.mkdir(parents=True, exist_ok=True)

    if crawl:
        if since is None and until is None:
            from flows.deployment import previous_month

            since, until = previous_month()
            logger.info("crawling the previous month: %s to %s", since, until)
        fetch(str(settings.data_dir), registry, publishers, since, until, max_pages)
        # every crawl WARC no earlier release read: this crawl's, and an earlier attempt's that crashed
        unread = unreleased_warcs(settings.raw_dir, releases, before=version)
        if not unread and not warc:
            raise NothingToRelease(f"the crawl stored no new pages; nothing to release as {version}")
        sources = [*(warc or []), *map(str, unread)]
    else:
        sources = warc or [str(sample_warc())]
    plan = read_pages(sources, batch_records or settings.batch_records)
    registry = str(Path(registry).resolve()) if registry else None
    parts = _run_batches(plan["batches"], work, registry)
    ex = stages.StageResult.from_dict(merge_extract(parts, plan["ledger"], str(work)))
    dd = dedup(str(ex.path), [p["signatures"] for p in parts], str(work), registry, version, str(settings.data_dir))
    ledger = ex.ledger.merge(Ledger.from_dict(dd["ledger"]))
    summary = _summary(ledger, {**ex.notes, **dd["notes"]})
    try:
        val = validate(dd["path"], version, str(settings.data_dir), registry, ledger.to_dict())
    except GateFailed as exc:
        logger.error("release %s blocked by the quality gate:\n%s", version, exc)
        raise
    summary["warnings"] = val["warnings"]
    summary["quality"] = val["headline"]
    summary["report"] = val["report"]
    summary["version"] = version
    path = publish(dd["path"], dd["index"], version, str(settings.data_dir), summary, force, plan["inputs"])
    summary["release_path"] = path
    summary["rows"] = read_manifest(Path(path))["rows"]  # cumulative: every article released so far
    summary["new_rows"] = val["rows"]
    summary["load"] = f'datasets.load_dataset("{path}")'
    if repo_id:
        summary["hub"] = publish_hub(path, repo_id)
        summary["load"] = f'datasets.load_dataset("{repo_id}", revision="{version}")'

    create_table_artifact(
        key="refresh-stage-counts",
        table=[{"stage": s, **c} for s, c in summary["stages"].items()],
        description=f"aznews {version}: records kept and dropped per stage",
    )
    drops_md = "\n".join(f"| {d['stage']} | {d['rule']} | {d['url']} | {d['detail']} |" for d in summary["drops"])
    create_markdown_artifact(
        key="refresh-summary",
        markdown=(
            f"# aznews {version}\n\n{summary['rows']} rows ({summary['new_rows']} new) released to `{path}`.\n\n"
            f"| stage | rule | url | detail |\n|---|---|---|---|\n{drops_md}\n"
        ),
    )
    logger.info("release %s: %d rows at %s", version, summary["rows"], path)
    return summary
