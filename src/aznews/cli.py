"""The ``aznews`` command line."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

app = typer.Typer(help="Build and publish the open corpus of Azerbaijani news.", no_args_is_help=True)
# Off a terminal (a log file, a service's journal) lines are never wrapped: a table row or a commit
# id split over two lines cannot be grepped. On a terminal, the terminal's width.
console = Console(width=None if Console().is_terminal else 100_000)

RegistryOpt = Annotated[Path | None, typer.Option("--registry", help="Publisher registry file (YAML).")]
DataDirOpt = Annotated[Path, typer.Option("--data-dir", help="Runtime data directory.")]


def _quiet_prefect(verbose: bool = False) -> None:
    """Prefect's own run logs (and the tracebacks of a failed run) and the libraries' logs only
    with ``--verbose``: the CLI prints every failure as one line of its own."""
    import logging

    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "CRITICAL")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")  # Prefect's client telemetry (it would try DNS on every run)
    os.environ.setdefault("TQDM_DISABLE", "1")  # GX metric progress bars
    if not console.is_terminal:  # huggingface_hub's upload bars would be cursor escapes in a log
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    if verbose:
        os.environ["AZNEWS_VERBOSE"] = "1"  # read by the processes a run starts (the validator)
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    else:  # a page trafilatura could not use is a recorded drop, counted in the summary (aznews.logs)
        logging.getLogger("great_expectations").setLevel(logging.ERROR)
    from aznews.logs import count_library_warnings

    count_library_warnings()


def _prefect_configured() -> bool:
    """Whether a Prefect API is configured: PREFECT_API_URL, or one in the active Prefect profile
    (read from profiles.toml without importing Prefect, which alone costs seconds)."""
    import tomllib

    if os.environ.get("PREFECT_API_URL"):
        return True
    home = Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser()
    path = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml")
    try:
        profiles = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    active = os.environ.get("PREFECT_PROFILE") or profiles.get("active") or ""
    return bool(profiles.get("profiles", {}).get(active, {}).get("PREFECT_API_URL"))


@contextmanager
def _release_builder(settings: Any) -> Iterator[Callable[[Any], dict[str, Any]]]:
    """A function that builds the release a ``ReleaseRequest`` asks for, as ``settings.orchestrator``
    says: the refresh flow on a Prefect API (the configured one, or one temporary server for the
    whole command), or the same steps right here (aznews.pipeline), which starts no server at all."""
    prefect = settings.orchestrator == "prefect" or (
        settings.orchestrator == "auto" and (settings.task_runner == "dask" or _prefect_configured())
    )
    if not prefect:
        from aznews.validate.worker import start_validator

        validator = start_validator()  # first: it imports GX while this process imports the rest
        from aznews.pipeline import Steps, build_release

        steps = Steps(settings, validator)
        yield lambda request: build_release(steps, request)
        return
    from flows.api import prefect_api
    from flows.refresh import refresh as refresh_flow
    from flows.runners import make_task_runner

    with prefect_api(on_start=_announce_api):
        flow = refresh_flow.with_options(task_runner=make_task_runner(settings))
        yield lambda request: flow(**request.model_dump())


def _request(**fields: Any) -> Any:
    """The ``ReleaseRequest`` the options make; one that is not valid (a bad day, say) fails here,
    in one line, before anything starts."""
    from pydantic import ValidationError

    from aznews.request import ReleaseRequest

    try:
        return ReleaseRequest(**fields)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise _fail("bad option", f"{where}: {err['msg'].removeprefix('Value error, ')}", 2) from None


def _settings(**overrides: Any) -> Any:
    """Settings from the environment with the options given on the command line."""
    from pydantic import ValidationError

    from aznews.config import Settings

    try:
        settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        errors = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise _fail("bad option", errors, 2) from None
    if settings.task_runner == "dask":
        import importlib.util

        if importlib.util.find_spec("prefect_dask") is None:  # before any server or flow starts
            raise _fail("bad option", "the dask runner needs the dask extra: pip install 'aznews[dask]'", 2)
    return settings


def _fail(what: str, exc: BaseException | str, code: int = 1) -> typer.Exit:
    """Print one line naming the failure (crawled text and rich markup escaped); the exit to raise."""
    text = exc if isinstance(exc, str) else (str(exc) or type(exc).__name__)
    console.print(f"[bold red]{escape(what)}:[/bold red] {escape(text)}", soft_wrap=True, highlight=False)
    return typer.Exit(code)


def _version_arg(value: str | None) -> str | None:
    from aznews.versions import validate_version  # not aznews.publish: the validator starts first

    try:
        return validate_version(value) if value is not None else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _warc_args(value: list[Path] | None) -> list[Path] | None:
    """Every --warc input exists and holds WARC records, checked before any flow starts."""
    from aznews.fetch.warc import WarcInputError, check_warc_input

    for path in value or []:
        try:
            check_warc_input(path)
        except WarcInputError as exc:
            raise typer.BadParameter(str(exc)) from None
    return value


def _announce_api(url: str) -> None:
    console.print(f"starting a temporary Prefect API at {url}", highlight=False)


class _Lines:
    """Progress where no terminal shows bars (a log file, CI, systemd): a line per stage at most
    every ``every`` seconds, and when a stage with a known total completes."""

    def __init__(self, every: float = 10.0) -> None:
        self.every, self.last, self.done, self.totals = every, {}, Counter(), {}

    def __call__(self, stage: str, advance: int, total: int | None) -> None:
        import time

        if total and stage in self.totals and self.done[stage] >= self.totals[stage]:
            self.done[stage] = 0  # the stage runs again (the next month of a backfill): count afresh
        self.done[stage] += advance
        if total:
            self.totals[stage] = total
        total = self.totals.get(stage)
        now = time.monotonic()
        finished = total is not None and self.done[stage] >= total
        if finished or now - self.last.get(stage, -self.every) >= self.every:
            self.last[stage] = now
            console.print(f"{stage}: {self.done[stage]}" + (f"/{total}" if total else ""), highlight=False)

    def stop(self) -> None:
        pass


@contextmanager
def _live_progress() -> Iterator[Any]:
    """Show what the run reports (aznews.progress): rich bars on a terminal, else plain lines. The
    crawl reports ``queued`` (new URLs in the frontier) and ``fetch`` (pages fetched), whose bar
    grows with the frontier."""
    from aznews import progress

    if not console.is_terminal:
        lines = _Lines()
        stop = progress.listen(lines)
        try:
            yield lines
        finally:
            stop()
        return
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True,
    ) as bar:  # fmt: skip
        tasks: dict[str, Any] = {}
        queued = 0

        def on_progress(stage: str, advance: int, total: int | None) -> None:
            nonlocal queued
            if stage == "queued":  # the crawl frontier: the fetch bar's total
                queued += advance
                stage, advance, total = "fetch", 0, queued
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            elif total and next(t for t in bar.tasks if t.id == tasks[stage]).finished:
                bar.reset(tasks[stage], total=total)  # the stage runs again (the next month of a backfill)
            bar.update(tasks[stage], advance=advance, total=total)

        stop = progress.listen(on_progress)
        try:
            yield bar
        finally:
            stop()


VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's and the libraries' logs.")]


class Runner(StrEnum):
    """Where extract/MinHash batches run (AZNEWS_TASK_RUNNER)."""

    thread = "thread"
    process = "process"
    dask = "dask"


class Orchestrator(StrEnum):
    """Who runs the steps (AZNEWS_ORCHESTRATOR)."""

    auto = "auto"
    local = "local"
    prefect = "prefect"


def _value(choice: Enum | None) -> str | None:
    return None if choice is None else choice.value


OrchestratorOpt = Annotated[
    Orchestrator | None,
    typer.Option(
        help="local (in this process, no server), prefect (a Prefect flow run) or auto: prefect when a "
        "Prefect API is configured or the runner is dask (AZNEWS_ORCHESTRATOR)."
    ),
]


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
        str | None, typer.Option(help="Release version YYYY.MM[.N]; default: this month.", callback=_version_arg)
    ] = None,
    warc: Annotated[
        list[Path] | None,
        typer.Option(help="WARC file or directory (repeatable); default: the bundled sample.", callback=_warc_args),
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
    request = _request(version=version, warc=[str(w) for w in warc] if warc else None, data_dir=str(data_dir),
                       registry=str(registry) if registry else None, force=force, crawl=crawl, since=since,
                       until=until, publishers=publisher or None, max_pages=max_pages, review=review)  # fmt: skip
    if review and orchestrator == Orchestrator.local:
        raise _fail("bad option", "--review waits in a Prefect flow run; it cannot run with --orchestrator local", 2)
    _quiet_prefect(verbose)
    settings = _settings(task_runner=_value(runner), workers=workers, dask_address=dask_address,
                         orchestrator="prefect" if review else _value(orchestrator))  # fmt: skip
    with _live_progress() as bar:
        try:
            with _release_builder(settings) as build:
                summary = build(request)
        except Exception as exc:
            bar.stop()
            if verbose:
                raise
            if isinstance(getattr(exc, "summary", None), dict):
                _print_stages(exc.summary)  # what was kept and dropped before the failure
            raise _fail("refresh failed", exc) from None
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
    _quiet_prefect(verbose)
    from flows.api import PrefectApiError, prefect_api
    from flows.deployment import FLOW, PARAMETERS, SERVE_NAME, schedule, scheduled_elsewhere
    from flows.refresh import refresh as refresh_flow
    from flows.watch import watch_runs

    params = {**PARAMETERS, "repo_id": repo_id, "data_dir": str(data_dir.resolve())}
    try:
        with prefect_api(services=True, on_start=_announce_api):
            if other := scheduled_elsewhere():
                raise _fail("serve refused", other)
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
        raise _fail("serve failed", exc) from None


@app.command()
def backfill(
    start: Annotated[str, typer.Option("--from", help="First month, YYYY-MM.")],
    end: Annotated[str, typer.Option("--to", help="Last month, YYYY-MM.")],
    warc: Annotated[
        list[Path] | None, typer.Option(help="Read these WARC inputs instead of crawling.", callback=_warc_args)
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
        raise _fail("bad option", "give --cc-news or --warc, not both", 2)
    if one_release and not cc_news:
        raise _fail("bad option", "--one-release goes with --cc-news", 2)
    _quiet_prefect(verbose)
    from aznews.clock import months

    try:
        plan = months(start, end)
    except ValueError as exc:
        raise _fail("bad option", exc, 2) from None
    settings = _settings(orchestrator=_value(orchestrator), data_dir=data_dir, workers=workers)
    from aznews.publish import NothingToRelease, ReleaseExists
    from aznews.publish.release import ReleaseOutOfOrder

    # WARC input spans the whole range: each month's release takes the records dated in it
    sliced = {"backfill": [plan[0][1], plan[-1][2]]} if warc else {}

    def one(build: Callable[[Any], dict[str, Any]], version: str, since: str, until: str) -> None:
        inputs = [str(w) for w in warc] if warc else None
        if cc_news and (settings.releases_dir / version).exists():  # before streaming anything
            console.print(f"{version}: already released, skipped")
            return
        request = _request(version=version, data_dir=str(data_dir), registry=str(registry) if registry else None,
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
                with _live_progress():
                    for current, _, _ in plan:
                        year, month = map(int, current.split("."))
                        got = fetch_month(cc_news_base or settings.cc_news_base, year, month,
                                          settings.raw_dir / "cc-news", settings.state_dir / "ccnews.sqlite",
                                          registry_path=registry,
                                          workers=settings.workers or os.cpu_count() or 1)  # fmt: skip
                        out_dir = got.kept_dir()
                        console.print(f"{current}: CC-NEWS {got.describe()}", highlight=False)
                        if out_dir is not None:
                            dirs.append(out_dir)
                if not dirs:
                    raise RuntimeError("no registry host in CC-NEWS for the whole range")
                warc, cc_news = dirs, False  # one() now reads them as WARC input
                plan = plan[-1:]
            with _live_progress(), _release_builder(settings) as build:
                for current, since, until in plan:
                    one(build, current, since, until)
    except Exception as exc:
        if verbose:
            raise
        raise _fail(f"backfill stopped at {current}", exc) from None


@app.command()
def review(
    version: Annotated[str, typer.Argument(help="The release version waiting for review.", callback=_version_arg)],
    approve: Annotated[bool, typer.Option("--approve", help="Ship it.")] = False,
    reject: Annotated[bool, typer.Option("--reject", help="Publish nothing.")] = False,
    message: Annotated[str, typer.Option("--message", "-m", help="Why (goes into the changelog).")] = "",
    reviewer: Annotated[str | None, typer.Option(help="Your name, for the changelog.")] = None,
    verbose: VerboseOpt = False,
) -> None:
    """Approve or reject a release whose refresh run waits for review (on the configured Prefect API)."""
    if approve == reject:
        raise _fail("bad option", "give exactly one of --approve or --reject", 2)
    if not _prefect_configured():
        raise _fail("review failed", "no Prefect API configured: set PREFECT_API_URL to the server the run uses")
    _quiet_prefect(verbose)
    from flows.review import ReviewNotFound, decide

    try:
        run = decide(version, "approve" if approve else "reject", message, reviewer)
    except ReviewNotFound as exc:
        raise _fail("review failed", exc) from None
    verb = "approved" if approve else "rejected"
    console.print(f"release {escape(version)} {verb}; run {escape(run)} resumes", highlight=False)


@app.command()
def publish(
    repo_id: Annotated[str, typer.Option("--repo-id", help="Hub dataset repository, ORG/NAME.")],
    version: Annotated[str, typer.Option(help="The local release to publish (YYYY.MM[.N]).")],
    data_dir: DataDirOpt = Path("data"),
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List the operations; change nothing.")] = False,
) -> None:
    """Publish a local release to the Hugging Face Hub: one commit, then the version tag.

    The token comes from HF_TOKEN or `hf auth login`; it is never printed.
    """
    from aznews.config import Settings
    from aznews.errors import DamagedFile
    from aznews.publish import ReleaseExists, manifest_path
    from aznews.publish.hub import PublishFailed, publish_to_hub

    release = Settings(data_dir=data_dir.resolve()).releases_dir / version
    if not manifest_path(release).exists():
        raise _fail("publish failed", f"no local release {version} at {release}; run `aznews refresh` first")
    from aznews.datadir import data_dir_lock

    try:
        with data_dir_lock(data_dir):
            result = publish_to_hub(release, repo_id, dry_run=dry_run)
    except (ReleaseExists, PublishFailed, DamagedFile, RuntimeError) as exc:  # DataDirBusy too
        raise _fail("publish failed", exc) from None
    if result.get("recovered"):
        console.print(f"{repo_id}: commit {result['commit']} of an earlier attempt holds {version}; tagged it, "
                      "nothing sent again", highlight=False, soft_wrap=True)  # fmt: skip
    table = Table(title=f"{'planned' if dry_run else 'published'}: {repo_id} @ {version}")
    for col in ("path", "bytes", "reason"):
        table.add_column(col)
    for op in result["operations"]:
        table.add_row(op["path"], str(op["bytes"]), op["reason"])
    console.print(table)
    console.print(
        f"{len(result['skipped'])} data file(s) already on the Hub, unchanged; parent {result['parent_commit']}"
    )
    if not dry_run:
        console.print(f"commit {result['commit']}, tag {version}. Load it with:", highlight=False)
        console.print(f'    datasets.load_dataset("{repo_id}", revision="{version}")', highlight=False, soft_wrap=True)


@app.command()
def report(
    version: Annotated[str | None, typer.Option(help="Release version; default: the newest report.")] = None,
    data_dir: DataDirOpt = Path("data"),
) -> None:
    """Print a release's report summary and the path of its HTML report."""
    from aznews.config import Settings
    from aznews.validate.report import REPORT_HTML, REPORT_MD
    from aznews.versions import VERSION_RE, version_key

    reports = Settings(data_dir=data_dir.resolve()).reports_dir
    if version is None:
        found = [p.name for p in reports.iterdir() if VERSION_RE.match(p.name)] if reports.exists() else []
        if not found:
            raise _fail("report failed", f"no release reports under {reports}; run `aznews refresh` first")
        version = max(found, key=version_key)
    md, html = reports / version / REPORT_MD, reports / version / REPORT_HTML
    if not md.exists():
        raise _fail("report failed", f"no report for {version} at {md.parent}")
    console.print(md.read_text(encoding="utf-8"), markup=False, highlight=False)
    console.print(f"HTML report: {html}", soft_wrap=True, highlight=False)


