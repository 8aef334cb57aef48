"""The link checker against real servers on 127.0.0.1 (curation/health/checker.py)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest

from curation.health.checker import (
    CheckConfig,
    Hop,
    LinkResult,
    retry_after_seconds,
    run_checks,
)
from tests.curation.health.servers import (
    Gauge,
    LocalServer,
    Reply,
    Seen,
    by_method,
    redirect,
    sequence,
)

LOOPBACK = ("127.0.0.0/8",)


def config(**overrides: Any) -> CheckConfig:
    """Quick and patient enough for a loopback server; loopback allowed explicitly."""
    values: dict[str, Any] = {
        "timeout": 2.0,
        "retries": 2,
        "backoff": 0.01,
        "user_agent": "CuratorTest/1.0 (+https://curator.example)",
        "allowed_networks": LOOPBACK,
    }
    return CheckConfig(**(values | overrides))


def check(url: str, **overrides: Any) -> LinkResult:
    return run_checks([url], config(**overrides))[url]


@pytest.fixture
def server():
    with LocalServer() as running:
        yield running


def test_ok_with_a_polite_user_agent(server):
    url = server.route("/fine", Reply(200))

    result = check(url)

    assert result == LinkResult(
        url=url,
        ok=True,
        status_code=200,
        final_url=url,
        redirects=(),
        permanent_redirect_to="",
        error="",
        attempts=1,
        counts_as_failure=False,
    )
    assert [(r.method, r.headers["user-agent"]) for r in server.requests] == [
        ("HEAD", "CuratorTest/1.0 (+https://curator.example)")
    ]


def test_each_distinct_url_is_asked_once(server):
    url = server.route("/shared", Reply(200))
    other = server.route("/other", Reply(404))

    results = run_checks([url, other, url, url], config())

    assert list(results) == [url, other]
    assert len(server.seen("/shared")) == 1


def test_a_slow_answer_times_out_and_the_retry_succeeds(server):
    url = server.route("/slow-once", sequence(Reply(delay=1.5), Reply(200)))

    started = time.perf_counter()
    result = check(url, timeout=0.3, retries=1)

    assert result.ok
    assert result.attempts == 2
    assert time.perf_counter() - started < 1.2  # did not wait for the slow answer


def test_an_always_slow_server_is_a_timeout_failure(server):
    url = server.route("/slow", Reply(delay=1.0))

    result = check(url, timeout=0.2, retries=1)

    assert not result.ok
    assert result.counts_as_failure
    assert result.error == "timed out after 0.2 s"
    assert result.attempts == 2
    assert result.status_code is None


def test_permanent_redirects_are_recorded_and_proposed(server):
    final = server.route("/docs/v2/", Reply(200))
    server.route("/docs/v1", redirect(308, "/docs/v2/"))
    start = server.route("/old", redirect(301, "docs/v1"))  # relative to /old

    result = check(start)

    assert result.ok
    assert result.redirects == (
        Hop(301, start, server.url("/docs/v1")),
        Hop(308, server.url("/docs/v1"), final),
    )
    assert result.final_url == final
    assert result.permanent_redirect_to == final
    assert result.error == ""


def test_one_temporary_redirect_in_the_chain_proposes_nothing(server):
    server.route("/login", Reply(200))
    server.route("/moved", redirect(302, "/login"))
    start = server.route("/start", redirect(301, "/moved"))

    result = check(start)

    assert result.ok
    assert [hop.status for hop in result.redirects] == [301, 302]
    assert result.final_url == server.url("/login")
    assert result.permanent_redirect_to == ""


def test_a_permanent_redirect_to_a_missing_page_is_a_failure_without_proposal(server):
    start = server.route("/gone", redirect(301, "/nowhere"))

    result = check(start)

    assert not result.ok
    assert result.counts_as_failure
    assert result.status_code == 404
    assert result.permanent_redirect_to == ""


def test_a_redirect_loop_is_reported_with_its_path(server):
    a = server.route("/a", redirect(301, "/b"))
    b = server.route("/b", redirect(302, "/a"))

    result = check(a)

    assert not result.ok
    assert result.counts_as_failure
    assert result.error == f"redirect loop: {a} → {b} → {a}"
    assert len(server.requests) == 2  # stopped before asking /a again


def test_a_redirect_to_itself_that_sets_a_cookie_is_followed_once(server):
    url = server.url("/cookie")
    server.route(
        "/cookie",
        lambda seen: (
            Reply(200)
            if "cookie" in seen.headers
            else Reply(302, {"Location": url, "Set-Cookie": "consent=yes; Path=/"})
        ),
    )

    result = check(url)

    assert result.ok
    assert len(result.redirects) == 1


def test_too_many_redirects(server):
    for n in range(12):
        server.route(f"/hop{n}", redirect(301, f"/hop{n + 1}"))
    server.route("/hop12", Reply(200))

    result = check(server.url("/hop0"), max_redirects=10)

    assert not result.ok
    assert result.counts_as_failure
    assert result.error == "too many redirects (more than 10)"
    assert len(result.redirects) == 11


def test_a_server_error_once_then_fine_is_ok_on_the_second_attempt(server):
    # The first attempt's HEAD and GET both fail; the second attempt's HEAD succeeds.
    url = server.route("/flaky", sequence(Reply(500), Reply(502), Reply(200)))

    result = check(url)

    assert result.ok
    assert result.attempts == 2
    assert result.error == ""


def test_a_lasting_server_error_is_a_failure_after_the_retries(server):
    url = server.route("/broken", Reply(503))

    result = check(url, retries=2)

    assert not result.ok
    assert result.counts_as_failure
    assert result.error == "HTTP 503 after 3 attempts"
    assert [r.method for r in server.seen("/broken")] == ["HEAD", "GET"] * 3


def test_a_reset_connection_is_retried(server):
    url = server.route("/reset-once", sequence(Reply(reset=True), Reply(200)))

    result = check(url)

    assert result.ok
    assert result.attempts == 2


def test_a_server_that_always_resets_is_a_failure(server):
    url = server.route("/reset", Reply(reset=True))

    result = check(url, retries=1)

    assert not result.ok
    assert result.counts_as_failure
    assert result.error == "connection reset"
    assert result.attempts == 2


def test_a_refused_connection_is_a_failure():
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    result = check(f"http://127.0.0.1:{port}/", retries=0)

    assert not result.ok
    assert result.counts_as_failure
    assert result.error == "connection refused"


def test_a_name_that_does_not_resolve_is_a_failure():
    result = check("http://no-such-host.invalid/", retries=0, timeout=5.0)

    assert result.counts_as_failure
    assert result.error == "name not resolved"


def test_head_refused_falls_back_to_get(server):
    url = server.route("/no-head", by_method(HEAD=Reply(405), GET=Reply(200)))

    result = check(url)

    assert result.ok
    assert [r.method for r in server.requests] == ["HEAD", "GET"]


def test_a_server_that_fails_head_but_serves_get_is_ok(server):
    url = server.route("/no-head", by_method(HEAD=Reply(500), GET=Reply(200)))

    result = check(url)

    assert result.ok
    assert result.attempts == 1


def test_a_404_is_confirmed_with_get_before_it_counts(server):
    url = server.route("/missing", Reply(404))

    result = check(url)

    assert not result.ok
    assert result.counts_as_failure
    assert result.error == "HTTP 404"
    assert result.attempts == 1  # a 404 is not retried
    assert [r.method for r in server.requests] == ["HEAD", "GET"]


def test_a_huge_body_is_not_downloaded(server):
    size = 200 * 1024 * 1024
    url = server.route("/huge", by_method(HEAD=Reply(405), GET=Reply(200, stream_bytes=size)))

    started = time.perf_counter()
    result = check(url)
    elapsed = time.perf_counter() - started

    assert result.ok
    assert elapsed < 2.0
    streamed = server.streams["/huge"]
    assert streamed.done.wait(5), "the server is still sending"
    assert not streamed.finished  # the checker hung up long before the end
    assert streamed.sent < 32 * 1024 * 1024


def test_429_waits_for_retry_after(server):
    url = server.route("/rate-limited", sequence(Reply(429, {"Retry-After": "1"}), Reply(200)))

    started = time.perf_counter()
    result = check(url, backoff=0.01)
    elapsed = time.perf_counter() - started

    assert result.ok
    assert result.attempts == 2
    assert 1.0 <= elapsed < 1.8  # Retry-After, not the 0.01 s backoff
    first, second = server.requests
    assert first.method == second.method == "HEAD"


def test_retry_after_is_capped(server):
    url = server.route("/go-away", sequence(Reply(503, {"Retry-After": "3600"}), Reply(200)))

    started = time.perf_counter()
    result = check(url, max_retry_after=0.2)

    assert result.ok
    assert time.perf_counter() - started < 1.0


def test_rate_limited_after_the_retries_is_not_a_failure(server):
    url = server.route("/busy", Reply(429, {"Retry-After": "0"}))

    result = check(url, retries=1)

    assert not result.ok
    assert not result.counts_as_failure
    assert result.status_code == 429
    assert result.error == "HTTP 429: rate limited after 2 attempts (not counted as a failure)"


@pytest.mark.parametrize("status", [401, 403])
def test_a_server_that_turns_robots_away_is_not_a_failure(server, status):
    url = server.route("/private", Reply(status))

    result = check(url)

    assert not result.ok
    assert not result.counts_as_failure
    assert result.status_code == status
    assert result.error.startswith(f"HTTP {status}: the server turns robots away")


def test_410_gone_is_a_failure(server):
    result = check(server.route("/gone", Reply(410)))

    assert result.counts_as_failure
    assert result.error == "HTTP 410"


def test_a_link_that_is_not_http_is_not_checked_nor_a_failure():
    result = check("ftp://files.example.org/tool.tar.gz")

    assert not result.ok
    assert not result.counts_as_failure
    assert result.error == "not checked: only http and https links are"


def test_requests_to_one_host_are_limited(server):
    server.route("/item", Reply(200, delay=0.15))
    urls = [server.url(f"/item?n={n}") for n in range(12)]

    results = run_checks(urls, config(per_host=3, concurrency=50))

    assert all(result.ok for result in results.values())
    assert server.gauge.peak == 3


def test_the_links_of_a_host_share_a_connection(server):
    server.route("/item", Reply(200))
    urls = [server.url(f"/item?n={n}") for n in range(5)]

    run_checks(urls, config(per_host=1))

    assert len(server.requests) == 5
    assert len({r.client_port for r in server.requests}) == 1


def test_requests_in_flight_are_limited_over_all_hosts():
    gauge = Gauge()
    with LocalServer(gauge=gauge) as one, LocalServer(gauge=gauge) as two:
        urls = []
        for running in (one, two):
            running.route("/item", Reply(200, delay=0.15))
            urls += [running.url(f"/item?n={n}") for n in range(8)]

        results = run_checks(urls, config(per_host=4, concurrency=5))

    assert all(result.ok for result in results.values())
    assert gauge.peak == 5


def test_the_host_with_the_most_links_waiting_is_served_first():
    # In arrival order the lone link would go next and the busy host would finish last; the
    # run ends sooner when the longest queue is worked off first.
    served: list[str] = []

    def answer(name: str, delay: float = 0.0) -> Callable[[Seen], Reply]:
        return lambda seen: served.append(name) or Reply(200, delay=delay)

    with LocalServer() as slow, LocalServer() as lone, LocalServer() as busy:
        urls = [
            slow.route("/x", answer("slow", delay=0.2)),
            lone.route("/1", answer("lone")),
            *(busy.route(f"/{n}", answer("busy")) for n in range(3)),
        ]

        results = run_checks(urls, config(concurrency=1, per_host=1))

    assert all(result.ok for result in results.values())
    assert served[:3] == ["slow", "busy", "busy"]
    assert sorted(served) == ["busy", "busy", "busy", "lone", "slow"]


def test_a_busy_host_does_not_hold_slots_other_hosts_could_use():
    served: list[str] = []

    def answer(name: str) -> Callable[[Seen], Reply]:
        return lambda seen: served.append(name) or Reply(200, delay=0.1)

    with LocalServer() as busy, LocalServer() as other:
        urls = [busy.route(f"/{n}", answer("busy")) for n in range(8)]
        urls += [other.route(f"/{n}", answer("other")) for n in range(2)]

        results = run_checks(urls, config(per_host=2, concurrency=4))

    assert all(result.ok for result in results.values())
    # Two to each host at once, though six more of the busy host's links came first.
    assert sorted(served[:4]) == ["busy", "busy", "other", "other"]


def test_on_result_is_called_for_each_url(server):
    urls = [server.route(f"/p{n}", Reply(200)) for n in range(3)]
    seen: list[str] = []

    run_checks([*urls, urls[0]], config(), on_result=lambda result: seen.append(result.url))

    assert sorted(seen) == sorted(urls)


def test_retry_after_accepts_seconds_and_http_dates():
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    in_two_minutes = format_datetime(now + timedelta(minutes=2), usegmt=True)

    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(in_two_minutes, now=now) == 120.0
    assert retry_after_seconds(format_datetime(now - timedelta(hours=1), usegmt=True), now=now) == 0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_config_from_settings_reads_link_check(settings):
    settings.LINK_CHECK = {
        **settings.LINK_CHECK,
        "CONCURRENCY": 7,
        "PER_HOST": 2,
        "TIMEOUT": 3.5,
        "RETRIES": 1,
        "USER_AGENT": "Bot/2",
    }
    settings.OUTBOUND_ALLOWED_NETWORKS = ["10.1.0.0/16"]

    loaded = CheckConfig.from_settings(concurrency=9)

    assert (loaded.concurrency, loaded.per_host, loaded.timeout, loaded.retries) == (9, 2, 3.5, 1)
    assert loaded.user_agent == "Bot/2"
    assert loaded.allowed_networks == ("10.1.0.0/16",)


def test_config_refuses_nonsense():
    with pytest.raises(ValueError, match="at least 1"):
        CheckConfig(concurrency=0)


def test_a_cancelled_wait_gives_its_slot_back():
    from curation.health.checker import _Slots

    host = "a.example:443"

    async def scenario(cancel_after_grant: bool) -> int:
        slots = _Slots(concurrency=1, per_host=1)
        await slots._acquire(host)

        async def wait() -> None:
            async with slots.take(host):
                pass

        waiter = asyncio.create_task(wait())
        await asyncio.sleep(0)  # it queues
        if cancel_after_grant:
            slots._release(host)  # the slot goes to the waiter, which has not run yet
        waiter.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await waiter
        if not cancel_after_grant:
            slots._release(host)
        async with asyncio.timeout(1):  # a slot lost would wait for ever
            async with slots.take(host):
                return slots.free

    assert asyncio.run(scenario(cancel_after_grant=False)) == 0
    assert asyncio.run(scenario(cancel_after_grant=True)) == 0
