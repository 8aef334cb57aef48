"""``network.run_async``: the checker and the metadata refresh run from synchronous code, also
where an event loop already runs in the thread (an ASGI server, Playwright's sync API)."""

from __future__ import annotations

import asyncio

from curation.health.network import run_async


async def answer() -> int:
    await asyncio.sleep(0)
    return 42


def test_without_a_running_loop():
    assert run_async(answer()) == 42


def test_inside_a_running_loop():
    async def caller() -> int:
        return run_async(answer())  # synchronous code called from async code

    assert asyncio.run(caller()) == 42
