"""A synthetic corpus of notices for the scale benchmark, made from real case paragraphs.

Sources (``../shared/reference/``): the Shijiazhuang case paragraphs (``cases_extracted.jsonl``)
and, when openpyxl is installed, the action-tracking trajectory texts (``.xlsx``). Each paragraph
is reused with a new case number and its dates moved by whole months per round (so that
day-only references like 1月7日至9日 stay consistent), and paragraphs
are grouped into notices (one ``.txt`` file each) of a fixed number of cases.

Each round of paragraphs is one city's, and cases are numbered per city, as notices number them: 300,000
cases are five cities of 60,000, each number within five digits (the parser reads no six-digit case label,
病例100001; numbered across the whole corpus, the cases past 99,999 were not read as cases at all).
"""
from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
SHIJIAZHUANG = "Data-Mining-Shijiazhuang/cases_extracted.jsonl"
ACTION_TRACKING = "action-tracking-reports-COVID19-China/action-tracking-reports_filtered.xlsx"
#: The year assumed for dates written without one (both sources are from 2020–2021).
DEFAULT_YEAR = 2021
CITIES = ("石家庄市", "邢台市", "保定市", "廊坊市", "唐山市")
_DATE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")


def source_paragraphs(reference: Path = REFERENCE) -> tuple[list[str], list[str]]:
    """The case paragraphs to replicate, and notes on sources that were skipped."""
    paragraphs, skipped = [], []
    with open(reference / SHIJIAZHUANG, encoding="utf-8") as lines:
        paragraphs.extend(json.loads(line)["text"].strip() for line in lines if line.strip())
    try:
        import pandas as pd

        sheet = pd.read_excel(reference / ACTION_TRACKING)
        texts = sheet.iloc[:, 0].dropna().astype(str).str.replace("_x000D_", "").str.replace("\n", "")
        paragraphs.extend(t.strip() for t in texts.drop_duplicates() if len(t.strip()) >= 20)
    except ImportError as err:
        skipped.append(f"action-tracking texts skipped ({err.name} is not installed: pip install -e '.[bench]')")
    return paragraphs, skipped


def shift_months(text: str, months: int) -> str:
    """Move every 月/日 date in ``text`` by ``months`` (the day kept, or the month's last day),
    writing the year only where the text wrote one."""
    def shift(match: re.Match) -> str:
        year, month, day = (int(g) if g else None for g in match.groups())
        index = (year or DEFAULT_YEAR) * 12 + month - 1 + months
        new_year, new_month = divmod(index, 12)
        new_month += 1
        new_day = min(day, calendar.monthrange(new_year, new_month)[1])
        return (f"{new_year}年" if year else "") + f"{new_month}月{new_day}日"
    return _DATE.sub(shift, text) if months else text


def notices(paragraphs: list[str], n_cases: int, cases_per_notice: int) -> Iterator[tuple[str, str]]:
    """(file name, text) of each notice, streaming: ``n_cases`` paragraphs in all."""
    numbered = dict.fromkeys(CITIES, 0)   # cases each city has numbered so far
    for first in range(0, n_cases, cases_per_notice):
        cases = range(first + 1, min(first + cases_per_notice, n_cases) + 1)   # across the corpus
        round_ = first // len(paragraphs)
        city = CITIES[round_ % len(CITIES)]
        numbers = range(numbered[city] + 1, numbered[city] + len(cases) + 1)    # the city's
        numbered[city] += len(cases)
        published = dt.date(DEFAULT_YEAR, 1 + round_ % 12, 20)
        lines = [f"{city}关于新增确诊病例{numbers[0]}—{numbers[-1]}活动轨迹的通告", "",
                 f"{published.year}年{published.month}月{published.day}日，{city}新增确诊病例{len(numbers)}例，"
                 "现将活动轨迹公布如下：", ""]
        for case, number in zip(cases, numbers):
            paragraph = paragraphs[(case - 1) % len(paragraphs)]
            months = (case - 1) // len(paragraphs) % 12
            lines += [f"病例{number}：{shift_months(paragraph, months)}", ""]
        lines.append(f"{city}新型冠状病毒感染的肺炎疫情防控工作领导小组办公室")
        yield f"notice_{first // cases_per_notice:06d}.txt", "\n".join(lines) + "\n"


def write_corpus(out_dir: Path, paragraphs: list[str], n_cases: int, cases_per_notice: int = 20) -> dict:
    """Write the notices under ``out_dir``; returns files, bytes and cases written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = size = 0
    for name, text in notices(paragraphs, n_cases, cases_per_notice):
        data = text.encode("utf-8")
        (out_dir / name).write_bytes(data)
        files += 1
        size += len(data)
    return {"files": files, "bytes": size, "cases": n_cases}
