# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 03 · Transmission graph and clusters
#
# Cases are nodes; relations stated in the notices (family, colleagues, close contacts…) are
# solid edges; pairs of cases seen at the same place on the same day are dashed edges.
# Connected components are the clusters.

# %%
from casedb import analysis
from casedb.analysis import plots

engine = analysis.connect()          # $CASEDB_URL, else the quick-start casedb.sqlite
plots.use_cjk_font()                 # Chinese labels, when a CJK font is installed
print(engine.url.render_as_string())

# %%
import collections

graph = analysis.transmission_graph(engine, include_colocation=True)
edge_kinds = collections.Counter(kind for _, _, kind in graph.edges(data="kind"))
print(f"{graph.number_of_nodes()} cases, {graph.number_of_edges()} edges: {dict(edge_kinds)}")
print(f"{graph.graph['unresolved_relations']} relations name a case that is not in the database")

# %% [markdown]
# ## Clusters (two or more people), largest first

# %%
table = analysis.clusters(graph)
table.drop(columns=["case_ids"]).head(20)

# %% [markdown]
# ## The largest cluster
# Places where two of its cases were on the same day are drawn as blue squares joined to those
# cases (a place thirty cases visited is one star, not 435 lines); stated relations are black.
# Names are written where they do not overlap; a cluster of more than 400 cases shows the 400
# with most links (`plots.CLUSTER_CASES`).

# %%
import matplotlib.pyplot as plt

if table.empty:
    ax = plots.plot_cluster(graph, [])
else:
    largest = table.iloc[0]
    ax = plots.plot_cluster(graph, largest["case_ids"])
    ax.set_title(plots.cluster_title(largest))
    plots.cluster_legend(ax, loc="upper left")
plots.save_figure(ax.figure, "03_largest_cluster")
plt.close(ax.figure)

# %% [markdown]
# ## The next nine clusters, one per panel

# %%
figure = plots.plot_clusters(graph, table.iloc[1:10])
plots.save_figure(figure, "03_clusters")

# %% [markdown]
# ## The clusters in the panels, as a table
# One row per cluster drawn above, numbered as in the panels' titles: its cases and cities, the first
# labels (`analysis.CLUSTER_LABELS`, then "…"), its first and last positive test, the relations the
# notices state between its cases and the places where two of them were on the same day.

# %%
analysis.cluster_table(graph, table.iloc[:10])
