"""The ``refresh`` flow: the release sequence of ``aznews.build.build_release`` with each step a
Prefect task: fetch -> read pages (cut into batches) -> extract batches (on the task runner,
flows/runners.py) -> merge -> dedup -> validate -> publish (-> publish to the Hub).

Tasks only move file paths between library steps; the library never imports Prefect, so the same
steps run in a test, in ``aznews refresh`` without a Prefect API, or in a Dask worker.
"""

# No ``from __future__ import annotations`` here: ``aznews serve`` runs each flow run from a
# cloudpickled copy of this flow, which keeps only the globals the body names, so string
# annotations such as "Version" could not be resolved there (tests/flows/test_schedule.py).
import itertools
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from prefect import flow, get_run_logger, task, unmapped
from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.futures import as_completed
from prefect.input import RunInput
from prefect.states import Completed

from aznews import progress
from aznews.build import Deduped, PagesPlan, Published, Steps, Validated, build_release, extract_one
from aznews.ledger import IN_FLOW_PROCESS
from aznews.publish.review import Review
from aznews.request import ReleaseRequest
from aznews.validate import GateFailed
from flows.runners import make_task_runner

REVIEW_TAG = "aznews-review:{version}"  # how `aznews review V` finds the run waiting for it


class ReviewInput(RunInput):
    """A maintainer's decision on a built release (a form in the Prefect UI, or `aznews review`)."""

    decision: Literal["approve", "reject"]
    comment: str = ""
    reviewer: str | None = None


class _InTask(Steps):
    """The library steps as a task body runs them: logs to the run, the report as artifacts."""

    def info(self, message: str, *args: Any) -> None:
        get_run_logger().info(message, *args)

    def reported(self, version: str, report_md: Path, headline: dict[str, Any]) -> None:
        create_markdown_artifact(
            key="release-report",
            markdown=report_md.read_text(encoding="utf-8"),
            description=f"aznews {version}: release report ({report_md.with_suffix('.html')})",
        )
        create_table_artifact(key="release-headline", table=[headline], description=f"aznews {version}: headline")


@task(name="cc-news-file", retries=2, retry_delay_seconds=[30, 120])
def cc_news_file(url: str, out_dir: str, registry: str | None, ledger: str) -> dict[str, Any]:
    """One remote CC-NEWS WARC file, streamed and filtered; a retry resumes it from the ledger."""
    from dataclasses import asdict

    from aznews.fetch.ccnews import filter_file
    from aznews.sources import load_registry

    got = filter_file(url, Path(out_dir), load_registry(Path(registry) if registry else None), Path(ledger))
    if got.status != "done":
        raise RuntimeError(f"{url}: {got.error}")  # Prefect retries; the ledger keeps what was complete
    return asdict(got)


@task(name="fetch", retries=2, retry_delay_seconds=[60, 300], timeout_seconds=12 * 3600)
def fetch(data_dir: str, registry: str | None, publishers: list[str] | None, since: str | None,
          until: str | None, max_pages: int) -> None:  # fmt: skip
    """Crawl into WARC (network I/O only; the crawl state makes a retry resume, never refetch)."""
    logger = get_run_logger()
    pages = itertools.count(1)

    def on_page(stage: str, advance: int, total: int | None) -> None:  # called from crawler threads
        if stage == "fetch" and (n := next(pages)) % 100 == 0:
            logger.info("fetch: %d pages fetched so far", n)

    stop = progress.listen(on_page)
    try:
        _InTask().fetch(data_dir, registry, publishers, since, until, max_pages)
    finally:
        stop()


@task(name="read-pages", timeout_seconds=3600)
def read_pages(sources: list[str], batch_records: int) -> PagesPlan:
    return _InTask().read_pages(sources, batch_records)


# Deterministic, so never retried. A rerun after a crash reuses each finished batch: whether a
# batch is done is decided in one place, aznews.build.extract_one (its .done.json: the inputs as
# they are on disk, the code, and the digests of what it made), for every runner and orchestrator,
# not by Prefect's result cache. No task timeout: on Dask it could not interrupt a worker thread;
# the per-page deadline (which holds on every runner) bounds a batch instead.
@task(name="extract-batch")
def extract_batch(batch: dict[str, Any], part: str, out: str, registry: str | None) -> dict[str, Any]:
    """One batch of WARC records -> one Parquet part, and its MinHash signatures in ``out``
    (CPU-bound; runs on the task runner)."""
    return extract_one(batch, part, out, registry)


@task(name="merge-extract", timeout_seconds=3600)
def merge_extract(parts: list[dict[str, Any]], read_ledger: dict[str, Any], work: str,
                  month: dict[str, str] | None = None) -> dict[str, Any]:  # fmt: skip
    return _InTask().merge(parts, read_ledger, work, month)


@task(name="dedup", timeout_seconds=6 * 3600)
def dedup(extracted: str, signatures: list[str], work: str, registry: str | None, version: str,
          data_dir: str) -> Deduped:  # fmt: skip
    return _InTask().dedup(extracted, signatures, work, registry, version, data_dir)


