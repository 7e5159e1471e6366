"""Since the last release: per publisher and per month, what this release adds, carries and takes
down, and which outlets' monthly counts fell by more than half (the first sign that an outlet
changed its layout and the extractor or the crawler lost it)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aznews.parquet import open_parquet
from aznews.publish.catalogue import read_manifest
from aznews.validate.rows import PUBLISHED_MONTH, Table

FALL_SHARE = 0.5  # warn when an outlet's new rows are fewer than half of last release's ...
FALL_MIN_ROWS = 10  # ... and last release had at least this many from it (small counts are noise)


@dataclass
class SinceLast:
    previous: str
    publishers: list[dict[str, Any]] = field(default_factory=list)
    months: list[dict[str, Any]] = field(default_factory=list)
    falls: list[str] = field(default_factory=list)  # one warning line per falling outlet
    last_added: Counter = field(default_factory=Counter)  # rows each publisher added to the previous release


def release_counts(release_dir: Path) -> tuple[Counter, Counter, Counter]:
    """Rows per publisher, rows per publisher that release added, rows per month published
    (``none`` without a date), read a row group at a time (two small columns)."""
    manifest = read_manifest(release_dir)
    rows, added, months = Counter(), Counter(), Counter()
    for entry in manifest["files"]:
        own = entry.get("release") == manifest["version"]
        pf = open_parquet(release_dir / entry["path"])
        for batch in pf.iter_batches(batch_size=10_000, columns=["publisher", "published_at"]):
            pubs = batch.column("publisher").to_pylist()
            rows.update(pubs)
            if own:
                added.update(pubs)
            months.update(f"{d:%Y-%m}" if d else "none" for d in batch.column("published_at").to_pylist())
    return rows, added, months


def since_last(previous: Path, new_rows: Table, taken_down: dict[str, str]) -> SinceLast:
    """``new_rows``: this release's new rows (a RowStore's articles); ``taken_down``: id ->
    publisher of the earlier rows this release removes."""
    carried, last_added, carried_months = release_counts(previous)
    added = new_rows.counts("publisher")
    added.pop(None, None)  # a row without a publisher is no outlet's
    months = Counter({m or "none": n for m, n in new_rows.counts(PUBLISHED_MONTH).items()})
    down = Counter(taken_down.values())
    out = SinceLast(previous.name, last_added=last_added)
    for pub in sorted(set(carried) | set(added) | set(down)):
        row = {
            "publisher": pub,
            "carried": carried[pub] - down[pub],
            "added": added[pub],
            "taken_down": down[pub],
            "last_added": last_added[pub],
        }
        row["total"] = row["carried"] + row["added"]
        row["falling"] = last_added[pub] >= FALL_MIN_ROWS and added[pub] < FALL_SHARE * last_added[pub]
        if row["falling"]:
            out.falls.append(
                f"{pub}: {added[pub]} new rows, down from {last_added[pub]} in {previous.name} "
                f"(more than half lost: has its layout or feed changed?)"
            )
        out.publishers.append(row)
    for month in sorted(set(carried_months) | set(months), key=lambda m: (m == "none", m)):
        out.months.append({"month": month, "carried": carried_months[month], "added": months[month]})
    return out
