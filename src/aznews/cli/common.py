"""What every ``aznews`` command shares: the app, the console, option types, one-line failures,
progress, settings and release requests made from options, and the entry point."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
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

app = typer.Typer(help="Build and publish the open corpus of Azerbaijani news.", no_args_is_help=True)
# Off a terminal (a log file, a service's journal) lines are never wrapped: a table row or a commit
# id split over two lines cannot be grepped. On a terminal, the terminal's width.
console = Console(width=None if Console().is_terminal else 100_000)

RegistryOpt = Annotated[Path | None, typer.Option("--registry", help="Publisher registry file (YAML).")]
DataDirOpt = Annotated[Path, typer.Option("--data-dir", help="Runtime data directory.")]


def quiet_prefect(verbose: bool = False) -> None:
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


class FlowsMissing(RuntimeError):
    """The Prefect flows are the checkout's ``flows/`` (an editable install puts it on the path; a
    wheel does not install it)."""


def need_flows() -> None:
    """Raise ``FlowsMissing``, saying how to get them, when ``flows/`` cannot be imported."""
    import importlib.util

    if importlib.util.find_spec("flows") is None or importlib.util.find_spec("flows.refresh") is None:
        raise FlowsMissing("the Prefect flows (flows/) come with the aznews checkout: install it there with "
                           "`pip install -e .`, or run with --orchestrator local")  # fmt: skip


def prefect_configured() -> bool:
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


def make_request(**fields: Any) -> Any:
    """The ``ReleaseRequest`` the options make; one that is not valid (a bad day, say) fails here,
    in one line, before anything starts."""
    from pydantic import ValidationError

    from aznews.request import ReleaseRequest

    try:
        return ReleaseRequest(**fields)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise fail("bad option", f"{where}: {err['msg'].removeprefix('Value error, ')}", 2) from None


def make_settings(**overrides: Any) -> Any:
    """Settings from the environment with the options given on the command line."""
    from pydantic import ValidationError

    from aznews.config import Settings

    try:
        settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        errors = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise fail("bad option", errors, 2) from None
    if settings.task_runner == "dask":
        import importlib.util

        if importlib.util.find_spec("prefect_dask") is None:  # before any server or flow starts
            raise fail("bad option", "the dask runner needs the dask extra: pip install 'aznews[dask]'", 2)
    return settings


def fail(what: str, exc: BaseException | str, code: int = 1) -> typer.Exit:
    """Print one line naming the failure (crawled text and rich markup escaped); the exit to raise."""
    text = exc if isinstance(exc, str) else (str(exc) or type(exc).__name__)
    console.print(f"[bold red]{escape(what)}:[/bold red] {escape(text)}", soft_wrap=True, highlight=False)
    return typer.Exit(code)


def version_arg(value: str | None) -> str | None:
    from aznews.versions import validate_version  # not aznews.publish: the validator starts first

    try:
        return validate_version(value) if value is not None else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def warc_args(value: list[Path] | None) -> list[Path] | None:
    """Every --warc input exists and holds WARC records, checked before any flow starts."""
    from aznews.fetch.warc import WarcInputError, check_warc_input

    for path in value or []:
        try:
            check_warc_input(path)
        except WarcInputError as exc:
            raise typer.BadParameter(str(exc)) from None
    return value


def announce_api(url: str) -> None:
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
def live_progress() -> Iterator[Any]:
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


def value(choice: Enum | None) -> str | None:
    return None if choice is None else choice.value


OrchestratorOpt = Annotated[
    Orchestrator | None,
    typer.Option(
        help="local (in this process, no server), prefect (a Prefect flow run) or auto: prefect when a "
        "Prefect API is configured or the runner is dask (AZNEWS_ORCHESTRATOR)."
    ),
]


def utc_date(value: str | None):
    from aznews.fetch import utc_day

    try:
        return utc_day(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


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
