"""The publisher registry: ``registry`` and ``registry check``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from aznews.cli.common import (
    DataDirOpt,
    RegistryOpt,
    app,
    console,
    fail,
)

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
        raise fail("registry error", exc) from None
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
        raise fail("registry check", exc) from None
    if not paths:
        raise fail("registry check", f"no WARC files in {', '.join(map(str, sources))}")
    registry = ctx.obj if ctx and ctx.obj else settings.registry
    from aznews.sources import RegistryError, load_registry
    from aznews.validate.outlets import outlet_health

    try:
        reg = load_registry(registry)
    except RegistryError as exc:
        raise fail("registry error", exc) from None
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
