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
        assert not pub.editions or any(e.language == "az" for e in pub.editions)
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
        (_entry(editions=[{"language": "ru", "prefix": "https://demo.az/ru/"}]), r"lists editions but no 'az' one"),
        (_entry(article_url="([unclosed"), r"article_url: .*invalid regular expression"),
        (_entry(colour="red"), r"colour: Extra inputs are not permitted"),
        (_entry(discovery={"archive": "https://demo.az/arxiv"}), r"\{page\} placeholder"),
        (_entry(domains=["apa.az/az"]), r"domain 'apa.az/az' must be a host"),
        (_entry(domains=["https://demo.az"]), r"domain 'https://demo.az' must be a host"),
        (_entry(id="second", domains=["first.az"]), r"entry #2 \(second\): domain first.az is already first's"),
    ],
)
def test_malformed_entry_is_named(tmp_path, entry, message):
    path = _write(tmp_path, [_entry(id="first", domains=["first.az"]), entry])
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
    latin = tmp_path / "latin1.yaml"
    latin.write_bytes("- id: demo\n  name: Xəbər\n".encode().replace("ə".encode(), b"\xe6"))
    with pytest.raises(RegistryError, match="not UTF-8"):
        load_registry(latin)


def test_default_path_is_the_bundled_file():
    assert default_registry_path().name == "publishers.yaml"


REGISTRY = load_registry()
SHAPES = [(p.id, url, True) for p in REGISTRY for url in p.examples.article] + [
    (p.id, url, False) for p in REGISTRY for url in p.examples.not_article
]


@pytest.mark.parametrize(("pid", "url", "article"), SHAPES, ids=[f"{p}:{u}" for p, u, _ in SHAPES])
def test_real_url_shapes_per_outlet(pid: str, url: str, article: bool) -> None:
    """The registry's own table of real URL shapes (publishers.yaml ``examples``): when a site
    changes, a maintainer edits data. Matching is on the canonical URL, so a trailing '/' or
    'www.' never decides, and a search page never canonicalises into an article shape."""
    pub = REGISTRY[pid]
    assert pub.is_az_article_url(url) is article
    www = url.replace("https://", "https://www.", 1)
    assert pub.is_az_article_url(www) is article


def test_every_outlet_documents_article_and_non_article_shapes() -> None:
    for pub in REGISTRY:
        if pub.article_url:
            assert pub.examples.article and pub.examples.not_article, pub.id


def test_a_zero_config_entry_needs_only_id_name_domain_homepage(tmp_path) -> None:
    path = tmp_path / "reg.yaml"
    path.write_text("- {id: demo, name: Demo, domains: [demo.az], homepage: 'https://demo.az/'}\n", encoding="utf-8")
    pub = load_registry(path)["demo"]
    assert pub.in_az_edition("https://demo.az/ru/novosti/1")  # no editions: language ID decides
    assert pub.is_az_article_url("https://demo.az/any/shape-at-all")  # no article_url: the classifier decides
