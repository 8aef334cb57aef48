"""Pausing the cyclic garbage collector while a README is parsed (or written).

A parse builds a few hundred thousand small objects (markdown-it tokens with their attribute
dicts, block and inline nodes) that all stay alive until it ends. The collector runs every 700
new containers and, as they pile up, keeps re-scanning the ones that survived: a quarter to a
third of an import was spent there. The parse creates almost no garbage cycles (the block tree
has no parent links), so the collector waits until it is done. Nothing else changes: the
output is the same.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block; afterwards the collector is on again if it
    was on before (so nested or concurrent uses leave it as they found it)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
