"""Figures for the notebooks: each draws on a matplotlib Axes and returns it."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd
from matplotlib import font_manager

#: Installed fonts that have Chinese glyphs, in order of preference.
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
             "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC", "AR PL UMing CN")

KIND_COLOURS = {"visit": "tab:blue", "transit": "tab:orange", "home": "lightgrey"}

#: How each ``source`` of transmission-graph edge is drawn.
EDGE_STYLES = {
    "relation": {"width": 1.2, "edge_color": "black"},
    "same_person": {"style": "dotted", "edge_color": "grey"},
    "co_location": {"style": "dashed", "edge_color": "tab:blue", "alpha": 0.6},
}


#: Printed once when no CJK font is found: what to install.
NO_CJK_FONT = ("casedb: no font with Chinese characters found, figures will show boxes instead of Chinese; "
               "install one (Debian/Ubuntu: apt-get install fonts-wqy-microhei)")
_told_no_font = False


def use_cjk_font() -> str | None:
    """Make matplotlib draw Chinese with the first installed CJK font; its name, or None.

    matplotlib's cached font list does not see a font installed after the cache was built, so a
    CJK font that only fontconfig knows is registered with matplotlib here (no cache to delete).
    Without any CJK font: one line saying what to install, instead of a warning per missing glyph.
    """
    global _told_no_font
    name = _known_cjk_font() or _fontconfig_cjk_font()
    if name is None:
        if not _told_no_font:
            print(NO_CJK_FONT, file=sys.stderr)
            _told_no_font = True
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)
        return None
    plt.rcParams["font.sans-serif"] = [name, *[other for other in plt.rcParams["font.sans-serif"] if other != name]]
    plt.rcParams["axes.unicode_minus"] = False
    return name


def _known_cjk_font() -> str | None:
    """The first of CJK_FONTS in matplotlib's font list."""
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def _fontconfig_cjk_font() -> str | None:
    """A font fontconfig says covers Chinese (one of CJK_FONTS first), registered with matplotlib; its name."""
    files = fontconfig_cjk_files()
    if not files:
        return None
    preferred = sorted(files, key=lambda item: next((rank for rank, name in enumerate(CJK_FONTS)
                                                     if name in item[1]), len(CJK_FONTS)))
    for path, _families in preferred:
        try:
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
        except (OSError, RuntimeError, ValueError):   # a file matplotlib cannot read (e.g. a bitmap font)
            continue
    return None


