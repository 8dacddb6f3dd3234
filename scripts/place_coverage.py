"""How many place and residence strings ``casedb.places.locate`` places down to a district.

    python scripts/place_coverage.py                       # dev set + reference corpora samples
    python scripts/place_coverage.py --sample 300 --show 20

Dev set: the gold ``place`` of visits (not rides) and ``residence`` of cases, with the notice's
gold city as the hint. Reference corpora: a fixed random sample of place spans from each
(ECR-COVID-19 ``Spot``, StephenYang ``PLACE``, EPIC addresses with 郑州市 as the hint, the
residences opening the Shijiazhuang case list with 石家庄市). Prints, per source, the share
placed at district level and at any level (province, city or district).
"""
from __future__ import annotations

import argparse
import glob
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

from casedb.places import locate, normalise_place

SHARED = Path(__file__).resolve().parents[2] / "shared"
Sample = list[tuple[str, str | None]]          # (text, city hint)


def devset(kind: str) -> Sample:
    found = []
    for path in sorted(glob.glob(str(SHARED / "devset" / "*.gold.json"))):
        for notice in json.loads(Path(path).read_text(encoding="utf-8"))["notices"]:
            city = notice.get("city")
            for case in notice.get("cases", []):
                if kind == "residence" and case.get("residence"):
                    found.append((case["residence"], city))
                visits = case.get("visits", []) if kind == "place" else []
                found += [(v["place"], city) for v in visits if v.get("place") and v.get("kind") != "transit"]
            if kind == "place":
                found += [(v["place"], city) for v in notice.get("unattributed_visits", [])
                          if v.get("place") and v.get("kind") != "transit"]
    return found


def spans_from_tags(lines: Iterator[str], wanted: set[str]) -> Iterator[str]:
    """Entity strings from ``char TAG`` lines in BIO or BMES tagging."""
    chars: list[str] = []
    for line in lines:
        parts = line.split()
        tag = parts[1] if len(parts) == 2 else "O"
        prefix, _, label = tag.partition("-") if "-" in tag else ("", "", tag)
        inside = label in wanted and prefix in ("I", "M", "E")
        if chars and not inside:
            yield "".join(chars)
            chars = []
        if label in wanted and prefix in ("B", "S", ""):
            chars = [parts[0]]
        elif inside and chars:
            chars.append(parts[0])
        if prefix in ("E", "S") and chars:
            yield "".join(chars)
            chars = []


def reference() -> dict[str, Sample]:
    root = SHARED / "reference"
    ecr = []
    for path in sorted((root / "Dataset-Epidemiologic-Investigation-COVID19").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            ecr += [(record["text"][s:e], None) for s, e, label in record["entities"] if label == "Spot"]
    stephen = root / "Semantic-analysis-system-for-the-COVID19-epidemic" / "train.char.bmes"
    epic = root / "EPIC" / "EPIC-Fulltext-Train"
    shijiazhuang = root / "Data-Mining-Shijiazhuang" / "cases_extracted.jsonl"
    residences = []
    for line in shijiazhuang.read_text(encoding="utf-8").splitlines():
        match = re.match(r"(.{2,40}?)人[。，,]", json.loads(line)["text"])
        if match:
            residences.append((match.group(1), "石家庄市"))
    return {
        "ECR-COVID-19 Spot (no hint)": ecr,
        "StephenYang PLACE (no hint)": [(s, None) for s in spans_from_tags(
            stephen.read_text(encoding="utf-8").splitlines(), {"PLACE"})],
        "EPIC addresses (郑州市)": [(s, "郑州市") for s in spans_from_tags(
            epic.read_text(encoding="utf-8").splitlines(), {"L_Address", "H_Address", "W_Address"})],
        "Shijiazhuang residences (石家庄市)": residences,
    }


def coverage(sample: Sample) -> tuple[int, int, int]:
    district = placed = 0
    for text, city in sample:
        place = normalise_place(text, city)
        division = locate(" ".join(filter(None, (place.name, place.address))), city)
        placed += division is not None
        district += division is not None and division.level == "district"
    return len(sample), district, placed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", type=int, default=500, help="strings drawn from each reference corpus")
    parser.add_argument("--show", type=int, default=0, help="print this many unplaced strings per source")
    args = parser.parse_args()
    sources = {"dev set: visit places": devset("place"), "dev set: residences": devset("residence")}
    for name, strings in reference().items():
        distinct = sorted(set(strings))
        sources[name] = random.Random(0).sample(distinct, min(args.sample, len(distinct)))
    print(f"{'source':40} {'strings':>7} {'district':>9} {'any level':>9}")
    for name, sample in sources.items():
        total, district, placed = coverage(sample)
        print(f"{name:40} {total:7d} {district / total:9.1%} {placed / total:9.1%}")
        unplaced = [text for text, city in sample if locate(text, city) is None]
        for text in unplaced[: args.show]:
            print("    unplaced:", text)


if __name__ == "__main__":
    main()
