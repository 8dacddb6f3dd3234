"""A case's trajectory text → :class:`~casedb.records.Visit` list.

``parse_trajectory`` walks the text clause by clause, carrying the current date from one
clause to the next, and applies the date, time, place, transport and home rules.
Spans are document offsets: ``offset`` + index in ``text``.
"""
from __future__ import annotations

import datetime as dt
import re

from casedb.grammar.dates import DateContext, find_dates
from casedb.grammar.times import find_times
from casedb.records import Visit

_SENTENCE = re.compile(r"[^。；;\n]+")
_MOVE = re.compile(r"(?:前往|到达|来到|抵达|去往|在|到|去|至)")
_HOME = re.compile(r"(?:居家|在家)(?:未外出|无外出|休息)?|居村(?:未|无)外出")


def parse_trajectory(text: str, ctx: DateContext, offset: int = 0) -> list[Visit]:
    """The visits, rides and home days stated in ``text``, in order."""
    visits: list[Visit] = []
    for sentence in _SENTENCE.finditer(text):
        body = sentence.group(0)
        base = sentence.start()
        dates = find_dates(body, ctx)
        if dates:
            ctx = ctx.at(dates[-1].last)
        day = dates[0].date if dates else ctx.current
        end_day = dates[0].last if dates else None
        times = [t for t in find_times(body) if t.time is not None]
        start = dt.datetime.combine(day, times[0].time) if times and day else None
        home = _HOME.search(body)
        if home:
            visits.append(Visit("home", day, end_day or day, span=(offset + base, offset + base + len(body))))
            continue
        move = _MOVE.search(body)
        if move:
            place = body[move.end():].strip(" ，,")
            if place:
                visits.append(Visit("visit", day, start=start, place=place,
                                    span=(offset + base + move.end(), offset + base + len(body))))
    return visits
