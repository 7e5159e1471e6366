"""The report's charts as inline SVG: horizontal bars of labelled counts and histograms.

Written by hand rather than with matplotlib: three bar charts cost 2 s of matplotlib per report
(0.7 s of it the import), a third of a small run; these take milliseconds. Every label is
escaped (labels can be crawled text); count axes get whole-number ticks.
"""

from __future__ import annotations

import math
from html import escape

_W, _LABEL_W, _ROW_H, _PAD = 640, 200, 18, 6
_BAR, _HIST = "#3b6ea5", "#5a9e6f"


def _ticks(top: float, whole: bool) -> list[float]:
    """About five round tick values from 0 to at least ``top`` (integers for counts)."""
    if top <= 0:
        return [0, 1]
    raw = top / 5
    step = 10 ** math.floor(math.log10(raw))
    step = next(m * step for m in (1, 2, 5, 10) if m * step >= raw)
    if whole:
        step = max(1, round(step))
    return [i * step for i in range(math.ceil(top / step) + 1)]


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.3g}"


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="sans-serif" font-size="11">'
        f"<title>{escape(title)}</title>"
    )
    return head + "".join(body) + "</svg>"


def bar(labels: list[str], values: list[float], title: str) -> str:
    """Horizontal bars, one per label, in the order given; the value at each bar's end."""
    top = max(values, default=0)
    ticks = _ticks(top, all(float(v).is_integer() for v in values))
    scale = (_W - _LABEL_W - 60) / ticks[-1]
    height = 28 + _ROW_H * len(labels) + 20
    body = [f'<text x="{_PAD}" y="14" font-weight="bold">{escape(title)}</text>']
    for t in ticks:
        x = _LABEL_W + t * scale
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="22" y2="{height - 18}" stroke="#ddd"/>')
        body.append(f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" fill="#555">{_fmt(t)}</text>')
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 24 + i * _ROW_H
        shown = label if len(label) <= 32 else label[:31] + "…"
        body.append(
            f'<text x="{_LABEL_W - _PAD}" y="{y + 12}" text-anchor="end"><title>{escape(label)}</title>'
            f"{escape(shown)}</text>"
            f'<rect x="{_LABEL_W}" y="{y + 2}" width="{value * scale:.1f}" height="{_ROW_H - 4}" fill="{_BAR}"/>'
            f'<text x="{_LABEL_W + value * scale + 4:.1f}" y="{y + 12}" fill="#333">{_fmt(value)}</text>'
        )
    return _svg(_W, height, title, body)


def hist(lo: float, hi: float, counts: list[int], title: str) -> str:
    """A histogram of equal bins from ``lo`` to ``hi`` holding ``counts``, on a whole-number axis."""
    bins = len(counts)
    width = (hi - lo) / bins or 1.0
    ticks = _ticks(max(counts), True)
    plot_h, left, plot_w = 150, 50, _W - 70
    scale = plot_h / ticks[-1]
    body = [f'<text x="{_PAD}" y="14" font-weight="bold">{escape(title)}</text>']
    for t in ticks:
        y = 24 + plot_h - t * scale
        body.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        body.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{_fmt(t)}</text>')
    bw = plot_w / bins
    for i, c in enumerate(counts):
        h = c * scale
        body.append(f'<rect x="{left + i * bw:.1f}" y="{24 + plot_h - h:.1f}" width="{bw - 1:.1f}" '
                    f'height="{h:.1f}" fill="{_HIST}"><title>{_fmt(lo + i * width)}–{_fmt(lo + (i + 1) * width)}: '
                    f"{c}</title></rect>")  # fmt: skip
    for x in (lo, (lo + hi) / 2, hi):
        px = left + (x - lo) / (hi - lo or 1) * plot_w
        body.append(f'<text x="{px:.1f}" y="{24 + plot_h + 14}" text-anchor="middle" fill="#555">{_fmt(x)}</text>')
    return _svg(_W, plot_h + 46, title, body)