@task(name="validate", timeout_seconds=3600)
def validate(deduped: str, version: str, data_dir: str, registry: str | None, ledger: dict[str, Any]) -> Validated:
    """Run every suite, write the release report (also when the gate fails), then gate."""
    return _InTask().validate(deduped, version, data_dir, registry, ledger)


@task(name="publish", timeout_seconds=3600)  # never retried blindly: versions are immutable
def publish(deduped: str, index: str, version: str, data_dir: str, summary: dict[str, Any], force: bool,
            inputs: list[str]) -> Published:  # fmt: skip
    return _InTask().publish(deduped, index, version, data_dir, summary, force, inputs)


@task(name="publish-hub", timeout_seconds=6 * 3600)  # its own single, head-checked retry
def publish_hub(release_path: str, repo_id: str) -> dict[str, Any]:
    return _InTask().publish_hub(release_path, repo_id)


def _in_flow(result: dict[str, Any]) -> dict[str, Any]:
    """A lone batch runs in the flow's process (starting a worker costs more than it saves); on a
    Dask cluster that is said in the run's notes, not left for the operator to wonder about."""
    from prefect.context import FlowRunContext

    ctx = FlowRunContext.get()
    if ctx is not None and _on_dask(ctx.task_runner):
        result = {**result, "notes": {**result.get("notes", {}), IN_FLOW_PROCESS: 1}}
    return result


def _on_dask(runner: Any) -> bool:
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError:  # the dask extra is not installed: no run is on Dask
        return False
    return isinstance(runner, DaskTaskRunner)


