"""Caching the grammar's pure functions of short texts.

Trajectories are formulaic: the same clauses (居家未外出, 在家中, a date followed by 到单位上班)
come back case after case, so the rules that read one clause are cached on their arguments.
"""
from __future__ import annotations

import functools
from collections.abc import Callable

#: Distinct clauses remembered per function (a clause and its matches take well under 1 kB).
CLAUSES_CACHED = 8192


def cached_matches(function: Callable[..., list]) -> Callable[..., list]:
    """Cache ``function``, a pure function of hashable arguments returning a list of immutable
    matches; each call still gets a list of its own."""
    as_tuple = functools.lru_cache(maxsize=CLAUSES_CACHED)(lambda *args, **kwargs: tuple(function(*args, **kwargs)))

    @functools.wraps(function)
    def cached(*args, **kwargs) -> list:
        return list(as_tuple(*args, **kwargs))

    cached.cache_info = as_tuple.cache_info
    return cached
