"""Who is asking: the client's address, and proxy headers trusted from configured proxies only.

A request's `REMOTE_ADDR` is the peer that opened the connection. Only when that peer is one
of `SIXDEGREE_TRUSTED_PROXIES` (addresses or networks: the load balancer, the nginx on this
host) are its forwarding headers believed:

- the client address is read from `SIXDEGREE_CLIENT_IP_HEADER` by django-ipware, skipping the
  `SIXDEGREE_PROXY_COUNT` trusted proxies that appended themselves after the client;
- `X-Forwarded-Proto` (and the other `X-Forwarded-*` headers) are removed from any request that
  did not come through a trusted proxy (`UntrustedProxyHeadersMiddleware`), so a client cannot
  claim HTTPS, another host or another address by sending them itself.

Addresses are used for rate limits and lock-outs only, never stored.
"""

import ipaddress
import logging
from functools import lru_cache

from django.core import checks
from ipware import get_client_ip

from .conf import get_setting

logger = logging.getLogger(__name__)

FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
)


@lru_cache(maxsize=8)
def _networks(proxies):
    networks = []
    for entry in proxies:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            logger.error("SIXDEGREE_TRUSTED_PROXIES: %r is not an address or network; ignored", entry)
    return tuple(networks)


def from_trusted_proxy(request):
    """Whether the peer that sent `request` is a configured proxy."""
    proxies = tuple(get_setting("SIXDEGREE_TRUSTED_PROXIES"))
    if not proxies:
        return False
    try:
        peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(peer in network for network in _networks(proxies))


def client_address(request):
    """The client's address: from the proxy's header when a trusted proxy sent the request,
    else the connection's own peer."""
    peer = request.META.get("REMOTE_ADDR", "")
    header = get_setting("SIXDEGREE_CLIENT_IP_HEADER")
    if header and from_trusted_proxy(request):
        try:
            address, _routable = get_client_ip(
                request,
                proxy_order="left-most",
                proxy_count=int(get_setting("SIXDEGREE_PROXY_COUNT")),
                request_header_order=[header],
                strict=False,
            )
        except ValueError:
            # A misconfiguration (see the system check): never a 500 for the visitor.
            logger.error("SIXDEGREE_PROXY_COUNT / SIXDEGREE_CLIENT_IP_HEADER are invalid")
            address = None
        if address:
            return address
    return peer


@checks.register(checks.Tags.security)
def trusted_proxies_check(app_configs, **kwargs):
    """SIXDEGREE_TRUSTED_PROXIES must name proxies, not "everyone"."""
    problems = []
    for entry in get_setting("SIXDEGREE_TRUSTED_PROXIES"):
        try:
            network = ipaddress.ip_network(str(entry).strip(), strict=False)
        except ValueError:
            problems.append(
                checks.Error(
                    f"SIXDEGREE_TRUSTED_PROXIES: {entry!r} is not an address or network.",
                    id="sixdegree_cases.E101",
                )
            )
            continue
        if network.prefixlen < (8 if network.version == 4 else 32):
            problems.append(
                checks.Error(
                    f"SIXDEGREE_TRUSTED_PROXIES: {entry} trusts a large part of the Internet to "
                    "name its own address and scheme.",
                    hint="List the load balancer's or proxy's own addresses.",
                    id="sixdegree_cases.E102",
                )
            )
    count = get_setting("SIXDEGREE_PROXY_COUNT")
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        problems.append(checks.Error("SIXDEGREE_PROXY_COUNT must be 0 or more.", id="sixdegree_cases.E103"))
    return problems


class UntrustedProxyHeadersMiddleware:
    """Drop `X-Forwarded-*`/`Forwarded` headers that did not come from a trusted proxy.

    Put it first in `MIDDLEWARE`: Django's `SECURE_PROXY_SSL_HEADER` and the page cache read
    the scheme from them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not from_trusted_proxy(request):
            for name in FORWARDED_HEADERS:
                request.META.pop(name, None)
        return self.get_response(request)
