"""The dataset card: rendered as the Hub renders it, read back through huggingface_hub, its
metadata checked against the dataset-card spec, its figures from the release, hostile text inert."""

from __future__ import annotations

import pytest
from huggingface_hub import DatasetCard
from markdown_it import MarkdownIt

from aznews.markdown import fenced, md_cell
from aznews.publish import write_release
from aznews.publish.card import card_metadata_problems
from aznews.publish.catalogue import read_manifest

from . import release_rows

REPO = "aznews-org/aznews"
HOSTILE = "Siyasət | <script>alert(1)</script> [x](javascript:alert(2)) `code`"


def _rows(sample_records):
    rows = release_rows(sample_records)
    rows[0]["category"] = HOSTILE  # a section name as a crawled page printed it
    return rows


@pytest.fixture(scope="module")
def release(tmp_path_factory, sample_records):
    from aznews.dedup import dedup_exact
    from aznews.sources import load_registry

    rows, _ = dedup_exact(_rows(sample_records), load_registry())
    return write_release(rows, "2026.11", tmp_path_factory.mktemp("rel"), repo_id=REPO)


def _tables(markdown: str) -> list[list[list[str]]]:
    """Every table as rows of cell texts, parsed by markdown-it as the Hub does (GFM tables)."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    tables, row, cell = [], None, None
    for tok in tokens:
        if tok.type == "table_open":
            tables.append([])
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "tr_close":
            tables[-1].append(row)
        elif tok.type == "inline" and row is not None and cell:
            row.append(tok.content)
        cell = tok.type in ("th_open", "td_open")
        if tok.type == "table_close":
            row = None
    return tables


def test_card_names_its_repository_and_tag_everywhere(release):
    card = DatasetCard.load(release / "README.md")
    assert "<org>" not in card.text
    assert card.text.count(f'"{REPO}"') >= 3 and f"datasets/{REPO}" in card.text
    assert card.text.count('revision="2026.11"') >= 3
    assert "https://github.com/aznews/aznews/issues" in card.text


def test_card_metadata_follows_the_spec_and_the_release(release):
    meta = DatasetCard.load(release / "README.md").data.to_dict()
    assert card_metadata_problems(meta) == []
    assert meta["license"] == "other" and meta["license_link"] == "LICENSE.md"
    assert meta["language_details"] == ["az-Latn"]
    manifest = read_manifest(release)
    splits = {s["name"]: s["num_examples"] for s in meta["dataset_info"]["splits"]}
    assert splits == manifest["splits"]
    assert meta["dataset_info"]["download_size"] == sum(f["bytes"] for f in manifest["files"])
    assert {c["config_name"] for c in meta["configs"]} == {"default", "sample"}
    assert card_metadata_problems({**meta, "license_link": None, "size_categories": ["huge"]}) == [
        "license 'other' needs license_link",
        "size category 'huge'",
    ]


def test_card_renders_its_tables_whole(release):
    text = DatasetCard.load(release / "README.md").text
    tables = _tables(text)
    splits = next(t for t in tables if t[0][0] == "split")
    assert [r[0] for r in splits[1:]] == ["train", "validation", "test", "**total**"]  # total inside the table
    assert all(len(r) == 4 for r in splits)
    # every row as wide as its header: the hostile section name stayed in its cell
    assert all(len(r) == len(t[0]) for t in tables for r in t)
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<script" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html


def test_card_has_every_section_filled_from_the_release(release):
    text = DatasetCard.load(release / "README.md").text
    headings = ["Load it", "This release", "A data instance", "Fields", "Sources", "Time coverage",
                "Curation rationale", "How it was built", "Personal and sensitive information", "Biases",
                "Known limitations", "Out-of-scope uses", "Changelog", "Licence and takedown", "Citation"]  # fmt: skip
    for heading in headings:
        assert f"## {heading}" in text, heading
    assert "streaming=True" in text and "allow_patterns" in text and '"sample"' in text
    assert " 1 publishers" not in text
    rows = read_manifest(release)["rows"]
    sources = next(t for t in _tables(text) if t[0][0] == "publisher")
    assert sum(int(r[1].replace(",", "")) for r in sources[1:]) == rows


def test_the_released_files_load_with_the_cards_features(release):
    import datasets

    from aznews.schema import features

    ds = datasets.load_dataset(str(release))
    assert ds["train"].features == features()
    sample = datasets.load_dataset(str(release), "sample", split="train")
    assert 0 < len(sample) <= len(ds["train"])


def test_markdown_helpers_keep_hostile_text_inert():
    assert md_cell("a|b\n<i>") == "a\\|b &lt;i&gt;"
    assert fenced("x ``` y").startswith("````") and fenced("plain").startswith("```\n")
