"""Which addresses the bot may fetch: pure checks, no I/O (used by the settings, the CLI and the fetcher).

A host is judged as the HTTP client will connect to it. aiohttp hands a URL to yarl, which applies
IDNA/UTS 46 mapping to the host: fullwidth, superscript, circled and mathematical digits become ASCII
digits and the ideographic and fullwidth full stops become dots, so ``１２７。０．０．１`` is connected
to as the literal 127.0.0.1, without any name resolution. ``connect_host`` reads the host with the
same machinery (yarl itself), never with ``urlsplit``, which leaves such a host as a "name".
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from yarl import URL

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def connect_host(url: str) -> str:
    """The host the HTTP client connects to for ``url`` (yarl's reading, as aiohttp uses it: IPv6
    without brackets); ValueError if yarl cannot read the URL or it has no host."""
    host = URL(url).raw_host
    if not host:
        raise ValueError("the address has no host")
    return host


def literal_address(host: str) -> Address | None:
    """The IP address a host is a literal of, else None (a name, to be resolved). Besides the
    usual forms, a trailing dot (``127.0.0.1.``) and the legacy IPv4 forms the C library still
    reads as addresses (``127.1``, ``2130706433``, ``0x7f.0.0.1``) count as literals.
    (Digits of other scripts that IDNA does not map, ``١٢٧.٠.٠.١``, stay a name: yarl gives the
    client ``xn--...``, which is resolved, and judged, like any other name.)"""
    text = host.split("%", 1)[0]  # an IPv6 zone
    if text.endswith(".") and ":" not in text:
        text = text.rstrip(".")
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    if ":" in text or not text.isascii():
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(text))
    except OSError:
        return None


def url_address(url: str) -> Address | None:
    """The IP address aiohttp would connect to for ``url`` without resolving anything (its host
    read as yarl reads it, in any spelling), or None when the host is a name; ValueError if yarl
    cannot read the URL."""
    try:
        return literal_address(connect_host(url))
    except ValueError as exc:
        raise ValueError(f"not a valid address ({exc})") from None


def check_url(url: str, *, allow_private: bool = True) -> str:
    """The URL, stripped, if it is an absolute http or https address with a host; else ValueError
    saying why. An IP address spelt in other characters than ASCII (``１２７.０.０.１``) is refused
    whatever the setting; with ``allow_private`` off, so is a private or local address literal."""
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
    address = url_address(url)
    if address is None:
        return url
    if not parts.hostname.isascii():
        raise ValueError(f"the host {parts.hostname!r} is the IP address {address} written in look-alike characters")
    if not allow_private and not public_address(str(address)):
        raise ValueError(f"{address} is a private or local address (BRIEFBOT_FEEDS_ALLOW_PRIVATE is off)")
    return url


def public_address(address: str) -> bool:
    """Whether an IP address is one the open internet routes: not private, loopback, link-local,
    reserved, multicast or unspecified (IPv4 mapped into IPv6 is judged as IPv4, and a 6to4
    address, 2002::/16, by the IPv4 address it carries as well)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if isinstance(ip, ipaddress.IPv6Address) and ip.sixtofour is not None and not public_address(str(ip.sixtofour)):
        return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local)
