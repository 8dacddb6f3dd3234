"""The ``casedb`` command: a thin click layer over the library."""
from __future__ import annotations

import json
import sys

import click

from casedb.errors import CasedbError


@click.group()
@click.version_option(package_name="casedb")
def main():
    """Turn Chinese COVID-19 case-trajectory notices into a SQL database."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table", show_default=True)
def extract(files, fmt):
    """Print what the parser finds in FILES, without touching a database.

    Example: casedb extract seeds/001_096631c7e59e4269.txt --format json
    """
    from casedb.extract import extract_file, to_contract, format_table

    notices, failed = [], False
    for path in files:
        try:
            notices.extend(extract_file(path).notices)
        except CasedbError as err:
            click.echo(f"casedb: {err}", err=True)
            failed = True
    if fmt == "json":
        click.echo(json.dumps(to_contract(notices), ensure_ascii=False, indent=1))
    else:
        click.echo(format_table(notices))
    sys.exit(1 if failed and not notices else 0)
