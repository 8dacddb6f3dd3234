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
# ## Epidemic curves, per city, over each city's largest outbreak
# Cases per day of first positive test, for the six cities with the largest outbreaks. A city's
# cases are cut into outbreaks where 28 days pass without a case (`analysis.OUTBREAK_GAP`); each
# panel shows the days of one outbreak only, and names under it the city's cases it leaves out
# (other outbreaks, and dates after the notice was published, which must be misread) and how many
# of its cases have no date.
# When the database has onset dates, the same figure by day of onset follows.

# %%
outbreaks = analysis.outbreaks(engine)
outbreaks.head(20)

# %%
for date in [field for field in ("positive_date", "onset_date") if field in analysis.date_fields()]:
    figure = plots.plot_epi_curves(analysis.case_dates(engine, date=date, include_undated=True), top=6,
                                   date_label=date.replace("_", " "))
    plots.save_figure(figure, "01_epi_curve" if date == "positive_date" else "01_epi_curve_onset")

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
