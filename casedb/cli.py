"""The ``casedb`` command: a thin click layer over the library."""
from __future__ import annotations

import contextlib
import json
import os
import signal
import sys

import click

from casedb.errors import CasedbError, Terminated
from casedb.terminal import printable


#: Exit code of a command that could not run: wrong usage, a bad revision, a database that cannot be used.
EXIT_ERROR = 2


class _Main(click.Group):
    """The command group. Whatever stops a command (wrong usage, a bad revision, a database that cannot be used
    or is locked, a file that cannot be written) is one line, ``casedb: <reason>``, and exit code 2: never a
    traceback. SIGTERM stops a command like Ctrl-C does (a load logs its run as stopped), with one line and exit
    code 143."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except _Finished as finished:
            if args is not None:   # called from Python (a test's CliRunner): an ordinary SystemExit
                raise
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(OSError, ValueError):
                    stream.flush()
            os._exit(finished.code)
        except click.Abort:  # Ctrl-C (or end of input at a prompt)
            click.echo("Aborted!", err=True)
            sys.exit(1)
        except click.ClickException as err:
            if type(err).__name__ == "NoArgsIsHelpError":  # a bare ``casedb`` or ``casedb db``: the help
                click.echo(err.ctx.get_help())
                sys.exit(EXIT_ERROR)
            message = err.format_message()
            if isinstance(err, click.UsageError) and err.ctx is not None:
                message = f"{message.rstrip('.')} (see {err.ctx.command_path} --help)"
            click.echo(f"casedb: {' '.join(printable(message).split())}", err=True)
            sys.exit(EXIT_ERROR)

    def invoke(self, ctx):
        previous = signal.signal(signal.SIGTERM, _terminate)
        try:
            return super().invoke(ctx)
        except CasedbError as err:
            raise click.ClickException(str(err)) from err
        except OSError as err:  # no such database file; a folder that cannot be written (export --out)…
            raise click.ClickException(f"{err.filename}: {err.strerror}" if err.filename and err.strerror
                                       else str(err)) from err
        except Terminated as err:
            click.echo(f"casedb: {printable(str(err))}", err=True)
            sys.exit(128 + signal.SIGTERM)
        except Exception as err:
            if not _is_database_error(err):
                raise
            raise click.ClickException(_database_error(ctx.meta.get(_URL_KEY, ""), err)) from err
        finally:
            signal.signal(signal.SIGTERM, previous)


def _is_database_error(err: Exception) -> bool:
    """Whether ``err`` is SQLAlchemy's. Looked up only where SQLAlchemy was imported: a command that needs no
    database does not import it, nor does ``load`` before it has started the parse workers' server."""
    errors = sys.modules.get("sqlalchemy.exc")
    return errors is not None and isinstance(err, errors.SQLAlchemyError)


class _Finished(SystemExit):
    """A load or reparse has ended, its database closed and its report printed. Run as the ``casedb`` program, the
    process then exits without tearing the interpreter down (freeing SQLAlchemy's and the parser's objects one
    by one took 0.07-0.09 s of CPU)."""


def _terminate(_signum, _frame):
    raise Terminated("stopped by SIGTERM")


_URL_KEY = "casedb.url"


def _database_error(url: str | None, err: Exception) -> str:
    """``<database>: <first line of the driver's reason>``, the password hidden."""
    from sqlalchemy.engine import make_url

    from casedb.store.engine import resolve_url

    where = "database" if url == "" else make_url(resolve_url(url)).render_as_string(hide_password=True)
    reason = str(getattr(err, "orig", None) or err).strip().splitlines() or [type(err).__name__]
    return f"{where}: {reason[0]}"


@click.group(cls=_Main, name="casedb")
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


# --------------------------------------------------------------------------- database commands

def _remember_url(ctx, _param, url):
    """Keep the database URL where ``main`` can name it in an error message."""
    ctx.meta[_URL_KEY] = url
    return url


