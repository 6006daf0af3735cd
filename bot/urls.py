"""Which addresses the bot may fetch: pure checks, no I/O (used by the settings, the CLI and the fetcher)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def check_url(url: str) -> str:
    """The URL, stripped, if it is an absolute http or https address with a host; else ValueError saying why."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        raise ValueError(f"not a valid address ({exc})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError(f"only http and https addresses are fetched, not {parts.scheme or 'a relative address'!r}")
    if not parts.hostname:
        raise ValueError("the address has no host")
    return url


def public_address(address: str) -> bool:
    """Whether an IP address is one the open internet routes: not private, loopback, link-local,
    reserved, multicast or unspecified (IPv4 mapped into IPv6 is judged as IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local)
