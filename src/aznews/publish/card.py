"""Render the dataset card (the Hub README) from ``DATASET_CARD.md``."""

from __future__ import annotations

from collections import Counter
from typing import Any

import jinja2
import yaml

from aznews import __version__
from aznews.dedup.near import NearDupConfig
from aznews.paths import dataset_card_template
from aznews.schema import json_schema, schema_version


def size_category(n: int) -> str:
    bounds = [
        (1_000, "n<1K"),
        (10_000, "1K<n<10K"),
        (100_000, "10K<n<100K"),
        (1_000_000, "100K<n<1M"),
        (10_000_000, "1M<n<10M"),
    ]
    return next((label for limit, label in bounds if n < limit), "10M<n<100M")


def card_yaml(version: str, total: int, data_files: dict[str, list[str]]) -> str:
    from datasets import DatasetInfo

    from aznews.schema import features

    header = {
        "pretty_name": "aznews: Azerbaijani news corpus",
        "language": ["az"],
        "license": "other",
        "license_name": "aznews-mixed-publisher-terms",
        "license_details": "Article texts belong to their publishers; see 'Licence and takedown'.",
        "task_categories": ["text-generation", "fill-mask", "text-classification"],
        "task_ids": ["language-modeling", "masked-language-modeling", "topic-classification"],
        "size_categories": [size_category(total)],
        "multilinguality": ["monolingual"],
        "source_datasets": ["original"],
        "tags": ["news", "azerbaijani", "aznews", f"release-{version}"],
        "configs": [
            {
                "config_name": "default",
                "default": True,
                "data_files": [{"split": s, "path": p} for s, paths in data_files.items() for p in paths],
            }
        ],
        "dataset_info": {
            **DatasetInfo(features=features())._to_yaml_dict(),
            "config_name": "default",
        },
    }
    return yaml.safe_dump(header, sort_keys=False, allow_unicode=True, width=100).strip()


def render_card(
    *,
    version: str,
    records: list[dict[str, Any]],
    counts: dict[str, int],
    data_files: dict[str, list[str]],
    summary: dict[str, Any],
    new_rows: int | None = None,
    changelog: list[dict[str, Any]] | None = None,
) -> str:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)
    template = env.from_string(dataset_card_template().read_text(encoding="utf-8"))
    total = sum(counts.values())
    publishers = Counter(r["publisher"] for r in records)
    dated = [r["published_at"] for r in records if r.get("published_at")]
    fields = [
        {"name": name, "type": _type_label(prop), "description": prop["description"]}
        for name, prop in json_schema()["properties"].items()
    ]
    return template.render(
        yaml_header=card_yaml(version, total, data_files),
        version=version,
        total=total,
        counts=counts,
        new_rows=total if new_rows is None else new_rows,
        changelog=list(
            reversed(changelog or [{"version": version, "rows": total, "new_rows": total, "taken_down": 0}])
        ),
        publishers=sorted(publishers.items(), key=lambda kv: (-kv[1], kv[0])),
        date_min=min(dated).date().isoformat() if dated else "n/a",
        date_max=max(dated).date().isoformat() if dated else "n/a",
        dated_share=(len(dated) / total) if total else 0.0,
        author_share=(sum(bool(r.get("authors")) for r in records) / total) if total else 0.0,
        reposts=sum(1 for r in records if r.get("original_publisher")),
        clusters=sum(1 for r in records if r.get("cluster_size", 1) > 1),
        fields=fields,
        summary=summary,
        schema_version=schema_version(),
        pipeline_version=__version__,
        repo_id=summary.get("repo_id") or "<org>/aznews",
        near=NearDupConfig().describe(),
    )


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
