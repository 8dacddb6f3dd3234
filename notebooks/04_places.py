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
# # 04 · Places: co-locations and exposure
#
# Which cases were at the same place on the same day (and, where times are known, at the
# same time), which places saw the most cases, and when.

# %%
from casedb import analysis
from casedb.analysis import plots

engine = analysis.connect()          # $CASEDB_URL, else the quick-start casedb.sqlite
plots.use_cjk_font()                 # Chinese labels, when a CJK font is installed
print(engine.url.render_as_string())

# %% [markdown]
# ## Co-locations
# One row per pair of cases, place and day. `overlap` is True when their stays overlapped, False
# when they did not, empty when a notice gives no time.

# %%
met = analysis.co_locations(engine)
print(f"{len(met)} pairs at {met['place_id'].nunique()} places; "
      f"{int(met['overlap'].fillna(False).sum())} overlapping in time")
met.head(30)

# %%
analysis.co_locations(engine, same_time=True).head(30)

# %% [markdown]
# ## Places ranked by distinct cases, then visits

# %%
analysis.place_exposure(engine, top=25)

# %% [markdown]
# ## Place-by-day heat map (distinct cases), the 25 most visited places

# %%
counts = analysis.place_day_counts(engine, top=25)
ax = plots.plot_place_day_heatmap(counts)
plots.save_figure(ax.figure, "04_place_day_heatmap")