registry_app = typer.Typer(help="The publisher registry.")
app.add_typer(registry_app, name="registry")


@registry_app.callback(invoke_without_command=True)
def registry_cmd(ctx: typer.Context, registry: RegistryOpt = None) -> None:
    """Validate the publisher registry and list its outlets (``check``: what each yields)."""
    from aznews.sources import RegistryError, load_registry

    if ctx.invoked_subcommand is not None:
        ctx.obj = registry
        return
    try:
        reg = load_registry(registry)
    except RegistryError as exc:
        raise _fail("registry error", exc) from None
    table = Table(title=f"{len(reg)} publishers ({reg.path})")
    for col in ("id", "name", "domains", "az edition", "article_url", "aggregator"):
        table.add_column(col, overflow="fold")
    for p in reg:
        az = next((e.prefix for e in p.editions if e.language == "az"), "(language ID)")
        shape = "yes" if p.article_url else "(page classifier)"
        table.add_row(p.id, p.name, ", ".join(p.domains), az, shape, "yes" if p.aggregator else "")
    console.print(table)
    _print_registry_problems(reg)


def _print_registry_problems(reg: Any) -> None:
    for line in reg.problems:
        console.print(f"[yellow]registry warning:[/yellow] {escape(line)}", highlight=False, soft_wrap=True)


