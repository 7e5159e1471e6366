import pytest

from aznews.urls import article_id, canonical_url


@pytest.mark.parametrize(
    "variant",
    [
        "http://www.apa.az/cemiyyet/901234",
        "https://apa.az/cemiyyet/901234/",
        "https://APA.az/cemiyyet/901234?utm_source=facebook&fbclid=abc",
        "https://m.apa.az/cemiyyet/901234#comments",
        "https://apa.az/cemiyyet/901234/amp",
        "https://amp.apa.az/cemiyyet/901234",
    ],
)
def test_variants_share_one_canonical_url(variant):
    assert canonical_url(variant) == "https://apa.az/cemiyyet/901234"


def test_meaningful_query_is_kept_and_ids_are_stable():
    assert canonical_url("https://site.az/news?id=5") == "https://site.az/news?id=5"
    assert article_id("https://apa.az/x") == article_id("https://apa.az/x")
    assert len(article_id("https://apa.az/x")) == 32
