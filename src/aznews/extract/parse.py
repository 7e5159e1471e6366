"""One parse per page, shared by the metadata reader, the page classifier and trafilatura.

trafilatura's own loader (``trafilatura.utils.load_html``) parses with ``lxml.html``'s parser,
whose element-class lookup is a Python call for every element Python touches: ~13% of
trafilatura's time on a 120 KB news page. Here the same parser options and the same repairs run
with one class for every element (``HtmlElement``, what trafilatura needs), chosen in C. The
loader's steps are repeated because it takes no parser argument.
"""

from __future__ import annotations

import threading

from lxml import etree
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HTMLParser, HtmlProcessingInstruction, fromstring
from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML, is_dubious_html, repair_faulty_html

_LOCAL = threading.local()  # lxml parsers must not be shared between threads
_XML_FORBIDDEN_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\r")  # never inside a UTF-8 sequence


def parser() -> HTMLParser:
    """This thread's parser: trafilatura's options, one element class looked up in C."""
    if (found := getattr(_LOCAL, "parser", None)) is None:
        found = _LOCAL.parser = HTMLParser(
            collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True, remove_pis=True
        )
        found.set_element_class_lookup(
            etree.ElementDefaultClassLookup(
                element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
            )
        )
    return found


def repaired_utf8(html: str) -> bytes:
    """``trafilatura.utils.repair_faulty_html`` as UTF-8, without its regex pass over the whole
    page (1 ms on 120 KB) when a byte scan finds none of the characters that pass removes."""
    beginning = html[:50].lower()
    data = html.encode("utf8", "surrogatepass")
    if (
        len(data.translate(None, _XML_FORBIDDEN_BYTES)) != len(data)
        or b"\xef\xbf\xbe" in data  # U+FFFE
        or b"\xef\xbf\xbf" in data  # U+FFFF
    ):
        return repair_faulty_html(html, beginning).encode("utf8", "surrogatepass")
    original = html  # the rest of repair_faulty_html, step for step
    if "doctype" in beginning:
        firstline, newline, rest = html.partition("\n")
        fixed = DOCTYPE_TAG.sub("", firstline, count=1)
        if fixed != firstline or not newline:  # (it appends a newline to a one-line page)
            html = fixed + "\n" + rest
    for line in html[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            html = FAULTY_HTML.sub(r"\1>", html, count=1)
            break
    return data if html is original else html.encode("utf8", "surrogatepass")


def parse_html(html: str) -> HtmlElement | None:
    """The page's tree as ``trafilatura.utils.load_html`` would build it from decoded HTML, or
    None when it is not HTML at all."""
    dubious = is_dubious_html(html[:50].lower())
    try:  # UTF-8 bytes: libxml2 reads them as they are (a str costs it more); the parser is
        # told UTF-8, so a charset the page declares cannot mislead it
        tree = fromstring(repaired_utf8(html), parser=parser())
    except (ValueError, etree.LxmlError):
        return None
    if dubious and len(tree) < 2:
        return None
    return tree


def nested_too_deep() -> bool:
    """Whether the last parse on this thread hit libxml2's nesting limit (256 levels)."""
    return any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser().error_log)
