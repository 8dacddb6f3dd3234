"""Caching the grammar's pure functions of short texts.

Trajectories are formulaic: the same clauses (居家未外出, 在家中, a date followed by 到单位上班),
place names and numerals come back case after case, so the rules that read them are cached on
their arguments. Long texts (a page without punctuation is one clause) are not kept. A caller that has checked a text's
length once (a clause, and the masked copies of it, which keep its length) calls ``function.short`` for
the cache itself, without the check on every call.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

Readers = TypeVar("Readers", bound=tuple)

#: Distinct texts remembered per function (a clause and what was found in it take well under 1 kB).
CLAUSES_CACHED = 8192
#: Longer texts are read every time.
SHORT_TEXT = 400


def cached(function: Callable) -> Callable:
    """Cache ``function``, a pure function of a text and other hashable arguments, for short texts."""
    remembered = functools.lru_cache(maxsize=CLAUSES_CACHED)(function)

    @functools.wraps(function)
    def call(text: str, *args, **kwargs):
        if len(text) > SHORT_TEXT:
            return function(text, *args, **kwargs)
        return remembered(text, *args, **kwargs)

    call.cache_info = remembered.cache_info
    call.short = remembered
    return call


def short_and_checked(readers: type[Readers], *functions: Callable) -> tuple[Readers, Readers]:
    """``readers`` (a named tuple) of :func:`cached` ``functions`` twice: their caches themselves, for a caller that
    has checked its text is short and whose texts are parts of it (never longer), and the length-checking calls."""
    return readers(*(function.short for function in functions)), readers(*functions)


def cached_matches(function: Callable[..., list]) -> Callable[..., list]:
    """:func:`cached` for a function returning a list of immutable matches; each call still
    gets a list of its own."""
    remembered = functools.lru_cache(maxsize=CLAUSES_CACHED)(lambda *args, **kwargs: tuple(function(*args, **kwargs)))

    @functools.wraps(function)
    def call(text: str, *args, **kwargs) -> list:
        if len(text) > SHORT_TEXT:
            return function(text, *args, **kwargs)
        return list(remembered(text, *args, **kwargs))

    call.cache_info = remembered.cache_info
    return call
