import pytest
import yaml

from aznews.sources import RegistryError, load_registry
from aznews.sources.registry import default_registry_path


def test_bundled_registry_has_the_required_outlets(registry):
    assert len(registry) >= 15
    for pid in (
        "apa",
        "report",
        "azertag",
        "oxu",
        "trend",
        "qafqazinfo",
        "modern",
        "musavat",
        "axar",
        "milli",
        "publika",
        "banker",
        "sia",
        "icma",
        "qaynarinfo",
    ):
        pub = registry[pid]
        assert pub.domains and pub.homepage.startswith("https://")
        assert any(e.language == "az" for e in pub.editions)
        assert pub.terms
    assert registry["icma"].aggregator and not registry["apa"].aggregator


def test_lookups(registry):
    assert registry.for_url("https://ru.oxu.az/society/1").id == "oxu"
    assert registry["oxu"].edition_of("https://ru.oxu.az/society/1") == "ru"
    assert registry["apa"].edition_of("https://apa.az/ru/x/1") == "ru"
    assert registry["apa"].edition_of("https://www.apa.az/siyaset/1") == "az"
    assert registry.for_url("https://example.com/") is None
    assert registry.resolve_credit("Qaynarinfo") == "qaynarinfo"
    assert registry.resolve_credit("https://qaynarinfo.az") == "qaynarinfo"
    assert registry.resolve_credit("AZƏRTAC") == "azertag"
    assert registry.resolve_credit("Associated Press") is None


def _write(tmp_path, entries):
    path = tmp_path / "reg.yaml"
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    return path


def _entry(**over):
    base = {
        "id": "demo",
        "name": "Demo",
        "domains": ["demo.az"],
        "homepage": "https://demo.az/",
        "editions": [{"language": "az", "prefix": "https://demo.az/"}],
    }
    return {**base, **over}


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (_entry(id="Bad Id"), r"entry #2 \(Bad Id\): id: .*must match"),
        (_entry(homepage="demo.az"), r"entry #2 \(demo\): homepage"),
        (_entry(editions=[{"language": "ru", "prefix": "https://demo.az/ru/"}]), r"needs an 'az' edition"),
        (_entry(article_url="([unclosed"), r"article_url: .*invalid regular expression"),
        (_entry(colour="red"), r"colour: Extra inputs are not permitted"),
        (_entry(discovery={"archive": "https://demo.az/arxiv"}), r"\{page\} placeholder"),
    ],
)
def test_malformed_entry_is_named(tmp_path, entry, message):
    path = _write(tmp_path, [_entry(id="first"), entry])
    with pytest.raises(RegistryError, match=message):
        load_registry(path)


def test_duplicate_ids_and_bad_files(tmp_path):
    with pytest.raises(RegistryError, match="duplicate id, first used by entry #1"):
        load_registry(_write(tmp_path, [_entry(), _entry()]))
    with pytest.raises(RegistryError, match="not found"):
        load_registry(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: [unclosed", encoding="utf-8")
    with pytest.raises(RegistryError, match="not valid YAML"):
        load_registry(bad)


def test_default_path_is_the_bundled_file():
    assert default_registry_path().name == "publishers.yaml"
