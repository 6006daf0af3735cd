"""Which addresses the bot may fetch, unit by unit (the end-to-end SSRF tests, with every look-alike
spelling of a private address, are in tests/bot/test_ssrf.py)."""

from __future__ import annotations

import ipaddress

import pytest

from bot.sources.urls import check_url, connect_host, literal_address, public_address, url_address

V4 = ipaddress.IPv4Address
V6 = ipaddress.IPv6Address


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("127.0.0.1", V4("127.0.0.1")),
        ("127.0.0.1.", V4("127.0.0.1")),  # a trailing dot
        ("127.1", V4("127.0.0.1")),  # the legacy short form
        ("2130706433", V4("127.0.0.1")),  # one decimal number
        ("0x7f.0.0.1", V4("127.0.0.1")),  # hexadecimal
        ("0177.0.0.1", V4("127.0.0.1")),  # octal
        ("::1", V6("::1")),
        ("fe80::1%eth0", V6("fe80::1")),  # a zone is not part of the address
        ("::ffff:10.0.0.1", V6("::ffff:10.0.0.1")),
    ],
)
def test_literal_address_reads_every_form_the_c_library_reads(host, address):
    assert literal_address(host) == address


@pytest.mark.parametrize("host", ["example.org", "localhost", "xn--mgbh0fb.example", "١٢٧.٠.٠.١", "1.2.3.4.5", "::zz"])
def test_a_name_is_not_a_literal(host):
    assert literal_address(host) is None


def test_connect_host_is_the_host_as_yarl_reads_it():
    assert connect_host("http://Example.ORG:8080/x") == "example.org"
    assert connect_host("http://[::1]:81/") == "::1"  # no brackets
    assert connect_host("http://１２７。０．０．１/") == "127.0.0.1"  # IDNA maps look-alikes to ASCII
    with pytest.raises(ValueError, match="no host"):
        connect_host("file:///etc/passwd")


def test_url_address_is_the_literal_the_client_would_connect_to_without_resolving():
    assert url_address("http://10.0.0.1/feed") == V4("10.0.0.1")
    assert url_address("http://１０.０.０.１/feed") == V4("10.0.0.1")
    assert url_address("http://[::1]/") == V6("::1")
    assert url_address("https://news.example/feed") is None
    with pytest.raises(ValueError, match="not a valid address"):
        url_address("http:///nohost")


@pytest.mark.parametrize(
    "url",
    ["https://news.example/feed", "http://news.example:8080/a?b=c", "HTTP://NEWS.EXAMPLE/", "http://10.0.0.1/feed"],
)
def test_check_url_accepts_http_and_https_addresses(url):
    assert check_url(url) == url
    assert check_url(f"  {url}\n") == url  # stripped


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://news.example/feed", "only http and https addresses are fetched, not 'ftp'"),
        ("file:///etc/passwd", "only http and https addresses are fetched, not 'file'"),
        ("/feed.xml", "only http and https addresses are fetched, not 'a relative address'"),
        ("news.example/feed", "only http and https addresses are fetched, not 'a relative address'"),
        ("http:///feed", "the address has no host"),
        ("http://news.example:99999/", "not a valid address"),
        ("http://news.example:port/", "not a valid address"),
        ("http://[::1/", "not a valid address"),
    ],
)
def test_check_url_says_why_it_refuses(url, why):
    with pytest.raises(ValueError) as exc:
        check_url(url)
    assert str(exc.value).startswith(why)


def test_check_url_refuses_private_literals_only_when_private_addresses_are_off():
    assert check_url("http://192.168.1.1/feed", allow_private=True) == "http://192.168.1.1/feed"
    with pytest.raises(ValueError, match=r"^192\.168\.1\.1 is a private or local address"):
        check_url("http://192.168.1.1/feed", allow_private=False)
    assert check_url("http://8.8.8.8/feed", allow_private=False) == "http://8.8.8.8/feed"
    assert check_url("https://news.example/feed", allow_private=False) == "https://news.example/feed"  # a name


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.0.1", False),
        ("127.0.0.1", False),
        ("169.254.169.254", False),  # link-local: cloud metadata
        ("0.0.0.0", False),
        ("224.0.0.1", False),  # multicast
        ("240.0.0.1", False),  # reserved
        ("100.64.0.1", False),  # shared address space (carrier-grade NAT)
        ("::1", False),
        ("fe80::1%eth0", False),
        ("fc00::1", False),  # unique local
        ("::ffff:127.0.0.1", False),  # IPv4-mapped: judged as IPv4
        ("::ffff:8.8.8.8", True),
        ("2002:7f00:1::", False),  # 6to4 carrying 127.0.0.1
        ("2002:0808:0808::", True),  # 6to4 carrying 8.8.8.8
    ],
)
def test_public_address(address, public):
    assert public_address(address) is public