DB_OPTION = click.option("--db", "url", default=None, envvar="CASEDB_URL", show_envvar=True, callback=_remember_url,
                         help="Database URL (postgresql+psycopg://…) or SQLite file  [default: casedb.sqlite]")


def _print_load_summary(summary, url, quiet: bool) -> None:
    if quiet:
        from casedb.store.models import utcnow

        status = "ok" if summary.ok else "FAILED"
        first_error = f" — first error: {printable(summary.errors[0])}" if summary.errors else ""
        click.echo(f"{utcnow():%Y-%m-%dT%H:%M:%SZ} {status} {summary.line()}{first_error}")
        return
    from casedb.store import connect, table_counts

    click.echo(summary.line())
    engine = connect(url)
    counts = table_counts(engine)
    engine.dispose()
    click.echo("database now: " + ", ".join(f"{n} {table}" for table, n in counts.items()))


def _exit_code(summary) -> int:
    """0: every file read; 1: some file failed, or nothing at all could be read."""
    return 0 if summary.ok else 1


def _on_terminal() -> bool:
    return sys.stderr.isatty()


class _Bar:
    """A progress bar on stderr when it is a terminal (nothing otherwise): done/total, rate and time left
    (tqdm), and what has been written so far.

    Load and reparse call it once per document (``bar(source, outcome)``) and tell the total with
    ``expect(total, summary)``; export calls it once per file written (``bar(name, rows)``) after
    ``expect(total_rows, cases)``."""

    def __init__(self, quiet: bool, description: str, unit: str, *, file=None, enabled: bool | None = None):
        enabled = (not quiet and _on_terminal()) if enabled is None else enabled
        self.bar = None
        if enabled:   # (tqdm imported only then)
            from tqdm import tqdm

            self.bar = tqdm(desc=description, unit=f" {unit}", leave=False, dynamic_ncols=True, file=file, total=None)
        self.summary = None
        self.cases = None

    def expect(self, total: int, summary_or_cases=None) -> None:
        if self.bar is None:
            return
        if isinstance(summary_or_cases, int):
            self.cases = summary_or_cases
        else:
            self.summary = summary_or_cases
        self.bar.reset(total=total)

    def __call__(self, source: str, outcome) -> None:
        if self.bar is None:
            return
        if isinstance(outcome, int):   # export: a file of ``outcome`` rows written
            self.bar.set_postfix_str(f"{source}" + (f", {self.cases} cases" if self.cases is not None else ""),
                                     refresh=False)
            self.bar.update(outcome)
            return
        if self.summary is not None:
            self.bar.set_postfix_str(f"{self.summary.rows.cases} cases", refresh=False)
        self.bar.update()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.refresh()   # the final count, however fast the last updates came
            self.bar.close()


def _report_errors(summary, quiet: bool) -> None:
    """One line per file that failed; the .doc files that failed only for want of antiword in one line.

    A file name or message may hold terminal escapes (a hostile folder): they are printed as ``\\xNN``."""
    if quiet:
        return
    from casedb.read import NO_ANTIWORD   # (after: where workers parsed, a quiet run has not imported it, 20 ms)

    no_antiword = [error for error in summary.errors if NO_ANTIWORD in error]
    for error in summary.errors:
        if NO_ANTIWORD not in error:
            click.echo(f"casedb: {printable(error)}", err=True)
    if no_antiword:
        click.echo(f"casedb: {len(no_antiword)} .doc file{'s' if len(no_antiword) > 1 else ''} not read: they need "
                   "the antiword program (Debian/Ubuntu: apt-get install antiword); load again once it is installed",
                   err=True)
    if summary.command == "load" and not summary.files_seen:
        click.echo("casedb: no notice files found (.txt .html .htm .docx .doc) nor URL list rows", err=True)


