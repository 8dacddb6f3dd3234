"""casedb on a machine without the optional Debian packages: antiword (for .doc files) and a CJK
font (for the figures). Each missing one is named in one line, and only when something needs it.

Under CI (``CI=true``) .ci/run installs antiword and fonts-wqy-microhei, so a test that needs the
installed font fails there instead of skipping.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import matplotlib
import pytest
from click.testing import CliRunner

from casedb.analysis import plots
from casedb.cli import main

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED = SEEDS / "001_096631c7e59e4269.txt"
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # how a Word 97 .doc file starts


def _under_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture
def no_antiword(tmp_path, monkeypatch):
    """A PATH without antiword (the parse workers inherit it)."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert shutil.which("antiword") is None


def test_doc_files_without_antiword_are_one_line_naming_the_package(tmp_path, no_antiword):
    folder = tmp_path / "notices"
    folder.mkdir()
    shutil.copy(SEED, folder / "seed.txt")
    for name in ("a.doc", "b.DOC", "c.doc"):
        (folder / name).write_bytes(OLE_HEADER + b"\x00" * 512)
    result = CliRunner().invoke(main, ["load", str(folder), "--db", str(tmp_path / "db.sqlite"), "--workers", "1"])
    assert result.exit_code == 1   # files failed
    (line,) = [line for line in result.stderr.splitlines() if "antiword" in line]
    assert line.startswith("casedb: 3 .doc files not read") and "apt-get install antiword" in line, line
    assert not [line for line in result.stderr.splitlines() if ".doc:" in line], result.stderr
    assert "wrote 1 notices, 4 cases" in result.stdout   # the text file loaded all the same
    runs = CliRunner().invoke(main, ["sql", "SELECT errors FROM import_runs", "--format", "json",
                                     "--db", str(tmp_path / "db.sqlite")])
    logged = json.loads(runs.stdout)[0]["errors"].splitlines()
    assert len(logged) == 3 and all("antiword" in error for error in logged)   # the run log keeps each file


def test_nothing_is_said_about_antiword_or_fonts_when_nothing_needs_them(tmp_path, no_antiword):
    for args in (["demo"], ["load", str(SEEDS)]):
        result = CliRunner().invoke(main, [*args, "--db", str(tmp_path / "db.sqlite")])
        assert result.exit_code == 0, result.output
        assert "antiword" not in result.output and "font" not in result.output
    assert "casedb: " not in result.stderr


def test_without_a_cjk_font_figures_say_so_once_instead_of_a_warning_per_glyph(monkeypatch, capsys):
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    latin_only = [font for font in font_manager.fontManager.ttflist if font.name not in plots.CJK_FONTS]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin_only)
    monkeypatch.setattr(plots, "fontconfig_cjk_files", lambda: [])
    monkeypatch.setattr(plots, "_told_no_font", False)
    with matplotlib.rc_context(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert plots.use_cjk_font() is None
        assert plots.use_cjk_font() is None
        figure, ax = plt.subplots()
        ax.set_title("病例49 太原市万柏林区")
        figure.canvas.draw()
        plt.close(figure)
    assert capsys.readouterr().err.splitlines() == [plots.NO_CJK_FONT]
    assert "fonts-wqy-microhei" in plots.NO_CJK_FONT
    assert not [warning for warning in caught if "missing from font" in str(warning.message)]


def test_a_cjk_font_installed_after_matplotlib_cached_its_font_list_is_used(tmp_path):
    """The font list in MPLCONFIGDIR is made stale (the CJK fonts taken out, as if installed after the cache was
    built): use_cjk_font still finds one through fontconfig, and Chinese text draws without a missing glyph."""
    fonts = plots.fontconfig_cjk_files()
    if not fonts:
        reason = "no CJK font known to fontconfig (apt-get install fonts-wqy-microhei)"
        if _under_ci():
            pytest.fail(reason + " (CI=true: .ci/run installs it)")
        pytest.skip(reason)
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path / "mpl"), "MPLBACKEND": "Agg"}
    env.pop("PYTHONWARNINGS", None)
    build = "import matplotlib; from matplotlib import font_manager; print(matplotlib.get_cachedir())"
    cache_dir = Path(subprocess.run([sys.executable, "-c", build], env=env, capture_output=True, text=True,
                                    check=True, timeout=300).stdout.strip())
    (cache,) = cache_dir.glob("fontlist-*.json")
    font_list = json.loads(cache.read_text())
    cjk_files = {path for path, _ in fonts}
    font_list["ttflist"] = [font for font in font_list["ttflist"] if font["fname"] not in cjk_files]
    cache.write_text(json.dumps(font_list))
    script = textwrap.dedent("""
        import warnings
        from matplotlib import font_manager
        assert not [f for f in font_manager.fontManager.ttflist if f.name in {cjk!r}], "the cache is not stale"
        from casedb.analysis import plots
        import matplotlib.pyplot as plt
        name = plots.use_cjk_font()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            figure, ax = plt.subplots()
            ax.set_title("病例49 太原市万柏林区")
            figure.canvas.draw()
        print(name)
        print(len([w for w in caught if "missing from font" in str(w.message)]))
    """).format(cjk=set(plots.CJK_FONTS))
    finished = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    name, missing_glyphs = finished.stdout.splitlines()
    assert name != "None" and missing_glyphs == "0", finished.stdout
    assert finished.stderr == ""
