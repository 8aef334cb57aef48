"""Benchmark: our link checker against markdown-link-check on the same 2,000 links.

A local server (its own process, asyncio, on several ports of 127.0.0.1 so the links belong to
several "hosts") answers every request after 100 ms, as a distant server would; a few links
answer 404 on purpose. Both tools check the same URLs: ours through ``run_checks`` with the
settings' defaults (``LINK_CHECK``) and loopback allowed, markdown-link-check on a README that
lists them. Prints each tool's time, the links each reported dead (a dead report for a link that
is not one of the 404s is a false dead: there must be none), and the ratio. Goal: ≥ 3× faster.

    DJANGO_DEBUG=true .venv/bin/python bench/links.py [--links 2000] [--hosts 20] [--delay 0.1]

markdown-link-check (npm) is installed on first use into ~/.cache/awesome-curator-bench/mlc,
outside the repository; without npm its half of the run is skipped. Nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
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
DEAD_EVERY = 100  # one link in a hundred answers 404


# --- the server (a process of its own, so it does not share our interpreter's lock) -----------


def serve(ports: Connection, hosts: int, delay: float) -> None:
    """Answer HEAD and GET after ``delay`` s: 404 under /gone/, 200 elsewhere; /__stats counts."""
    counts: dict[str, int] = {}

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
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


def run_mlc(binary: Path, urls: list[str], folder: Path) -> tuple[float, set[str], int]:
    """Time markdown-link-check on a README of ``urls``: seconds, dead links, links checked."""
    readme = folder / "README.md"
    lines = ["# Awesome Bench", "", "## Tools", ""]
    lines += [f"- [Tool {n}]({url}) - Does thing {n}." for n, url in enumerate(urls)]
    readme.write_text("\n".join(lines) + "\n")
    config = folder / "mlc.json"
    config.write_text(json.dumps(MLC_CONFIG))
    # It honours proxy variables through its agent: loopback must not go through one.
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
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


def row(tool: str, seconds: float, dead: set[str], expected: set[str], served: str) -> str:
    false_dead = len(dead - expected)
    missed = len(expected - dead)
    return f"{tool:<30} {seconds:>8.2f} {len(dead):>13} {false_dead:>10} {missed:>7}  {served}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=20, help="ports of 127.0.0.1 (one a host)")
    parser.add_argument("--delay", type=float, default=0.1, help="seconds before each answer")
    parser.add_argument("--skip-mlc", action="store_true", help="time our checker only")
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
    print(
        f"{args.links} links ({len(expected)} answer 404) on {args.hosts} local host(s) "
        f"(127.0.0.1, ports {min(ports)}–{max(ports)}), each answer after {args.delay * 1000:g} ms"
    )
    print(
        f"{'tool':<30} {'seconds':>8} {'reported dead':>13} {'false dead':>10} {'missed':>7}  "
        "requests served"
    )

    def served() -> str:
        totals: dict[str, int] = {}
        for port in ports:
            for method, count in server_counts(port).items():
                totals[method] = totals.get(method, 0) + count
        return ", ".join(f"{count} {method}" for method, count in sorted(totals.items()))

    ours_s, ours_dead = run_ours(urls)
    print(row("awesome-curator check_urls", ours_s, ours_dead, expected, served()), flush=True)

    binary = None if args.skip_mlc else ensure_mlc()
    if binary is not None:
        with tempfile.TemporaryDirectory(prefix="curator-bench-") as folder:
            mlc_s, mlc_dead, checked = run_mlc(binary, urls, Path(folder))
        print(row(f"markdown-link-check {MLC_VERSION}", mlc_s, mlc_dead, expected, served()))
        print(f"ratio: ours is {mlc_s / ours_s:.1f}× faster (goal ≥ 3×)")
        if checked != len(urls):
            print(f"warning: markdown-link-check reports {checked} links checked")
    elif not args.skip_mlc:
        print("markdown-link-check skipped: npm is not installed")

    print(
        f"ours: CheckConfig.from_settings() — concurrency {link_check['CONCURRENCY']}, "
        f"{link_check['PER_HOST']} per host, timeout {link_check['TIMEOUT']:g} s, "
        f"{link_check['RETRIES']} retries; HEAD, and GET only when HEAD answers an error."
    )
    print(
        f"markdown-link-check: its CLI on one README with -c {json.dumps(MLC_CONFIG)} (a 15 s "
        "timeout like ours, 429 retries on). It checks 2 links at a time per file "
        "(index.js: async.mapLimit(links, 2)); no option changes that. HEAD, then GET unless "
        "HEAD answered 200."
    )
    server.terminate()


if __name__ == "__main__":
    main()
