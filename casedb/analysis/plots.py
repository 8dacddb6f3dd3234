"""Figures for the notebooks: each draws on a matplotlib Axes and returns it."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib import font_manager

from casedb.analysis.queries import OUTBREAK_GAP, outbreak_runs

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


#: No saved figure is wider or taller than this many pixels (image viewers, slides and the web
#: handle it; a figure drawn larger is saved at a lower resolution, with a warning).
MAX_PIXELS = 4000
DPI = 120


def save_figure(figure, name: str, dpi: int = DPI) -> Path:
    """Save ``figure`` as ``<name>.png`` in ``$CASEDB_FIGURES`` (default ``figures/``), at most
    ``MAX_PIXELS`` on each side."""
    folder = Path(os.environ.get("CASEDB_FIGURES", "figures"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    largest = max(figure.get_size_inches())
    if largest * dpi > MAX_PIXELS:
        warnings.warn(f"{name}: a {largest:.0f}-inch figure would be over {MAX_PIXELS} px at {dpi} dpi; "
                      "saved at a lower resolution", stacklevel=2)
        dpi = int(MAX_PIXELS / largest)
    figure.savefig(path, dpi=dpi)
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


#: Cases per timeline figure: 40 rows of 0.5 inch stay readable and under ``MAX_PIXELS``.
TIMELINE_CASES = 40


def timeline_pages(timeline: pd.DataFrame, per_page: int = TIMELINE_CASES) -> list[pd.DataFrame]:
    """``timeline`` cut into pages of ``per_page`` cases each, in the order the cases come."""
    cases = list(dict.fromkeys(timeline["case"].fillna("?")))
    page_of = {case: index // per_page for index, case in enumerate(cases)}
    pages = timeline["case"].fillna("?").map(page_of)
    return [timeline[pages == page] for page in range(len(cases) // per_page + (len(cases) % per_page > 0))]


def main_span(days: pd.Series, gap: pd.Timedelta = OUTBREAK_GAP) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of the longest run of ``days`` without a ``gap`` (most days, then the
    latest): the range a figure shows, so that a few far-off (often misread) dates do not stretch it."""
    days = pd.to_datetime(days).dropna().sort_values()
    if days.empty:
        return pd.NaT, pd.NaT
    chosen = days[outbreak_runs(days, gap) == 1]
    return chosen.iloc[0], chosen.iloc[-1]


def plot_timelines(timeline: pd.DataFrame, ax=None, label_places: bool = True,
                   max_cases: int = TIMELINE_CASES):
    """Gantt-like chart of ``notice_timeline``/``case_timeline`` rows: one row per case.

    Visits and rides are bars from ``begin`` to ``finish`` (whole days when no time is known,
    drawn lighter); days at home are grey. Places are named where the label has room. Only the first ``max_cases`` cases are drawn (cut the
    rest into pages with ``timeline_pages``), and only the days of their main run of dates
    (``main_span``); the x-axis label says what was left out.
    """
    case_order = list(dict.fromkeys(timeline["case"].fillna("?")))
    notes = []
    if len(case_order) > max_cases:
        notes.append(f"the first {max_cases} of {len(case_order)} cases; the others on further pages "
                     "(plots.timeline_pages)")
        case_order = case_order[:max_cases]
    rows = timeline[timeline["case"].fillna("?").isin(case_order)]
    ax = _axes(ax, (12, 0.5 * len(case_order) + 2))
    rows = rows.assign(row=rows["case"].fillna("?").map(case_order.index))
    first, last = main_span(rows["begin"])
    if pd.isna(first):
        ax.set_title("no dated trajectory")
        return ax
    last = max(last, rows.loc[rows["begin"].between(first, last), "finish"].max() - pd.Timedelta(seconds=1))
    outside = rows[(rows["finish"] <= first) | (rows["begin"] > last + pd.Timedelta(days=1))]
    if not outside.empty:
        named = [f"{case} {day:%Y-%m-%d}" for case, day in
                 outside.drop_duplicates("case")[["case", "begin"]].itertuples(index=False)]
        items = "1 item" if len(outside) == 1 else f"{len(outside)} items"
        notes.append(f"{items} dated far from the others not drawn: " + _listing(named))
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
        named = rows[(rows["kind"] != "home") & rows["begin"].between(first, last + pd.Timedelta(days=1))]
        named = named.dropna(subset=["place", "begin"])
        named = named[named["place"] != named.groupby("row")["place"].shift()]   # once per run
        # a label takes about 0.9 inch of the 10.5-inch-wide axes: skip those that would overlap
        room = (last - first + pd.Timedelta(days=1)) * 0.09
        previous: dict = {}
        for row, begin, place in named.sort_values(["row", "begin"])[["row", "begin", "place"]].itertuples(
                index=False):
            if row in previous and begin - previous[row] < room:
                continue
            previous[row] = begin
            ax.annotate(str(place)[:10], (begin, row), xytext=(0, 7), textcoords="offset points",
                        fontsize=7, rotation=30, ha="left", va="bottom")
    ax.set_yticks(range(len(case_order)), case_order)
    ax.set_ylim(len(case_order) - 0.5, -1.2)         # room for the first row's place names
    ax.set_xlim(first - pd.Timedelta(hours=6), last + pd.Timedelta(hours=30))
    _date_axis(ax, first, last)
    ax.tick_params(axis="x", labeltop=True)          # dates above the rows too: a page is tall
    ax.set_xlabel(_caption("date", notes))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7)
    return ax


