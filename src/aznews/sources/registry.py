"""The publisher registry: a YAML data file loaded into validated, typed objects."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from aznews.textnorm import fold
from aznews.urls import canonical_url

ID_RE = re.compile(r"^[a-z0-9_]{2,32}$")


class RegistryError(ValueError):
    """The registry file is malformed; the message names the entry and the field."""


def _check_regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from exc
    return pattern


def _bare_host(url_or_host: str) -> str:
    """Lower-cased host[:port] without a leading 'www.'."""
    host = urlsplit(url_or_host).netloc if "//" in url_or_host else url_or_host
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def _strip_scheme(url: str) -> str:
    parts = urlsplit(url)
    return _bare_host(parts.netloc) + (parts.path or "/")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Edition(_Model):
    language: str = Field(pattern=r"^[a-z]{2}(-[A-Za-z]{4})?$")
    prefix: str = Field(pattern=r"^https?://")


class Discovery(_Model):
    robots: bool = True
    sitemaps: list[str] = []
    feeds: list[str] = []
    archive: str | None = None
    archive_pages: int = Field(default=3, ge=1, le=1000)

    @field_validator("archive")
    @classmethod
    def _page_placeholder(cls, value: str | None) -> str | None:
        if value is not None and "{page}" not in value:
            raise ValueError("archive pattern needs a {page} placeholder")
        return value


class Examples(_Model):
    """Real URL shapes of the outlet, with where they were seen: the table the registry test
    checks ``article_url`` against, so a maintainer updates data, not code, when a site changes."""

    article: list[str] = []
    not_article: list[str] = []


class Profile(_Model):
    strip_lines: list[str] = []

    @field_validator("strip_lines")
    @classmethod
    def _regexes(cls, value: list[str]) -> list[str]:
        return [_check_regex(p) for p in value]


class Publisher(_Model):
    """One outlet: where it lives, which edition is Azerbaijani, how to read it."""

    id: str
    name: str = Field(min_length=1)
    aliases: list[str] = []
    domains: list[str] = Field(min_length=1)
    homepage: str = Field(pattern=r"^https?://")
    aggregator: bool = False
    priority: int = Field(default=50, ge=0, le=1000)
    # Optional: without editions (or outside every prefix) language ID decides what is Azerbaijani.
    editions: list[Edition] = []
    discovery: Discovery = Discovery()
    # Optional override, matched on the canonical URL: without it the page classifier decides.
    article_url: str | None = None
    examples: Examples = Examples()
    profile: Profile = Profile()
    terms: str = "not reviewed"
    # owned or run by the state (the card's bias section); None: not reviewed yet
    state_media: bool | None = None

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not ID_RE.match(value):
            raise ValueError(f"id {value!r} must match {ID_RE.pattern}")
        return value

    @field_validator("article_url")
    @classmethod
    def _article_re(cls, value: str | None) -> str | None:
        return None if value is None else _check_regex(value)

    @field_validator("domains")
    @classmethod
    def _bare_domains(cls, value: list[str]) -> list[str]:
        """A domain is a host (and a port where the site has one): with a scheme or a path it would
        match no URL, and every page of the outlet would be lost without a word."""
        for domain in value:
            if not re.fullmatch(r"(?:[a-z0-9-]+\.)*[a-z0-9-]+(?::\d{1,5})?", domain.strip().lower()):
                raise ValueError(f"domain {domain!r} must be a host such as apa.az (no scheme, path or spaces)")
        return value

    @field_validator("editions")
    @classmethod
    def _has_az(cls, value: list[Edition]) -> list[Edition]:
        if value and not any(e.language == "az" for e in value):
            raise ValueError("lists editions but no 'az' one")
        return value

    def owns_host(self, host: str) -> bool:
        host = _bare_host(host)
        return any(host == d or host.endswith("." + d) for d in map(_bare_host, self.domains))

    def edition_of(self, url: str) -> str | None:
        """Language of the edition whose prefix is the longest match for ``url``."""
        target = _strip_scheme(url)
        best: tuple[int, str] | None = None
        for ed in self.editions:
            prefix = _strip_scheme(ed.prefix)
            if target.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), ed.language)
        return best[1] if best else None

    def in_az_edition(self, url: str) -> bool:
        """Not under another language's prefix (a URL under no prefix is left to language ID)."""
        return self.edition_of(url) in (None, "az")

    def is_az_article_url(self, url: str) -> bool:
        """True when ``url`` may be an Azerbaijani article: the outlet's host, not another
        edition, and, where the registry gives ``article_url``, matching it on the canonical URL
        (so a trailing '/', 'www.' or tracking parameters never decide)."""
        if not self.owns_host(urlsplit(url).netloc) or not self.in_az_edition(url):
            return False
        return self.article_url is None or re.search(self.article_url, canonical_url(url)) is not None

    def article_url_problem(self) -> str | None:
        """Why ``article_url`` can never match a canonical URL of this outlet (canonical URLs are
        https, lower-case, without www), or None. Checked against the entry's own article
        examples, and its literal start against the homepage's canonical scheme and host."""
        if self.article_url is None:
            return None
        pattern = re.compile(self.article_url)
        if self.examples.article and not any(pattern.search(canonical_url(u)) for u in self.examples.article):
            return f"article_url '{self.article_url}' matches none of its own article examples"
        home = canonical_url(self.homepage)
        start = home[: home.index("/", len("https://"))]  # https://host
        prefix, anchored = literal_prefix(self.article_url)
        if "://" in prefix or anchored:
            common = min(len(prefix), len(start))
            if prefix[:common] != start[:common]:
                return (
                    f"article_url '{self.article_url}' can never match: URLs are matched in canonical form, "
                    f"which starts {start}/"
                )
        return None

    @cached_property
    def strip_patterns(self) -> list[re.Pattern[str]]:
        return [re.compile(p) for p in self.profile.strip_lines]


