"""The dataset card (the Hub README): metadata through ``huggingface_hub.DatasetCardData``, the
body from ``DATASET_CARD.md``, every figure from the release's own files.

The statistics are one streaming pass over the release's Parquet files (a row group at a time),
so the card costs the same memory for any release size. Everything that came from a crawled page
(publisher ids, categories, the data instance) is escaped for Markdown tables or fenced as code.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jinja2
import pyarrow as pa

from aznews import __version__
from aznews.dedup.near import NearDupConfig
from aznews.markdown import fenced, md_cell
from aznews.parquet import open_parquet
from aznews.paths import dataset_card_template
from aznews.schema import json_schema, schema_version

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
PROJECT_URL = "https://github.com/aznews/aznews"
PLACEHOLDER_REPO = "<org>/aznews"
SAMPLE_PATH = "sample/train-sample.parquet"
LICENSE_FILE = "LICENSE.md"
SIZE_CATEGORIES = ("n<1K", "1K<n<10K", "10K<n<100K", "100K<n<1M", "1M<n<10M", "10M<n<100M", "100M<n<1B",
                   "1B<n<10B", "10B<n<100B", "100B<n<1T", "n>1T", "other")  # fmt: skip
_STAT_COLUMNS = ["publisher", "published_at", "authors", "original_publisher", "cluster_size", "word_count",
                 "category", "text"]  # fmt: skip
_STAT_BATCH = 500  # rows whose texts are Python strings at once (only their lengths are kept)


def size_category(n: int) -> str:
    """The Hub's size bucket: n<1K, 1K<n<10K, ..., n>1T."""
    for exp, label in enumerate(SIZE_CATEGORIES[:-2], start=3):
        if n < 10**exp:
            return label
    return SIZE_CATEGORIES[-2]


@dataclass
class Totals:
    rows: int = 0
    words: int = 0
    chars: int = 0

    def add(self, rows: int, words: int, chars: int) -> None:
        self.rows += rows
        self.words += words
        self.chars += chars


@dataclass
class ReleaseStats:
    """What the card says about a release, measured on its files."""

    splits: dict[str, Totals] = field(default_factory=dict)
    split_bytes: dict[str, int] = field(default_factory=Counter)  # uncompressed bytes
    download_bytes: dict[str, int] = field(default_factory=Counter)  # Parquet file bytes
    publishers: dict[str, Totals] = field(default_factory=dict)
    new_by_publisher: Counter = field(default_factory=Counter)
    months: Counter = field(default_factory=Counter)
    categories: Counter = field(default_factory=Counter)
    dated: int = 0
    with_author: int = 0
    reposts: int = 0
    clustered: int = 0
    new: Totals = field(default_factory=Totals)
    new_dated: int = 0
    new_with_author: int = 0
    date_min: datetime | None = None
    date_max: datetime | None = None

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.splits.values())


def _datetimes(column: pa.Array) -> list[datetime | None]:
    """UTC datetimes of a timestamp column (pyarrow's own conversion of a zoned timestamp imports
    pandas: 0.4 s)."""
    micros = column.cast(pa.timestamp("us", tz="UTC")).cast(pa.int64()).to_pylist()
    return [None if m is None else EPOCH + timedelta(microseconds=m) for m in micros]


def release_stats(release_dir: Path, files: list[dict[str, Any]], version: str) -> ReleaseStats:
    """One pass over the release's data files, a row group at a time."""
    st = ReleaseStats()
    for entry in files:
        split = entry["split"]
        pf = open_parquet(release_dir / entry["path"])
        cols = [c for c in _STAT_COLUMNS if c in pf.schema_arrow.names]
        st.download_bytes[split] += entry.get("bytes") or (release_dir / entry["path"]).stat().st_size
        is_new = entry.get("release") == version
        meta = pf.metadata  # uncompressed bytes of every column, as the Hub's num_bytes counts them
        st.split_bytes[split] += sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        for batch in pf.iter_batches(batch_size=_STAT_BATCH, columns=cols):
            # plain Python over one row group: pyarrow.compute would import pandas (0.3 s) for this
            col = {name: batch.column(name).to_pylist() for name in cols if name != "published_at"}
            col["published_at"] = _datetimes(batch.column("published_at"))
            pubs, wc = col["publisher"], [w or 0 for w in col["word_count"]]
            lengths = [len(t or "") for t in col["text"]]
            n, words, chars = batch.num_rows, sum(wc), sum(lengths)
            st.splits.setdefault(split, Totals()).add(n, words, chars)
            for pub, w, c in zip(pubs, wc, lengths, strict=True):
                st.publishers.setdefault(pub, Totals()).add(1, w, c)
            dates = [d for d in col["published_at"] if d is not None]
            authored = sum(1 for a in col["authors"] if a)
            st.dated += len(dates)
            st.with_author += authored
            st.reposts += sum(1 for o in col["original_publisher"] if o)
            st.clustered += sum(1 for c in col["cluster_size"] if (c or 1) > 1)
            if dates:
                st.date_min = min([d for d in (st.date_min, *dates) if d is not None])
                st.date_max = max([d for d in (st.date_max, *dates) if d is not None])
                st.months.update(f"{d:%Y-%m}" for d in dates)
            st.categories.update(c for c in col["category"] if c)
            if is_new:
                st.new.add(n, words, chars)
                st.new_dated += len(dates)
                st.new_with_author += authored
                st.new_by_publisher.update(pubs)
    return st


