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
# # 01 · What is in the database
#
# Notices per city and publication date, cases by category, the epidemic curve and how
# complete each field is. Set `CASEDB_URL` to use another database than `casedb.sqlite`.

# %%
from casedb import analysis
from casedb.analysis import plots

engine = analysis.connect()          # $CASEDB_URL, else the quick-start casedb.sqlite
plots.use_cjk_font()                 # Chinese labels, when a CJK font is installed
print(engine.url.render_as_string())

# %% [markdown]
# ## Notices per city and date

# %%
overview = analysis.notices_overview(engine)
overview

# %% [markdown]
# ## Cases by city and category

# %%
analysis.case_counts(engine, by=("city", "category"))

# %% [markdown]
# ## Epidemic curves: cases per day of first positive test, for the six cities with most cases

# %%
import matplotlib.pyplot as plt

cities = [city for city in analysis.case_counts(engine, by=("city",))["city"] if city != "unknown"][:6]
figure, axes = plt.subplots(max(1, len(cities)), 1, figsize=(10, 2.8 * max(1, len(cities))),
                            squeeze=False, layout="constrained")
for ax, city in zip(axes[:, 0], cities or [None]):
    plots.plot_epi_curve(analysis.epi_curve(engine, by=("category",), city=city), ax=ax)
    ax.set_title(city or "all cities")
plots.save_figure(figure, "01_epi_curve")

# %% [markdown]
# ## Field completeness
# Share of rows with a value, per table and field: what the parser found and what notices leave out.

# %%
completeness = analysis.field_completeness(engine)
ax = plots.plot_field_completeness(completeness)
plots.save_figure(ax.figure, "01_field_completeness")
completeness

# %% [markdown]
# ## Districts with the most cases visiting

# %%
analysis.place_exposure(engine, by="district").head(15)