_ESCAPED = set(".-/:?&=#%_~")  # escaped characters that stand for themselves
_META = set(".^$*+?{}[]()|\\")


def literal_prefix(pattern: str) -> tuple[str, bool]:
    """The characters every match of ``pattern`` starts with (as far as they are plain), and
    whether it is anchored at the start. A literal followed by a quantifier is not certain, so the
    prefix stops before it."""
    anchored = pattern.startswith(("^", "\\A"))
    i = 2 if pattern.startswith("\\A") else int(anchored)
    out: list[str] = []
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern) and pattern[i + 1] in _ESCAPED:
            ch, step = pattern[i + 1], 2
        elif ch in _META:
            break
        else:
            step = 1
        if i + step < len(pattern) and pattern[i + step] in "?*{":
            break  # optional: not certain
        out.append(ch)
        i += step
    return "".join(out), anchored


class Registry:
    """All publishers, with lookups by id, host and credited name."""

    def __init__(self, publishers: list[Publisher], path: Path | None = None) -> None:
        self.path = path
        self.publishers = publishers
        self.by_id = {p.id: p for p in publishers}
        # mistakes that lose an outlet without an error: said by every command that loads it
        self.problems = [f"{p.id}: {why}" for p in publishers if (why := p.article_url_problem())]
        self._names: dict[str, str] = {}
        for p in publishers:
            for name in [p.name, *p.aliases, *p.domains]:
                self._names[_name_key(name)] = p.id

    def __iter__(self):
        return iter(self.publishers)

    def __len__(self) -> int:
        return len(self.publishers)

    def __getitem__(self, pid: str) -> Publisher:
        return self.by_id[pid]

    def for_url(self, url: str) -> Publisher | None:
        """The publisher owning ``url``'s host (the most specific domain wins)."""
        host = urlsplit(url).netloc
        owners = [p for p in self.publishers if p.owns_host(host)]
        if not owners:
            return None
        return max(owners, key=lambda p: max(len(d) for d in p.domains if p.owns_host(host)))

    def resolve_credit(self, credit: str) -> str | None:
        """Registry id for a credited outlet name, alias or URL ('Qaynarinfo', 'https://apa.az')."""
        credit = credit.strip().strip(".,;:").strip()
        if "://" in credit or re.match(r"^[\w.-]+\.[a-z]{2,}$", credit, re.I):
            pub = self.for_url(credit if "://" in credit else f"https://{credit}/")
            if pub:
                return pub.id
        return self._names.get(_name_key(credit))


def _name_key(name: str) -> str:
    key = fold(name)
    key = re.sub(r"^https?://", "", key)
    key = key.removeprefix("www.")
    return re.sub(r"[^\w.]+", "", key).rstrip(".")


def default_registry_path() -> Path:
    return Path(__file__).with_name("publishers.yaml")


def load_registry(path: str | Path | None = None) -> Registry:
    """Load and validate a registry file; any malformed entry raises ``RegistryError``."""
    path = Path(path) if path else default_registry_path()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RegistryError(f"registry file not found: {path}") from exc
    except UnicodeDecodeError as exc:
        raise RegistryError(f"registry {path}: not UTF-8 (byte {exc.start}); save it as UTF-8") from None
    except yaml.YAMLError as exc:
        raise RegistryError(f"registry {path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, list) or not raw:
        raise RegistryError(f"registry {path}: expected a non-empty list of publishers")
    publishers: list[Publisher] = []
    seen: dict[str, int] = {}
    owners: dict[str, str] = {}  # domain -> publisher id
    for index, entry in enumerate(raw, start=1):
        label = entry.get("id", "?") if isinstance(entry, dict) else "?"
        where = f"registry {path}: entry #{index} ({label})"
        if not isinstance(entry, dict):
            raise RegistryError(f"{where}: expected a mapping, got {type(entry).__name__}")
        try:
            pub = Publisher.model_validate(entry)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(x) for x in err['loc']) or 'entry'}: {err['msg']}" for err in exc.errors()
            )
            raise RegistryError(f"{where}: {problems}") from None
        if pub.id in seen:
            raise RegistryError(f"{where}: duplicate id, first used by entry #{seen[pub.id]}")
        seen[pub.id] = index
        for domain in map(_bare_host, pub.domains):
            if (owner := owners.get(domain)) is not None:
                raise RegistryError(f"{where}: domain {domain} is already {owner}'s; a domain has one owner")
            owners[domain] = pub.id
        publishers.append(pub)
    return Registry(publishers, path)
