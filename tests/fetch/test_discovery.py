"""Discovery parsers on feeds shaped like the live outlets' (see publishers.yaml evidence)."""

from __future__ import annotations

from aznews.fetch.discovery import parse_feed, parse_sitemap


def test_feed_items_with_one_guid_all_yield_their_links():
    # qafqazinfo.az/rss (2026-09): 100 items, every one with the same <guid>
    items = "".join(
        f"<item><title>Xəbər {i}</title><link>https://qafqazinfo.az/news/detail/{1000 + i}</link>"
        f"<guid>https://qafqazinfo.az</guid><pubDate>Thu, 19 Nov 2026 10:0{i}:00 +0400</pubDate></item>"
        for i in range(5)
    )
    found = parse_feed(f"<rss version='2.0'><channel>{items}</channel></rss>".encode(), "https://qafqazinfo.az/rss")
    assert [f.url for f in found] == [f"https://qafqazinfo.az/news/detail/{1000 + i}" for i in range(5)]
    assert all(f.when and f.when.day == 19 for f in found)


def test_feed_without_guid_and_with_html_entities_in_titles():
    # azertag.az/rss: no <guid>; modern.az/rss: HTML entities (undefined in XML) in titles
    body = (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        "<item><title>&laquo;Qarabağ&raquo;&nbsp;qalib gəldi</title><link>/az/aktual/457054/qarabag/</link></item>"
        "<item><title>İkinci</title><link>https://modern.az/az/tehsil/514701/imtahan/</link></item>"
        "</channel></rss>"
    ).encode()
    found = parse_feed(body, "https://modern.az/rss")
    assert [f.url for f in found] == [
        "https://modern.az/az/aktual/457054/qarabag/",
        "https://modern.az/az/tehsil/514701/imtahan/",
    ]


def test_not_xml_is_nothing_found():
    assert parse_feed(b"<html><body>Just a moment...</body></html>", "https://x.az/rss") == []
    assert parse_sitemap(b"\x00\x01 not xml") == []
