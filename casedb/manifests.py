"""URL lists saved by a crawler: which saved file holds the page fetched from which URL.

A manifest is a text file (UTF-8) in one of two shapes, told apart by its first character:

- **TSV or CSV** with a header row (tab-separated when the header holds a tab, else commas)::

      url	path	fetched_at
      https://wjw.example.gov.cn/tzgg/1.html	pages/1.html	2022-04-13T08:00:00+08:00

- **JSON Lines**, one object per line (the first character is ``{``)::

      {"url": "https://wjw.example.gov.cn/tzgg/1.html", "path": "pages/1.html"}

``url`` and ``path`` are required; ``path`` is relative to the manifest's folder (or absolute), and
must name a file under that folder (after symbolic links: a list cannot make casedb store
``/etc/shadow``); ``fetched_at`` is optional (ISO 8601, UTC when it has no offset). Other columns are
ignored, blank lines skipped, and a URL listed twice takes its last row (a crawler that appends).
A row that cannot be used (a CSV field over 128 KiB, JSON nested too deeply, a NUL in the path, a URL
over 2048 bytes, a bad ``fetched_at``) is one error and the other rows load. Nothing is downloaded:
the pages are read from the saved files.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
from dataclasses import dataclass, field

from casedb.errors import InputError
from casedb.limits import open_regular, path_text

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s\x00-\x1f\x7f]+")
#: Longest URL kept, in UTF-8 bytes: ``documents.source`` holds 2048 characters, and PostgreSQL's unique
#: index on it refuses keys over about 2700 bytes.
MAX_URL_BYTES = 2048


@dataclass(frozen=True)
class SavedPage:
    """One manifest row: the page fetched from ``url``, saved at ``path``."""

    url: str
    path: str                              # absolute
    fetched_at: dt.datetime | None         # naive UTC
    where: str                             # "<manifest> line N", for error messages


@dataclass
class Manifest:
    """The rows of one manifest file that could be read, and one line per row that could not."""

    path: str                                          # absolute: documents.manifest
    pages: list[SavedPage] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    listed: set[str] = field(default_factory=set)      # every URL named, bad rows included
    complete: bool = True                              # every row named its URL: unlisted URLs are gone


def read_manifest(path: str | os.PathLike) -> Manifest:
    """Read a manifest; a file that cannot be read at all gives no pages, one error, ``complete=False``."""
    real_path = os.path.abspath(path)  # the name to open; manifest.path is its text (see limits.path_text)
    manifest = Manifest(path=path_text(real_path))
    try:
        with open_regular(real_path, manifest.path) as file:  # a named pipe is refused, never waited on
            text = file.readall().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError, InputError) as err:
        reason = (err.reason if isinstance(err, InputError) else err.strerror if isinstance(err, OSError)
                  else f"not UTF-8 text (byte {err.start})")
        manifest.errors.append(f"{manifest.path}: cannot read URL list ({reason})")
        manifest.complete = False
        return manifest
    rows = _json_rows(text) if text.lstrip().startswith("{") else _delimited_rows(text, manifest)
    pages: dict[str, SavedPage] = {}
    for line, row in rows:
        where = f"{manifest.path} line {line}"
        try:
            page = _saved_page(row, where, os.path.dirname(real_path), manifest)
        except Exception as err:  # noqa: BLE001 - one row that breaks a check is that row's error, not the run's
            manifest.errors.append(f"{where}: row not usable ({type(err).__name__}: {err})")
            manifest.complete = False
            continue
        if page is not None:
            pages.pop(page.url, None)   # a later row for the same URL replaces the earlier one
            pages[page.url] = page
    manifest.pages = list(pages.values())
    return manifest


def _json_rows(text: str):
    """(line number, dict) of each non-blank line; a line that is no JSON object gives (line number, None)."""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except RecursionError:
            row = "not a JSON object (nested too deeply)"
        except ValueError:
            row = None
        yield number, row if isinstance(row, (dict, str)) else None


def _delimited_rows(text: str, manifest: Manifest):
    """(line number, dict) of each data row of a TSV / CSV text with a header row."""
    header_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter="\t" if "\t" in header_line else ",")
    try:
        header = [name.strip().lower() for name in next(reader, [])]
    except csv.Error:
        header = []
    if not {"url", "path"} <= set(header):
        manifest.errors.append(f"{manifest.path}: the first line must name the columns url and path "
                               "(TSV, CSV) or the file must be JSON Lines")
        manifest.complete = False
        return
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as err:  # a field over csv's 128 KiB limit: that row only (the reader goes on)
            yield reader.line_num, f"not a {'TSV' if reader.dialect.delimiter == chr(9) else 'CSV'} row ({err})"
            continue
        if any(value.strip() for value in values):
            yield reader.line_num, dict(zip(header, values))


def _saved_page(row: dict | str | None, where: str, folder: str, manifest: Manifest) -> SavedPage | None:
    """The page a row names, or None after recording the row's error (``row`` is a str: why it is no row)."""
    url = str(row.get("url") or "").strip() if isinstance(row, dict) else ""
    problem = (row if isinstance(row, str) else "not a JSON object" if row is None
               else None if _URL.fullmatch(url) else f"no URL (scheme://…) in the url column: {url[:200]!r}")
    if problem is None and not _encodable(url):
        problem = "the URL is not valid Unicode text"
    elif problem is None and len(url.encode("utf-8")) > MAX_URL_BYTES:
        problem = f"URL longer than {MAX_URL_BYTES} bytes: {url[:100]!r}…"
    if problem is not None:
        manifest.errors.append(f"{where}: {problem}")
        manifest.complete = False
        return None
    manifest.listed.add(url)
    saved = str(row.get("path") or "").strip()
    if not saved:
        manifest.errors.append(f"{url}: no saved file in the path column ({where})")
        return None
    if "\x00" in saved or not _encodable(saved, os.fsencode):
        manifest.errors.append(f"{url}: the path column is no file name (a NUL character or bad Unicode) ({where})")
        return None
    path = os.path.normpath(os.path.join(folder, saved))
    if not _inside(path, folder):
        manifest.errors.append(f"{url}: not read: {path_text(path)} is not under the URL list's folder ({where})")
        return None
    try:
        fetched_at = _utc(row.get("fetched_at"))
    except (ValueError, OverflowError):
        manifest.errors.append(f"{url}: fetched_at is not an ISO 8601 time: {repr(row.get('fetched_at'))[:100]} "
                               f"({where})")
        return None
    return SavedPage(url=url, path=path, fetched_at=fetched_at, where=where)


def _encodable(text: str, encode=lambda text: text.encode("utf-8")) -> bool:
    try:
        encode(text)
    except UnicodeEncodeError:
        return False
    return True


def _inside(path: str, folder: str) -> bool:
    """True when ``path`` is ``folder`` or under it, once symbolic links are resolved."""
    real, base = os.path.realpath(path), os.path.realpath(folder)
    return real == base or real.startswith(os.path.join(base, ""))


def _utc(value) -> dt.datetime | None:
    """An ISO 8601 time as naive UTC (no offset: taken as UTC); None when empty."""
    if value is None or not str(value).strip():
        return None
    moment = dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment
