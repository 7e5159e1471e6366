"""Building releases: ``refresh``, ``serve`` (the monthly schedule), ``backfill`` and ``review``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from aznews.cli.common import (
    DataDirOpt,
    FlowsMissing,
    Orchestrator,
    OrchestratorOpt,
    RegistryOpt,
    Runner,
    VerboseOpt,
    announce_api,
    app,
    console,
    fail,
    live_progress,
    make_request,
    make_settings,
    need_flows,
    prefect_configured,
    quiet_prefect,
    value,
    version_arg,
    warc_args,
)


@contextmanager
def _release_builder(settings: Any) -> Iterator[Callable[[Any], dict[str, Any]]]:
    """A function that builds the release a ``ReleaseRequest`` asks for, as ``settings.orchestrator``
    says: the refresh flow on a Prefect API (the configured one, or one temporary server for the
    whole command), or the same steps right here (aznews.build), which starts no server at all."""
    prefect = settings.orchestrator == "prefect" or (
        settings.orchestrator == "auto" and (settings.task_runner == "dask" or prefect_configured())
    )
    if not prefect:
        from aznews.validate.worker import start_validator

        validator = start_validator()  # first: it imports GX while this process imports the rest
        from aznews.build import Steps, build_release

        steps = Steps(settings, validator)
        yield lambda request: build_release(steps, request)
        return
    need_flows()
    from flows.api import prefect_api
    from flows.refresh import refresh as refresh_flow
    from flows.runners import make_task_runner

    with prefect_api(on_start=announce_api):
        flow = refresh_flow.with_options(task_runner=make_task_runner(settings))
        yield lambda request: flow(**request.model_dump())


DROP_GROUPS = 30  # the console shows this many (stage, rule, publisher) groups; the report has every drop


def _print_stages(summary: dict[str, Any]) -> None:
    """Records kept and dropped per stage, and the drops grouped by stage, rule and publisher."""
    table = Table(title=f"aznews {summary['version']}: records per stage")
    for col in ("stage", "kept", "dropped"):
        table.add_column(col, justify="right" if col != "stage" else "left")
    for stage, c in summary["stages"].items():
        table.add_row(stage, str(c["kept"]), str(c["dropped"]))
    console.print(table)
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for d in summary.get("drops") or []:
        groups.setdefault((d["stage"], d["rule"], d["publisher"] or "-"), []).append(d)
    if not groups:
        return
    drops = Table(title="dropped, and why")
    for col in ("stage", "rule", "publisher", "pages", "for example"):
        drops.add_column(col, overflow="fold", justify="right" if col == "pages" else "left")
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    for (stage, rule, pub), items in ordered[:DROP_GROUPS]:
        example = f"{items[0]['url']}: {items[0]['detail']}"
        drops.add_row(*(escape(str(v)) for v in (stage, rule, pub, len(items), example)))
    console.print(drops)
    if len(ordered) > DROP_GROUPS:
        rest = sum(len(items) for _, items in ordered[DROP_GROUPS:])
        console.print(f"... {len(ordered) - DROP_GROUPS} more groups ({rest} pages); every drop is in the report")


def _print_summary(summary: dict[str, Any]) -> None:
    _print_stages(summary)
    from aznews.ledger import RUN_WARNINGS, describe_note

    for note, n in (summary.get("notes") or {}).items():
        if note not in RUN_WARNINGS:  # those are among the warnings below
            console.print(f"note: {escape(describe_note(note, n))}", highlight=False)
    for w in summary.get("warnings") or []:
        console.print(f"[yellow]warning:[/yellow] {escape(str(w))}", highlight=False)
    console.print(f"\n[bold green]{summary['rows']} rows[/bold green] released to {summary['release_path']}")
    if summary.get("report"):
        console.print(f"Release report: {summary['report']}", soft_wrap=True, highlight=False)
    console.print("Load it with:\n")
    console.print(f"    import datasets; ds = {summary['load']}", soft_wrap=True, highlight=False)


@app.command()
def refresh(
    version: Annotated[
        str | None, typer.Option(help="Release version YYYY.MM[.N]; default: this month.", callback=version_arg)
    ] = None,
    warc: Annotated[
        list[Path] | None,
        typer.Option(help="WARC file or directory (repeatable); default: the bundled sample.", callback=warc_args),
    ] = None,
    data_dir: DataDirOpt = Path("data"),
    registry: RegistryOpt = None,
    force: Annotated[bool, typer.Option(help="Replace an existing local release of the same version.")] = False,
    runner: Annotated[Runner | None, typer.Option(help="Task runner for extract/MinHash (AZNEWS_TASK_RUNNER).")] = None,
    workers: Annotated[int | None, typer.Option(help="Pool or local Dask workers; 0: one per CPU.")] = None,
    dask_address: Annotated[str | None, typer.Option(help="An existing Dask scheduler, tcp://host:8786.")] = None,
    crawl: Annotated[
        bool, typer.Option("--crawl", help="Crawl the publishers first and release what no release has read.")
    ] = False,
    since: Annotated[str | None, typer.Option(help="With --crawl: from this day (YYYY-MM-DD).")] = None,
    until: Annotated[
        str | None, typer.Option(help="With --crawl: before this day; default window: last month.")
    ] = None,
    publisher: Annotated[list[str] | None, typer.Option(help="With --crawl: registry id (repeatable).")] = None,
    max_pages: Annotated[int, typer.Option(help="With --crawl: page cap per publisher.")] = 1000,
    orchestrator: OrchestratorOpt = None,
    review: Annotated[
        bool,
        typer.Option(
            "--review", help="Wait for a maintainer's `aznews review V` (or the Prefect UI) before publishing."
        ),
    ] = False,
    verbose: VerboseOpt = False,
) -> None:
    """Build a release: [crawl ->] pages -> extract -> dedup -> validate [-> review] -> publish (local)."""
    request = make_request(version=version, warc=[str(w) for w in warc] if warc else None, data_dir=str(data_dir),
                       registry=str(registry) if registry else None, force=force, crawl=crawl, since=since,
                       until=until, publishers=publisher or None, max_pages=max_pages, review=review)  # fmt: skip
    if review and orchestrator == Orchestrator.local:
        raise fail("bad option", "--review waits in a Prefect flow run; it cannot run with --orchestrator local", 2)
    quiet_prefect(verbose)
    settings = make_settings(task_runner=value(runner), workers=workers, dask_address=dask_address,
                         orchestrator="prefect" if review else value(orchestrator))  # fmt: skip
    with live_progress() as bar:
        try:
            with _release_builder(settings) as build:
                summary = build(request)
        except Exception as exc:
            bar.stop()
            if verbose:
                raise
            from aznews.validate.failed import GateFailed

            if isinstance(exc, GateFailed) and exc.summary:
                _print_stages(exc.summary)  # what was kept and dropped before the gate stopped it
            raise fail("refresh failed", exc) from None
    _print_summary(summary)


@app.command()
def serve(
    repo_id: Annotated[
        str | None, typer.Option("--repo-id", help="Also publish each release to this Hub repo.")
    ] = None,
    data_dir: DataDirOpt = Path("data"),
    verbose: VerboseOpt = False,
) -> None:
    """Serve the monthly schedule in this process as deployment refresh/monthly-refresh-serve (no
    Prefect server or worker needed: without PREFECT_API_URL it runs one API server of its own,
    with the scheduler). Each run's start and outcome is printed here."""
    quiet_prefect(verbose)
    try:
        need_flows()
    except FlowsMissing as exc:
        raise fail("serve failed", exc) from None
    from flows.api import PrefectApiError, prefect_api
    from flows.deployment import FLOW, PARAMETERS, SERVE_NAME, schedule, scheduled_elsewhere
    from flows.refresh import refresh as refresh_flow
    from flows.watch import watch_runs

    params = {**PARAMETERS, "repo_id": repo_id, "data_dir": str(data_dir.resolve())}
    try:
        with prefect_api(services=True, on_start=announce_api):
            if other := scheduled_elsewhere():
                raise fail("serve refused", other)
            console.print(
                f"serving {FLOW}/{SERVE_NAME}: cron {schedule().cron} ({schedule().timezone}); Ctrl-C stops. "
                f"Run it now with: prefect deployment run '{FLOW}/{SERVE_NAME}' --param version=YYYY.MM",
                highlight=False, soft_wrap=True,
            )  # fmt: skip

            def say(line: str) -> None:
                console.print(escape(line), highlight=False, soft_wrap=True)

            with watch_runs(FLOW, SERVE_NAME, say):
                refresh_flow.serve(
                    name=SERVE_NAME, schedules=[schedule()], parameters=params, pause_on_shutdown=False,
                    print_starting_message=False, limit=1,  # one run at a time on one data dir
                )  # fmt: skip
    except PrefectApiError as exc:
        raise fail("serve failed", exc) from None


