"""The SSRF guard of the outbound clients (curation/health/network.py), on real sockets."""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess

import httpx
import pytest

from curation.health.checker import CheckConfig, run_checks
from curation.health.network import async_client, is_public_address, refusal_reason
from tests.conftest import require_or_skip
from tests.curation.health.servers import Gauge, LocalServer, Reply, redirect


def get(url: str, **client_options) -> httpx.Response:
    async def fetch() -> httpx.Response:
        async with async_client(timeout=2.0, user_agent="CuratorTest/1.0", **client_options) as c:
            return await c.get(url)

    return asyncio.run(fetch())


@pytest.fixture
def server():
    with LocalServer() as running:
        yield running


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback address"),
        ("::1", "loopback address"),
        ("10.0.0.5", "private address"),
        ("192.168.1.1", "private address"),
        ("172.16.0.1", "private address"),
        ("fd12:3456::1", "private address"),
        ("169.254.169.254", "link-local address"),  # cloud metadata
        ("fe80::1", "link-local address"),
        ("224.0.0.1", "multicast address"),
        ("ff02::1", "multicast address"),
        ("0.0.0.0", "unspecified address"),
        ("::", "unspecified address"),
        ("240.0.0.1", "private address"),  # reserved, and Python files it as private too
        ("100.64.0.1", "address that is not globally routable"),  # carrier-grade NAT
        ("::ffff:10.0.0.1", "IPv6 address embedding a private address"),
        ("::ffff:127.0.0.1", "IPv6 address embedding a loopback address"),
        ("64:ff9b::a9fe:a9fe", "IPv6 address embedding a link-local address"),  # NAT64
        ("2002:a00:1::1", "IPv6 address embedding a private address"),  # 6to4
    ],
)
def test_private_addresses_are_refused(address, reason):
    assert refusal_reason(address) == reason
    assert not is_public_address(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"])
def test_public_addresses_are_allowed(address):
    assert is_public_address(address)


def test_allowed_networks_open_a_private_range_and_nothing_else():
    allowed = ["10.1.0.0/16"]

    assert is_public_address("10.1.2.3", allowed)
    assert is_public_address("::ffff:10.1.2.3", allowed)
    assert not is_public_address("10.2.0.1", allowed)


def test_a_bad_allowed_network_is_a_clear_error():
    with pytest.raises(ValueError, match="'intranet' is not a network"):
        async_client(timeout=1, user_agent="x", allowed_networks=["intranet"])


def test_loopback_is_refused_by_default(settings, server):
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    url = server.route("/", Reply(200))

    with pytest.raises(httpx.ConnectError) as refused:
        get(url)

    assert str(refused.value) == (
        "refused to connect to 127.0.0.1: loopback address "
        "(allow it with OUTBOUND_ALLOWED_NETWORKS)"
    )
    assert server.requests == []


def test_a_name_is_checked_after_resolution(settings, server):
    """The guard judges the address the name resolves to, not the name (DNS rebinding)."""
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    server.route("/", Reply(200))

    with pytest.raises(httpx.ConnectError, match=r"refused to connect to 127\.0\.0\.1"):
        get(server.url("/", host="localhost"))


def test_allowed_networks_setting_lets_loopback_through(settings, server):
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    url = server.route("/", Reply(200))

    assert get(url).status_code == 200
    assert get(server.url("/", host="localhost")).status_code == 200


def test_environment_proxies_are_ignored(settings, server, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens on port 9
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:9")
    url = server.route("/", Reply(200))

    assert get(url, allowed_networks=["127.0.0.1/32"]).status_code == 200


def test_the_checker_refuses_loopback_with_a_clear_error(settings, server):
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    url = server.route("/", Reply(200))

    result = run_checks([url], CheckConfig.from_settings(retries=2, backoff=0.01))[url]

    assert result.counts_as_failure
    assert result.error.startswith("refused to connect to 127.0.0.1: loopback address")
    assert result.attempts == 1  # a refusal is not retried
    assert server.requests == []


def test_a_redirect_from_an_allowed_host_to_a_refused_one_is_refused(settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    with LocalServer("127.0.0.2") as allowed, LocalServer("127.0.0.1") as internal:
        secret = internal.route("/admin", Reply(200))
        start = allowed.route("/innocent", redirect(302, secret))

        result = run_checks([start], CheckConfig.from_settings(backoff=0.01))[start]

    assert result.counts_as_failure
    assert result.error == (
        "refused to connect to 127.0.0.1: loopback address "
        "(allow it with OUTBOUND_ALLOWED_NETWORKS)"
    )
    assert [(hop.url, hop.location) for hop in result.redirects] == [(start, secret)]
    assert len(allowed.requests) == 1
    assert internal.requests == []


def fetch_all(urls: list[str], **client_options) -> list[int]:
    """GET the URLs at once with one client; their statuses."""

    async def fetch() -> list[int]:
        async with async_client(
            timeout=5.0,
            user_agent="CuratorTest/1.0",
            allowed_networks=["127.0.0.0/8"],
            **client_options,
        ) as client:
            responses = await asyncio.gather(*(client.get(url) for url in urls))
        return [response.status_code for response in responses]

    return asyncio.run(fetch())


def test_connections_are_limited_in_total_and_per_host():
    gauge = Gauge()
    with LocalServer(gauge=gauge) as one, LocalServer(gauge=gauge) as two:
        urls = [s.route("/slow", Reply(200, delay=0.1)) for s in (one, two) for _ in range(4)]

        assert fetch_all(urls, max_connections=3, per_host=2) == [200] * 8
        assert gauge.peak == 3

        gauge.peak = 0
        assert fetch_all(urls[:4], max_connections=10, per_host=2) == [200] * 4
        assert gauge.peak == 2


@pytest.mark.parametrize(("max_connections", "reused"), [(2, True), (1, False)])
def test_idle_connections_of_the_least_recent_hosts_are_closed(max_connections, reused):
    with LocalServer() as one, LocalServer() as two:
        first, second = one.route("/", Reply(200)), two.route("/", Reply(200))

        async def visit() -> None:
            async with async_client(
                timeout=5.0,
                user_agent="CuratorTest/1.0",
                allowed_networks=["127.0.0.0/8"],
                max_connections=max_connections,
            ) as client:
                for url in (first, second, first):
                    await client.get(url)

        asyncio.run(visit())

    ports = {r.client_port for r in one.requests}
    assert len(one.requests) == 2
    assert len(ports) == (1 if reused else 2)


@pytest.fixture(scope="module")
def localhost_certificate(tmp_path_factory):
    """A self-signed certificate for the name "localhost" only (not for 127.0.0.1)."""
    require_or_skip(shutil.which("openssl") is not None, "the openssl command is missing")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-nodes", "-days", "1", "-subj", "/CN=localhost"),
            *("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"),
            *("-addext", "subjectAltName=DNS:localhost", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def test_tls_verifies_the_url_host_while_connecting_to_the_checked_address(
    localhost_certificate,
):
    cert, key = localhost_certificate
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    trust = ssl.create_default_context(cafile=str(cert))
    options = {"allowed_networks": ["127.0.0.0/8"], "verify": trust}

    with LocalServer(tls=server_context) as server:
        server.route("/", Reply(200))
        # The socket goes to 127.0.0.1, the handshake still names "localhost": verified.
        assert get(server.url("/", host="localhost"), **options).status_code == 200
        # The same server by address: the certificate does not name 127.0.0.1.
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            get(server.url("/"), **options)