@registry_app.command("check")
def registry_check(
    ctx: typer.Context,
    inputs: Annotated[
        list[Path] | None,
        typer.Argument(help="WARC files or directories; default: the crawl's WARCs under <data-dir>/raw."),
    ] = None,
    data_dir: DataDirOpt = Path("data"),
    no_robots: Annotated[bool, typer.Option("--no-robots", help="Do not apply robots.txt.")] = False,
) -> None:
    """Per outlet: pages seen, classified as articles, and dropped by each rule. An outlet whose
    pages are seen but none kept is flagged: its structure may have changed."""
    from aznews.config import Settings
    from aznews.extract import ExtractConfig
    from aznews.fetch.warc import WarcInputError, resolve_warc_inputs
    from aznews.stages import survey_outlets

    settings = Settings(data_dir=data_dir)
    sources = inputs or [settings.raw_dir]
    try:
        paths = resolve_warc_inputs(sources)
    except (WarcInputError, OSError) as exc:
        raise _fail("registry check", exc) from None
    if not paths:
        raise _fail("registry check", f"no WARC files in {', '.join(map(str, sources))}")
    registry = ctx.obj if ctx and ctx.obj else settings.registry
    from aznews.sources import RegistryError, load_registry
    from aznews.validate.outlets import outlet_health

    try:
        reg = load_registry(registry)
    except RegistryError as exc:
        raise _fail("registry error", exc) from None
    survey = survey_outlets(paths, ExtractConfig(registry_path=registry, respect_robots=not no_robots))
    health = {h.publisher: h for h in outlet_health({k: v for k, v in survey.items() if k[0] != "("}, reg)}
    rules = sorted({r for c in survey.values() for r in c} - {"seen", "article"})
    table = Table(title=f"registry check: {sum(c['seen'] for c in survey.values())} pages in {len(paths)} WARC file(s)")
    for col in ("outlet", "seen", "articles", *rules):
        table.add_column(col, justify="right" if col != "outlet" else "left")
    for pid, counts in sorted(survey.items()):
        broken = (h := health.get(pid)) is not None and h.warning
        none_kept = counts["seen"] and not counts["article"] and pid[0] != "("
        flag = "[red] (broken)[/red]" if broken else "[red] (none kept)[/red]" if none_kept else ""
        table.add_row(escape(pid) + flag, str(counts["seen"]), str(counts["article"]),
                      *(str(counts[r] or "") for r in rules))  # fmt: skip
    console.print(table)
    for h in health.values():
        if h.warning:
            console.print(f"[yellow]warning:[/yellow] {escape(h.warning)}", highlight=False, soft_wrap=True)
    _print_registry_problems(reg)


