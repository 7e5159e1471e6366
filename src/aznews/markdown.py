"""Text from crawled pages placed in Markdown (the card, the report, Prefect artifacts): inert."""

from __future__ import annotations

import re


def md_cell(value: object) -> str:
    """Text from a crawled page as one Markdown table cell: no link, no HTML, no new row or cell
    (emphasis is left alone: harmless, and ``publisher_share`` stays searchable as written)."""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`\[\]|])", r"\\\1", text)


def fenced(text: str, lang: str = "") -> str:
    """``text`` as a fenced code block whose fence no backtick run inside can close."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{lang}\n{text}\n{fence}"