@app.command()
def backfill(
    start: Annotated[str, typer.Option("--from", help="First month, YYYY-MM.")],
    end: Annotated[str, typer.Option("--to", help="Last month, YYYY-MM.")],
    warc: Annotated[
        list[Path] | None, typer.Option(help="Read these WARC inputs instead of crawling.", callback=warc_args)
    ] = None,
    cc_news: Annotated[
        bool, typer.Option("--cc-news", help="Stream each month's CC-NEWS WARC files, keeping registry hosts only.")
    ] = False,
    cc_news_base: Annotated[
        str | None, typer.Option(help="CC-NEWS base URL or directory (AZNEWS_CC_NEWS_BASE).")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="With --cc-news: source files streamed at once (default: one per CPU).")
    ] = None,
    one_release: Annotated[
        bool,
        typer.Option("--one-release", help="With --cc-news: stream every month, then one release (the last month's)."),
    ] = False,
    data_dir: DataDirOpt = Path("data"),
    registry: RegistryOpt = None,
    orchestrator: OrchestratorOpt = None,
    verbose: VerboseOpt = False,
) -> None:
    """One refresh per month, oldest first (crawling each month's window unless --warc or
    --cc-news is given).

    Months already released are skipped, so an interrupted backfill resumes where it stopped;
    a month with nothing new is skipped too. With --cc-news, each month's CC-NEWS files are
    streamed (never stored whole), the records of registry hosts kept under data/raw/cc-news/,
    and a killed backfill resumes each file where it stopped (a finished file is never read again).
    """
    if cc_news and warc:
        raise fail("bad option", "give --cc-news or --warc, not both", 2)
    if one_release and not cc_news:
        raise fail("bad option", "--one-release goes with --cc-news", 2)
    quiet_prefect(verbose)
    from aznews.clock import months

    try:
        plan = months(start, end)
    except ValueError as exc:
        raise fail("bad option", exc, 2) from None
    settings = make_settings(orchestrator=value(orchestrator), data_dir=data_dir, workers=workers)
    from aznews.publish import NothingToRelease, ReleaseExists
    from aznews.publish.catalogue import ReleaseOutOfOrder

    # WARC input spans the whole range: each month's release takes the records dated in it
    sliced = {"backfill": [plan[0][1], plan[-1][2]]} if warc else {}

    def one(build: Callable[[Any], dict[str, Any]], version: str, since: str, until: str) -> None:
        inputs = [str(w) for w in warc] if warc else None
        if cc_news and (settings.releases_dir / version).exists():  # before streaming anything
            console.print(f"{version}: already released, skipped")
            return
        request = make_request(version=version, data_dir=str(data_dir), registry=str(registry) if registry else None,
                           warc=inputs, crawl=not inputs and not cc_news, since=since, until=until, **sliced,
                           cc_news=cc_news, cc_news_base=cc_news_base if cc_news else None)  # fmt: skip
        try:
            summary = build(request)
        except ReleaseExists:
            console.print(f"{version}: already released, skipped")
        except ReleaseOutOfOrder as exc:  # a month before a release made since: releases go in order
            console.print(f"{version}: not built, skipped ({escape(str(exc).split(':')[0])})", highlight=False)
        except NothingToRelease as exc:
            console.print(f"{version}: {escape(str(exc))}, skipped", highlight=False)
        else:
            rows = f"{summary['rows']} rows ({summary['new_rows']} new)"
            console.print(f"{version}: {rows} at {summary['release_path']}", highlight=False)

    current = plan[0][0]
    from aznews.datadir import data_dir_lock

    try:
        with data_dir_lock(data_dir):  # the whole backfill, every month of it
            if one_release:  # every month streamed first (resumable), then the whole range as one release
                from aznews.fetch.ccnews import fetch_month

                dirs = []
                with live_progress():
                    for current, _, _ in plan:
                        year, month = map(int, current.split("."))
                        got = fetch_month(cc_news_base or settings.cc_news_base, year, month,
                                          settings.raw_dir / "cc-news", settings.state_dir / "ccnews.sqlite",
                                          registry_path=registry,
                                          workers=settings.worker_count)  # fmt: skip
                        out_dir = got.kept_dir()
                        console.print(f"{current}: CC-NEWS {got.describe()}", highlight=False)
                        if out_dir is not None:
                            dirs.append(out_dir)
                if not dirs:
                    raise RuntimeError("no registry host in CC-NEWS for the whole range")
                warc, cc_news = dirs, False  # one() now reads them as WARC input
                plan = plan[-1:]
            with live_progress(), _release_builder(settings) as build:
                for current, since, until in plan:
                    one(build, current, since, until)
    except Exception as exc:
        if verbose:
            raise
        raise fail(f"backfill stopped at {current}", exc) from None


