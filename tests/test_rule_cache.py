"""casedb.grammar.scan.remember_compiled_rules: the file of compiled rules gives the patterns compiled anew, a
process that finds its rules there parses none of them, and a file it cannot trust is ignored."""
from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from casedb.grammar import scan

ROOT = Path(__file__).resolve().parents[1]

#: Imports the parser in a new process, counting the regex parser's calls during that import (the rule file is in
#: use from ``import casedb.grammar`` on), and prints each rule of the parser's modules, whether each is the pattern
#: scan.compile_anew makes (Pattern equality compares the engine's code), and whether the process has a rule file; with ``matches``, each rule's matches in the seed texts too.
CHILD = """
import json, re, sys
from pathlib import Path
from re import _compiler, _parser
import casedb.grammar
from casedb.grammar import scan

parsed = []
parse = _parser.parse
_parser.parse = lambda pattern, *args, **kwargs: parsed.append(pattern) or parse(pattern, *args, **kwargs)
import casedb.parse
_parser.parse = parse
from casedb.read import to_simplified

texts = [to_simplified(path.read_text(encoding="utf-8")) for path in sorted(Path(sys.argv[1]).glob("*.txt"))]
rules = sorted({repr((value.pattern, value.flags)): value for name, module in sys.modules.items()
                if name.startswith("casedb") for value in vars(module).values() if isinstance(value, re.Pattern)}.items())
print(json.dumps({
    "parsed": len(parsed), "file": getattr(scan._rule_file, "path", None) is not None,
    "compiled alike": all(rule == scan.compile_anew(rule.pattern, rule.flags) for _, rule in rules),
    "rules": [repr((rule.pattern, rule.flags, rule.groups, dict(rule.groupindex),
                    [(m.span(), m.groups()) for text in texts if sys.argv[2:] == ["matches"]
                     for m in rule.finditer(text.encode() if isinstance(rule.pattern, bytes) else text)]))
              for _, rule in rules]}))
"""