def _listing(names: list[str], shown: int = 8) -> str:
    """``a, b, c and 5 more``."""
    text = ", ".join(names[:shown])
    return text + (f" and {len(names) - shown} more" if len(names) > shown else "")


def _caption(label: str, notes: list[str], width: int = 150) -> str:
    """An axis label followed by notes, wrapped to ``width`` characters per line."""
    lines = [label]
    for note in notes:
        lines.extend(textwrap.wrap(note, width) or [""])
    return "\n".join(lines)


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


def force_layout(graph: nx.Graph, seed: int = 1, **options) -> dict:
    """``nx.spring_layout``; for 500 nodes or more networkx needs scipy there, which casedb does
    not depend on: without it, ForceAtlas2 (numpy only), rescaled the same way."""
    try:
        return nx.spring_layout(graph, seed=seed, **options)
    except ImportError:
        if not hasattr(nx, "forceatlas2_layout"):            # networkx before 3.4
            return nx.circular_layout(graph, center=options.get("center"))
        layout = nx.forceatlas2_layout(graph, seed=seed, max_iter=100)
        nodes = list(layout)
        scaled = nx.rescale_layout(np.array([layout[node] for node in nodes]))
        if options.get("center") is not None:
            scaled = scaled + np.asarray(options["center"])
        return dict(zip(nodes, scaled))


def _grid_of_components(graph: nx.Graph, seed: int) -> dict:
    """Node positions: each connected component laid out on its own, largest first, in a grid."""
    components = sorted(nx.connected_components(graph), key=len, reverse=True)
    columns = max(1, round(len(components) ** 0.5))
    position = {}
    for index, members in enumerate(components):
        row, column = divmod(index, columns)
        layout = force_layout(graph.subgraph(members), seed=seed, center=(0, 0))
        position.update({node: (x * 0.4 + 1.0 * column, y * 0.4 - 1.0 * row)
                         for node, (x, y) in layout.items()})
    return position


#: Colours of case categories, the same in every figure.
CATEGORY_COLOURS = {"confirmed": "tab:red", "asymptomatic": "tab:orange", "suspected": "tab:purple",
                    "unknown": "darkgrey"}
#: A cluster figure draws at most this many cases (those with most links, with a note).
CLUSTER_CASES = 400
#: Case categories' colours in the cluster drawings (those of the epidemic curves; no category: grey).
NODE_COLOURS = {category: colour for category, colour in CATEGORY_COLOURS.items() if category != "unknown"}
PLACE_COLOUR = "tab:blue"


def cluster_view(graph: nx.MultiGraph, members, max_cases: int = CLUSTER_CASES) -> tuple[nx.Graph, list[str]]:
    """The graph drawn for one cluster, and notes on what was left out.

    Its cases, plus a node per place where two or more of them were on one day: a co-location
    becomes two case–place edges, so thirty cases at one market are a star instead of 435 edges.
    Relation and same-person edges join cases directly. Over ``max_cases`` cases, those with
    most links are kept.
    """
    members = list(members)
    notes = []
    if len(members) > max_cases:
        degree = dict(nx.Graph(graph.subgraph(members)).degree())
        members = sorted(members, key=lambda node: (-degree[node], node))[:max_cases]
        notes.append(f"the {max_cases} of {len(degree)} cases with most links drawn")
    sub = graph.subgraph(members)
    view = nx.Graph()
    for node, data in sub.nodes(data=True):
        view.add_node(node, kind="case", label=data.get("label") or f"#{node}", category=data.get("category"))
    for u, v, data in sub.edges(data=True):
        source = data.get("source")
        if source == "co_location":
            for place in data.get("places") or ():
                key = ("place", place)
                view.add_node(key, kind="place", label=str(place), category=None)
                view.add_edge(u, key, source="co_location")
                view.add_edge(v, key, source="co_location")
        elif source == "relation" or not view.has_edge(u, v):
            view.add_edge(u, v, source=source)
    return view, notes


