"""casedb: Chinese COVID-19 case-trajectory notices → a SQL database.

Pipeline: ``read`` (bytes → text) → ``parse`` (find notices, grammar) → ``records`` → ``store`` → ``analysis``.
The CLI (``casedb.cli``) is a thin layer over the functions exported here.
"""
__version__ = "0.1.0"

#: Bumped whenever the parser's output can change; rows record the version that produced them.
PARSER_VERSION = "0.1.0"

#: The library API, imported on first use so that ``import casedb`` stays light.
_STORE_API = ("connect", "frames", "load", "reparse", "upgrade", "downgrade", "table_counts", "RunSummary")
__all__ = [*_STORE_API, "extract", "PARSER_VERSION", "__version__"]


def __getattr__(name: str):
    if name in _STORE_API:
        from casedb import store

        return getattr(store, name)
    if name == "extract":  # the module: casedb.extract.extract_file(path), extract_text(text)
        import importlib

        return importlib.import_module("casedb.extract")
    raise AttributeError(f"module 'casedb' has no attribute {name!r}")