def fontconfig_cjk_files() -> list[tuple[str, str]]:
    """(file, families) of the fonts that fontconfig (``fc-list :lang=zh``) knows cover Chinese."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        listed = subprocess.run([fc_list, ":lang=zh", "-f", "%{file}|%{family}\\n"], capture_output=True,
                                text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    suffixes = (".ttf", ".ttc", ".otf", ".otc")
    return sorted({(path, families) for path, _, families in (line.partition("|") for line in listed.splitlines())
                   if path.lower().endswith(suffixes)})


def save_figure(figure, name: str) -> Path:
    """Save ``figure`` as ``<name>.png`` in ``$CASEDB_FIGURES`` (default ``figures/``)."""
    folder = Path(os.environ.get("CASEDB_FIGURES", "figures"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    figure.savefig(path, dpi=120)
    return path


def _date_axis(ax, first, last):
    """Dates on the x axis (whole days for spans up to two months), the year and month written
    once where they change."""
    days = (pd.Timestamp(last) - pd.Timestamp(first)).days
    locator = mdates.DayLocator(interval=days // 8 + 1) if days <= 60 else mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _axes(ax, size):
    return ax if ax is not None else plt.subplots(figsize=size, layout="constrained")[1]


def plot_timelines(timeline: pd.DataFrame, ax=None, label_places: bool = True):
    """Gantt-like chart of ``notice_timeline``/``case_timeline`` rows: one row per case.

    Visits and rides are bars from ``begin`` to ``finish`` (whole days when no time is known,
    drawn lighter); days at home are grey.
    """
    case_order = list(dict.fromkeys(timeline["case"].fillna("?")))
    ax = _axes(ax, (12, 0.5 * len(case_order) + 1.5))
    rows = timeline.assign(row=timeline["case"].fillna("?").map(case_order.index))
    timed = rows["start"].notna() | rows["end"].notna() | rows["part_of_day"].notna()
    for kind, colour in KIND_COLOURS.items():
        for is_timed in (True, False):
            bars = rows[(rows["kind"] == kind) & (timed == is_timed)]
            if bars.empty:
                continue
            ax.barh(bars["row"], bars["finish"] - bars["begin"], left=bars["begin"], height=0.6,
                    color=colour, alpha=0.9 if is_timed else 0.35,
                    label=kind if is_timed or kind == "home" else f"{kind} (day only)")
    if label_places:
        named = rows[rows["kind"] != "home"].dropna(subset=["place", "begin"])
        named = named[named["place"] != named.groupby("row")["place"].shift()]   # once per run
        for row, begin, place in named[["row", "begin", "place"]].itertuples(index=False):
            ax.annotate(str(place)[:12], (begin, row), xytext=(0, 7), textcoords="offset points",
                        fontsize=6, rotation=30, ha="left", va="bottom")
    ax.set_yticks(range(len(case_order)), case_order)
    ax.invert_yaxis()
    first, last = rows["begin"].min(), rows["finish"].max()
    ax.set_xlim(first - pd.Timedelta(hours=6), last + pd.Timedelta(hours=6))
    _date_axis(ax, first, last)
    ax.set_xlabel("date")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7)
    return ax


def plot_transmission_graph(graph: nx.MultiGraph, ax=None, seed: int = 1):
    """Cases as dots coloured by category; relations solid, co-locations dashed, two notices'
    cases of one person dotted."""
    ax = _axes(ax, (10, 8))
    ax.set_axis_off()
    if graph.number_of_nodes() == 0:
        ax.set_title("no cases")
        return ax
    simple = nx.Graph(graph)
    position = _grid_of_components(simple, seed)
    colours = {"confirmed": "tab:red", "asymptomatic": "tab:orange", "suspected": "tab:purple"}
    nx.draw_networkx_nodes(simple, position, ax=ax, node_size=60,
                           node_color=[colours.get(category, "grey")
                                       for _, category in simple.nodes(data="category")])
    edges_by_source = {}
    for u, v, source in graph.edges(data="source"):
        edges_by_source.setdefault(source, []).append((u, v))
    for source, style in EDGE_STYLES.items():
        nx.draw_networkx_edges(simple, position, edgelist=edges_by_source.get(source, []), ax=ax,
                               **style)
    linked = {node for edges in edges_by_source.values() for edge in edges for node in edge}
    nx.draw_networkx_labels(simple, position, ax=ax, font_size=6,
                            labels={node: label for node, label in simple.nodes(data="label")
                                    if node in linked})
    return ax


def _grid_of_components(graph: nx.Graph, seed: int) -> dict:
    """Node positions: each connected component laid out on its own, largest first, in a grid."""
    components = sorted(nx.connected_components(graph), key=len, reverse=True)
    columns = max(1, round(len(components) ** 0.5))
    position = {}
    for index, members in enumerate(components):
        row, column = divmod(index, columns)
        layout = nx.spring_layout(graph.subgraph(members), seed=seed, center=(0, 0))
        position.update({node: (x * 0.4 + 1.0 * column, y * 0.4 - 1.0 * row)
                         for node, (x, y) in layout.items()})
    return position


def plot_place_day_heatmap(counts: pd.DataFrame, ax=None, value: str = "cases"):
    """Heat map of ``place_day_counts``: places as rows, days as columns, ``value`` as colour."""
    grid = counts.pivot_table(index="place", columns="date", values=value, aggfunc="sum")
    if not grid.empty:
        days = pd.date_range(grid.columns.min(), grid.columns.max(), freq="D")
        grid = grid.reindex(columns=days)
        grid = grid.loc[grid.sum(axis=1).sort_values(ascending=False).index]
    ax = _axes(ax, (12, 0.35 * len(grid) + 2))
    if grid.empty:
        ax.set_title("no visits with a place and a date")
        return ax
    image = ax.imshow(grid.fillna(0).to_numpy(), aspect="auto", cmap="Reds", interpolation="none")
    ax.set_yticks(range(len(grid)), [str(place)[:20] for place in grid.index], fontsize=7)
    step = max(1, len(grid.columns) // 15)
    ax.set_xticks(range(0, len(grid.columns), step),
                  [day.strftime("%m-%d") for day in grid.columns[::step]], rotation=45, fontsize=7)
    ax.figure.colorbar(image, ax=ax, label=f"distinct {value}" if value == "cases" else value)
    return ax


def plot_epi_curve(curve: pd.DataFrame, ax=None):
    """Stacked bars of ``epi_curve``: cases per day of first positive test."""
    ax = _axes(ax, (10, 4))
    if curve.empty:
        ax.set_title("no cases with a positive date")
        return ax
    bottom = pd.Series(0, index=curve.index)
    for column in curve.columns:
        name = " / ".join(column) if isinstance(column, tuple) else str(column)
        ax.bar(curve.index, curve[column], bottom=bottom, label=name, width=0.8)
        bottom = bottom + curve[column]
    ax.set_xlim(curve.index.min() - pd.Timedelta(days=1), curve.index.max() + pd.Timedelta(days=1))
    _date_axis(ax, curve.index.min(), curve.index.max())
    ax.set_ylabel("cases")
    ax.legend(fontsize=7)
    return ax


def plot_field_completeness(completeness: pd.DataFrame, ax=None):
    """Horizontal bars of ``field_completeness``: the share of rows filled per table.field."""
    shown = completeness.dropna(subset=["share"])
    ax = _axes(ax, (7, 0.25 * len(shown) + 1.5))
    if shown.empty:
        ax.set_title("no rows yet")
        return ax
    ax.barh(shown["table"] + "." + shown["field"], shown["share"])
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.set_xlabel("share of rows filled")
    return ax