def _worker_count(workers: int) -> int:
    """The parse processes of ``--workers`` (0: one per CPU)."""
    return workers or os.cpu_count() or 1


def _run_and_report(run, url, quiet: bool, workers: int, what: str) -> None:
    """Run a load or reparse with a progress bar, print its errors and summary, exit with its code."""
    bar = _Bar(quiet, what, "documents")
    try:
        summary = run(workers=_worker_count(workers), progress=bar)
    finally:
        bar.close()
    _report_errors(summary, quiet)
    _print_load_summary(summary, url, quiet)
    raise _Finished(_exit_code(summary))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--urls", "manifests", multiple=True, type=click.Path(dir_okay=False),
              help="A crawler's URL list (TSV/CSV with url and path columns, or JSON Lines): load the saved "
                   "pages it names, keyed by their URL (repeatable)")
@DB_OPTION
@click.option("--quiet", "-q", is_flag=True, help="Print only one log line (for cron)")
@click.option("--workers", "-w", type=click.IntRange(min=0), default=0, show_default=True,
              help="Processes that parse new documents (0: one per CPU)")
def load(paths, manifests, url, quiet, workers):
    """Read notices from files and folders (.txt .html .htm .docx .doc), and from the pages a
    crawler saved (--urls), into the database.

    Unchanged files are skipped (sha256), revised ones replace their rows (the old text is kept
    in document_versions), files gone from a loaded folder or URL list are flagged
    source_present = false. Nothing is downloaded. Exit code 0 when every file was read, 1 when
    any file failed or nothing could be read.

    Example: casedb load seeds/ --db casedb.sqlite

    Example: casedb load --urls crawl/urls.tsv --db casedb.sqlite
    """
    from casedb.store.inputs import parses_many_new_files
    from casedb.store.worker import start_server

    if not paths and not manifests:
        raise click.UsageError("give files or folders to load, or --urls with a crawler's URL list")
    if _worker_count(workers) > 1 and parses_many_new_files(paths, url):
        start_server()   # it imports the parser while this process imports SQLAlchemy and creates the schema
    from casedb.store import load as load_paths

    _run_and_report(lambda **options: load_paths(paths, url, manifests=manifests, **options), url, quiet, workers,
                    "loading")


@main.command()
@DB_OPTION
@click.option("--all", "everything", is_flag=True, help="Re-parse every document, not only older parser versions")
@click.option("--quiet", "-q", is_flag=True, help="Print only one log line (for cron)")
@click.option("--workers", "-w", type=click.IntRange(min=0), default=0, show_default=True,
              help="Processes that parse documents (0: one per CPU)")
def reparse(url, everything, quiet, workers):
    """Parse stored documents again when this casedb's parser is newer than the one that made their rows.

    Example: casedb reparse --db casedb.sqlite
    """
    from casedb.store.inputs import reparses_many
    from casedb.store.worker import start_server

    if _worker_count(workers) > 1 and reparses_many(url, everything):
        start_server()   # it imports the parser while this process imports SQLAlchemy
    from casedb.store import reparse as reparse_documents

    _run_and_report(lambda **options: reparse_documents(url, force=everything, **options), url, quiet, workers,
                    "re-parsing")


@main.command()
@DB_OPTION
def demo(url):
    """The main job on the bundled seed pages: load seeds/ and show what was found.

    Example: casedb demo --db demo.sqlite
    """
    from casedb.store import connect, load as load_paths
    from casedb.store.query import format_rows, run_sql

    from casedb.resources import seeds_dir

    summary = load_paths([seeds_dir()], url)
    _report_errors(summary, quiet=False)
    _print_load_summary(summary, url, quiet=False)
    columns, rows = run_sql(connect(url), """
        SELECT n.city, c.label, c.sex, c.age, c.category,
               (SELECT count(*) FROM visits v WHERE v.case_id = c.id) AS visits,
               (SELECT count(*) FROM relations r WHERE r.case_id = c.id) AS relations
        FROM cases c JOIN notices n ON n.id = c.notice_id ORDER BY c.id""")
    click.echo(format_rows(columns, rows))
    sys.exit(_exit_code(summary))


