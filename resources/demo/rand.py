"""A seeded generator with cheap draws, and fast uuid5 ids, for generating 150,000 records.

``random.Random.randint``/``choice``/``choices``/``sample`` cost a few microseconds each (argument
checks, rejection sampling); at 100,000 assets that dominated generation time. These versions
draw from ``random()`` directly. They are as deterministic as the stdlib's (same seed, same
draws) but give different values, which only matters within this package.
"""

from __future__ import annotations

import hashlib
import uuid
from bisect import bisect
from collections.abc import Sequence
from itertools import accumulate
from random import Random
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from _typeshed import SupportsLenAndGetItem

T = TypeVar("T")


class DemoRandom(Random):
    """``random.Random`` with cheap ``randint``, ``choice``, ``weighted`` and ``few``."""

    def __init__(self, seed: str) -> None:
        super().__init__(seed)
        self._cumulative: dict[tuple[int, ...], tuple[list[int], int]] = {}

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq: SupportsLenAndGetItem[T]) -> T:
        return seq[int(self.random() * len(seq))]

    def weighted(self, items: Sequence[T], weights: tuple[int, ...]) -> T:
        """One of ``items``, with probability proportional to its weight."""
        found = self._cumulative.get(weights)
        if found is None:
            cumulative = list(accumulate(weights))
            found = self._cumulative[weights] = (cumulative, cumulative[-1])
        cumulative, total = found
        return items[bisect(cumulative, self.random() * total)]

    def few(self, items: Sequence[T], k: int) -> list[T]:
        """``k`` distinct items (all of them if there are fewer), in random order."""
        order = list(range(len(items)))
        k = min(k, len(order))
        for i in range(k):
            j = i + int(self.random() * (len(order) - i))
            order[i], order[j] = order[j], order[i]
        return [items[order[i]] for i in range(k)]

    def run(self, items: Sequence[T], k: int) -> list[T]:
        """``k`` distinct neighbours (cyclically) from a random start: a cheaper ``few``."""
        n = len(items)
        start = int(self.random() * n)
        end = start + min(k, n)
        if end <= n:
            return list(items[start:end])
        return [*items[start:], *items[: end - n]]


class IdMaker:
    """``str(uuid.uuid5(namespace, name))``, several times faster: the namespace is hashed once."""

    def __init__(self, namespace: uuid.UUID) -> None:
        self._prefix = hashlib.sha1(namespace.bytes, usedforsecurity=False)

    def __call__(self, name: str) -> str:
        digest = self._prefix.copy()
        digest.update(name.encode())
        raw = bytearray(digest.digest()[:16])
        raw[6] = (raw[6] & 0x0F) | 0x50  # version 5
        raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
        h = raw.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
