"""Golden pages, one or more per publisher (Fundus style): fixture HTML in, expected JSON out.

Each ``golden/<name>.html`` has a ``<name>.json`` with the page's URL and fetch time and the
fields the extractor must produce (or the drop it must record). After a deliberate change,
``pytest tests/extract/test_golden.py --update-golden`` rewrites the expectations; review the
diff before committing it.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from aznews.extract import Extractor
from aznews.fetch.warc import Page
from aznews.ledger import Drop

GOLDEN = Path(__file__).with_name("golden")
FIELDS = (
    "id", "canonical_url", "publisher", "site_name", "title", "text", "authors", "published_at", "date_source",
    "category", "tags", "language", "original_publisher", "word_count",
)  # fmt: skip
CASES = sorted(p.stem for p in GOLDEN.glob("*.html"))


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _observed(result) -> dict:
    if isinstance(result, Drop):
        return {"drop": result.rule}
    out = {k: result[k] for k in FIELDS}
    out["published_at"] = out["published_at"].isoformat() if out["published_at"] else None
    return out


@pytest.mark.parametrize("name", CASES)
def test_golden_page(name: str, extractor: Extractor, request: pytest.FixtureRequest) -> None:
    spec_path = GOLDEN / f"{name}.json"
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    page = Page(
        url=spec["page"]["url"],
        status=200,
        headers={"content-type": spec["page"].get("content_type", "text/html")},
        body=(GOLDEN / f"{name}.html").read_bytes(),
        fetched_at=datetime.fromisoformat(spec["page"]["fetched_at"]),
        warc_file="golden.warc.gz",
        warc_record_id=f"<urn:golden:{name}>",
    )
    observed = _observed(extractor(page))
    if request.config.getoption("--update-golden"):
        spec["expect"] = observed
        spec_path.write_text(json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        pytest.skip("expectation rewritten")
    assert spec["expect"] is not None, f"{name}.json has no expectation; run with --update-golden and review"
    assert observed == spec["expect"]


def test_every_fixture_has_an_expectation() -> None:
    assert CASES, "no golden pages found"
    assert {p.stem for p in GOLDEN.glob("*.json")} == set(CASES)


def test_every_registry_outlet_has_a_golden_page() -> None:
    from aznews.sources import load_registry

    covered = {name.split("-")[0] for name in CASES}
    missing = sorted(p.id for p in load_registry() if p.id not in covered)
    assert not missing, f"no golden page for {missing}: add tests/extract/golden/<id>-<case>.html"
