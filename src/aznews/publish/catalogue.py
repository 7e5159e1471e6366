"""The local releases as a catalogue: versions and their order, each release's manifest checked
against its files, its ids, the split of an article, the WARC inputs no release has read yet.
Writing a release is ``aznews.publish.writer``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from aznews import clock
from aznews.errors import DamagedFile
from aznews.parquet import open_parquet, read_table
from aznews.versions import VERSION_RE, validate_version, version_key

SPLITS = ("train", "validation", "test")
# Hub dataset viewer: row groups well under its limits; shards bounded for download and resume.
ROW_GROUP_ROWS = 2_000
SHARD_ROWS = 100_000
SAMPLE_ROWS = 1_000


class ReleaseExists(FileExistsError):
    """The version is already released; versions are immutable."""


class ReleaseOutOfOrder(ValueError):
    """A newer release exists: each release is built on the one before, so an older version can
    no longer be inserted (the newer one would lack its rows, and every later release too)."""


def newest_release(releases_dir: Path, *, before: str | None = None) -> Path | None:
    """The newest complete release directory by version (partial writes are hidden dot-dirs),
    optionally the newest older than ``before``."""
    if not releases_dir.exists():
        return None
    names = [p.name for p in releases_dir.iterdir() if p.is_dir() and VERSION_RE.match(p.name)]
    if before is not None:
        names = [n for n in names if version_key(n) < version_key(before)]
    return releases_dir / max(names, key=version_key) if names else None


def manifest_path(release_dir: Path) -> Path:
    return release_dir / "meta" / "release.json"


def read_manifest(release_dir: Path) -> dict[str, Any]:
    """A local release's ``meta/release.json``; a damaged one raises ``DamagedFile`` naming it."""
    path = manifest_path(release_dir)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError is a ValueError
        raise DamagedFile(
            f"{path}: damaged release manifest ({exc}); restore the release from the copy published on the Hub"
        ) from None


def verify_release(release_dir: Path) -> dict[str, Any]:
    """A local release's manifest, checked against the release as written: the data files on disk
    are exactly those it lists, each with the size and row count it records (read from the Parquet
    footer; the pages' checksums are verified whenever rows are read). A mismatch raises
    ``DamagedFile``: a later release built on it would lose or invent rows."""
    manifest = read_manifest(release_dir)
    listed = {f["path"]: f for f in manifest.get("files", [])}
    on_disk = {str(p.relative_to(release_dir)) for p in (release_dir / "data").glob("*.parquet")}
    problems = [f"{p} is on disk but not in the manifest" for p in sorted(on_disk - listed.keys())]
    problems += [f"{p} is in the manifest but not on disk" for p in sorted(listed.keys() - on_disk)]
    for rel in sorted(on_disk & listed.keys()):
        path, entry = release_dir / rel, listed[rel]
        if "bytes" in entry and (size := path.stat().st_size) != entry["bytes"]:
            problems.append(f"{rel} has {size} bytes, the manifest says {entry['bytes']}")
            continue
        try:
            rows = pq.read_metadata(path).num_rows
        except (pa.ArrowInvalid, OSError) as exc:
            problems.append(f"{rel} is not readable Parquet ({exc})")
            continue
        if rows != entry["rows"]:
            problems.append(f"{rel} has {rows} rows, the manifest says {entry['rows']}")
    if (listed_rows := sum(f["rows"] for f in listed.values())) != manifest.get("rows"):
        problems.append(f"its files list {listed_rows} rows, its total says {manifest.get('rows')}")
    if problems:
        raise DamagedFile(
            f"{manifest_path(release_dir)}: release {release_dir.name} does not match its files: "
            f"{'; '.join(problems[:3])}{' …' if len(problems) > 3 else ''}; restore the release from the copy "
            "published on the Hub, or rebuild it with --force from its inputs"
        )
    return manifest


def unreleased_warcs(raw_dir: Path, releases_dir: Path, *, before: str) -> list[Path]:
    """WARC files under ``raw_dir`` that no release older than ``before`` was built from: what a
    crawl release must read, including pages fetched by an earlier attempt that crashed."""
    read: set[str] = set()
    if releases_dir.exists():
        for rel in releases_dir.iterdir():
            if (
                VERSION_RE.match(rel.name)
                and version_key(rel.name) < version_key(before)
                and manifest_path(rel).exists()
            ):
                read.update(read_manifest(rel).get("inputs", []))
    return [p for p in sorted(raw_dir.glob("*.warc.gz")) if p.name not in read] if raw_dir.exists() else []


def release_ids(release_dir: Path, *, with_urls: bool = False) -> list:
    """Every article id in a local release, or (id, url) pairs (reads only those columns)."""
    if not with_urls:
        return release_id_column(release_dir).to_pylist()
    return list(iter_release_pairs(release_dir))


def release_id_column(release_dir: Path) -> pa.Array:
    """Every article id in a local release, as one Arrow column (no Python object per id)."""
    paths = sorted((release_dir / "data").glob("*.parquet"))
    chunks = [c for p in paths for c in read_table(p, ["id"]).column("id").chunks]
    return pa.concat_arrays([c.cast(pa.string()) for c in chunks]) if chunks else pa.array([], pa.string())


def iter_release_pairs(release_dir: Path, batch_rows: int = 8192) -> Iterator[tuple[str, str]]:
    """(id, url) of every article in a local release, read a batch at a time."""
    for path in sorted((release_dir / "data").glob("*.parquet")):
        for batch in open_parquet(path).iter_batches(batch_size=batch_rows, columns=["id", "url"]):
            yield from zip(batch.column(0).to_pylist(), batch.column(1).to_pylist(), strict=True)


def next_version(existing: Iterable[str], base: str | None = None) -> str:
    """The first free version of a month: ``YYYY.MM``, then ``YYYY.MM.1``, ``.2``, ... ``base``
    names the month (``YYYY.MM`` or any of its re-releases). A release is named after the month
    of news it adds: by default the month just ended in Baku, the one the monthly run crawls."""
    if base is None:
        base = clock.previous_month()[0][:7].replace("-", ".")
    base = ".".join(validate_version(base).split(".")[:2])
    taken = set(existing)
    if base not in taken:
        return base
    n = 1
    while f"{base}.{n}" in taken:
        n += 1
    return f"{base}.{n}"


# Fixed forever: changing it would move articles between splits. Any constant works equally for
# a real corpus; this one was picked (from aznews-split-0, -1, ...) because it is the first that
# puts at least one row of the bundled sample (9 rows then, 8 since near-duplicates merge) into
# each split, and `datasets` refuses to load a release with an empty split.
SPLIT_SALT = "aznews-split-7"


class EmptySplit(ValueError):
    """A split would have no rows; `datasets.load_dataset` cannot load such a release."""


def assign_split(article_id: str) -> str:
    """90/5/5 by a hash of the id: an article keeps its split in every release."""
    bucket = int(hashlib.sha256(f"{SPLIT_SALT}:{article_id}".encode()).hexdigest()[:8], 16) % 100
    return "train" if bucket < 90 else ("validation" if bucket < 95 else "test")


class NothingToRelease(ValueError):
    """No new articles since the previous release."""
