"""The link checker: URLs in, verdicts out (asynchronous, no database).

Each distinct URL is checked once, with at most ``concurrency`` requests in flight and at most
``per_host`` to one host (host and port), so a list with 500 links to github.com does not hammer
it. A check asks ``HEAD`` first and asks again with a streamed ``GET`` (whose body is never read)
when ``HEAD`` gets an error status: servers often mishandle ``HEAD`` (405, 501, and the 400, 403,
404 or 500 some give it), so no link fails on the word of ``HEAD`` alone. It follows redirects
itself, hop by hop, so it can report each one and tell a permanent move from a temporary one.
Timeouts, connection errors and 5xx/429 answers are retried with exponential backoff and
jitter; 429 and 503 wait for ``Retry-After`` (capped by ``max_retry_after``).

What a result means (``ok`` / ``counts_as_failure``) — built so that a link is never called
dead by mistake, because a dead link is proposed for removal:

- 2xx, directly or after redirects: ok. When every redirect was permanent (301/308), the final
  URL is ``permanent_redirect_to``, a proposal to update the entry; one 302/303/307 anywhere
  (a login page, a mirror picker, a short link) and nothing is proposed.
- 401, 403 and LinkedIn's 999: the server is there but turns robots away. Not ok, not a failure:
  nothing is known about the page.
- 429 still after the retries: rate limited. Not ok, not a failure, for the same reason.
- 404, 410 and the other 4xx: a failure. So is a 5xx that persists through the retries.
- A name that does not resolve, a refused or reset connection, a TLS error, a timeout after the
  retries, a redirect loop or more than ``max_redirects`` hops: a failure.
- A URL the SSRF guard refuses (a private or loopback address, see ``network``): a failure whose
  error says how to allow it.
- A link that is not http(s) (``ftp://``, which entries may hold): not checked, not a failure.

A failure is only a symptom: ``links`` calls a link dead after failures some days apart.
Errors are short sentences for curators: "HTTP 404", "timed out after 15 s", "connection reset",
"name not resolved", "redirect loop: a → b → a".
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import email.utils
import heapq
import itertools
import logging
import random
import ssl
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from curation.health.network import AddressRefused, NameNotResolved, async_client, run_async

logger = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
# The server answered but will not talk to robots: no verdict on the page itself.
ROBOTS_REFUSED = frozenset({401, 403, 999})
RATE_LIMITED = 429
HONOURS_RETRY_AFTER = frozenset({429, 503})


@dataclass(frozen=True)
class CheckConfig:
    """How politely and how patiently to check. ``from_settings`` reads ``LINK_CHECK``."""

    concurrency: int = 50
    per_host: int = 4
    timeout: float = 15.0
    retries: int = 2
    backoff: float = 0.5  # seconds before the first retry; doubled for each next one
    max_redirects: int = 10
    user_agent: str = "AwesomeCuratorLinkChecker/1.0"
    max_retry_after: float = 30.0  # a longer Retry-After is cut to this
    allowed_networks: tuple[str, ...] = ()  # see network.async_client

    def __post_init__(self) -> None:
        if self.concurrency < 1 or self.per_host < 1:
            raise ValueError("concurrency and per_host must be at least 1.")
        if self.timeout <= 0 or self.retries < 0 or self.backoff < 0:
            raise ValueError("timeout must be positive; retries and backoff not negative.")
        object.__setattr__(self, "allowed_networks", tuple(self.allowed_networks))

    @classmethod
    def from_settings(cls, **overrides: Any) -> CheckConfig:
        from django.conf import settings

        link_check = settings.LINK_CHECK
        values: dict[str, Any] = {
            "concurrency": link_check["CONCURRENCY"],
            "per_host": link_check["PER_HOST"],
            "timeout": link_check["TIMEOUT"],
            "retries": link_check["RETRIES"],
            "user_agent": link_check["USER_AGENT"],
            "allowed_networks": tuple(settings.OUTBOUND_ALLOWED_NETWORKS),
        }
        values.update(overrides)
        return cls(**values)


@dataclass(frozen=True)
class Hop:
    """One redirect: ``url`` answered ``status`` and sent us to ``location`` (absolute)."""

    status: int
    url: str
    location: str


@dataclass(frozen=True)
class LinkResult:
    url: str
    ok: bool
    status_code: int | None  # of the last answer; None when there was none
    final_url: str  # the last URL asked
    redirects: tuple[Hop, ...]
    permanent_redirect_to: str  # the new address when every hop was permanent, else ""
    error: str  # "" when ok
    attempts: int  # 1 + the retries it took
    counts_as_failure: bool


class _Failed(Exception):
    """A request that got no answer; ``retry`` says whether trying again may help, ``counts``
    whether it says anything against the link."""

    def __init__(self, message: str, *, retry: bool, counts: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.retry = retry
        self.counts = counts
        self.retries = 0  # set by _ask_with_retries when it gives up


@dataclass
class _Answer:
    status: int
    headers: httpx.Headers


def _chain(exc: BaseException) -> Iterable[BaseException]:
    """The exception and those it was raised from (httpx and httpcore wrap each other's)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def describe_error(exc: Exception, timeout: float) -> _Failed:
    """A curator's sentence for a failed request, and whether a retry may help."""
    causes = list(_chain(exc))
    for cause in causes:
        if isinstance(cause, AddressRefused):
            return _Failed(str(cause), retry=False)
        if isinstance(cause, NameNotResolved):
            return _Failed("name not resolved", retry=True)
        if isinstance(cause, ssl.SSLCertVerificationError):
            return _Failed(f"TLS certificate not valid: {cause.verify_message}", retry=False)
        if isinstance(cause, ssl.SSLError):
            return _Failed(f"TLS error: {cause.reason or cause}", retry=True)
        if isinstance(cause, ConnectionRefusedError):
            return _Failed("connection refused", retry=True)
        if isinstance(cause, ConnectionResetError | BrokenPipeError):
            return _Failed("connection reset", retry=True)
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        return _Failed(f"timed out after {timeout:g} s", retry=True)
    if isinstance(exc, httpx.UnsupportedProtocol):
        # ftp:// and the like are valid links we cannot check: no verdict, no false "dead".
        return _Failed("not checked: only http and https links are", retry=False, counts=False)
    if isinstance(exc, httpx.InvalidURL | httpx.LocalProtocolError):
        return _Failed(f"invalid URL: {exc}", retry=False)
    if isinstance(exc, httpx.RemoteProtocolError):
        return _Failed(f"bad HTTP answer: {exc}", retry=True)
    if isinstance(exc, httpx.ReadError | httpx.WriteError):
        return _Failed("connection reset", retry=True)
    if isinstance(exc, httpx.ConnectError):
        return _Failed(f"could not connect: {exc}", retry=True)
    return _Failed(f"request failed: {exc or type(exc).__name__}", retry=True)


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """``Retry-After`` (delta seconds or an HTTP date) in seconds; None when absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _host_key(url: httpx.URL) -> str:
    return f"{url.host}:{url.port or (443 if url.scheme == 'https' else 80)}"


def _status_error(status: int, attempts: int) -> str:
    after = f" after {attempts} attempts" if attempts > 1 else ""
    if status in ROBOTS_REFUSED:
        return f"HTTP {status}: the server turns robots away (not counted as a failure)"
    if status == RATE_LIMITED:
        return f"HTTP 429: rate limited{after} (not counted as a failure)"
    return f"HTTP {status}{after}"


class _Slots:
    """At most ``concurrency`` requests in flight and ``per_host`` to one host, handed out to
    the host with the most links still waiting.

    Two semaphores (one per host, one over all) would serve requests in arrival order: every
    host then gets about the same share of the slots, and the host with the most work — often
    github.com, or a host whose links each take two requests — is still busy, a few links at a
    time, when all the others are done. Serving the longest queue first keeps the slots full to
    the end of the run (bench/links.py measures it). A request waiting for a busy host never
    holds a slot, so one big host cannot starve the others either.
    """

    def __init__(self, concurrency: int, per_host: int) -> None:
        self.free = concurrency
        self.per_host = per_host
        self.running: dict[str, int] = {}
        self.waiting: dict[str, collections.deque[asyncio.Future[None]]] = {}
        # Hosts that may be able to start a request, longest queue first. Entries go stale as
        # queues change; ``_grant`` checks each one it takes and drops or re-files it.
        self.ready: list[tuple[int, int, str]] = []
        self.filed = itertools.count()

    def _file(self, host: str) -> None:
        heapq.heappush(self.ready, (-len(self.waiting[host]), next(self.filed), host))

    @contextlib.asynccontextmanager
    async def take(self, host: str) -> AsyncIterator[None]:
        await self._acquire(host)
        try:
            yield
        finally:
            self._release(host)

    async def _acquire(self, host: str) -> None:
        queue = self.waiting.setdefault(host, collections.deque())
        if self.free and not queue and self.running.get(host, 0) < self.per_host:
            self._start(host)
            return
        waiter = asyncio.get_running_loop().create_future()
        queue.append(waiter)
        if self.running.get(host, 0) < self.per_host:
            self._file(host)
            self._grant()
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._release(host)  # granted, then cancelled before it could run
            else:
                queue.remove(waiter)
            raise

    def _start(self, host: str) -> None:
        self.free -= 1
        self.running[host] = self.running.get(host, 0) + 1

    def _release(self, host: str) -> None:
        self.free += 1
        self.running[host] -= 1
        if self.waiting[host]:
            self._file(host)  # the host has room again
        self._grant()

    def _grant(self) -> None:
        while self.free and self.ready:
            filed_length, _, host = heapq.heappop(self.ready)
            queue = self.waiting[host]
            if not queue or self.running.get(host, 0) >= self.per_host:
                continue  # filed again when it has both work and room
            if -filed_length != len(queue):
                self._file(host)  # its queue changed since: file it under its length now
                continue
            self._start(host)
            queue.popleft().set_result(None)
            if queue and self.running[host] < self.per_host:
                self._file(host)


class _Checker:
    """One run: the client, the limits, the settings."""

    def __init__(self, client: httpx.AsyncClient, config: CheckConfig) -> None:
        self.client = client
        self.config = config
        self.slots = _Slots(config.concurrency, config.per_host)

    def _limits(self, url: httpx.URL) -> contextlib.AbstractAsyncContextManager[None]:
        return self.slots.take(_host_key(url))

    async def _send(self, method: str, url: httpx.URL) -> _Answer:
        """One request. A GET's body is never read: closing it unread drops the connection,
        which costs a reconnect, never a download."""
        try:
            async with asyncio.timeout(self.config.timeout):
                request = self.client.build_request(method, url)
                response = await self.client.send(request, stream=True)
                try:
                    if method == "HEAD":
                        # Nothing to read, but reaching the end of the (empty) body is what
                        # returns the connection to the pool for the host's next link.
                        await response.aread()
                except httpx.HTTPError:
                    pass  # the status is all we came for
                finally:
                    await response.aclose()
        except (httpx.HTTPError, OSError, TimeoutError) as exc:
            raise describe_error(exc, self.config.timeout) from exc
        return _Answer(response.status_code, response.headers)

    async def _ask(self, url: httpx.URL) -> _Answer:
        async with self._limits(url):
            answer = await self._send("HEAD", url)
            # An error may only mean "this server does not do HEAD properly": ask as browsers
            # do. Not after a 429, which a second request would only make worse.
            if answer.status >= 400 and answer.status != RATE_LIMITED:
                answer = await self._send("GET", url)
        return answer

    def _delay(self, retry: int, answer: _Answer | None) -> float:
        if answer is not None and answer.status in HONOURS_RETRY_AFTER:
            asked = retry_after_seconds(answer.headers.get("Retry-After"))
            if asked is not None:
                return min(asked, self.config.max_retry_after)
        # Exponential with ±50 % jitter, so the retries of a burst do not arrive together.
        return self.config.backoff * 2**retry * random.uniform(0.5, 1.5)

    async def _ask_with_retries(self, url: httpx.URL) -> tuple[_Answer, int]:
        """The answer and the number of retries it took; raises ``_Failed`` when none came."""
        for retry in range(self.config.retries + 1):
            last = retry == self.config.retries
            try:
                answer = await self._ask(url)
            except _Failed as failure:
                if last or not failure.retry:
                    failure.retries = retry
                    raise
                await asyncio.sleep(self._delay(retry, None))
                continue
            if last or not (answer.status == RATE_LIMITED or answer.status >= 500):
                return answer, retry
            await asyncio.sleep(self._delay(retry, answer))
        raise AssertionError("unreachable")  # pragma: no cover

    async def check(self, url: str) -> LinkResult:
        hops: list[Hop] = []
        visits: dict[str, int] = {url: 1}
        retries = 0
        current = url

        def result(ok: bool, status: int | None, error: str, failure: bool) -> LinkResult:
            permanent = bool(hops) and all(h.status in PERMANENT_REDIRECTS for h in hops)
            return LinkResult(
                url=url,
                ok=ok,
                status_code=status,
                final_url=current,
                redirects=tuple(hops),
                permanent_redirect_to=current if ok and permanent else "",
                error=error,
                attempts=retries + 1,
                counts_as_failure=failure,
            )

        while True:
            try:
                target = httpx.URL(current)
                answer, used = await self._ask_with_retries(target)
            except httpx.InvalidURL as exc:
                return result(False, None, f"invalid URL: {exc}", True)
            except _Failed as failure:
                retries += failure.retries
                return result(False, None, failure.message, failure.counts)
            retries += used
            status = answer.status
            location = answer.headers.get("Location")
            if status not in REDIRECT_STATUSES or not location:
                break
            try:
                following = str(target.join(location))
            except httpx.InvalidURL:
                return result(False, status, f"HTTP {status} to an invalid Location", True)
            hops.append(Hop(status, current, following))
            # A server may redirect to the same URL once to set a cookie (the client keeps it).
            allowed_visits = 2 if "set-cookie" in answer.headers else 1
            if visits.get(following, 0) >= allowed_visits:
                path = " → ".join([*(h.url for h in hops), following])
                return result(False, status, f"redirect loop: {path}", True)
            if len(hops) > self.config.max_redirects:
                message = f"too many redirects (more than {self.config.max_redirects})"
                return result(False, status, message, True)
            visits[following] = visits.get(following, 0) + 1
            current = following

        if 200 <= status < 300:
            return result(True, status, "", False)
        error = _status_error(status, retries + 1)
        if status in REDIRECT_STATUSES:
            error = f"HTTP {status} without a Location"
        refused = status in ROBOTS_REFUSED or status == RATE_LIMITED
        return result(False, status, error, not refused)


async def check_urls(
    urls: Iterable[str],
    config: CheckConfig,
    *,
    client: httpx.AsyncClient | None = None,
    on_result: Callable[[LinkResult], None] | None = None,
) -> dict[str, LinkResult]:
    """Check each distinct URL once; results in the order of ``urls``.

    ``client`` defaults to a guarded client (``network.async_client``) made for ``config`` and
    closed at the end. ``on_result`` is called as each URL finishes, inside the event loop:
    for progress, not for database work.
    """
    distinct = list(dict.fromkeys(urls))
    results: dict[str, LinkResult] = {}
    async with contextlib.AsyncExitStack() as stack:
        if client is None:
            client = await stack.enter_async_context(
                async_client(
                    timeout=config.timeout,
                    user_agent=config.user_agent,
                    max_connections=config.concurrency,
                    per_host=config.per_host,
                    allowed_networks=list(config.allowed_networks),
                )
            )
        checker = _Checker(client, config)

        async def one(url: str) -> None:
            try:
                result = await checker.check(url)
            except Exception as exc:  # a bug of ours is no verdict on the link
                logger.exception("checking %s failed", url)
                result = LinkResult(
                    url=url,
                    ok=False,
                    status_code=None,
                    final_url=url,
                    redirects=(),
                    permanent_redirect_to="",
                    error=f"checker error: {exc}",
                    attempts=1,
                    counts_as_failure=False,
                )
            results[url] = result
            if on_result is not None:
                on_result(result)

        async with asyncio.TaskGroup() as group:
            for url in distinct:
                group.create_task(one(url))
    return {url: results[url] for url in distinct}


def run_checks(
    urls: Iterable[str],
    config: CheckConfig,
    *,
    on_result: Callable[[LinkResult], None] | None = None,
) -> dict[str, LinkResult]:
    """``check_urls`` from synchronous code (a command, a task): runs its own event loop."""
    return run_async(check_urls(urls, config, on_result=on_result))
