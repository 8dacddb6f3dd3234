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


@main.command()
@click.option("--db", "url", default=None, help="Database URL or SQLite file [default: $CASEDB_URL, else casedb.sqlite]")
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet", "json"]), default="csv", show_default=True)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder to write into")
@click.option("--where", default=None, help="SQL condition on the cases table, e.g. \"positive_date >= '2022-04-01'\"")
@click.option("--pseudonymise", is_flag=True, help="Remove names and house numbers, hash case ids, band rare ages")
@click.option("--salt", default=None, help="Secret for the case id hashes (same salt → same ids); random if omitted")
@click.option("-k", "k", default=5, show_default=True, help="Smallest group of cases allowed to share an exact age")
def export(url, fmt, out_dir, where, pseudonymise, salt, k):
    """Write every table, a line list and (json) Global.health-style cases to OUT, one file each.

    Example: casedb export --format parquet --out share/ --pseudonymise --salt "$SALT"
    """
    from casedb.export import export as export_tables
    from casedb.store.engine import connect

    if pseudonymise and not salt:
        click.echo("casedb: no --salt given: case ids will not line up with other exports", err=True)
    written = export_tables(connect(url, read_only=True), out_dir, fmt=fmt, where=where, pseudonymise=pseudonymise,
                            salt=salt, k=k)
    for name, (path, rows) in written.items():
        click.echo(f"{name}: {rows} rows → {path}")
