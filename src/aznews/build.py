"""One release, step after step: the single sequence every orchestrator runs.

``Steps`` runs each step in this process, the extract batches on a local pool when there is more
than one: no server to start, which is what a one-off run (the sample, a WARC on a laptop) should
pay. ``flows/refresh.py`` subclasses it so that each step is a Prefect task (retries, caching,
artifacts, the UI, Dask). The order of the steps is written only in ``build_release``, so a run
with or without Prefect builds the same release from the same input.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Iterator
from concurrent.futures import Executor, ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from aznews import __version__, progress, stages
from aznews.config import Settings
from aznews.datadir import data_dir_lock, file_digest
from aznews.dedup import stage as dedup_stage
from aznews.ledger import RUN_WARNINGS, Ledger, StageResult, describe_note
from aznews.lifeline import spawn_pool
from aznews.paths import sample_warc
from aznews.publish import (
    NothingToRelease,
    ReleaseExists,
    newest_release,
    next_version,
    read_manifest,
    unreleased_warcs,
    verify_release,
    write_release,
)
from aznews.publish.catalogue import ReleaseOutOfOrder
from aznews.publish.takedown import Takedown
from aznews.request import ReleaseRequest
from aznews.validate.failed import GateFailed
from aznews.validate.worker import start_validator, stop_validator
from aznews.versions import VERSION_RE, version_key

log = logging.getLogger("aznews")


# What the steps hand each other (plain data: a Prefect task's result may cross processes).
@dataclass(frozen=True)
class PagesPlan:
    """``read_pages``: the batches of WARC records to extract, the read stage's ledger, the inputs."""

    batches: list[dict[str, Any]]
    ledger: dict[str, Any]
    inputs: list[str]


@dataclass(frozen=True)
class Deduped:
    """``dedup``: the kept rows, the index that knows them, the stage's ledger and notes."""

    path: str
    index: str
    ledger: dict[str, Any]
    notes: dict[str, int]


@dataclass(frozen=True)
class Validated:
    """``validate`` (a passed gate): the new rows, the report and what it warns of."""

    rows: int
    warnings: list[str]
    headline: dict[str, Any]
    report: str
    outlets: list[dict[str, Any]]
    outlet_warnings: list[str]


@dataclass(frozen=True)
class Published:
    """``publish``: the release's folder, and warnings of what came after it (the state copy)."""

    path: str
    warnings: list[str]