#: What SQLite's driver and PostgreSQL (extended protocol, see store.engine) say about a string of statements.
_SEVERAL_STATEMENTS = ("one statement at a time", "multiple commands into a prepared statement")


@main.command()
@click.argument("query")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
def sql(query, url, fmt):
    """Run one SQL statement on a read-only connection and print the rows (several statements are refused).

    Example: casedb sql "SELECT label, age FROM cases WHERE category = 'asymptomatic'" --format csv
    """
    from sqlalchemy.exc import SQLAlchemyError

    from casedb.store import connect
    from casedb.store.query import format_rows, run_sql

    engine = connect(url, read_only=True)
    with engine.connect():  # a database that cannot be used is named (by main), a bad statement is not
        pass
    try:
        columns, rows = run_sql(engine, query)
    except SQLAlchemyError as err:
        message = " ".join(str(getattr(err, "orig", None) or err).split())
        if any(words in message for words in _SEVERAL_STATEMENTS):
            message = f"one SQL statement at a time, and nothing was run ({message})"
        raise click.ClickException(message) from err
    click.echo(format_rows(columns, rows, fmt))


@main.command()
@DB_OPTION
@click.option("--limit", "-n", type=click.IntRange(min=1), default=10, show_default=True, help="How many runs")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
def runs(url, limit, fmt):
    """The newest load and reparse runs: files seen, new, changed, unchanged, failed, rows written.

    Example: casedb runs -n 5
    """
    from casedb.store import connect
    from casedb.store.query import format_rows, recent_runs

    click.echo(format_rows(*recent_runs(connect(url, read_only=True), limit), fmt))


@main.command()
@click.argument("case")
@DB_OPTION
@click.option("--city", default=None, help="Only cases from notices of this city (e.g. 太原市)")
def show(case, url, city):
    """Show a case (by id or label) with its visits, relations and highlighted source text.

    Example: casedb show 病例49 --city 太原市
    """
    from casedb.store import connect
    from casedb.store.query import case_report, find_cases

    engine = connect(url, read_only=True)
    case_ids = find_cases(engine, case, city)
    if not case_ids:
        raise click.ClickException(f"no case {case!r}" + (f" in {city}" if city else ""))
    colour = sys.stdout.isatty()

    def mark(fragment: str, what: str) -> str:
        return click.style(fragment, fg="yellow" if what == "visit" else "cyan", bold=True) if colour \
            else f"【{fragment}】"

    click.echo("\n\n".join(case_report(engine, case_id, mark) for case_id in case_ids))


@main.command()
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "csv"]), default="text", show_default=True)
@click.option("--kind", "kinds", multiple=True, metavar="KIND",
              help="Only findings of this kind (repeatable): same_sex_spouse, parent_too_young, visit_after_positive, "
                   "duplicate_visit, date_outside_notice, person_two_sexes")
def check(url, fmt, kinds):
    """List suspicious rows, one line per finding with its case and source; a count goes to stderr.

    The exit status is 0 with or without findings (2 when the database cannot be read).

    Example: casedb check --kind same_sex_spouse --format csv
    """
    from casedb.check import findings, format_findings, summary
    from casedb.store import connect

    try:
        found = findings(connect(url, read_only=True), kinds or None)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--kind") from err
    if found or fmt == "csv":
        click.echo(format_findings(found, fmt))
    click.echo(summary(found), err=True)


@contextlib.contextmanager
def _revision_errors():
    """alembic's complaint about a revision (unknown, not reachable from here) as one line."""
    from alembic.util import CommandError

    try:
        yield
    except CommandError as err:
        raise click.ClickException(f"revision: {err}") from err


@main.group()
def db():
    """Schema migrations (alembic): upgrade, current, downgrade."""