def cluster_legend(where, **options):
    """A legend of the cluster drawings' marks, on an Axes or a Figure."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker="o", linestyle="", color=colour, label=category)
               for category, colour in NODE_COLOURS.items()]
    handles += [Line2D([], [], marker="o", linestyle="", color="grey", label="category unknown"),
                Line2D([], [], marker="s", linestyle="", color=PLACE_COLOUR, alpha=0.5,
                       label="place two cases were at on one day"),
                Line2D([], [], color="black", label="stated relation"),
                Line2D([], [], color=PLACE_COLOUR, linestyle="dashed", alpha=0.6, label="was at that place"),
                Line2D([], [], color="grey", linestyle="dotted", label="same person, two notices")]
    return where.legend(handles=handles, fontsize=8, **options)


def plot_cluster(graph: nx.MultiGraph, members, ax=None, max_cases: int = CLUSTER_CASES, seed: int = 1,
                 font_size: float = 7):
    """One transmission cluster (``clusters(graph)["case_ids"]``) drawn as ``cluster_view``:
    cases coloured by category, places as squares, relations solid, visits to a shared place
    dashed. Labels are written only where they do not overlap one another (places and the best
    linked cases first); the x-axis label says how many. A new figure grows with the cluster
    (up to 24 inches). Returns the Axes."""
    view, notes = cluster_view(graph, members, max_cases)
    count = view.number_of_nodes()
    side = min(24.0, max(6.0, 1.1 * count ** 0.5 + 3))
    ax = _axes(ax, (side, side))
    _blank(ax)
    if count == 0:
        ax.set_title("no cluster")
        return ax
    position = (force_layout(view, seed=seed, k=1.2 / count ** 0.5, iterations=100)
                if count > 2 else nx.circular_layout(view))
    by_source: dict = {}
    for u, v, source in view.edges(data="source"):
        by_source.setdefault(source, []).append((u, v))
    styles = {"co_location": {"style": "dashed", "edge_color": PLACE_COLOUR, "alpha": 0.45, "width": 0.8},
              "relation": {"width": 1.4, "edge_color": "black"},
              "same_person": {"style": "dotted", "edge_color": "grey", "width": 1.2}}
    for source, style in styles.items():
        if by_source.get(source):
            nx.draw_networkx_edges(view, position, edgelist=by_source[source], ax=ax, **style)
    cases = [node for node, kind in view.nodes(data="kind") if kind == "case"]
    places = [node for node, kind in view.nodes(data="kind") if kind == "place"]
    nx.draw_networkx_nodes(view, position, nodelist=cases, ax=ax, node_size=45,
                           node_color=[NODE_COLOURS.get(view.nodes[node]["category"], "grey") for node in cases])
    if places:
        nx.draw_networkx_nodes(view, position, nodelist=places, ax=ax, node_shape="s", node_size=70,
                               node_color=PLACE_COLOUR, alpha=0.5)
    degree = dict(view.degree())
    related = {node for edge in by_source.get("relation", []) for node in edge}
    priority = sorted(view.nodes, key=lambda node: (view.nodes[node]["kind"] != "place", node not in related,
                                                     -degree[node], str(node)))
    shown = _legible(ax, position, [(node, view.nodes[node]["label"]) for node in priority], font_size)
    for node in shown:
        is_place = view.nodes[node]["kind"] == "place"
        ax.annotate(view.nodes[node]["label"], position[node], xytext=(0, 4), textcoords="offset points",
                    ha="center", va="bottom", fontsize=font_size, color=PLACE_COLOUR if is_place else "black")
    if len(shown) < count:
        notes.append(f"names written on {len(shown)} of {count} nodes, where they do not overlap")
    ax.set_xlabel(_caption("", notes, width=110), fontsize=8)
    return ax


def _blank(ax):
    """No ticks or frame, but room for an x-axis label (a note)."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def _legible(ax, position: dict, labelled: list[tuple], font_size: float) -> list:
    """The nodes, in ``labelled`` order, whose labels (drawn just above them) overlap none before."""
    xs = [xy[0] for xy in position.values()]
    ys = [xy[1] for xy in position.values()]
    pad_x, pad_y = 0.05 * (max(xs) - min(xs) or 1), 0.05 * (max(ys) - min(ys) or 1)
    ax.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
    ax.set_ylim(min(ys) - pad_y, max(ys) + pad_y)
    figure = ax.figure
    figure.draw_without_rendering()                  # lays the figure out: ax.transData is final
    em = font_size * figure.dpi / 72
    taken, shown = [], []
    for node, label in labelled:
        x, y = ax.transData.transform(position[node])
        width = em * sum(1.0 if ord(ch) >= 0x2E80 else 0.6 for ch in str(label))
        box = (x - width / 2, y + 0.3 * em, x + width / 2, y + 1.7 * em)
        if any(box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]
               for other in taken):
            continue
        taken.append(box)
        shown.append(node)
    return shown


