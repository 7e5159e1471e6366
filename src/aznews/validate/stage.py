"""The validate stage as a function from files to files: a release's new rows in, its gate
outcome and report out. Kept apart from ``aznews.stages`` so that the process that validates
(aznews.validate.worker) imports Great Expectations and little else."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from aznews.config import Settings
from aznews.publish.catalogue import (
    NothingToRelease,
    iter_release_pairs,
    newest_release,
    read_manifest,
    release_id_column,
)
from aznews.publish.takedown import Takedown
from aznews.schema import column_names
from aznews.sources.registry import load_registry
from aznews.validate.outlets import counts_from_ledger, outlet_health
from aznews.validate.profile import run_gate
from aznews.validate.report import REPORT_HTML, REPORT_MD, VALIDATION_JSON, write_report
from aznews.validate.rows import RowStore, Table, release_rows
from aznews.validate.since import since_last
from aznews.versions import VERSION_RE


def validate_release(
    deduped: Path, version: str, settings: Settings, registry: str | None, ledger: dict[str, Any]
) -> dict[str, Any]:
    """Run every suite on a release's new rows and write its report (``validation.json``,
    ``report.html``, ``report.md`` under reports/<version>/), whether or not the gate passes.
    Returns plain data (it may cross a process boundary): whether the gate passed and why not,
    its warnings, the headline, the new row count and the report paths; the caller gates."""
    with RowStore(deduped.with_name("validate-rows.sqlite")) as store:
        return _validate(release_rows(deduped, store), version, settings, registry, ledger)


def _idle_takedowns(takedown: Takedown, entries: dict[str, tuple[Any, str]], ledger: dict[str, Any],
                    settings: Settings, version: str) -> list[str]:  # fmt: skip
    """A warning for each takedown entry that removed nothing, ever: not from an earlier release
    (their manifests list what each entry removed), not from the previous one, not from this run's
    new rows. Such an entry is most likely mistyped, and the article it meant is still published."""
    if not len(takedown):
        return []
    used = {entry.number for entry, _ in entries.values()}
    used |= {int(m[1]) for d in ledger.get("drops", []) if d["rule"] == "takedown"
             and (m := re.search(r"\bentry (\d+) ", d["detail"]))}  # fmt: skip
    for manifest in settings.releases_dir.glob("*/meta/release.json"):
        if VERSION_RE.match(name := manifest.parent.parent.name) and name != version:
            used |= {t.get("entry") for t in read_manifest(manifest.parent.parent).get("takedowns", [])}
    return [
        f"takedown {e} matches no article released so far or in this run: the article it means may still "
        "be published; see `aznews takedown check`"
        for e in takedown.entries
        if e.number not in used
    ]


def _validate(
    rows: Table, version: str, settings: Settings, registry: str | None, ledger: dict[str, Any]
) -> dict[str, Any]:
    """validate_release on the release's rows, once they are in a store."""
    report_dir = settings.reports_dir / version
    params = {"schema_columns": column_names(), "publisher_ids": [p.id for p in load_registry(registry)]}
    previous = newest_release(settings.releases_dir, before=version)
    previous_ids = release_id_column(previous) if previous is not None else None  # Arrow: no object per id
    takedown = Takedown.load(settings.takedown_file)
    entries: dict[str, tuple[Any, str]] = {}  # id -> (takedown entry, url): the few this release removes
    if previous is not None and len(takedown):
        for i, url in iter_release_pairs(previous):
            if (entry := takedown.entry_for(i, url)) is not None:
                entries[i] = (entry, url)
    new_rows = len(rows)
    if not new_rows and not entries:
        since = f" since release {previous.name}" if previous is not None else " in the input"
        raise NothingToRelease(f"no new articles{since}; nothing to release as {version}")
    docs = report_dir / "data_docs" if settings.data_docs else None
    gate = run_gate(rows, params, docs, previous_ids=previous_ids, takedown=list(entries), run_name=version)
    report_dir.mkdir(parents=True, exist_ok=True)
    outcome = gate.to_dict()
    (report_dir / VALIDATION_JSON).write_text(
        json.dumps(outcome, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    since = None
    reg = load_registry(registry)
    if previous is not None:
        down = {i: (p.id if (p := reg.for_url(u)) else "(not in registry)") for i, (_, u) in entries.items()}
        since = since_last(previous, rows, down)
    health = outlet_health(counts_from_ledger(ledger), reg, since.last_added if since else None,
                           previous.name if previous is not None else None)  # fmt: skip
    outlet_warnings = [h.warning for h in health if h.warning]
    head = write_report(
        report_dir,
        version=version,
        rows=rows,
        total_rows=(len(previous_ids) if previous_ids is not None else 0) - len(entries) + new_rows,
        ledger=ledger,
        gate=outcome,
        previous=previous.name if previous is not None else None,
        previous_ids=previous_ids,
        taken_down=dict(Counter(str(entry) for entry, _ in entries.values())),
        since=since,
        outlets=health,
    )
    # an outlet that fell is one of the outlet warnings (since.falls stays the report's own flag)
    warnings = [*outlet_warnings, *gate.warnings, *_idle_takedowns(takedown, entries, ledger, settings, version)]
    return {"passed": gate.passed, "failure": gate.failure_message(), "warnings": warnings,
            "headline": head, "rows": new_rows, "report": str(report_dir / REPORT_HTML),
            "report_md": str(report_dir / REPORT_MD), "outlet_warnings": outlet_warnings,
            "outlets": [h.as_dict() for h in health]}  # fmt: skip
