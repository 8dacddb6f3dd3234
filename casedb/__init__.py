"""casedb: Chinese COVID-19 case-trajectory notices → a SQL database.

Pipeline: ``read`` (bytes → text) → ``parse`` (find notices, grammar) → ``records`` → ``store`` → ``analysis``.
The CLI (``casedb.cli``) is a thin layer over the functions exported here.
"""
__version__ = "0.1.0"

#: Bumped whenever the parser's output can change; rows record the version that produced them.
PARSER_VERSION = "0.1.0"
