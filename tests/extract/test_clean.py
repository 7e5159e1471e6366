import pytest
from lxml.html import fromstring

from aznews.extract.clean import clean_body, clean_title, mend_tree, rules, text_credit_rules, text_credits
from aznews.extract.decode import decode_html
from aznews.sources import load_registry


def test_preamble_credit_and_boilerplate():
    paras = [
        "Qaynarinfo saytından alınan məlumata görə, Icma.az bildirir.",
        "Əsas mətn burada davam edir.",
        "Ən son yeniliklər və məlumatlar üçün Icma.az saytını izləyin, biz hadisənin gedişatını izləyirik.",
        "Baxış sayı:106",
        "Mənbə:https://qaynarinfo.az",
        "A-",
        "A+",
    ]
    out = clean_body(paras)
    assert out.paragraphs == ["Əsas mətn burada davam edir."]
    assert out.credits == ["Qaynarinfo", "https://qaynarinfo.az"]


def test_title_keeps_the_publishers_labels_and_tags_them():
    assert clean_title("Tokayevin Ankara səfəri Rusiyanı niyə qıcıqlandırır? (ŞƏRH)") == (
        "Tokayevin Ankara səfəri Rusiyanı niyə qıcıqlandırır? (ŞƏRH)",
        ["ŞƏRH"],
    )
    assert clean_title("Azərbaycanda uşaqlı ailələrə 500 manat pul veriləcək? RƏSMİ CAVAB") == (
        "Azərbaycanda uşaqlı ailələrə 500 manat pul veriləcək? RƏSMİ CAVAB",
        ["RƏSMİ", "CAVAB"],
    )
    assert clean_title("Buraxılış imtahanının nəticələri açıqlanıb – SİYAHI") == (
        "Buraxılış imtahanının nəticələri açıqlanıb – SİYAHI",
        ["SİYAHI"],
    )
    assert clean_title("FOTO") == ("FOTO", [])  # a title is never emptied


def test_title_loses_the_site_suffix_and_an_aggregators_labels():
    assert clean_title("Alyaskada yoxa çıxan təyyarədən xəbər var - Oxu.az", ("Oxu.az",)) == (
        "Alyaskada yoxa çıxan təyyarədən xəbər var",
        [],
    )
    assert clean_title("Taxıl idxalında qiymətlər sabitləşəcək (ŞƏRH) | Icma.az", ("Icma.az",), keep_labels=False) == (
        "Taxıl idxalında qiymətlər sabitləşəcək",
        ["ŞƏRH"],
    )


RULES = [(r.kind, r.pattern.pattern, r) for r in rules().all]


@pytest.mark.parametrize(("kind", "pattern", "rule"), RULES, ids=[f"{k}:{p[:40]}" for k, p, _ in RULES])
def test_each_cleaning_rule_removes_its_lines_and_keeps_the_sentences_beside_them(kind, pattern, rule):
    """Every rule in boilerplate.yaml, with its own examples: the lines it exists for go, the real
    sentences next to them (same opening words) stay."""
    assert rule.removes and rule.keeps, f"{pattern} needs removes and keeps examples"
    out = clean_body([*rule.keeps, *rule.removes])
    assert out.paragraphs == list(rule.keeps), pattern
    assert out.removed == len(rule.removes)


def test_text_after_an_empty_inline_element_is_kept():
    import trafilatura

    prose = "".join(f"<p>Bank kartları ilə aparılan ödənişlərin həcmi ötən il artıb, nömrə {i}.</p>" for i in range(4))
    tail = "<p>Kampaniya şərtləri ilə tanış olun<strong></strong> və kartı sifariş edin: Yelo Bank</p>"
    html = f"<html><body><article>{prose}{tail}</article></body></html>"
    tree = fromstring(html)
    mend_tree(tree)
    text = trafilatura.bare_extraction(tree, with_metadata=False, favor_precision=True, fast=True).text
    assert "və kartı sifariş edin: Yelo Bank" in text


