"""The release report maintainers review: one self-contained HTML page (inline SVG charts, every
scraped string escaped) and a Markdown summary with the same headline numbers."""

from __future__ import annotations

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
from aznews.validate.profile import as_strings, measure_text, profile_frame
from aznews.validate.since import SinceLast

_TEMPLATES = Path(__file__).parent


def headline(rows: pd.DataFrame, total_rows: int, gate: dict[str, Any], ledger: dict[str, Any]) -> dict[str, Any]:
    """The numbers that also go into the card and the flow-run artifacts."""
    n = len(rows)
    profile = profile_frame(rows)
    stages = ledger.get("stages", {})
    return {
        "rows": total_rows,
        "new_rows": n,
        "publishers": int(rows["publisher"].nunique()) if n else 0,
        "dated_share": round(float(profile["has_date"].mean()), 4) if n else 0.0,
        "author_share": round(float(profile["has_author"].mean()), 4) if n else 0.0,
        "cluster_share": round(float(profile["in_cluster"].mean()), 4) if n else 0.0,
        "mean_words": round(float(rows["word_count"].mean()), 1) if n else 0.0,
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


def _clusters(rows: pd.DataFrame) -> tuple[list[dict[str, Any]], list[tuple[str, str, int]]]:
    multi = rows[rows["cluster_size"] > 1].sort_values(["cluster_size", "id"], ascending=[False, True])
    largest = [
        {
            "size": int(r.cluster_size),
            "publisher": r.publisher,
            "title": r.title,
            "elsewhere": ", ".join(sorted(set(r.duplicate_publishers))),
        }
        for r in multi.head(10).itertuples()
    ]
    pairs: Counter = Counter()
    for r in multi.itertuples():
        for other in r.duplicate_publishers:
            pairs[(r.publisher, other)] += 1
    return largest, [(a, b, n) for (a, b), n in pairs.most_common(15)]


def write_report(
    out_dir: Path,
    *,
    version: str,
    rows: pd.DataFrame,
    total_rows: int,
    ledger: dict[str, Any],
    gate: dict[str, Any],
    previous: str | None = None,
    previous_ids: pa.Array | list[str] | None = None,
    taken_down: dict[str, int] | None = None,
    since: SinceLast | None = None,
) -> dict[str, Any]:
    """Write report.html and report.md for the release's new ``rows``; returns the headline.
    ``taken_down``: previously released articles this release removes, counted per takedown entry."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = measure_text(rows)  # as the suites saw them (a release_frame is measured already)
    head = headline(rows, total_rows, gate, ledger)
    head["falling_outlets"] = len(since.falls) if since else 0
    charts: list[tuple[str, str]] = []
    if len(rows):
        per_pub = rows["publisher"].value_counts()
        charts.append(
            (
                "Articles per publisher",
                bar(per_pub.index.tolist(), per_pub.tolist(), "new articles per publisher"),
            )
        )
        months = rows["published_at"].dropna().dt.strftime("%Y-%m").value_counts().sort_index()
        if len(months):
            charts.append(
                ("Articles per month", bar(months.index.tolist(), months.tolist(), "new articles by month published"))
            )
        charts.append(("Text length", hist(rows["text_chars"].tolist(), "characters per article")))
        charts.append(("Language scores", hist(rows["language_score"].tolist(), "language score (az)", 20)))
    by_rule: Counter = Counter()
    for row in ledger.get("by_rule", []):
        by_rule[f"{row['stage']}:{row['rule']}"] += row["dropped"]
    if by_rule:
        labels, values = zip(*by_rule.most_common(), strict=True)
        charts.append(("Drops per rule", bar(list(labels), list(values), "records dropped per rule")))
    largest, pairs = _clusters(rows) if len(rows) else ([], [])
    diff = None
    if previous_ids is not None:
        new_ids = pc.unique(pa.array(rows["id"], pa.string()))
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
    }
    for name, escape in ((REPORT_HTML, True), (REPORT_MD, False)):
        env = jinja2.Environment(autoescape=escape, undefined=jinja2.StrictUndefined)  # HTML: every string escaped
        env.filters.update(threshold=threshold, observed=observed, cell=md_cell if not escape else str)
        template = env.from_string((_TEMPLATES / f"{name}.j2").read_text(encoding="utf-8"))
        (out_dir / name).write_text(template.render(**context), encoding="utf-8")
    return head
