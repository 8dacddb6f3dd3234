"""(Re)build ``casedb/data/t2s_changed.txt``: the characters OpenCC's traditional → simplified conversion may change.

A text that holds none of them is its own simplified form, so :func:`casedb.read.to_simplified` returns it without
converting it. A character is listed when the conversion's dictionaries (the ``t2s`` configuration: its
normalisation and its phrase and character dictionaries) map a key holding it to another text: the characters
that differ from the value at their place (沈 of 深沈 → 深沉), every character of a key whose value has another
length. The file's first line names the OpenCC version it was built from; another version's conversion is never
skipped (:func:`casedb.read.to_simplified`).

    python scripts/build_t2s_gate.py            # writes casedb/data/t2s_changed.txt
    python scripts/build_t2s_gate.py --check    # exit status 1 if the file is not the installed OpenCC's
"""
from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import opencc

OUT = Path(__file__).resolve().parent.parent / "casedb" / "data" / "t2s_changed.txt"
CLIB = Path(opencc.__file__).resolve().parent / "clib"


def header() -> str:
    return f"# opencc {importlib.metadata.version('opencc')}: characters t2s may change (scripts/build_t2s_gate.py)"


def dictionary_files() -> list[Path]:
    """The ``.ocd2`` dictionaries of the ``t2s`` configuration."""
    share = CLIB / "share" / "opencc"
    config = json.loads((share / "t2s.json").read_text(encoding="utf-8"))
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "ocd2":
                found.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(config)
    return [share / name for name in found]


def entries(path: Path) -> list[tuple[str, str]]:
    """(key, first value) of each entry of an ``.ocd2`` dictionary, exported with OpenCC's ``opencc_dict``."""
    env = dict(os.environ, LD_LIBRARY_PATH=os.pathsep.join(str(p) for p in CLIB.glob("lib*")))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "dict.txt"
        subprocess.run([str(CLIB / "bin" / "opencc_dict"), "-i", str(path), "-o", str(out), "-f", "ocd2", "-t", "text"],
                       check=True, env=env)
        rows = [line.rstrip("\n").split("\t") for line in out.read_text(encoding="utf-8").splitlines() if line]
    return [(key, values.split(" ")[0]) for key, values in rows]


def changed_characters() -> str:
    changed: set[str] = set()
    for path in dictionary_files():
        for key, value in entries(path):
            if value == key:
                continue
            if len(value) == len(key):
                changed.update(k for k, v in zip(key, value) if k != v)
            else:
                changed.update(key)
    return "".join(sorted(changed))


def build() -> str:
    return f"{header()}\n{changed_characters()}\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the file instead of writing it")
    args = parser.parse_args()
    text = build()
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        print("up to date" if current == text else f"{OUT} is not the installed OpenCC's: rebuild it")
        return 0 if current == text else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"{OUT}: {len(text.splitlines()[1])} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