takedown_app = typer.Typer(help="The takedown list (data/takedown.yaml or AZNEWS_TAKEDOWN).", no_args_is_help=True)
app.add_typer(takedown_app, name="takedown")


@takedown_app.command("check")
def takedown_check(
    data_dir: DataDirOpt = Path("data"),
    version: Annotated[
        str | None, typer.Option(help="Check against this release; default: the newest.", callback=_version_arg)
    ] = None,
    show: Annotated[int, typer.Option(help="URLs listed per entry.")] = 5,
) -> None:
    """List what each takedown entry would remove from a release, before the next release does."""
    from aznews.config import Settings
    from aznews.publish import newest_release, release_ids
    from aznews.publish.takedown import Takedown, TakedownError

    settings = Settings(data_dir=data_dir.resolve())
    try:
        takedown = Takedown.load(settings.takedown_file)
    except TakedownError as exc:
        raise _fail("takedown list", exc) from None
    release = settings.releases_dir / version if version else newest_release(settings.releases_dir)
    if release is None or not release.exists():
        raise _fail("takedown check", f"no local release {version or '(none yet)'} under {settings.releases_dir}")
    if not len(takedown):
        console.print(f"no takedown entries in {settings.takedown_file}", highlight=False)
        return
    table = Table(title=f"takedowns ({settings.takedown_file}) against release {release.name}")
    for col in ("entry", "target", "reason", "removes", "urls"):
        table.add_column(col, overflow="fold")
    for entry, urls in takedown.check(release_ids(release, with_urls=True)):
        listed = "\n".join(urls[:show]) + (f"\n… {len(urls) - show} more" if len(urls) > show else "")
        removes = str(len(urls)) if urls else "[yellow]0: matches nothing[/yellow]"
        table.add_row(str(entry.number), escape(f"{entry.kind}: {entry.value}"), escape(entry.reason), removes,
                      escape(listed))  # fmt: skip
    console.print(table)


