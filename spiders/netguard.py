"""Refuse private, loopback and link-local destinations (SSRF guard), unless allowed.

Two layers, because a URL's host is not where a connection goes:
* `NetworkGuardMiddleware` refuses IP-literal hosts before anything is sent (redirect
  targets come back through it, so a public page redirecting to 169.254.169.254 is caught);
* `GuardedResolver` is the reactor's name resolver: it drops private addresses from every
  DNS answer, so a hostname that resolves (or re-resolves) to 10.0.0.1 cannot be connected
  to. Refused hosts are remembered so the failure is reported as `private_network`.
The switch is `allow_private_networks: true` in the sources file or
`AKHBAR_ALLOW_PRIVATE_NETWORKS=1` (handed to this process as the `AKHBAR_ALLOW_PRIVATE`
setting). `AKHBAR_TEST_PUBLIC_HOSTS=name=ip,...` is a test hook: those names resolve to the
given address and count as public, so tests can play "a public site" on 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Sequence

from scrapy.exceptions import IgnoreRequest
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IHostnameResolver, IResolutionReceiver
from zope.interface import implementer

from processing.urls import host_of

TEST_PUBLIC_HOSTS_ENV = "AKHBAR_TEST_PUBLIC_HOSTS"

# host -> the private address it resolved to (filled by the resolver, read by errbacks)
REFUSED_HOSTS: dict[str, str] = {}
_STATE = {"allow_private": False}


class PrivateNetworkRefused(IgnoreRequest):
    """The request's destination is a private/loopback/link-local address."""


def is_private_address(address: str) -> bool:
    """True for loopback, RFC 1918, link-local, CGNAT, ULA, multicast, reserved, unspecified."""
    try:
        ip = ipaddress.ip_address(address.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def test_public_hosts() -> dict[str, str]:
    mapping = {}
    for pair in os.environ.get(TEST_PUBLIC_HOSTS_ENV, "").split(","):
        name, _, ip = pair.partition("=")
        if name.strip() and ip.strip():
            mapping[name.strip().lower()] = ip.strip()
    return mapping


def refusal_for(url: str) -> str | None:
    """Why the guard refused `url`'s host (an IP literal or a refused DNS answer), or None."""
    host = host_of(url)
    if host in REFUSED_HOSTS:
        return f"{host} resolves to private address {REFUSED_HOSTS[host]}"
    return None


class NetworkGuardMiddleware:
    """Downloader middleware: IP-literal private hosts never leave the process."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private
        _STATE["allow_private"] = allow_private

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getbool("AKHBAR_ALLOW_PRIVATE"))

    def process_request(self, request):
        if self.allow_private:
            return None
        host = host_of(request.url)
        if host in test_public_hosts():
            return None
        if is_private_address(host):
            REFUSED_HOSTS[host] = host
            raise PrivateNetworkRefused(f"refused private address {host} ({request.url})")
        return None


class _FilteringReceiver:
    """Passes public addresses on; swallows private ones and records the refusal."""

    def __init__(self, receiver: IResolutionReceiver, host: str) -> None:
        self.receiver = receiver
        self.host = host
        self.passed = 0

    def resolutionBegan(self, resolution) -> None:
        self.receiver.resolutionBegan(resolution)

    def addressResolved(self, address) -> None:
        if not _STATE["allow_private"] and is_private_address(address.host):
            REFUSED_HOSTS.setdefault(self.host, address.host)
            return
        self.passed += 1
        self.receiver.addressResolved(address)

    def resolutionComplete(self) -> None:
        self.receiver.resolutionComplete()


class _Resolution:
    def __init__(self, name: str) -> None:
        self.name = name

    def cancel(self) -> None:
        pass


@implementer(IHostnameResolver)
class GuardedResolver:
    """The reactor's name resolver: the system resolver with private answers removed."""

    def __init__(self, reactor) -> None:
        self.reactor = reactor
        self.original = reactor.nameResolver

    @classmethod
    def from_crawler(cls, crawler, reactor):
        _STATE["allow_private"] = crawler.settings.getbool("AKHBAR_ALLOW_PRIVATE")
        return cls(reactor)

    def install_on_reactor(self) -> None:
        """Called by Scrapy's crawler for the class named in DNS_RESOLVER."""
        self.reactor.installNameResolver(self)

    def resolveHostName(
        self,
        resolutionReceiver: IResolutionReceiver,
        hostName: str,
        portNumber: int = 0,
        addressTypes: Sequence[type] | None = None,
        transportSemantics: str = "TCP",
    ):
        mapped = test_public_hosts().get(hostName.lower())
        if mapped is not None:
            resolutionReceiver.resolutionBegan(_Resolution(hostName))
            address_type = IPv6Address if ":" in mapped else IPv4Address
            resolutionReceiver.addressResolved(address_type("TCP", mapped, portNumber))
            resolutionReceiver.resolutionComplete()
            return resolutionReceiver
        return self.original.resolveHostName(
            _FilteringReceiver(resolutionReceiver, hostName.lower()),
            hostName,
            portNumber,
            addressTypes,
            transportSemantics,
        )
