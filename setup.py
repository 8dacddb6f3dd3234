"""Packaging beyond pyproject.toml: the top-level migrations/ and seeds/ folders ship inside the
package as casedb.migrations and casedb.seeds (found with importlib.resources, in a wheel and in an
editable install alike)."""
from setuptools import find_namespace_packages, setup

setup(
    packages=[*find_namespace_packages(include=["casedb", "casedb.*"], exclude=["*__pycache__"]),
              "casedb.migrations", "casedb.migrations.versions", "casedb.seeds"],
    package_dir={"casedb.migrations": "migrations", "casedb.seeds": "seeds"},
    package_data={"casedb.data": ["*"], "casedb.migrations": ["script.py.mako"], "casedb.seeds": ["*.txt"]},
)