class PrefectSteps(_InTask):
    """Each step of the release as a Prefect task of the running flow (logging to the run)."""

    def begin(self) -> None:
        """No validator process: validation is a task of this flow, in the flow's process."""

    def fetch(self, *args: Any) -> None:
        fetch(*args)

    def read_pages(self, sources: list[str], batch_records: int) -> PagesPlan:
        return read_pages(sources, batch_records)

    def cc_news(self, data_dir: str, registry: str | None, year: int, month: int, base: str) -> str | None:
        """One task per listed file of the month on the flow's task runner (at most its workers in
        flight), with a progress artifact; files the ledger marks done are not read again."""
        from collections import Counter

        from aznews.build import _cc_news_done
        from aznews.config import Settings
        from aznews.fetch.ccnews import FileResult, add_file, plan_month

        settings = Settings(data_dir=Path(data_dir))
        ledger = settings.state_dir / "ccnews.sqlite"
        month_done, todo = plan_month(base, year, month, settings.raw_dir / "cc-news", ledger)
        artifact = create_progress_artifact(0.0, description=f"CC-NEWS {month_done.month}: files streamed")
        out_dir = str(month_done.out_dir)
        futures = cc_news_file.map(todo, unmapped(out_dir), unmapped(registry), unmapped(str(ledger)))
        for n, fut in enumerate(as_completed(futures), start=1):
            try:
                got = fut.result()
            except Exception as exc:  # after its retries: the month stops, resumable
                month_done.failed.append(str(exc))
                continue
            add_file(month_done, FileResult(**{**got, "by_publisher": Counter(got["by_publisher"])}))
            update_progress_artifact(artifact, 100.0 * n / max(1, len(todo)))
        return _cc_news_done(self, month_done)

    def extract(self, batches: list[dict[str, Any]], parts: list[str], sigs: list[str],
                registry: str | None) -> Iterator[tuple[int, dict[str, Any]]]:  # fmt: skip
        """One batch right here (no pool to start); more mapped onto the flow's task runner, with
        a progress artifact. A cached result whose files were deleted is made again."""
        if len(batches) <= 1:
            jobs = enumerate(zip(batches, parts, sigs, strict=True))
            done = ((i, _in_flow(extract_batch(*job, registry))) for i, job in jobs)
        else:
            done = self._mapped(batches, parts, sigs, registry)
        for i, result in done:
            if not (Path(result["path"]).exists() and Path(result["signatures"]).exists()):
                get_run_logger().warning("batch %d: cached output %s is gone; extracting it again", i, result["path"])
                result = extract_batch.with_options(refresh_cache=True)(batches[i], parts[i], sigs[i], registry)
            yield i, result

    @staticmethod
    def _mapped(batches: list[dict[str, Any]], parts: list[str], sigs: list[str],
                registry: str | None) -> Iterator[tuple[int, dict[str, Any]]]:  # fmt: skip
        futures = extract_batch.map(batches, parts, sigs, unmapped(registry))
        total = sum(b["records"] for b in batches)
        index = {f.task_run_id: i for i, f in enumerate(futures)}
        artifact = create_progress_artifact(0.0, description=f"extract: {len(batches)} batches, {total} WARC records")
        seen = 0
        for fut in as_completed(futures):
            result = fut.result()  # a failed batch fails the flow here, with its own error
            i = index[fut.task_run_id]
            seen += batches[i]["records"]
            update_progress_artifact(artifact, 100.0 * seen / total)
            yield i, result

    def merge(self, parts: list[dict[str, Any]], read_ledger: dict[str, Any], work: str,
              month: dict[str, str] | None = None) -> dict[str, Any]:  # fmt: skip
        return merge_extract(parts, read_ledger, work, month)

    def dedup(self, *args: Any) -> Deduped:
        return dedup(*args)

    def validate(self, *args: Any) -> Validated:
        try:
            return validate(*args)
        except GateFailed as exc:
            get_run_logger().error("release %s blocked by the quality gate:\n%s", args[1], exc)
            raise

    def publish(self, *args: Any) -> Published:
        return publish(*args)

    def publish_hub(self, release_path: str, repo_id: str) -> dict[str, Any]:
        return publish_hub(release_path, repo_id)

    def review(self, version: str, validated: Validated) -> Review:
        """Pause this flow run until a maintainer approves or rejects the release (the form in the
        Prefect UI, or `aznews review V`), at most ``review_timeout_s``; the run is tagged with the
        version so the CLI finds it, and an artifact links the report to review."""
        from prefect import get_client
        from prefect.context import get_run_context
        from prefect.exceptions import FlowPauseTimeout
        from prefect.flow_runs import pause_flow_run

        from aznews.config import Settings

        run = get_run_context().flow_run  # type: ignore[union-attr]
        tag = REVIEW_TAG.format(version=version)
        with get_client(sync_client=True) as client:
            client.update_flow_run(run.id, tags=[*run.tags, tag])
        how = (
            f"Approve or reject it in the Prefect UI (this run, 'Resume'), or:\n\n"
            f"    aznews review {version} --approve -m 'why'\n    aznews review {version} --reject -m 'why'"
        )
        create_markdown_artifact(
            key="release-review",
            markdown=f"# aznews {version} awaits review\n\nReport: `{validated.report}`\n\n"
            f"Headline: `{json.dumps(validated.headline)}`\n\n{how}\n",
            description=f"aznews {version}: built and validated, waiting for a maintainer",
        )
        timeout = Settings().review_timeout_s
        # written, not printed: the flow's log_prints would turn a print into a (hidden) log line
        sys.stderr.write(f"release {version} awaits review (report: {validated.report}).\n{how}\n")
        sys.stderr.flush()
        try:
            got = pause_flow_run(wait_for_input=ReviewInput, timeout=timeout, poll_interval=min(10, timeout))
        except FlowPauseTimeout:
            return Review(decision="timeout", comment=f"no decision within {timeout} s")
        return Review(decision=got.decision, comment=got.comment, reviewer=got.reviewer)

    def finished(self, summary: dict[str, Any]) -> None:
        version, path = summary["version"], summary["release_path"]
        create_table_artifact(
            key="refresh-stage-counts",
            table=[{"stage": s, **c} for s, c in summary["stages"].items()],
            description=f"aznews {version}: records kept and dropped per stage",
        )
        from aznews.markdown import md_cell  # crawled URLs and details, inert in the UI's Markdown

        cols = ("stage", "rule", "url", "detail")
        drops = "\n".join("| " + " | ".join(md_cell(d[k]) for k in cols) + " |" for d in summary["drops"])
        warned = "".join(f"- **warning**: {md_cell(w)}\n" for w in summary.get("warnings") or [])
        create_markdown_artifact(
            key="refresh-summary",
            markdown=(
                f"# aznews {version}\n\n{summary['rows']} rows ({summary['new_rows']} new) released to `{path}`.\n\n"
                f"{warned}\n| stage | rule | url | detail |\n|---|---|---|---|\n{drops}\n"
            ),
        )
        if outlets := summary.get("outlets"):
            create_table_artifact(
                key="outlet-health",
                table=[{**o, "dropped": ", ".join(f"{r}: {n}" for r, n in o["dropped"].items())} for o in outlets],
                description=f"aznews {version}: per outlet, pages seen, new rows and drops per rule",
            )


def _refresh(**params: Any) -> Any:
    """Build a release (``aznews.build.build_release``), each step a task of this flow; the
    summary is the run's result, and ``outcome(summary)`` its final state's message. The
    parameters are ``aznews.request.ReleaseRequest``'s fields (the UI's form, a deployment's
    parameters): ``review`` pauses after validation until a maintainer approves; ``cc_news`` takes
    the window's month of CC-NEWS, one task per remote WARC file; extract batches of
    ``batch_records`` WARC records run on the task runner."""
    summary = build_release(PrefectSteps(), ReleaseRequest(**params))
    return Completed(message=outcome(summary), data=summary)


_refresh.__signature__ = ReleaseRequest.signature()  # type: ignore[attr-defined]  # the request's fields
refresh = flow(name="refresh", log_prints=True, task_runner=make_task_runner())(_refresh)


def outcome(summary: dict[str, Any]) -> str:
    """The run's result in one line (its final state's message: what `aznews serve` prints)."""
    line = f"{summary['version']}: {summary['rows']} rows ({summary['new_rows']} new) at {summary['release_path']}"
    if hub := summary.get("hub"):
        line += f", published to {summary.get('repo_id')} ({hub.get('commit', '')[:12]})"
    if warnings := summary.get("warnings"):
        line += f"; {len(warnings)} warning(s): " + " | ".join(warnings)
    return line