def _child(cache_dir: str | Path, matches: bool = False, **environment: str) -> dict:
    env = {**os.environ, "CASEDB_CACHE_DIR": str(cache_dir), **environment,
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    finished = subprocess.run([sys.executable, "-c", CHILD, str(ROOT / "seeds"), *(["matches"] if matches else [])],
                              env=env, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    found = json.loads(finished.stdout)
    assert found["compiled alike"] and len(found["rules"]) > 300
    return found


@pytest.fixture(scope="module")
def plain() -> dict:
    """The rules as re.compile makes them, with no rule file."""
    found = _child("off")
    assert not found["file"] and found["parsed"] > 300
    return found


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> bytes:
    """A rule file as a cold process writes it."""
    folder = tmp_path_factory.mktemp("written")
    assert _child(folder)["file"]
    return _file(folder).read_bytes()


def _file(cache_dir: Path) -> Path:
    (path,) = cache_dir.glob("compiled-rules.*.marshal")
    return path


def test_a_warm_process_makes_the_rules_of_a_cold_one_without_parsing_them(tmp_path):
    plain = _child("off", matches=True)
    cold = _child(tmp_path, matches=True)
    assert cold["file"] and cold["parsed"] > 300
    assert cold["rules"] == plain["rules"]
    written = _file(tmp_path).stat()
    warm = _child(tmp_path, matches=True)
    assert warm["parsed"] == 0
    assert warm["rules"] == plain["rules"]
    assert (_file(tmp_path).stat().st_ino, _file(tmp_path).stat().st_mtime_ns) == (written.st_ino,
                                                                                     written.st_mtime_ns)


def _write(cache_dir: Path, data: bytes) -> Path:
    path = cache_dir / scan.rule_file_name()
    path.write_bytes(data)
    return path


def test_the_file_keeps_only_the_rules_the_writer_used(tmp_path, plain, written):
    key, rules, facts = marshal.loads(written)
    rules[("(?:a stale rule)", 0)] = next(iter(rules.values()))
    facts[("_lead", "a stale rule", 0)] = "a"
    rules.pop(next(iter(rules)))                       # a rule the next process compiles anew
    path = _write(tmp_path, marshal.dumps((key, rules, facts)))
    assert _child(tmp_path)["rules"] == plain["rules"]
    _, rules, facts = marshal.loads(path.read_bytes())
    assert ("(?:a stale rule)", 0) not in rules and ("_lead", "a stale rule", 0) not in facts
    assert _child(tmp_path)["parsed"] == 0


@pytest.mark.parametrize("damage", ["garbage", "truncated", "a folder"])
def test_a_damaged_file_is_ignored_and_replaced(tmp_path, plain, written, damage):
    if damage == "a folder":
        (tmp_path / scan.rule_file_name()).mkdir()
    else:
        _write(tmp_path, {"garbage": b"\x00casedb" * 100, "truncated": written[:len(written) // 2]}[damage])
    found = _child(tmp_path)
    assert found["parsed"] > 300 and found["rules"] == plain["rules"]
    if damage != "a folder":
        assert marshal.loads(_file(tmp_path).read_bytes())[0] == marshal.loads(written)[0]


def test_a_file_of_another_python_or_module_version_is_ignored(tmp_path, plain, written):
    """Its entries are not used even for the same patterns (here each rule holds another rule's code)."""
    key, rules, facts = marshal.loads(written)
    shifted = dict(zip(rules, [*list(rules.values())[1:], next(iter(rules.values()))]))
    for other in [(key[0], "2.7.18 (other)", *key[2:]), (*key[:3], (0, 4), key[4]), (*key[:4], key[4] + 1)]:
        path = _write(tmp_path, marshal.dumps((other, shifted, {k: "x" for k in facts})))
        found = _child(tmp_path)
        assert found["parsed"] > 300 and found["rules"] == plain["rules"]
        assert marshal.loads(path.read_bytes())[0] == key


def test_parallel_cold_processes_leave_one_whole_file(tmp_path, plain):
    with ThreadPoolExecutor(4) as pool:
        found = list(pool.map(lambda _: _child(tmp_path), range(4)))
    assert all(each["rules"] == plain["rules"] for each in found)
    assert [path.name for path in tmp_path.iterdir()] == [_file(tmp_path).name]
    assert _child(tmp_path)["parsed"] == 0


@pytest.mark.parametrize("value", ["off", ""])
def test_the_variable_turns_the_file_off(tmp_path, value):
    home = tmp_path / "home"
    found = _child(value, HOME=str(home), XDG_CACHE_HOME=str(tmp_path / "xdg"))
    assert not found["file"] and found["parsed"] > 300
    assert not home.exists() and not (tmp_path / "xdg").exists()


def test_an_unwritable_folder_leaves_no_file_and_no_error(tmp_path, plain):
    (tmp_path / "a file").write_text("")
    found = _child(tmp_path / "a file" / "cache")
    assert found["file"] and found["rules"] == plain["rules"]


def test_the_file_is_in_the_users_cache_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("CASEDB_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    name = scan.rule_file_name()
    assert scan.rule_file_path() == str(tmp_path / ".cache" / "casedb" / name)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert scan.rule_file_path() == str(tmp_path / "xdg" / "casedb" / name)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")   # not absolute: ignored, as the XDG specification says
    assert scan.rule_file_path() == str(tmp_path / ".cache" / "casedb" / name)
    monkeypatch.setenv("CASEDB_CACHE_DIR", str(tmp_path / "mine"))
    assert scan.rule_file_path() == str(tmp_path / "mine" / name)


def test_each_version_of_the_scanner_has_a_file_of_its_own(monkeypatch):
    """Two checkouts of casedb whose scanners differ (a tree benchmarked against an older one) keep a file each:
    sharing one, each start would find the other's and compile every rule anew."""
    key = scan._rule_file_key()
    name = scan.rule_file_name()
    assert scan.rule_file_name() == name               # one name per key
    monkeypatch.setattr(scan, "_rule_file_key", lambda: (*key[:-1], key[-1] ^ 1))   # this module's source changed
    assert scan.rule_file_name() != name
    monkeypatch.setattr(scan, "_rule_file_key", lambda: None)                       # no engine or source to key by
    assert scan.rule_file_name() is None


def test_the_facts_in_the_file_are_those_worked_out_anew(written):
    """first_chars, needed_chars and compile_rule's leads as the analysis of the parsed pattern gives them
    (tests/test_scan.py checks the analysis itself)."""
    _, _, facts = marshal.loads(written)
    assert len(facts) > 20
    analyses = {analysis.__name__: analysis.__wrapped__ for analysis in (scan._lead, scan.first_chars,
                                                                         scan.needed_chars)}
    for (name, pattern, flags), found in facts.items():
        assert analyses[name](pattern, flags) == found, pattern


#: Counts the regex parser's calls after the parser's import: the rules casedb compiles on first use (here
#: to_simplified's class of the traditional characters it changes, made from its data file).
LATE_CHILD = """
import casedb.parse
from re import _parser
from casedb.read import to_simplified

parsed = []
parse = _parser.parse
_parser.parse = lambda pattern, *args, **kwargs: parsed.append(pattern) or parse(pattern, *args, **kwargs)
assert to_simplified("與病例3同乘") == "与病例3同乘"
print(len(parsed))
"""


def test_rules_compiled_after_the_import_are_written_at_exit(tmp_path):
    env = {**os.environ, "CASEDB_CACHE_DIR": str(tmp_path),
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    runs = [subprocess.run([sys.executable, "-c", LATE_CHILD], env=env, capture_output=True, text=True, timeout=300)
            for _ in range(2)]
    assert all(run.returncode == 0 for run in runs), runs[0].stderr + runs[1].stderr
    assert int(runs[0].stdout) > 0 and int(runs[1].stdout) == 0