def data_instance(release_dir: Path, files: list[dict[str, Any]], max_chars: int = 400) -> dict[str, Any] | None:
    """The first row of the train split, its text cut to ``max_chars``, as JSON-ready values."""
    entry = next((f for f in files if f["split"] == "train"), None)
    if entry is None:
        return None
    batch = next(open_parquet(release_dir / entry["path"]).iter_batches(batch_size=1), None)
    if batch is None or not batch.num_rows:
        return None
    row = batch.to_pylist()[0]
    text = row.get("text") or ""
    row["text"] = text if len(text) <= max_chars else text[:max_chars].rstrip() + " …"
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()}


def card_data(version: str, stats: ReleaseStats, *, sample: bool) -> dict[str, Any]:
    """The card's metadata (YAML header), as the Hub's dataset-card spec names it."""
    from aznews.schema import work_schema

    feats = [{"name": f.name, **_hf_type(f.type)} for f in work_schema()]
    splits = [
        {"name": s, "num_bytes": int(stats.split_bytes[s]), "num_examples": t.rows} for s, t in stats.splits.items()
    ]
    configs = [{"config_name": "default", "default": True,
                "data_files": [{"split": s, "path": f"data/{s}-*.parquet"} for s in stats.splits]}]  # fmt: skip
    if sample:
        configs.append({"config_name": "sample", "data_files": [{"split": "train", "path": SAMPLE_PATH}]})
    return {
        "pretty_name": "aznews: Azerbaijani news corpus",
        "language": ["az"],
        "language_details": ["az-Latn"],
        "license": "other",
        "license_name": "aznews-publisher-terms",
        "license_link": LICENSE_FILE,
        "annotations_creators": ["no-annotation"],
        "language_creators": ["found"],
        "multilinguality": ["monolingual"],
        "size_categories": [size_category(stats.rows)],
        "source_datasets": ["original"],
        "task_categories": ["text-generation", "fill-mask", "text-classification"],
        "task_ids": ["language-modeling", "masked-language-modeling", "topic-classification"],
        "tags": ["news", "azerbaijani", "aznews", f"release-{version}"],
        "configs": configs,
        "dataset_info": {
            "config_name": "default",
            "features": feats,
            "splits": splits,
            "download_size": int(sum(stats.download_bytes.values())),
            "dataset_size": int(sum(stats.split_bytes.values())),
        },
    }


def _hf_dtype(t: pa.DataType) -> str:
    """The `datasets` dtype name of an Arrow type (float32, timestamp[us, tz=UTC], ...)."""
    return {"float": "float32", "double": "float64", "halffloat": "float16"}.get(str(t), str(t))


def _hf_type(t: pa.DataType) -> dict[str, str]:
    """A feature's type as the card's ``dataset_info.features`` writes it, derived from the Arrow
    schema (itself derived from schemas/), without importing `datasets` (0.7 s): a test loads the
    released files through `datasets` and compares with ``aznews.schema.features()``."""
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return {"list": _hf_dtype(t.value_type)}
    return {"dtype": _hf_dtype(t)}


def render_card(
    release_dir: Path,
    manifest: dict[str, Any],
    *,
    repo_id: str | None = None,
    registry: Any = None,
) -> str:
    """The whole card (YAML header and body) for the release in ``release_dir``."""
    from huggingface_hub.repocard_data import DatasetCardData  # (repocard itself: 0.4 s more to import)

    from aznews.sources import load_registry

    version = manifest["version"]
    files = manifest["files"]
    stats = release_stats(release_dir, files, version)
    sample = (release_dir / SAMPLE_PATH).exists()
    data = DatasetCardData(**card_data(version, stats, sample=sample))
    registry = registry or load_registry()
    state = {p.id for p in registry if p.state_media}
    reviewed = {p.id for p in registry if p.state_media is not None}
    rows = stats.rows
    instance = data_instance(release_dir, files)
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)
    env.filters["cell"] = md_cell
    env.filters["pct"] = lambda part, whole: f"{100 * part / whole:.1f}%" if whole else "n/a"
    env.filters["n"] = lambda n: f"{n:,}"
    env.filters["plural"] = lambda n, word: f"{n:,} {word}" + ("" if n == 1 else "s")
    body = env.from_string(dataset_card_template().read_text(encoding="utf-8")).render(
        version=version,
        repo_id=repo_id or PLACEHOLDER_REPO,
        repo_named=bool(repo_id),
        project_url=PROJECT_URL,
        stats=stats,
        rows=rows,
        publishers=sorted(stats.publishers.items(), key=lambda kv: (-kv[1].rows, kv[0])),
        months=sorted(stats.months.items()),
        categories=stats.categories.most_common(10),
        state_rows=sum(t.rows for p, t in stats.publishers.items() if p in state),
        state_outlets=sorted(state & set(stats.publishers)),
        unreviewed=sorted(set(stats.publishers) - reviewed),
        instance=fenced(json.dumps(instance, ensure_ascii=False, indent=2), "json") if instance else None,
        sample=sample,
        changelog=list(reversed(manifest.get("changelog") or [])),
        summary=manifest.get("summary") or {},
        fields=[
            {"name": name, "type": _type_label(prop), "description": prop["description"]}
            for name, prop in json_schema()["properties"].items()
        ],
        schema_version=schema_version(),
        pipeline_version=__version__,
        near=NearDupConfig().describe(),
    )
    return f"---\n{data.to_yaml()}\n---\n{body}"  # read back by huggingface_hub.DatasetCard (tests)


