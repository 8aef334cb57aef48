"""Outbound HTTP clients that refuse to reach private addresses (the SSRF guard).

The links of a list are typed by strangers (the suggestion form), so every request the site makes
to them could be aimed at the site's own network: ``http://169.254.169.254/`` (cloud metadata),
``http://localhost:6379/``, a name that resolves to ``10.0.0.5``. Checking the URL's host before
the request is not enough: a name can resolve to another address a second later (DNS rebinding)
and a public server can redirect to a private one. So the guard sits where the socket is opened:
the transport's network backend resolves the host itself, refuses every address that is not
globally routable (private, loopback, link-local, multicast, reserved, unspecified, or a private
IPv4 address inside an IPv6 one) unless it lies in ``OUTBOUND_ALLOWED_NETWORKS``, and connects to
the address it checked. TLS still verifies the certificate against the URL's host name, because
httpcore takes the server name for the handshake from the request, not from the socket.

A refusal raises :class:`AddressRefused` and a name without address :class:`NameNotResolved`
(both ``httpcore.ConnectError``); through httpx they arrive as ``httpx.ConnectError`` with the
same message, the original in the exception's ``__cause__``/``__context__`` chain.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import ipaddress
import socket
import ssl
import typing
from collections import Counter, OrderedDict
from collections.abc import Iterable

import anyio
import httpcore
import httpx
from django.conf import settings

T = typing.TypeVar("T")
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Origin = tuple[bytes, bytes, int | None]  # scheme, host, port
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# IPv6 prefixes that carry an IPv4 address in their last 32 bits (NAT64, RFC 6052): a private
# address behind them is as private as the IPv4 one.
NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")


class AddressRefused(httpcore.ConnectError):
    """The host resolved only to addresses the guard does not connect to."""


class NameNotResolved(httpcore.ConnectError):
    """The host name has no address (or the resolver failed)."""


def parse_networks(networks: Iterable[str | IPNetwork]) -> tuple[IPNetwork, ...]:
    """``["127.0.0.0/8", "fd00::/8"]`` as networks; a bad entry is an error a person can fix."""
    parsed = []
    for network in networks:
        try:
            parsed.append(ipaddress.ip_network(network, strict=False))
        except ValueError as exc:
            raise ValueError(
                f"OUTBOUND_ALLOWED_NETWORKS: {network!r} is not a network (e.g. 10.0.0.0/8)."
            ) from exc
    return tuple(parsed)


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in NAT64_PREFIX:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _kind(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public address, or None when it is."""
    if ip.is_unspecified:
        return "unspecified address"
    if ip.is_loopback:
        return "loopback address"
    if ip.is_link_local:
        return "link-local address"
    if ip.is_multicast:
        return "multicast address"
    if ip.is_private:
        return "private address"
    if ip.is_reserved:
        return "reserved address"
    if not ip.is_global:
        return "address that is not globally routable"
    return None


def refusal_reason(ip: str | IPAddress, allowed: Iterable[str | IPNetwork] = ()) -> str | None:
    """Why the guard refuses to connect to ``ip``, or None when it may connect."""
    address = ipaddress.ip_address(ip) if isinstance(ip, str) else ip
    networks = parse_networks(allowed)
    embedded = _embedded_ipv4(address)
    candidates = [address] if embedded is None else [address, embedded]
    if any(candidate in network for candidate in candidates for network in networks):
        return None
    if embedded is not None and (reason := _kind(embedded)) is not None:
        return f"IPv6 address embedding a {reason}"
    return _kind(address)


def is_public_address(ip: str | IPAddress, allowed: Iterable[str | IPNetwork] = ()) -> bool:
    """True when the guard connects to ``ip``: a public address, or one inside ``allowed``."""
    return refusal_reason(ip, allowed) is None


