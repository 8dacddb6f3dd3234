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
# ## The ten largest clusters drawn

# %%
largest = [case_id for ids in table["case_ids"].head(10) for case_id in ids]
ax = plots.plot_transmission_graph(graph.subgraph(largest))
ax.set_title(f"largest clusters ({min(10, len(table))} of {len(table)})\nred confirmed, orange "
             "asymptomatic; solid: stated relation, dashed: same place and day, dotted: same person",
             fontsize=9)
plots.save_figure(ax.figure, "03_transmission_graph")
