"""The release report maintainers review: one self-contained HTML page (inline SVG charts, every
scraped string escaped) and a Markdown summary with the same headline numbers."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from aznews.markdown import md_cell
from aznews.validate import REPORT_HTML, REPORT_MD, VALIDATION_JSON  # noqa: F401  (re-exported)
from aznews.validate.charts import bar, hist
from aznews.validate.outlets import OutletHealth
from aznews.validate.profile import as_strings
from aznews.validate.rows import PROFILE, PUBLISHED_MONTH, Table, frame_rows
from aznews.validate.since import SinceLast

_TEMPLATES = Path(__file__).parent


def headline(rows: Table, total_rows: int, gate: dict[str, Any], ledger: dict[str, Any]) -> dict[str, Any]:
    """The numbers that also go into the card and the flow-run artifacts."""
    n, publishers, words = rows.query("SELECT COUNT(*), COUNT(DISTINCT publisher), AVG(word_count) FROM {t}").fetchone()
    profile = rows.store.table(PROFILE)
    dated, authored, clustered = profile.query(
        "SELECT AVG(has_date), AVG(has_author), AVG(in_cluster) FROM {t}"
    ).fetchone()
    stages = ledger.get("stages", {})
    return {
        "rows": total_rows,
        "new_rows": n,
        "publishers": publishers,
        "dated_share": round(dated or 0.0, 4),
        "author_share": round(authored or 0.0, 4),
        "cluster_share": round(clustered or 0.0, 4),
        "mean_words": round(words or 0.0, 1),
        "dropped": sum(c.get("dropped", 0) for c in stages.values()),
        "gate_passed": bool(gate.get("passed", True)),
        "warnings": sum(
            1 for s in gate.get("suites", []) for r in s["results"] if not r["success"] and r["severity"] != "critical"
        ),
        "critical_failures": sum(
            1 for s in gate.get("suites", []) for r in s["results"] if not r["success"] and r["severity"] == "critical"
        ),
    }


_SUBJECT = {"column", "column_A", "column_B", "result_format", "catch_exceptions", "meta", "row_condition",
            "condition_parser"}  # fmt: skip


def _compact(value: Any, limit: int = 6) -> str:
    """A value for one table cell: long lists shortened to their size and first items."""
    if isinstance(value, list | tuple | set):
        items = list(value)
        shown = ", ".join(map(str, items[:limit]))
        return f"{len(items)} values: {shown}, …" if len(items) > limit else f"[{shown}]"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() and abs(value) >= 1000 else f"{value:.4g}"
    if isinstance(value, dict):
        return "; ".join(f"{k}={_compact(v, 3)}" for k, v in value.items())
    return str(value)


def threshold(kwargs: dict[str, Any]) -> str:
    """What an expectation asks (its bounds, mostly, value set ...), without the column it is about."""
    return "; ".join(f"{k}={_compact(v)}" for k, v in kwargs.items() if k not in _SUBJECT) or "-"


def observed(result: dict[str, Any], rows: int) -> str:
    """What the data showed: the observed value, else how many rows broke it (with a sample)."""
    if result.get("observed") is not None:
        return _compact(result["observed"])
    n = result.get("unexpected_count")
    if n is None:
        return "-"
    share = f" ({100 * n / rows:.1f}%)" if rows else ""
    sample = f"; e.g. {_compact(result['sample'][:3])}" if n and result.get("sample") else ""
    return f"{n} of {rows} rows unexpected{share}{sample}"


def _clusters(rows: Table) -> tuple[list[dict[str, Any]], list[tuple[str, str, int]]]:
    """The ten largest clusters, and the publisher pairs that share articles most often."""
    multi = "SELECT {cols} FROM {{t}} WHERE cluster_size > 1 ORDER BY cluster_size DESC, id"
    largest = [
        {"size": size, "publisher": publisher, "title": title, "elsewhere": ", ".join(sorted(set(json.loads(others))))}
        for size, publisher, title, others in rows.query(
            multi.format(cols="cluster_size, publisher, title, duplicate_publishers") + " LIMIT 10"
        )
    ]
    pairs: Counter = Counter()
    for publisher, others in rows.query(multi.format(cols="publisher, duplicate_publishers")):
        for other in json.loads(others):
            pairs[(publisher, other)] += 1
    return largest, [(a, b, n) for (a, b), n in pairs.most_common(15)]


def _known(counts: Counter) -> list[tuple[str, int]]:
    """The (value, rows) pairs of ``counts`` whose value is not null."""
    return [(value, n) for value, n in counts.items() if value is not None]


def _columns(pairs: list[tuple[str, int]]) -> tuple[list[str], list[int]]:
    return [label for label, _ in pairs], [n for _, n in pairs]


def write_report(
    out_dir: Path,
    *,
    version: str,
    rows: Table | pd.DataFrame,
    total_rows: int,
    ledger: dict[str, Any],
    gate: dict[str, Any],
    previous: str | None = None,
    previous_ids: pa.Array | list[str] | None = None,
    taken_down: dict[str, int] | None = None,
    since: SinceLast | None = None,
    outlets: list[OutletHealth] | None = None,
) -> dict[str, Any]:
    """Write report.html and report.md for the release's new ``rows`` (a RowStore's articles,
    or a frame written to one); returns the headline. ``taken_down``: previously released
    articles this release removes, counted per takedown entry."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = frame_rows(rows)
    head = headline(rows, total_rows, gate, ledger)
    head["falling_outlets"] = len(since.falls) if since else 0
    charts: list[tuple[str, str]] = []
    if head["new_rows"]:
        per_pub = sorted(_known(rows.counts("publisher")), key=lambda pair: (-pair[1], pair[0]))
        charts.append(("Articles per publisher", bar(*_columns(per_pub), "new articles per publisher")))
        months = sorted(_known(rows.counts(PUBLISHED_MONTH)))
        if months:
            charts.append(("Articles per month", bar(*_columns(months), "new articles by month published")))
        charts.append(("Text length", hist(*rows.histogram("text_chars", 30), "characters per article")))
        charts.append(("Language scores", hist(*rows.histogram("language_score", 20), "language score (az)")))
    by_rule: Counter = Counter()
    for row in ledger.get("by_rule", []):
        by_rule[f"{row['stage']}:{row['rule']}"] += row["dropped"]
    if by_rule:
        labels, values = zip(*by_rule.most_common(), strict=True)
        charts.append(("Drops per rule", bar(list(labels), list(values), "records dropped per rule")))
    largest, pairs = _clusters(rows)
    diff = None
    if previous_ids is not None:
        new_ids = rows.strings("id", distinct=True)
        again = int(pc.sum(pc.is_in(new_ids, value_set=as_strings(previous_ids))).as_py() or 0)
        diff = {
            "previous": previous,
            "added": len(new_ids) - again,
            # releases are cumulative: only takedowns remove (the release_delta suite blocks the rest)
            "removed": sum((taken_down or {}).values()),
            "takedowns": sorted((taken_down or {}).items()),
            "changed": again,
        }
    context = {
        "version": version,
        "head": head,
        "charts": charts,
        "stages": ledger.get("stages", {}),
        "by_rule": ledger.get("by_rule", []),
        "suites": gate.get("suites", []),
        "largest": largest,
        "pairs": pairs,
        "diff": diff,
        "since": since,
        "outlets": outlets or [],
        "outlet_warnings": [h.warning for h in outlets or [] if h.warning],
    }
    for name, escape in ((REPORT_HTML, True), (REPORT_MD, False)):
        env = jinja2.Environment(autoescape=escape, undefined=jinja2.StrictUndefined)  # HTML: every string escaped
        env.filters.update(threshold=threshold, observed=observed, cell=md_cell if not escape else str)
        template = env.from_string((_TEMPLATES / f"{name}.j2").read_text(encoding="utf-8"))
        (out_dir / name).write_text(template.render(**context), encoding="utf-8")
    return head
