"""casedb: Chinese COVID-19 case-trajectory notices → a SQL database.

Pipeline: ``read`` (bytes → text) → ``parse`` (find notices, grammar) → ``records`` → ``store`` → ``analysis``.
The CLI (``casedb.cli``) is a thin layer over the functions exported here.
"""
__version__ = "0.1.0"

#: The files (relative to this package) whose contents decide what the parser extracts from a text.
PARSER_SOURCES = ("grammar/*.py", "parse.py", "persons.py", "notices.py", "places.py", "read.py", "records.py",
                  "data/divisions.csv.gz")


#: The files (relative to this package) whose contents decide what the store makes of the rows a parse gives (keys,
#: ids, persons, places, links): a change to them changes every document's rows digest (``casedb.store.parsed``), so
#: that ``casedb reparse --all`` writes every row again, as the changed code would.
STORE_SOURCES = ("store/rows.py", "store/keys.py", "store/parsed.py", "store/write.py", "store/models.py")


def parser_version(package_dir: str | None = None) -> str:
    """``<version>+<12 hex digits>``: a sha256 of the parser's source files (:data:`PARSER_SOURCES`), so
    that any change to the parser gives a new version and ``casedb reparse`` re-parses what the old one
    made, without anyone remembering to bump a number. Just ``<version>`` when the sources are not there."""
    digest = sources_digest(PARSER_SOURCES, package_dir)
    return f"{__version__}+{digest[:12]}" if digest else __version__


def sources_digest(patterns: tuple[str, ...], package_dir: str | None = None) -> str:
    """The sha256 (hex) of this package's files that match ``patterns`` (names and contents); "" when there are none."""
    import glob
    import hashlib
    import os

    root = package_dir or os.path.dirname(os.path.abspath(__file__))
    files = sorted({os.path.relpath(path, root).replace(os.sep, "/")
                    for pattern in patterns for path in glob.glob(os.path.join(root, pattern))})
    if not files:
        return ""
    digest = hashlib.sha256()
    for name in files:
        with open(os.path.join(root, name), "rb") as file:
            data = file.read()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


#: The library API, imported on first use so that ``import casedb`` stays light.
_STORE_API = ("connect", "frames", "load", "reparse", "upgrade", "downgrade", "table_counts", "RunSummary")
__all__ = [*_STORE_API, "check", "extract", "PARSER_VERSION", "parser_version", "__version__"]


def __getattr__(name: str):
    if name == "PARSER_VERSION":   # the parser's version, recorded in every row it produced (:func:`parser_version`):
        global PARSER_VERSION      # hashed on first use (a parse worker records no row)
        PARSER_VERSION = parser_version()
        return PARSER_VERSION
    if name in _STORE_API:
        from casedb import store

        return getattr(store, name)
    if name in ("extract", "check"):  # the modules: casedb.extract.extract_file(path), casedb.check.findings(engine)
        import importlib

        return importlib.import_module(f"casedb.{name}")
    raise AttributeError(f"module 'casedb' has no attribute {name!r}")