def cluster_title(cluster) -> str:
    """"cluster 1: 12 people, positive 2022-01-02 to 2022-01-20" for a row of ``clusters(graph)``."""
    dates = ("" if pd.isna(cluster.first_positive) else
             f", positive {cluster.first_positive:%Y-%m-%d} to {cluster.last_positive:%Y-%m-%d}")
    return f"cluster {cluster.cluster}: {cluster.people} people{dates}"


def plot_clusters(graph: nx.MultiGraph, table: pd.DataFrame, columns: int = 3, panel: float = 6.0,
                  font_size: float = 6):
    """The clusters of ``table`` (rows of ``clusters(graph)``) one per panel, in a grid, each
    titled with its number, size and dates. Returns the figure."""
    count = max(1, len(table))
    columns = min(columns, count)
    rows = -(-count // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(panel * columns, panel * rows + 0.8), squeeze=False,
                                layout="constrained")
    for ax in axes.flat:
        _blank(ax)
    if table.empty:
        axes[0, 0].set_title("no cluster of two or more people")
        return figure
    for ax, cluster in zip(axes.flat, table.itertuples(index=False)):
        plot_cluster(graph, cluster.case_ids, ax=ax, font_size=font_size)
        ax.set_title(cluster_title(cluster), fontsize=9)
    cluster_legend(figure, loc="outside upper center", ncols=4)
    return figure


