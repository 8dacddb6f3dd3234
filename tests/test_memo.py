"""The grammar's caches: short texts are remembered, long ones read each time; lists are not shared."""
from casedb.grammar.memo import SHORT_TEXT, cached, cached_matches


def test_short_texts_are_read_once_and_long_ones_every_time():
    calls = []

    @cached
    def length(text: str, extra: int = 0) -> int:
        calls.append(text)
        return len(text) + extra

    long_text = "长" * (SHORT_TEXT + 1)
    assert [length("居家未外出"), length("居家未外出"), length("居家未外出", extra=1)] == [5, 5, 6]
    assert [length(long_text), length(long_text)] == [SHORT_TEXT + 1] * 2
    assert calls == ["居家未外出", "居家未外出", long_text, long_text]


def test_each_call_gets_its_own_list():
    @cached_matches
    def words(text: str) -> list[str]:
        return text.split("，")

    first = words("到超市，回家")
    first.append("changed")
    assert words("到超市，回家") == ["到超市", "回家"]


def test_a_caller_that_checked_the_length_looks_up_the_same_cache():
    calls = []

    @cached
    def length(text: str) -> int:
        calls.append(text)
        return len(text)

    assert [length.short("在家中"), length("在家中"), length.short("在家中")] == [3, 3, 3]
    assert calls == ["在家中"]


def test_short_and_checked_gives_the_caches_and_the_checked_calls():
    from typing import NamedTuple

    from casedb.grammar.memo import cached, short_and_checked

    class Pair(NamedTuple):
        first: object
        second: object

    first, second = cached(len), cached(str.upper)
    short, checked = short_and_checked(Pair, first, second)
    assert short == Pair(first.short, second.short) and checked == Pair(first, second)