@app.command()
def review(
    version: Annotated[str, typer.Argument(help="The release version waiting for review.", callback=version_arg)],
    approve: Annotated[bool, typer.Option("--approve", help="Ship it.")] = False,
    reject: Annotated[bool, typer.Option("--reject", help="Publish nothing.")] = False,
    message: Annotated[str, typer.Option("--message", "-m", help="Why (goes into the changelog).")] = "",
    reviewer: Annotated[str | None, typer.Option(help="Your name, for the changelog.")] = None,
    verbose: VerboseOpt = False,
) -> None:
    """Approve or reject a release whose refresh run waits for review (on the configured Prefect API)."""
    if approve == reject:
        raise fail("bad option", "give exactly one of --approve or --reject", 2)
    if not prefect_configured():
        raise fail("review failed", "no Prefect API configured: set PREFECT_API_URL to the server the run uses")
    quiet_prefect(verbose)
    try:
        need_flows()
    except FlowsMissing as exc:
        raise fail("review failed", exc) from None
    from flows.review import ReviewNotFound, decide

    try:
        run = decide(version, "approve" if approve else "reject", message, reviewer)
    except ReviewNotFound as exc:
        raise fail("review failed", exc) from None
    verb = "approved" if approve else "rejected"
    console.print(f"release {escape(version)} {verb}; run {escape(run)} resumes", highlight=False)