class GuardedBackend(httpcore.AnyIOBackend):
    """httpcore's asyncio backend, resolving names itself and connecting to checked addresses."""

    def __init__(self, allowed: Iterable[str | IPNetwork]) -> None:
        self.allowed = parse_networks(allowed)

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        # One deadline for resolving and connecting: a slow resolver is a slow server.
        try:
            with anyio.fail_after(timeout):
                return await self._connect_checked(host, port, local_address, socket_options)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"timed out connecting to {host}") from exc

    async def _connect_checked(
        self,
        host: str,
        port: int,
        local_address: str | None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:  # socket.gaierror: the name does not resolve
            raise NameNotResolved(f"{host}: {exc}") from exc
        addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))
        permitted = []
        refusal: AddressRefused | None = None
        for address in addresses:
            reason = refusal_reason(address, self.allowed)
            if reason is None:
                permitted.append(address)
            elif refusal is None:
                refusal = AddressRefused(
                    f"refused to connect to {address}: {reason} "
                    "(allow it with OUTBOUND_ALLOWED_NETWORKS)"
                )
        if not permitted:
            raise refusal or httpcore.ConnectError(f"{host}: no address")
        failure: httpcore.ConnectError | None = None
        for address in permitted:
            try:
                return await super().connect_tcp(
                    str(address),
                    port,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectError as exc:  # try the host's next address
                failure = exc
        assert failure is not None
        raise failure


class _OriginTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over one connection pool that uses :class:`GuardedBackend`."""

    def __init__(
        self, backend: GuardedBackend, ssl_context: ssl.SSLContext, max_connections: int
    ) -> None:
        # httpx offers no way to hand its pool a network backend: build the pool it would build,
        # with ours. The base class only keeps ``_pool``; nothing else to initialise.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            network_backend=backend,
        )


class _Released(httpx.AsyncByteStream):
    """A response body that gives its connection slot back when it is closed."""

    def __init__(self, stream: httpx.AsyncByteStream, release: typing.Callable[[], None]):
        self._stream = stream
        self._release: typing.Callable[[], None] | None = release

    async def __aiter__(self) -> typing.AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            release, self._release = self._release, None
            if release is not None:  # once, however often the body is closed
                release()


def _ssl_context(verify: ssl.SSLContext | bool) -> ssl.SSLContext:
    """The context for TLS connections: the caller's, or the system's shared by every client
    of the process (reading the CA bundle costs tens of milliseconds, more than checking a
    link; a run of plain http links never needs it)."""
    if isinstance(verify, ssl.SSLContext):
        return verify
    return _shared_ssl_context(verify)


@functools.cache
def _shared_ssl_context(verify: bool) -> ssl.SSLContext:
    return httpx.create_ssl_context(verify=verify, trust_env=False)


class GuardedTransport(httpx.AsyncBaseTransport):
    """Guarded connections in a pool per origin (scheme, host, port).

    One shared httpcore pool would do, but it walks all its connections (and asks each socket
    whether it is still open) twice per request: with a hundred kept-alive connections that was
    most of the link checker's CPU. A pool per origin keeps that walk to a host's few
    connections. ``max_connections`` bounds the connections in use over all origins, and the
    origins whose idle connections are kept: beyond it, the least recently used pools with
    nothing in use are closed.
    """

    def __init__(
        self,
        allowed: Iterable[str | IPNetwork],
        *,
        max_connections: int,
        per_host: int,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self._backend = GuardedBackend(allowed)
        self._verify = verify
        self._per_host = per_host
        self._max_pools = max_connections
        # asyncio's, not anyio's: anyio's yields to the event loop on every acquire, even a free
        # one, which made every request of a busy run wait a turn of the loop for nothing.
        self._slots = asyncio.Semaphore(max_connections)
        self._pools: OrderedDict[Origin, _OriginTransport] = OrderedDict()
        self._in_use: Counter[Origin] = Counter()

    async def _pool_for(self, origin: Origin) -> _OriginTransport:
        pool = self._pools.get(origin)
        if pool is not None:
            self._pools.move_to_end(origin)
            return pool
        pool = self._pools[origin] = _OriginTransport(
            self._backend, _ssl_context(self._verify), self._per_host
        )
        # Registered before any await, so two requests to a new origin share one pool.
        idle = [o for o in self._pools if not self._in_use[o]]
        while len(self._pools) > self._max_pools and idle:
            oldest = idle.pop(0)
            del self._in_use[oldest]
            await self._pools.pop(oldest).aclose()
        return pool

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        origin = (request.url.raw_scheme, request.url.raw_host, request.url.port)
        await self._slots.acquire()
        self._in_use[origin] += 1

        def release() -> None:
            self._in_use[origin] -= 1
            self._slots.release()

        try:
            pool = await self._pool_for(origin)
            response = await pool.handle_async_request(request)
        except BaseException:
            release()
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)
        return httpx.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=_Released(response.stream, release),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), OrderedDict()
        for pool in pools:
            await pool.aclose()


def async_client(
    *,
    timeout: float,
    user_agent: str,
    headers: dict[str, str] | None = None,
    max_connections: int = 100,
    allowed_networks: list[str] | None = None,
    per_host: int | None = None,
    verify: ssl.SSLContext | bool = True,
) -> httpx.AsyncClient:
    """An ``httpx.AsyncClient`` for URLs typed by people: guarded, bounded, identified.

    At most ``max_connections`` connections in use, ``per_host`` (default: as many) to one
    origin. ``allowed_networks`` None means ``settings.OUTBOUND_ALLOWED_NETWORKS``. Environment
    proxies are ignored (``trust_env=False``): a proxy would connect for us and defeat the guard.
    Redirects are not followed unless a request asks; the guard covers them either way.
    """
    allowed = settings.OUTBOUND_ALLOWED_NETWORKS if allowed_networks is None else allowed_networks
    transport = GuardedTransport(
        allowed,
        max_connections=max_connections,
        per_host=min(per_host or max_connections, max_connections),
        verify=verify,
    )
    return httpx.AsyncClient(
        transport=transport,
        timeout=timeout,
        headers={"User-Agent": user_agent, **(headers or {})},
        trust_env=False,
        follow_redirects=False,
    )


def run_async(coroutine: typing.Coroutine[typing.Any, typing.Any, T]) -> T:
    """Run a coroutine to completion from synchronous code (a command, a task, a view).

    ``asyncio.run`` refuses to start where an event loop already runs in this thread (an ASGI
    server, Playwright's sync API); the coroutine then runs in a thread with a loop of its own.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        in_a_loop = False
    else:
        in_a_loop = True
    if not in_a_loop:  # outside the except block: errors must not chain to its RuntimeError
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
