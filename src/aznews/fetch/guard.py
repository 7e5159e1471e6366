"""SSRF guard: refuse URLs whose host resolves to a private, loopback, link-local, reserved or
cloud-metadata address, unless an explicit allow-list (CIDRs) permits it."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit


class BlockedAddress(Exception):
    """The URL points somewhere the crawler must not go."""


class AddressGuard:
    def __init__(self, allow: list[str] | tuple[str, ...] = ()) -> None:
        self.allow = [ipaddress.ip_network(a, strict=False) for a in allow]

    def check(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise BlockedAddress(f"scheme {parts.scheme!r} not allowed: {url}")
        host = parts.hostname
        if not host:
            raise BlockedAddress(f"no host in {url}")
        try:
            infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80))
        except socket.gaierror as exc:
            raise BlockedAddress(f"cannot resolve {host}: {exc}") from exc
        for info in infos:
            addr = ipaddress.ip_address(info[4][0])
            if any(addr in net for net in self.allow):
                continue
            if (
                addr.is_private
                or addr.is_loopback
                or addr.is_link_local
                or addr.is_reserved
                or addr.is_multicast
                or addr.is_unspecified
                or str(addr) == "169.254.169.254"
            ):
                raise BlockedAddress(f"{host} resolves to non-public address {addr}")
