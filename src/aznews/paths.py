"""Where the project's committed resources live (repository checkout or installed package)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def resource(name: str) -> Path:
    in_repo = ROOT / name
    if in_repo.exists():
        return in_repo
    return Path(__file__).resolve().parent / "_resources" / name  # wheel layout


def expectations_dir() -> Path:
    return resource("expectations")


def dataset_card_template() -> Path:
    return resource("DATASET_CARD.md")


def sample_warc() -> Path:
    return resource("data/samples") / "aznews-sample.warc.gz"
