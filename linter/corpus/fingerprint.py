"""Stable 64-bit hashes of masked token strings, and winnowing (Schleimer et al. 2003).

Hashes are signed 64-bit integers (what SQLite stores) from BLAKE2b, stable across
processes and machines (Python's ``hash`` of a str is not).

Both are cached per process: masking makes a series' template sentences identical token
for token (on the generated 200-page corpus, 29,484 sentences are 8,074 distinct token
sequences and 452,250 shingles 6,366 distinct strings), so most calls repeat one made for
another page. The caches are bounded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache

_SEPARATOR = "\x1f"


@lru_cache(maxsize=1 << 16)
def hash64(text: str) -> int:
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def hash_tokens(tokens: Sequence[str]) -> int:
    return hash64(_SEPARATOR.join(tokens))


def winnow(tokens: Sequence[str], k: int, window: int) -> list[tuple[int, int]]:
    """``(hash, token index)`` fingerprints of ``tokens``' k-grams, winnowed.

    Any run of ``k + window - 1`` tokens shared with another text yields at least one
    shared fingerprint. The minimum of every window of ``window`` consecutive k-gram hashes
    is kept (the rightmost on ties), once.
    """
    return list(_winnowed(tuple(tokens), k, window))


@lru_cache(maxsize=1 << 14)
def _winnowed(tokens: tuple[str, ...], k: int, window: int) -> tuple[tuple[int, int], ...]:
    if len(tokens) < k:
        return ()
    grams = [hash_tokens(tokens[i : i + k]) for i in range(len(tokens) - k + 1)]
    if len(grams) <= window:
        best = min(range(len(grams)), key=lambda i: (grams[i], -i))
        return ((grams[best], best),)
    selected: list[tuple[int, int]] = []
    last = -1
    for start in range(len(grams) - window + 1):
        best = start
        for index in range(start + 1, start + window):
            if grams[index] <= grams[best]:
                best = index
        if best != last:
            selected.append((grams[best], best))
            last = best
    return tuple(selected)