def plot_place_day_heatmap(counts: pd.DataFrame, ax=None, value: str = "cases"):
    """Heat map of ``place_day_counts``: places as rows, days as columns, ``value`` as colour.

    Only the main run of days (``main_span``) is drawn; the x-axis label counts the visits left out.
    """
    notes = []
    if not counts.empty:
        first, last = main_span(counts["date"])
        outside = counts[(counts["date"] < first) | (counts["date"] > last)]
        if not outside.empty:
            notes.append(f"not drawn: {int(outside['visits'].sum())} visits on {outside['date'].nunique()} days "
                         f"far from the others ({outside['date'].min():%Y-%m-%d} to {outside['date'].max():%Y-%m-%d})")
            counts = counts.drop(outside.index)
    grid = counts.pivot_table(index="place", columns="date", values=value, aggfunc="sum")
    if not grid.empty:
        days = pd.date_range(grid.columns.min(), grid.columns.max(), freq="D")
        grid = grid.reindex(columns=days)
        grid = grid.loc[grid.sum(axis=1).sort_values(ascending=False).index]
    ax = _axes(ax, (12, 0.35 * len(grid) + 2))
    if grid.empty:
        ax.set_title("no visits with a place and a date")
        return ax
    colours = plt.get_cmap("Reds").copy()
    colours.set_bad("white")                       # no visit: white, so one case stands out
    values = grid.where(grid > 0).to_numpy(dtype=float)
    image = ax.imshow(values, aspect="auto", cmap=colours, interpolation="none", vmin=0,
                      vmax=max(1.0, float(pd.Series(values.ravel()).max(skipna=True) or 1)))
    ax.set_yticks(range(len(grid)), [str(place)[:20] for place in grid.index], fontsize=7)
    step = max(1, len(grid.columns) // 15)
    ax.set_xticks(range(0, len(grid.columns), step),
                  [day.strftime("%m-%d") for day in grid.columns[::step]], rotation=45, fontsize=7)
    ax.set_xlabel(_caption(f"{grid.columns[0]:%Y-%m-%d} to {grid.columns[-1]:%Y-%m-%d}", notes), fontsize=8)
    ax.figure.colorbar(image, ax=ax, label=f"distinct {value}" if value == "cases" else value)
    return ax


#: An epidemic curve shows at least this many days, so that a one-day outbreak is one bar, not a wall.
MIN_CURVE_DAYS = 7


def curve_limits(first, last) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The x-range an epidemic curve of ``first``–``last`` shows: those days, a day either side,
    widened evenly to ``MIN_CURVE_DAYS`` when shorter."""
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    pad = max(pd.Timedelta(days=1), (pd.Timedelta(days=MIN_CURVE_DAYS) - (last - first)) / 2)
    return first - pad, last + pad


def plot_epi_curve(curve: pd.DataFrame, ax=None, caption: list[str] | None = None, xlabel: str = "date"):
    """Stacked bars of ``epi_curve``: cases per day (of first positive test, by default)."""
    ax = _axes(ax, (10, 4))
    if curve.empty:
        ax.set_title("no cases with a date")
        return ax
    bottom = pd.Series(0, index=curve.index)
    for column in curve.columns:
        name = " / ".join(column) if isinstance(column, tuple) else str(column)
        ax.bar(curve.index, curve[column], bottom=bottom, label=name, width=0.8,
               color=CATEGORY_COLOURS.get(name))
        bottom = bottom + curve[column]
    low, high = curve_limits(curve.index.min(), curve.index.max())
    ax.set_xlim(low, high)
    _date_axis(ax, low, high)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylabel("cases")
    ax.set_xlabel(_caption(xlabel, caption or []))
    ax.legend(fontsize=7, loc="upper left")
    return ax


def plot_epi_curves(dated: pd.DataFrame, top: int = 6, by: str = "category", date_label: str = "positive date",
                    min_cases: int = 3):
    """One epidemic curve per city, over the days of that city's largest outbreak only.

    ``dated`` is ``analysis.case_dates(engine)``: cases with their date, city and outbreak. The
    ``top`` cities with the largest outbreaks (at least ``min_cases`` cases) get a panel each;
    the cases of a city outside its drawn outbreak (other outbreaks, impossible dates) are
    named under the panel, not drawn, and so is the number without a date (``dated`` from
    ``case_dates(..., include_undated=True)``). Each Axes keeps the outbreak's first and last
    day in ``ax.outbreak``. Returns the figure.
    """
    undated = dated[dated["date"].isna()]["city"].value_counts()
    dated = dated[dated["date"].notna()]
    main = dated[dated["outbreak"] == 1]
    sizes = main.groupby("city").agg(cases=("case_id", "size"), first=("date", "min"), last=("date", "max"))
    sizes = sizes[sizes["cases"] >= min_cases].sort_values(["cases", "last"], ascending=False).iloc[:top]
    cities = list(sizes.index)
    spans = [(last - first).days for first, last in zip(sizes["first"], sizes["last"])]
    heights = [3.4 if days >= MIN_CURVE_DAYS else 2.4 for days in spans] or [3.0]   # a short outbreak, a low panel
    figure, axes = plt.subplots(len(heights), 1, figsize=(10, sum(heights)), squeeze=False,
                                layout="constrained", gridspec_kw={"height_ratios": heights})
    if not cities:
        axes[0, 0].set_axis_off()
        axes[0, 0].set_title(f"no outbreak of {min_cases} or more cases with {_a(date_label)}")
        return figure
    for ax, city in zip(axes[:, 0], cities):
        drawn = main[main["city"] == city]
        first, last = drawn["date"].min(), drawn["date"].max()
        days = pd.date_range(first, last, freq="D", name="date")
        curve = (drawn.assign(group=drawn[by].fillna("unknown"))
                 .pivot_table(index="date", columns="group", values="case_id", aggfunc="size")
                 .reindex(days).fillna(0).astype(int))
        curve = curve[[c for c in CATEGORY_COLOURS if c in curve.columns]
                      + [c for c in curve.columns if c not in CATEGORY_COLOURS]]
        others = dated[(dated["city"] == city) & (dated["outbreak"] != 1).fillna(True)]
        notes = []
        if not others.empty:
            named = [f"{label or '?'} {day:%Y-%m-%d}" + (f" ({why})" if isinstance(why, str) else "")
                     for label, day, why in others[["label", "date", "outlier"]].itertuples(index=False)]
            cases = "1 case" if len(others) == 1 else f"{len(others)} cases"
            notes.append(f"not drawn, {cases} outside this outbreak: " + _listing(named))
        if undated.get(city, 0):
            cases = "1 case" if undated[city] == 1 else f"{undated[city]} cases"
            notes.append(f"{cases} without {_a(date_label)}")
        plot_epi_curve(curve, ax=ax, caption=notes, xlabel=date_label)
        ax.set_title(f"{city}: {len(drawn)} cases, {first:%Y-%m-%d} to {last:%Y-%m-%d}", fontsize=10)
        ax.outbreak = (first, last)
    return figure


def _a(noun: str) -> str:
    """The noun with its article: "a positive date", "an onset date"."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


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
