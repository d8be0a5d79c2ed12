"""Which IP addresses a fetch may connect to: the address guard's judgement.

Pure: an address in, a reason out. `fetch` resolves names and asks here
about every address before it connects.
"""

from __future__ import annotations

import ipaddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Instance-metadata services hand cloud credentials to anyone who asks from
# inside the machine; a feed that redirects there must never be followed.
_METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)

# Special-purpose ranges that Python's ipaddress (3.11) calls global although
# no public server lives there. Each one is checked by a test; a newer Python
# that knows them too makes the entry redundant, not wrong.
_NOT_PUBLIC = (
    # RFC 3879 deprecated site-local IPv6 (the predecessor of fc00::/7): old
    # routers and hosts still route it inside a site.
    ("a deprecated site-local", ipaddress.ip_network("fec0::/10")),
    # RFC 7526 deprecated the 6to4 relay anycast prefix: whoever answers there
    # is some nearby relay, never a feed's server.
    ("a deprecated 6to4 relay", ipaddress.ip_network("192.88.99.0/24")),
    # RFC 9637 documentation prefix (beside 2001:db8::/32, which Python knows).
    ("a documentation", ipaddress.ip_network("3fff::/20")),
    # RFC 7600 IPv4 dummy address, for hosts that have no IPv4 address.
    ("a dummy", ipaddress.ip_network("192.0.0.8/32")),
)


def refusal_reason(address: IPAddress) -> str | None:
    """Why `address` must not be connected to (e.g. "a loopback address"); None if public."""
    if isinstance(address, ipaddress.IPv6Address):
        # ::ffff:127.0.0.1 reaches 127.0.0.1 through a dual-stack socket, and
        # 6to4 addresses embed an IPv4 one: judge the address they stand for.
        address = address.ipv4_mapped or address.sixtofour or address
    if address in _METADATA_ADDRESSES:
        return "a cloud metadata address"
    # Order matters: 127.0.0.1 and 169.254.0.1 are also "private" to Python,
    # and the more specific word makes the better log line.
    for label, hit in (
        ("an unspecified", address.is_unspecified),
        ("a loopback", address.is_loopback),
        ("a link-local", address.is_link_local),
        ("a multicast", address.is_multicast),
        ("a reserved", address.is_reserved),
        ("a private", address.is_private),
    ):
        if hit:
            return f"{label} address"
    for label, network in _NOT_PUBLIC:
        if address.version == network.version and address in network:
            return f"{label} address"
    if not address.is_global:
        # e.g. 100.64.0.0/10, carrier-grade NAT: nobody's public server.
        return "a non-public address"
    return None