@db.command("upgrade")
@DB_OPTION
@click.argument("revision", default="head")
def db_upgrade(url, revision):
    """Create or migrate the schema up to REVISION (default: the newest).

    Example: casedb db upgrade --db postgresql+psycopg://user@localhost/casedb
    """
    from casedb.store import connect, current_revision, upgrade

    engine = connect(url)
    with _revision_errors():
        upgrade(engine, revision)
    click.echo(f"schema at revision {current_revision(engine)}")


@db.command("current")
@DB_OPTION
def db_current(url):
    """Print the schema revision of the database and the newest one this casedb knows.

    Example: casedb db current
    """
    from casedb.store import connect, current_revision, head_revision

    current = current_revision(connect(url))
    click.echo(f"{current or 'empty (no casedb schema)'} (newest: {head_revision()})")


@db.command("downgrade")
@DB_OPTION
@click.argument("revision", default="-1")
@click.option("--yes", "-y", is_flag=True, help='Do not ask before "base" drops every table')
def db_downgrade(url, revision, yes):
    """Migrate the schema down to REVISION (default: one step; "base" drops every table, after asking).

    Example: casedb db downgrade 0002
    """
    from sqlalchemy.engine import make_url

    from casedb.store import connect, current_revision, downgrade
    from casedb.store.engine import resolve_url

    engine = connect(url)
    if revision == "base" and current_revision(engine) is not None and not yes:
        where = make_url(resolve_url(url)).render_as_string(hide_password=True)
        try:
            confirmed = click.confirm(f"Drop every casedb table and its rows in {where}?", default=False,
                                      err=True)
        except click.Abort:  # nothing to read the answer from (cron, a closed pipe)
            click.echo(err=True)
            confirmed = False
        if not confirmed:
            raise click.ClickException("db downgrade base not confirmed: nothing dropped (add --yes to skip the "
                                       "question)")
    with _revision_errors():
        downgrade(engine, revision)
    click.echo(f"schema at revision {current_revision(engine) or 'base (no tables)'}")


@main.command()
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet", "json", "xlsx", "geojson"]), default="csv",
              show_default=True, help="xlsx: one workbook, a sheet per table; geojson: places.geojson only")
@click.option("--excel", is_flag=True, help="CSV with a UTF-8 byte-order mark, so that Excel reads the Chinese")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder to write into")
@click.option("--where", default=None, help="SQL condition on the cases table, e.g. \"positive_date >= '2022-04-01'\"")
@click.option("--pseudonymise", is_flag=True, help="Remove names and house numbers, hash case ids, band rare ages")
@click.option("--salt", default=None, help="Secret for the case id hashes (same salt → same ids); random if omitted")
@click.option("-k", "k", type=click.IntRange(min=1), default=5, show_default=True,
              help="Smallest group of cases allowed to share an exact age")
def export(url, fmt, excel, out_dir, where, pseudonymise, salt, k):
    """Write every table, a line list and (json) Global.health-style cases to OUT, one file each.

    Example: casedb export --format parquet --out share/ --pseudonymise --salt "$SALT"
    """
    from casedb.export import export as export_tables
    from casedb.store.engine import connect

    if excel and fmt != "csv":
        raise click.UsageError("--excel is for --format csv (xlsx is Excel's own format)")
    if pseudonymise and not salt:
        click.echo("casedb: no --salt given: case ids will not line up with other exports", err=True)
    bar = _Bar(False, "exporting", "rows")
    try:
        written = export_tables(connect(url, read_only=True), out_dir, fmt=fmt, where=where,
                                pseudonymise=pseudonymise, salt=salt, k=k, progress=bar, excel=excel)
    except CasedbError as err:
        raise click.ClickException(str(err)) from err
    finally:
        bar.close()
    for name, (path, rows) in written.items():
        click.echo(f"{name}: {rows} rows → {path}")
