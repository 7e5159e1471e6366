"""Shipping and amending releases: ``publish`` to the Hub, ``report``, the ``takedown`` list."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from aznews.cli.common import (
    DataDirOpt,
    app,
    console,
    fail,
    version_arg,
)


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
        raise fail("publish failed", f"no local release {version} at {release}; run `aznews refresh` first")
    from aznews.datadir import data_dir_lock

    try:
        with data_dir_lock(data_dir):
            result = publish_to_hub(release, repo_id, dry_run=dry_run)
    except (ReleaseExists, PublishFailed, DamagedFile, RuntimeError) as exc:  # DataDirBusy too
        raise fail("publish failed", exc) from None
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
            raise fail("report failed", f"no release reports under {reports}; run `aznews refresh` first")
        version = max(found, key=version_key)
    md, html = reports / version / REPORT_MD, reports / version / REPORT_HTML
    if not md.exists():
        raise fail("report failed", f"no report for {version} at {md.parent}")
    console.print(md.read_text(encoding="utf-8"), markup=False, highlight=False)
    console.print(f"HTML report: {html}", soft_wrap=True, highlight=False)


takedown_app = typer.Typer(help="The takedown list (data/takedown.yaml or AZNEWS_TAKEDOWN).", no_args_is_help=True)
app.add_typer(takedown_app, name="takedown")


@takedown_app.command("check")
def takedown_check(
    data_dir: DataDirOpt = Path("data"),
    version: Annotated[
        str | None, typer.Option(help="Check against this release; default: the newest.", callback=version_arg)
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
        raise fail("takedown list", exc) from None
    release = settings.releases_dir / version if version else newest_release(settings.releases_dir)
    if release is None or not release.exists():
        raise fail("takedown check", f"no local release {version or '(none yet)'} under {settings.releases_dir}")
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
