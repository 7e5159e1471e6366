"""The ``aznews`` command line."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
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
console = Console()

RegistryOpt = Annotated[Path | None, typer.Option("--registry", help="Publisher registry file (YAML).")]
DataDirOpt = Annotated[Path, typer.Option("--data-dir", help="Runtime data directory.")]


def _quiet_prefect() -> None:
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("TQDM_DISABLE", "1")  # GX metric progress bars


def _print_summary(summary: dict[str, Any]) -> None:
    table = Table(title=f"aznews {summary['version']}: records per stage")
    for col in ("stage", "kept", "dropped"):
        table.add_column(col, justify="right" if col != "stage" else "left")
    for stage, c in summary["stages"].items():
        table.add_row(stage, str(c["kept"]), str(c["dropped"]))
    console.print(table)
    if summary["drops"]:
        drops = Table(title="dropped, and why")
        for col in ("stage", "rule", "publisher", "url", "detail"):
            drops.add_column(col, overflow="fold")
        for d in summary["drops"]:
            drops.add_row(d["stage"], d["rule"], d["publisher"] or "-", d["url"], d["detail"])
        console.print(drops)
    for note, n in (summary.get("notes") or {}).items():
        console.print(f"note: {note}: {n}")
    for w in summary.get("warnings") or []:
        console.print(f"[yellow]warning:[/yellow] {w}")
    console.print(f"\n[bold green]{summary['rows']} rows[/bold green] released to {summary['release_path']}")
    console.print("Load it with:\n")
    console.print(f"    import datasets; ds = {summary['load']}", soft_wrap=True, highlight=False)


@app.command()
def refresh(
    version: Annotated[
        str | None, typer.Option(help="Release version YYYY.MM[.N]; default: this month.")
    ] = None,
    warc: Annotated[
        list[Path] | None,
        typer.Option(help="WARC file or directory (repeatable); default: the bundled sample."),
    ] = None,
    data_dir: DataDirOpt = Path("data"),
    registry: RegistryOpt = None,
    force: Annotated[
        bool, typer.Option(help="Replace an existing local release of the same version.")
    ] = False,
    workers: Annotated[int, typer.Option(help="Extraction worker processes (0: in-process).")] = 0,
) -> None:
    """Run the refresh flow: pages -> extract -> dedup -> validate -> publish (local)."""
    _quiet_prefect()
    from aznews import progress
    from aznews.publish import EmptySplit, ReleaseExists
    from aznews.validate import GateFailed, SuiteLoadError
    from flows.refresh import refresh as refresh_flow

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def on_progress(stage: str, advance: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], advance=advance, total=total)

        stop = progress.listen(on_progress)
        try:
            summary = refresh_flow(
                version=version,
                warc=[str(w) for w in warc] if warc else None,
                data_dir=str(data_dir),
                registry=str(registry) if registry else None,
                force=force,
                workers=workers,
            )
        except (ReleaseExists, GateFailed, SuiteLoadError, EmptySplit, FileNotFoundError, ValueError) as exc:
            bar.stop()
            console.print(f"[bold red]refresh failed:[/bold red] {exc}")
            raise typer.Exit(1) from None
        finally:
            stop()
    _print_summary(summary)


@app.command("registry")
def registry_cmd(registry: RegistryOpt = None) -> None:
    """Validate the publisher registry and list its outlets."""
    from aznews.sources import RegistryError, load_registry

    try:
        reg = load_registry(registry)
    except RegistryError as exc:
        console.print(f"[bold red]{exc}[/bold red]")
        raise typer.Exit(1) from None
    table = Table(title=f"{len(reg)} publishers ({reg.path})")
    for col in ("id", "name", "domains", "az edition", "aggregator"):
        table.add_column(col)
    for p in reg:
        az = next(e.prefix for e in p.editions if e.language == "az")
        table.add_row(p.id, p.name, ", ".join(p.domains), az, "yes" if p.aggregator else "")
    console.print(table)


if __name__ == "__main__":  # pragma: no cover
    app()