def license_text(version: str) -> str:
    return (
        f"# Terms of the aznews corpus (release {version})\n\n"
        "The article texts, titles and bylines belong to their publishers; aznews redistributes them\n"
        "for research on Azerbaijani language and news (text and data mining), with each article's\n"
        "source URL, and removes any article on request (see the card's 'Licence and takedown').\n"
        "Do not republish the articles as news or use them commercially without the publisher's\n"
        "permission. The metadata aznews adds (ids, dates, clusters, quality signals) and the code\n"
        f"that builds it are Apache-2.0: {PROJECT_URL}.\n"
    )


def card_metadata_problems(meta: dict[str, Any]) -> list[str]:
    """Offline check of card metadata against the Hub's dataset-card spec (hub-docs
    ``datasetcard.md``; the Hub's own validation needs the network). Empty when it holds."""
    problems = []
    allowed = {"pretty_name", "language", "language_details", "license", "license_name", "license_link",
               "license_details", "tags", "annotations_creators", "language_creators", "multilinguality",
               "size_categories", "source_datasets", "task_categories", "task_ids", "paperswithcode_id",
               "configs", "dataset_info", "extra_gated_prompt", "viewer"}  # fmt: skip
    problems += [f"unknown key {k!r}" for k in meta if k not in allowed]
    if meta.get("license") == "other":
        problems += [f"license 'other' needs {k}" for k in ("license_name", "license_link") if not meta.get(k)]
    iso = re.compile(r"[a-z]{2,3}")
    problems += [f"language {c!r} is not ISO 639-1/2/3" for c in meta.get("language", []) if not iso.fullmatch(c)]
    problems += [f"language_details {c!r} is not BCP-47" for c in meta.get("language_details", [])
                 if not re.fullmatch(r"[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?", c)]  # fmt: skip
    problems += [f"size category {c!r}" for c in meta.get("size_categories", []) if c not in SIZE_CATEGORIES]
    for key, options in (("multilinguality", {"monolingual", "multilingual", "translation", "other"}),
                         ("annotations_creators", {"found", "crowdsourced", "expert-generated", "machine-generated",
                                                   "no-annotation", "other"}),
                         ("language_creators", {"found", "crowdsourced", "expert-generated", "machine-generated",
                                                "other"})):  # fmt: skip
        problems += [f"{key} {v!r}" for v in meta.get(key, []) if v not in options]
    for cfg in meta.get("configs", []):
        if not cfg.get("config_name") or not all({"split", "path"} <= set(d) for d in cfg.get("data_files", [])):
            problems.append(f"config {cfg!r} needs config_name and data_files of split/path")
    info = meta.get("dataset_info") or {}
    for f in info.get("features", []):
        if "name" not in f or not ({"dtype", "list", "struct", "sequence"} & set(f)):
            problems.append(f"feature {f!r} needs a name and a type")
    for s in info.get("splits", []):
        if not (isinstance(s.get("num_bytes"), int) and isinstance(s.get("num_examples"), int) and s.get("name")):
            problems.append(f"split {s!r} needs name, num_bytes and num_examples")
    sizes = ("download_size", "dataset_size")
    problems += [f"dataset_info.{k} missing" for k in sizes if not isinstance(info.get(k), int)]
    return problems


def _type_label(prop: dict[str, Any]) -> str:
    kinds = prop["type"] if isinstance(prop["type"], list) else [prop["type"]]
    base = next(k for k in kinds if k != "null")
    if base == "array":
        base = f"list[{prop['items']['type']}]"
    elif prop.get("format") == "date-time":
        base = "timestamp (UTC)"
    elif "x-arrow" in prop:
        base = prop["x-arrow"]
    return base + (" (nullable)" if "null" in kinds else "")