@functools.cache
def code_fingerprint() -> str:
    """The installed aznews code (and its bundled registry), by content: the same on every worker
    that has the same code. Changed code, new cache keys."""
    root = Path(stages.__file__).parent
    h = hashlib.sha256(__version__.encode())
    for f in sorted(root.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts:
            h.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def on_disk(value: Any) -> Any:
    """``value`` with every existing absolute path replaced by [path, size, mtime, inode]: a key
    that changes when an input file changes."""
    if isinstance(value, dict):
        return {k: on_disk(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [on_disk(v) for v in value]
    if isinstance(value, str) and value.startswith("/") and Path(value).exists():
        st = Path(value).stat()
        return [value, st.st_size, st.st_mtime_ns, st.st_ino]
    return value


def extract_one(batch: dict[str, Any], part: str, out: str, registry: str | None) -> dict[str, Any]:
    """One batch of WARC records -> one Parquet part and its MinHash signatures in ``out``.

    A part finished by an earlier attempt on the same input and code is reused: beside it lies
    its result under a key of the batch's files as they are on disk, and the code, with the
    digests of the two files it made (a part changed since is made again). Paths in it are
    relative to its folder, so a copied data dir never reads the original's parts."""
    from aznews.extract import ExtractConfig
    from aznews.extract.page import robots_rules
    from aznews.fetch.warc import WarcSlice

    done = Path(part).with_suffix(".done.json")
    key = hashlib.sha256(json.dumps([code_fingerprint(), on_disk([batch, registry])]).encode()).hexdigest()
    batch = dict(batch)
    robots = batch.pop("robots", None)
    made = {"path": Path(part), "signatures": Path(out)}
    if done.exists() and all(p.exists() for p in made.values()):
        try:
            saved = json.loads(done.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            saved = {}
        if saved.get("key") == key and saved.get("digests") == {k: file_digest(p) for k, p in made.items()}:
            return {**saved["result"], **{k: str(p) for k, p in made.items()}}
    cfg = ExtractConfig(
        registry_path=Path(registry) if registry else None,
        robots=robots_rules(robots or {}),
        respect_robots=robots is not None,
    )
    result = stages.extract_batch(WarcSlice(**batch), Path(part), cfg)
    stages.sign_batch(result.path, Path(out))
    result_dict = {**result.to_dict(), "signatures": out}
    saved = {
        "key": key,
        "digests": {k: file_digest(p) for k, p in made.items()},
        "result": {**result_dict, **{k: p.name for k, p in made.items()}},
    }
    done.write_text(json.dumps(saved, ensure_ascii=False, default=str), encoding="utf-8")
    return result_dict


def _cached_robots(settings: Settings) -> dict[str, tuple[int, str]]:
    """robots.txt answers the crawler cached (any age: they are what applied when it fetched)."""
    path = settings.state_dir / "crawl.sqlite"
    if not path.exists():
        return {}
    from aznews.fetch.state import CrawlState

    state = CrawlState(path)
    try:
        return state.robots_all()
    finally:
        state.close()


def _local_pool(settings: Settings, batches: int) -> Executor:
    workers = min(settings.worker_count, batches)
    if settings.task_runner == "thread":
        return ThreadPoolExecutor(workers)
    return spawn_pool(workers)


class Steps:
    """Each step of a release, run in this process (the extract batches on a local pool)."""

    def __init__(self, settings: Settings | None = None, validator: Executor | None = None) -> None:
        """``validator``: a pool from aznews.validate.worker.start_validator, started as early
        as the caller could; by default ``begin`` starts one."""
        self.settings = settings or Settings()
        self._validator = validator

    def begin(self) -> None:
        """Start the process that validates the release (aznews.validate.worker) unless given."""
        if self._validator is None:
            self._validator = start_validator()

    def end(self) -> None:
        if self._validator is not None:
            stop_validator(self._validator)
            self._validator = None

    def info(self, message: str, *args: Any) -> None:
        log.info(message, *args)

    def fetch(self, data_dir: str, registry: str | None, publishers: list[str] | None,
              since: str | None, until: str | None, max_pages: int) -> None:  # fmt: skip
        """Crawl the publishers for the window into WARC files under data/raw (network I/O only;
        the crawl state makes a retry or a rerun resume, never refetch)."""
        from aznews.fetch import crawl_publishers, utc_day

        report, counts, files = crawl_publishers(
            Settings(data_dir=Path(data_dir)),
            registry_path=Path(registry) if registry else None,
            publisher_ids=publishers or None,
            since=utc_day(since),
            until=utc_day(until),
            max_pages=max_pages,
        )
        self.info("fetch: %d pages stored, %d WARC file(s); frontier %s", report.stored, len(files), counts)
        for url, why in sorted(report.refused_sources.items()):
            log.warning("fetch: no links from %s: %s", url, why)

    def cc_news(self, data_dir: str, registry: str | None, year: int, month: int, base: str) -> str | None:
        """Stream the month's CC-NEWS files, keeping registry-host records under
        data/raw/cc-news/YYYY/MM (resumable per file); that directory, or None when nothing matched."""
        from aznews.fetch.ccnews import fetch_month

        settings = Settings(data_dir=Path(data_dir))
        got = fetch_month(base, year, month, settings.raw_dir / "cc-news", settings.state_dir / "ccnews.sqlite",
                          registry_path=Path(registry) if registry else None,
                          workers=self.settings.worker_count)  # fmt: skip
        return _cc_news_done(self, got)

    def read_pages(self, sources: list[str], batch_records: int) -> PagesPlan:
        """Resolve the WARC inputs (files or directories of *.warc.gz) and cut them into batches
        of records; I/O only, no parsing. A corrupt WARC tail is a recorded drop, not a failure."""
        from aznews.fetch.warc import resolve_warc_inputs

        paths = resolve_warc_inputs(sources)
        batches, ledger, robots = stages.plan_extract(paths, batch_records)
        self.info("%d WARC file(s): %d batches of up to %d records", len(paths), len(batches), batch_records)
        rules: dict[str, tuple[int, str]] | None = None
        if self.settings.respect_robots:
            rules = {**_cached_robots(self.settings), **robots}  # the input's own robots.txt first
            self.info("robots.txt applied for %d host(s) (%d from the input)", len(rules), len(robots))
        return PagesPlan([{**asdict(b), "robots": rules} for b in batches], ledger.to_dict(), [p.name for p in paths])

    def extract(self, batches: list[dict[str, Any]], parts: list[str], sigs: list[str],
                registry: str | None) -> Iterator[tuple[int, dict[str, Any]]]:  # fmt: skip
        """Extract and sign every batch: (batch number, result) as each finishes. One batch runs
        right here; more go to a pool started once for the run."""
        jobs = list(enumerate(zip(batches, parts, sigs, strict=True)))
        if len(jobs) <= 1:
            yield from ((i, extract_one(*job, registry)) for i, job in jobs)
            return
        with _local_pool(self.settings, len(jobs)) as pool:
            futures = {pool.submit(extract_one, *job, registry): i for i, job in jobs}
            for fut in as_completed(futures):
                yield futures[fut], fut.result()

    def merge(self, parts: list[dict[str, Any]], read_ledger: dict[str, Any], work: str,
              month: dict[str, str] | None = None) -> dict[str, Any]:  # fmt: skip
        """Concatenate the extracted parts in batch order into one file, with one ledger; with
        ``month`` (a ``stages.MonthSlice``), only the records of that month."""
        res = stages.merge_extract(
            [StageResult.from_dict(p) for p in parts], Path(work) / "extracted.parquet",
            Ledger.from_dict(read_ledger), stages.MonthSlice(**month) if month else None,
        )  # fmt: skip
        res.save_ledger(Path(work) / "ledger-extract.json")
        self.info("extract: %s", res.ledger.stage_counts())
        return res.to_dict()

    def dedup(self, extracted: str, signatures: list[str], work: str, registry: str | None,
              version: str, data_dir: str) -> Deduped:  # fmt: skip
        settings = Settings(data_dir=Path(data_dir))
        res = dedup_stage.run_dedup(
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
        self.info("dedup index: %s; %s", res.index_source, dict(res.notes))
        index = Path(work) / dedup_stage.INDEX_NAME
        return Deduped(str(res.path), str(index), res.ledger.to_dict(), dict(res.notes))

    def validate(self, deduped: str, version: str, data_dir: str, registry: str | None,
                 ledger: dict[str, Any]) -> Validated:  # fmt: skip
        """Run every suite, write the release report (also when the gate fails), then gate."""
        from aznews.validate.stage import validate_release

        args = (Path(deduped), version, Settings(data_dir=Path(data_dir)), registry, ledger)
        out = self._validator.submit(validate_release, *args).result() if self._validator else validate_release(*args)
        self.reported(version, Path(out["report_md"]), out["headline"])
        if not out["passed"]:
            raise GateFailed(out["failure"])
        return Validated(out["rows"], out["warnings"], out["headline"], out["report"], out["outlets"],
                         out["outlet_warnings"])  # fmt: skip

    def reported(self, version: str, report_md: Path, headline: dict[str, Any]) -> None:
        """Hook: the release report is written (Prefect shows it as an artifact)."""

    def publish(self, deduped: str, index: str, version: str, data_dir: str, summary: dict[str, Any],
                force: bool, inputs: list[str]) -> Published:  # fmt: skip
        """Write the release with its dedup index, then make that index the local state: the
        release's path, and warnings (the release is complete even if the state copy fails)."""
        from aznews.faults import checkpoint
        from aznews.validate import REPORT_HTML, REPORT_MD, VALIDATION_JSON

        settings = Settings(data_dir=Path(data_dir))
        report_dir = settings.reports_dir / version
        extra = {dedup_stage.INDEX_NAME: Path(index)}  # the dedup index and the report travel with the release
        extra.update({name: report_dir / name for name in (REPORT_HTML, REPORT_MD, VALIDATION_JSON)})
        path = write_release(
            Path(deduped),  # streamed, a batch at a time
            version,
            settings.releases_dir,
            summary=summary,
            force=force,
            extra_files=extra,
            previous=newest_release(settings.releases_dir, before=version),
            takedown=Takedown.load(settings.takedown_file),
            inputs=inputs,
            repo_id=summary.get("repo_id"),  # the card names the repository it will be published to
        )
        checkpoint("publish:before-state")  # crash tests: release visible, dedup state not yet saved
        try:
            dedup_stage.commit_dedup_state(Path(index), settings.state_dir)
        except OSError as exc:  # a full disk, say: the release stands, and carries its own copy
            copy = (path / "meta" / dedup_stage.INDEX_NAME).relative_to(settings.data_dir)
            warning = (f"release {version} is complete, but its dedup index could not be saved as the local "
                       f"state ({exc}); the next run rebuilds the state from {copy}")  # fmt: skip
            log.warning(warning)
            return Published(str(path), [warning])
        return Published(str(path), [])

    def review(self, version: str, validated: Validated) -> Any:
        """Wait for a maintainer's decision on the built, validated release (a ``Review``). Only a
        Prefect flow run can wait (paused, for an input from the UI or ``aznews review``)."""
        raise RuntimeError("a review needs a Prefect API: run with --orchestrator prefect (or PREFECT_API_URL set)")

    def publish_hub(self, release_path: str, repo_id: str) -> dict[str, Any]:
        from aznews.publish.hub import publish_to_hub

        result = publish_to_hub(Path(release_path), repo_id)
        self.info("published %s to %s: commit %s", Path(release_path).name, repo_id, result["commit"])
        return result

    def finished(self, summary: dict[str, Any]) -> None:
        """Hook: the release is built (Prefect shows the stage counts and drops as artifacts)."""


def _cc_news_done(steps: Steps, got: Any) -> str | None:
    """Log a month of CC-NEWS (a ``MonthResult``); fail (to be resumed) if a file failed; the
    directory of kept records, or None when nothing matched."""
    out_dir = got.kept_dir()
    steps.info("CC-NEWS %s", got.describe())
    for pub, n in got.by_publisher.items():
        progress.report(f"kept {pub}", n)  # matches per outlet, in the CLI's progress
    progress.report("streamed MB", round(got.mb_read))
    return str(out_dir) if out_dir is not None else None


def _extract_all(steps: Steps, batches: list[dict[str, Any]], work: Path, registry: str | None) -> list[dict]:
    """Every batch's result in batch order, whatever order they finish in, with progress."""
    parts = [str(stages.part_path(work, i)) for i in range(len(batches))]
    sigs = [str(stages.part_path(work, i, "minhash")) for i in range(len(batches))]
    stages.part_path(work, 0).parent.mkdir(parents=True, exist_ok=True)
    total = sum(b["records"] for b in batches)
    done: list[dict[str, Any] | None] = [None] * len(batches)
    seen = 0
    for finished, (i, result) in enumerate(steps.extract(batches, parts, sigs, registry), start=1):
        done[i] = result
        seen += batches[i]["records"]
        progress.report("extract", batches[i]["records"], total)
        if finished == len(batches) or finished % max(1, len(batches) // 10) == 0:
            steps.info("extract: %d/%d batches, %d/%d records", finished, len(batches), seen, total)
    return [d for d in done if d is not None]


def build_release(steps: Steps, request: ReleaseRequest) -> dict[str, Any]:
    """Build the release ``request`` asks for (``aznews.request.ReleaseRequest``): crawl, a month
    of CC-NEWS or WARC input, then extract, dedup, validate and publish locally, and to the Hub
    when it names a repository. With ``review``, the validated release waits for a maintainer's
    decision before anything is published; a rejection or no decision in time publishes nothing
    (ReviewRejected). With ``backfill`` ([first day, end day] of the backfill this month is one
    of), WARC input is sliced by month (``stages.MonthSlice``) and extracted once for all months."""
    r = request.resolved()  # paths absolute once, here; every step takes them from it
    since, until, warc, registry = r.since, r.until, r.warc, r.registry
    with data_dir_lock(Path(r.data_dir)):  # one writer per data dir, for the whole release
        settings = Settings(data_dir=Path(r.data_dir))
        # --data-dir is the only root: the steps read state (the crawler's robots cache) from it too
        steps.settings = steps.settings.model_copy(update={"data_dir": settings.data_dir})
        releases = settings.releases_dir
        existing = (
            [p.name for p in releases.iterdir() if p.is_dir() and not p.name.startswith(".")]
            if releases.exists()
            else []
        )
        # named after the month of news it adds: the window's, by default the month just ended
        version = r.version or next_version([], since[:7].replace("-", ".") if since else None)
        if newer := sorted((v for v in existing if VERSION_RE.match(v) and version_key(v) > version_key(version)),
                           key=version_key):  # fmt: skip
            raise ReleaseOutOfOrder(
                f"release {newer[-1]} exists, newer than {version}: each release is built on the one before, so "
                f"{version} would be missing from {', '.join(newer)}. Release these articles as "
                f"{next_version(existing, newer[-1])} instead"
            )
        if version in existing and not r.force:
            raise ReleaseExists(
                f"release {version} already exists at {releases / version}; versions are immutable. "
                f"Pass --version {next_version(existing, version)} for a re-release of it, "
                "or --force to replace this local copy."
            )
        from aznews.sources import load_registry

        registry_problems = load_registry(registry).problems  # a bad registry fails here, before any work
        if (previous := newest_release(releases, before=version)) is not None:
            verify_release(previous)  # built on as written, not as its manifest claims: checked before any work
        work = settings.work_dir / version
        work.mkdir(parents=True, exist_ok=True)
        steps.begin()
        try:
            if r.crawl and not r.cc_news:
                if since is None and until is None:
                    from aznews.clock import previous_month

                    since, until = previous_month()
                    steps.info("crawling the previous month: %s to %s", since, until)
                steps.fetch(str(settings.data_dir), registry, r.publishers, since, until, r.max_pages)
                # every crawl WARC no earlier release read: this crawl's, and an earlier attempt's that crashed
                unread = unreleased_warcs(settings.raw_dir, releases, before=version)
                if not unread and not warc:
                    raise NothingToRelease(f"the crawl stored no new pages; nothing to release as {version}")
                sources = [*(warc or []), *map(str, unread)]
            elif r.cc_news:
                if since is None:
                    from aznews.clock import previous_month

                    since, until = previous_month()
                year, month = map(int, since.split("-")[:2])
                base = r.cc_news_base or settings.cc_news_base
                got = steps.cc_news(str(settings.data_dir), registry, year, month, base)
                if got is None and not warc:
                    raise NothingToRelease(f"no registry host in CC-NEWS {year}-{month:02d}; nothing to release")
                sources = [*(warc or []), *([got] if got else [])]
            else:
                sources = warc or [str(sample_warc())]
            plan = steps.read_pages(sources, r.batch_records or settings.batch_records)
            month, parts_dir, read_ledger = None, work, plan.ledger
            if r.backfill and warc and not r.crawl and not r.cc_news and since and until:
                month = {"since": since, "until": until, "first": r.backfill[0], "end": r.backfill[1]}
                # every month reads the same input: its parts are made once, in a folder of their own
                parts_dir = settings.work_dir / f"backfill-{r.backfill[0]}-{r.backfill[1]}"
                read_ledger = read_ledger if since == r.backfill[0] else {}  # unreadable records: said once
            parts = _extract_all(steps, plan.batches, parts_dir, registry)
            ex = StageResult.from_dict(steps.merge(parts, read_ledger, str(work), month))
            if month and not sum(n for (stage, _), n in ex.ledger.kept.items() if stage == "extract"):
                raise NothingToRelease(f"no article of the input is dated {since[:7]}; nothing to release as {version}")
            dd = steps.dedup(str(ex.path), [p["signatures"] for p in parts], str(work), registry, version,
                             str(settings.data_dir))  # fmt: skip
            ledger = ex.ledger.merge(Ledger.from_dict(dd.ledger))
            summary: dict[str, Any] = {
                "stages": ledger.stage_counts(),
                "by_rule": ledger.by_rule(),
                "drops": [d.as_dict() for d in ledger.drops],
                "notes": {**ex.notes, **dd.notes},
            }
            try:
                val = steps.validate(dd.path, version, str(settings.data_dir), registry, ledger.to_dict())
            except GateFailed as exc:  # the CLI shows what was kept and dropped beside the failure
                raise GateFailed(str(exc), {**summary, "version": version}) from None
            run_warnings = [describe_note(k, n) for k, n in summary["notes"].items() if k in RUN_WARNINGS and n]
            summary.update(warnings=[*registry_problems, *run_warnings, *val.warnings], quality=val.headline,
                           report=val.report, version=version, outlets=val.outlets,
                           outlet_warnings=val.outlet_warnings)  # fmt: skip
            if r.repo_id:
                summary["repo_id"] = r.repo_id
            if r.review:
                from aznews.publish.review import record_review, rejection

                decision = steps.review(version, val)
                record_review(settings.reports_dir / version, version, decision)
                if not decision.approved:
                    raise rejection(version, decision)
                summary["review"] = decision.changelog_entry()  # into the release's changelog
            published = steps.publish(dd.path, dd.index, version, str(settings.data_dir), summary, r.force,
                                      plan.inputs)  # fmt: skip
            path = summary["release_path"] = published.path
            summary["warnings"] += published.warnings
            summary["rows"] = read_manifest(Path(path))["rows"]  # cumulative: every article released so far
            summary["new_rows"] = val.rows
            summary["load"] = f'datasets.load_dataset("{path}")'
            if r.repo_id:
                summary["hub"] = steps.publish_hub(path, r.repo_id)
                summary["load"] = f'datasets.load_dataset("{r.repo_id}", revision="{version}")'
            steps.finished(summary)
            steps.info("release %s: %d rows at %s", version, summary["rows"], path)
            return summary
        finally:
            steps.end()