def test_a_paragraph_that_is_one_link_keeps_its_text_among_prose():
    prose = "<p>Mərkəzi Bank uçot dərəcəsini dəyişməz saxlayıb, qərar yekdilliklə qəbul edilib.</p>"
    html = f'<div>{prose}<p><a href="/x">Qərarın tam mətni bankın rəsmi saytında dərc olunub</a></p>{prose}</div>'
    tree = fromstring(html)
    mend_tree(tree)
    assert not tree.findall(".//a") and "Qərarın tam mətni" in tree.text_content()
    menu = '<div><p><a href="/a">Siyasət xəbərləri bu bölmədə toplanıb</a></p><p><a href="/b">Dünya</a></p></div>'
    tree = fromstring(menu)
    mend_tree(tree)
    assert len(tree.findall(".//a")) == 2  # links among links stay links


def test_lying_charset_header():
    body = "<html><meta charset='utf-8'><p>Azərbaycan xəbərləri</p></html>".encode()
    text, used = decode_html(body, "text/html; charset=ISO-8859-1")
    assert "Azərbaycan" in text and used == "utf-8"
    cp = "<p>Новости Азербайджана сегодня</p>".encode("cp1251")
    text, _ = decode_html(cp, "text/html; charset=windows-1251")
    assert "Новости" in text


TEXT_CREDITS = [(r.pattern.pattern, r) for r in text_credit_rules()]


@pytest.mark.parametrize(("pattern", "rule"), TEXT_CREDITS, ids=[p[:40] for p, _ in TEXT_CREDITS])
def test_each_agency_formula_finds_its_credit_and_nothing_in_the_sentences_beside_it(pattern, rule):
    known = {"apa", "report", "trend", "azertag"}
    registry = load_registry()

    def in_registry(name: str) -> bool:
        return registry.resolve_credit(name) in known

    for sentence, name in rule.finds:
        where = "last" if rule.where == {"last"} else "first"
        paragraphs = ["Giriş cümləsi burada yazılıb.", sentence] if where == "last" else [sentence, "Son cümlə."]
        assert text_credits(paragraphs, in_registry) == [name], sentence
    for sentence in rule.keeps:
        assert text_credits([sentence, sentence], in_registry) == [], sentence


def test_agency_formulas_in_articles_give_the_original_publisher_but_not_the_outlets_own():
    from datetime import UTC, datetime

    from aznews.extract.page import Extractor
    from aznews.fetch.warc import Page

    body = ("Bu, yeni qaydaların ikinci mərhələsidir və bir neçə nazirliyin birgə işinin nəticəsidir. " * 6).strip()

    def original(url: str, first: str, last: str = "Bu barədə ətraflı məlumat sonra veriləcək.") -> str | None:
        html = (f"<html><head><title>Yeni qaydalar təsdiqlənib</title><meta property='og:type' content='article'>"
                f"<meta property='article:published_time' content='2026-11-20T10:00:00+04:00'></head><body><article>"
                f"<h1>Yeni qaydalar təsdiqlənib</h1><p>{first}</p><p>{body}</p><p>{body}</p><p>{last}</p></article>"
                "</body></html>")  # fmt: skip
        page = Page(url=url, status=200, headers={"Content-Type": "text/html"}, body=html.encode(),
                    fetched_at=datetime(2026, 11, 21, tzinfo=UTC), warc_file="x", warc_record_id="1")  # fmt: skip
        got = Extractor()(page)
        assert isinstance(got, dict), got
        return got["original_publisher"]

    opening = "Trend xəbər verir ki, Nazirlər Kabineti yeni qaydaları təsdiqləyib."
    assert original("https://modern.az/az/news/123456", opening) == "trend"
    assert original("https://az.trend.az/azerbaijan/politics/3912345.html", opening) is None  # its own formula
    reposted = "Modern.az APA-ya istinadən xəbər verir ki, qaydalar yanvarda qüvvəyə minir."
    assert original("https://modern.az/az/news/123457", reposted) == "apa"
    cited = "Rəqəmlər APA-ya istinadən verilib."  # one fact cited at the end: not a republication
    assert original("https://modern.az/az/news/123458", "Qaydalar yanvarda qüvvəyə minir.", cited) is None
    closing = "Bu barədə AZƏRTAC-a bildirilib."
    assert original("https://modern.az/az/news/123459", "Qaydalar yanvarda qüvvəyə minir.", closing) == "azertag"
    foreign = "Reuters xəbər verir ki, danışıqlar yeni mərhələyə keçib."
    assert original("https://modern.az/az/news/123460", foreign) == "Reuters"  # kept as printed