def _utc_date(value: str | None):
    from aznews.fetch import utc_day

    try:
        return utc_day(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


@app.command()
def crawl(
    since: Annotated[
        str | None, typer.Option(help="Only articles published/modified on or after (YYYY-MM-DD).")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Only articles before (YYYY-MM-DD).")] = None,
    publisher: Annotated[list[str] | None, typer.Option(help="Registry id (repeatable); default: all.")] = None,
    max_pages: Annotated[int, typer.Option(help="Page cap per publisher for this run.")] = 1000,
    min_delay: Annotated[float, typer.Option(help="Minimum seconds between requests to one host.")] = 1.0,
    data_dir: DataDirOpt = Path("data"),
    registry: RegistryOpt = None,
) -> None:
    """Discover and fetch new articles politely; responses go to WARC under data/raw/."""
    from aznews.config import Settings
    from aznews.fetch import CrawlFailed, crawl_publishers
    from aznews.sources import RegistryError

    settings = Settings(data_dir=data_dir)
    try:
        with _live_progress():  # pages fetched of those queued, as they go
            report, counts, _files = crawl_publishers(
                settings,
                registry_path=registry,
                publisher_ids=publisher,
                since=_utc_date(since),
                until=_utc_date(until),
                max_pages=max_pages,
                min_delay=min_delay,
            )
    except (RegistryError, KeyError, CrawlFailed) as exc:
        raise _fail("crawl failed", exc) from None
    table = Table(title=f"crawl: {report.stored} pages stored in {report.elapsed_s:.1f}s")
    for col in ("publisher", "outcome", "pages"):
        table.add_column(col)
    for (pub, outcome), n in sorted(report.outcomes.items()):
        table.add_row(pub, outcome, str(n))
    console.print(table)
    for host, why in report.skipped_hosts.items():
        console.print(f"[yellow]skipped host[/yellow] {escape(host)}: {escape(why)}", highlight=False)
    for url, why in sorted(report.refused_sources.items()):
        console.print(f"[yellow]no links from[/yellow] {escape(url)}: {escape(why)}", highlight=False)
    console.print(f"state: {counts}; WARC files in {settings.raw_dir}")


@app.command("ingest-warc")
def ingest_warc(
    paths: Annotated[list[Path], typer.Argument(help="WARC files (e.g. CC-NEWS) to read.")],
    data_dir: DataDirOpt = Path("data"),
    registry: RegistryOpt = None,
) -> None:
    """Keep the responses of existing WARC files whose host is in the registry (into data/raw/)."""
    from aznews.config import Settings
    from aznews.fetch.warc import WarcReadError, WarcSink, iter_pages
    from aznews.sources import load_registry

    reg = load_registry(registry)
    settings = Settings(data_dir=data_dir)
    kept = skipped = 0
    errors: list[WarcReadError] = []
    with WarcSink(settings.raw_dir, prefix="aznews-ingest") as sink:
        for path in paths:
            for page in iter_pages(path, errors):
                if reg.for_url(page.url) is None:
                    skipped += 1
                    continue
                sink.write(
                    page.url,
                    page.status,
                    "",
                    list(page.headers.items()),
                    page.body,
                    page.fetched_at,
                    record_key=f"ingest:{page.warc_file}:{page.warc_record_id}",
                )
                kept += 1
    console.print(f"kept {kept} registry pages, skipped {skipped} others -> {settings.raw_dir}")
    for err in errors:
        console.print(f"[yellow]unreadable[/yellow] {escape(f'{err.warc_file}@{err.offset}: {err.reason}')}")


def main() -> None:
    """The ``aznews`` entry point: every argument error is one line (typer frames them in a box)."""
    import sys

    try:
        code = app(standalone_mode=False, prog_name="aznews")
    except typer.Abort:
        console.print("aborted", highlight=False)
        sys.exit(130)
    except typer.TyperException as exc:  # typer's usage errors (bad option, value, extra argument)
        ctx = getattr(exc, "ctx", None)
        text = " ".join(exc.format_message().split())
        if "unexpected extra argument" in text and "--warc" in sys.argv:
            text += "; give each WARC input its own --warc (--warc A --warc B), or a directory of them"
        where = f" (see {ctx.command_path} --help)" if ctx is not None else ""
        what = "bad option" if exc.exit_code == 2 else "error"
        console.print(f"[bold red]{what}:[/bold red] {escape(text)}{escape(where)}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
