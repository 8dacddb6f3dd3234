"""Count the parser's work instead of timing it: a deterministic measure for growth-rate tests.

``counted()`` swaps every compiled pattern held at module level by ``casedb`` (directly, or in a
module-level tuple, list or dict, or a tuple of tuples such as a table of rules) for a proxy that adds
up the regex calls and the characters each one walks, and counts Python function calls with
``sys.setprofile``. Quadratic code shows as work that grows 16× when the input grows 4×, whatever else
the machine is doing.
"""
from __future__ import annotations

import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class Work:
    regex_characters: int = 0
    function_calls: int = 0
    regex_calls: int = 0

    @property
    def total(self) -> int:
        return self.regex_characters + self.function_calls


class _CountingPattern:
    """A ``re.Pattern`` look-alike that counts the characters handed to the engine."""

    def __init__(self, pattern: re.Pattern, work: Work):
        self._pattern, self._work = pattern, work

    def __getattr__(self, name):
        return getattr(self._pattern, name)

    def _span(self, string, pos, endpos):
        return max(0, min(len(string), endpos) - pos)

    def search(self, string, pos=0, endpos=sys.maxsize):
        self._work.regex_calls += 1
        match = self._pattern.search(string, pos, endpos)
        self._work.regex_characters += (match.end() - pos + 1) if match else self._span(string, pos, endpos)
        return match

    def match(self, string, pos=0, endpos=sys.maxsize):
        self._work.regex_calls += 1
        match = self._pattern.match(string, pos, endpos)
        self._work.regex_characters += (match.end() - pos + 1) if match else 1
        return match

    def fullmatch(self, string, pos=0, endpos=sys.maxsize):
        self._work.regex_calls += 1
        self._work.regex_characters += self._span(string, pos, endpos)
        return self._pattern.fullmatch(string, pos, endpos)

    def finditer(self, string, pos=0, endpos=sys.maxsize):
        self._work.regex_calls += 1
        self._work.regex_characters += self._span(string, pos, endpos)
        return self._pattern.finditer(string, pos, endpos)

    def findall(self, string, pos=0, endpos=sys.maxsize):
        self._work.regex_calls += 1
        self._work.regex_characters += self._span(string, pos, endpos)
        return self._pattern.findall(string, pos, endpos)

    def sub(self, repl, string, count=0):
        self._work.regex_calls += 1
        self._work.regex_characters += len(string)
        return self._pattern.sub(repl, string, count)

    def subn(self, repl, string, count=0):
        self._work.regex_calls += 1
        self._work.regex_characters += len(string)
        return self._pattern.subn(repl, string, count)

    def split(self, string, maxsplit=0):
        self._work.regex_calls += 1
        self._work.regex_characters += len(string)
        return self._pattern.split(string, maxsplit)


def _swap(value, proxy_of):
    """``value`` with its patterns replaced (containers rebuilt), or ``value`` itself if it holds none."""
    if isinstance(value, re.Pattern):
        return proxy_of(value)
    if isinstance(value, tuple):   # also a table of rules: a tuple of tuples holding patterns
        items = [_swap(item, proxy_of) for item in value]
        if all(new is old for new, old in zip(items, value)):
            return value
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, list) and any(isinstance(item, re.Pattern) for item in value):
        return [_swap(item, proxy_of) for item in value]
    if isinstance(value, dict) and any(isinstance(item, re.Pattern) for item in (*value, *value.values())):
        # (keys too: a rule's cue is looked up by the rule, which the module now holds as its proxy)
        return {_swap(key, proxy_of): _swap(item, proxy_of) for key, item in value.items()}
    return value


@contextmanager
def counted():
    """Within the block, count the parser's regex characters and Python calls; yields the ``Work``."""
    work = Work()
    proxies: dict[int, _CountingPattern] = {}

    def proxy_of(pattern):
        return proxies.setdefault(id(pattern), _CountingPattern(pattern, work))

    saved = []
    for name, module in list(sys.modules.items()):
        if not name.startswith("casedb") or module is None:
            continue
        for attribute, value in list(vars(module).items()):
            swapped = _swap(value, proxy_of)
            if swapped is not value:
                saved.append((module, attribute, value))
                setattr(module, attribute, swapped)

    def profile(frame, event, arg):
        if event == "call":
            work.function_calls += 1

    sys.setprofile(profile)
    try:
        yield work
    finally:
        sys.setprofile(None)
        for module, attribute, value in saved:
            setattr(module, attribute, value)
