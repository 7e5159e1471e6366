"""The shared parse builds the tree trafilatura's own loader builds, element for element."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.utils import load_html, repair_faulty_html

from aznews.extract.parse import nested_too_deep, parse_html, repaired_utf8

PAGES = sorted((Path(__file__).parent / "golden").rglob("*.html"))
ODD = [
    "<!DOCTYPE html/>\n<html/>\n<body><p>x\x01y\ufffe ə</p></body>",
    "<html lang=az />\n<body><p>a</p></body>",
    "\x00<!doctype html><html><body><p>b</p></body></html>",
    "<!doctype html SYSTEM '/x'>",
    '<?xml version="1.0" encoding="windows-1251"?><html><body><p>İ\udc80</p></body></html>',
    "<html><body><form><input name=q><select><option>1</select></form><p>c</p></body></html>",
    "",
    "just text, no markup",
]


@pytest.mark.parametrize(
    "html",
    [p.read_text("utf-8") for p in PAGES] + ODD,
    ids=[p.name for p in PAGES] + [f"odd{i}" for i in range(len(ODD))],
)
def test_the_tree_and_repairs_match_trafilaturas_loader(html):
    assert repaired_utf8(html) == repair_faulty_html(html, html[:50].lower()).encode("utf8", "surrogatepass")
    ours, theirs = parse_html(html), load_html(html)
    assert (ours is None) == (theirs is None)
    if ours is not None:
        assert isinstance(ours, HtmlElement) and all(isinstance(e, HtmlElement) for e in ours.iter(etree.Element))
        assert etree.tostring(ours, encoding="unicode") == etree.tostring(theirs, encoding="unicode")


def test_too_deep_nesting_is_reported():
    assert parse_html("<html><body>" + "<div>" * 300 + "x") is not None and nested_too_deep()
    parse_html("<html><body><p>x</p></body></html>")
    assert not nested_too_deep()
