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
# # 02 · Trajectories of one notice
#
# One row per case, its visits as bars: solid when the notice gives clock times or a part of
# the day, light when it gives only the day; rides in orange, days at home in grey.
# `CASEDB_NOTICE` picks the notice (default: the one with the most visits).

# %%
from casedb import analysis
from casedb.analysis import plots

engine = analysis.connect()          # $CASEDB_URL, else the quick-start casedb.sqlite
plots.use_cjk_font()                 # Chinese labels, when a CJK font is installed
print(engine.url.render_as_string())

# %%
import os

notice_id = int(os.environ.get("CASEDB_NOTICE") or analysis.busiest_notice(engine) or 0)
timeline = analysis.notice_timeline(engine, notice_id)
print(f"notice {notice_id}: {timeline['case'].nunique()} cases, {len(timeline)} trajectory items")

# %% [markdown]
# A notice with many cases is cut into pages of 40 cases (`plots.TIMELINE_CASES`); `CASEDB_PAGE`
# picks the page drawn (default 1), and the loop below can save every page.

# %%
pages = plots.timeline_pages(timeline)
page = min(max(1, int(os.environ.get("CASEDB_PAGE") or 1)), max(1, len(pages)))
if timeline.empty:
    print("no case of this notice has a trajectory")
else:
    ax = plots.plot_timelines(pages[page - 1])
    city, title = timeline[["city", "notice_title"]].iloc[0].fillna("")
    shown = pages[page - 1]["case"].nunique()
    first = sum(frame["case"].nunique() for frame in pages[:page - 1]) + 1
    ax.set_title(f"{title or city} (notice {notice_id}): cases {first}–{first + shown - 1} of "
                 f"{timeline['case'].nunique()}, page {page} of {len(pages)}")
    plots.save_figure(ax.figure, "02_trajectories")

# %% [markdown]
# ## The trajectory of the case with the most items, in order

# %%
columns = ["kind", "date", "end_date", "start", "end", "part_of_day", "place", "activity", "vehicle"]
if timeline.empty:
    case_rows = timeline
else:
    case_rows = analysis.case_timeline(engine, int(timeline["case_id"].value_counts().idxmax()))
case_rows[columns]
