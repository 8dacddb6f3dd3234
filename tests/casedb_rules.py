"""Every compiled rule casedb's modules hold, for tests that check them all."""
from __future__ import annotations

import importlib
import pkgutil
import re

import casedb


def casedb_rules() -> dict[str, re.Pattern]:
    """Every compiled rule held by a casedb module, by its module and name: at the module's top level, or in a
    dict, list or tuple there."""
    rules = {}
    for info in pkgutil.walk_packages(casedb.__path__, "casedb."):
        if info.name.endswith("__main__"):   # (importing it runs the command line)
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            held = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else [value]
            for index, rule in enumerate(held):
                if isinstance(rule, re.Pattern):
                    rules[f"{info.name}.{name}[{index}]"] = rule
    return rules
