"""GX Data Docs that work offline: the CDN assets GX links are served from the site's own copies
(``vendor/``, see its README), and any other external stylesheet or script is left out, so the
validation list and the pages render with no network, and a page never loads a third-party URL."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

VENDOR = Path(__file__).parent / "vendor"
ASSETS = "static/aznews-vendor"  # inside the site
_LOCAL = {  # the file each CDN URL GX links is replaced by
    "jquery": "jquery.min.js",
    "bootstrap.min.css": "bootstrap.min.css",
    "bootstrap.min.js": "bootstrap.min.js",
    "popper.min.js": "popper.min.js",
    "bootstrap-table.min.css": "bootstrap-table.min.css",
    "bootstrap-table.min.js": "bootstrap-table.min.js",
    "bootstrap-table-filter-control.min.js": "bootstrap-table-filter-control.min.js",
    "bootstrap-table-filter-control.css": "bootstrap-table-filter-control.min.css",
    "bootstrap-table-filter-control.min.css": "bootstrap-table-filter-control.min.css",
    "bootstrap-datepicker.min.js": "bootstrap-datepicker.min.js",
    "bootstrap-datepicker.min.css": "bootstrap-datepicker.min.css",
    "all.min.css": "fontawesome/css/all.min.css",  # the status icons (solid and regular faces only)
}
_TAG = re.compile(r"""<(script|link)\b[^>]*?\b(?:src|href)=["'](https?://[^"']+)["'][^>]*>(?:\s*</script>)?""", re.I)


_LOGO = re.compile(r'src="https://great-expectations-web-assets[^"]*/logo-long\.png[^"]*"')


def _local_name(url: str) -> str | None:
    name = url.rsplit("/", 1)[-1]
    if name.startswith("jquery-") and name.endswith(".min.js"):
        return _LOCAL["jquery"]
    return _LOCAL.get(name)


def make_offline(site: Path) -> int:
    """Copy the assets into ``site`` and rewrite its pages; returns the pages rewritten."""
    target = site / ASSETS
    shutil.copytree(VENDOR, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.md", "*.txt"))
    pages = 0
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        rel = os.path.relpath(target, page.parent)

        def local(m: re.Match[str], rel: str = rel) -> str:
            name = _local_name(m.group(2))
            if name is None:
                return ""  # an external asset we do not ship (icons, dark theme)
            tag = m.group(0).replace(m.group(2), f"{rel}/{name}")
            # a local copy: no subresource hash of the CDN file, no CORS mode (fails on file://)
            return re.sub(r'\s(?:integrity|crossorigin)="[^"]*"', "", tag)

        logo = f'src="{os.path.relpath(site / "static/images", page.parent)}/logo-long.png"'  # GX ships it
        new = _LOGO.sub(logo, _TAG.sub(local, html))
        if new != html:
            page.write_text(new, encoding="utf-8")
            pages += 1
    return pages
