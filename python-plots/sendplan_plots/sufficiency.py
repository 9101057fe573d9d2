"""Special Places Plan charts from a sendplan run with a provision register.

Usage: /usr/bin/python3 python-plots/plot_sufficiency.py RESULTS_DIR
Reads RESULTS_DIR/special_places_plan.csv and writes to RESULTS_DIR/plots/:
  places_vs_demand_<group>.png   places against the demand fan, per broad area of need and phase
  shortfall_probability_<group>.png   heat map of the probability of a shortfall, year x need group
"""
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

GROUP_TITLES = {"state_special": "State special school places", "resourced": "Resourced provision (ARP) places"}
PHASE_ORDER = ["early_years", "primary", "secondary", "post16", "post19", "all"]


def fans(table, group, path):
    rows = table[(table["Place group"] == group) & (table["Need group kind"].isin(["broad_area", "all"]))]
    needs = [n for n in rows["Need group"].unique() if n != "all"] + ["all"]
    phases = [p for p in PHASE_ORDER if p in set(rows["Phase"])]
    fig, axes = plt.subplots(len(needs), len(phases), figsize=(3.0 * len(phases), 2.3 * len(needs)), squeeze=False, sharex=True)
    for i, need in enumerate(needs):
        for j, phase in enumerate(phases):
            ax = axes[i][j]
            r = rows[(rows["Need group"] == need) & (rows["Phase"] == phase)].sort_values("Year")
            if r.empty:
                ax.axis("off")
                continue
            y = r["Year"]
            ax.fill_between(y, r["Demand (5th percentile)"], r["Demand (95th percentile)"], color="#1f5aa6", alpha=0.18, linewidth=0,
                            label="demand, 90% interval")
            ax.fill_between(y, r["Demand (10th percentile)"], r["Demand (90th percentile)"], color="#1f5aa6", alpha=0.35, linewidth=0,
                            label="demand, 80% interval")
            ax.plot(y, r["Demand (median)"], color="#1f5aa6", linewidth=1.6, label="demand, median")
            ax.step(y, r["Places"], where="mid", color="#c0392b", linewidth=1.8, label="places in the borough")
            ax.set_ylim(bottom=0)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
            ax.grid(alpha=0.3)
            ax.tick_params(labelsize=7)
            if i == 0:
                ax.set_title(phase.replace("_", " "), fontsize=9)
            if j == 0:
                ax.set_ylabel(f"{need}\nchildren", fontsize=8)
    axes[0][0].legend(fontsize=6, loc="upper left")
    fig.suptitle(f"{GROUP_TITLES.get(group, group)}: places against demand, by broad area of need and phase", fontsize=11)
    fig.text(0.5, 0.005, "Demand: children whose setting needs a place of this kind (January census). Places: the register's, "
             "shared over the ages and needs each provision takes.", ha="center", fontsize=7)
    fig.tight_layout(rect=(0, 0.02, 1, 0.97))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def heat_map(table, group, path):
    fig = heat_map_figure(table, group, f"{GROUP_TITLES.get(group, group)}: probability of a shortfall (all phases)")
    fig.savefig(path, dpi=110)
    plt.close(fig)


def heat_map_figure(table, group, title):
    """The probability of a shortfall by need group (rows) and year (columns), as a figure."""
    rows = table[(table["Place group"] == group) & (table["Phase"] == "all") & (table["Need group kind"].isin(["need", "broad_area", "all"]))]
    needs = list(dict.fromkeys(rows["Need group"]))
    years = sorted(rows["Year"].unique())
    grid = np.full((len(needs), len(years)), np.nan)
    for i, need in enumerate(needs):
        for _, r in rows[rows["Need group"] == need].iterrows():
            grid[i, years.index(r["Year"])] = r["Probability of a shortfall"]
    fig, ax = plt.subplots(figsize=(0.55 * len(years) + 2.5, 0.35 * len(needs) + 1.8))
    im = ax.imshow(grid, aspect="auto", cmap="Reds", vmin=0, vmax=1)
    ax.set_xticks(range(len(years)))
    ax.set_xticklabels(years, rotation=90, fontsize=8)
    ax.set_yticks(range(len(needs)))
    ax.set_yticklabels(needs, fontsize=8)
    for i in range(len(needs)):
        for j in range(len(years)):
            if not np.isnan(grid[i, j]):
                ax.text(j, i, f"{100 * grid[i, j]:.0f}", ha="center", va="center", fontsize=5,
                        color="white" if grid[i, j] > 0.6 else "black")
    fig.colorbar(im, ax=ax, label="probability demand exceeds places (cells: per cent)")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def main(args):
    if len(args) != 1:
        sys.exit(__doc__)
    results = args[0]
    table_path = os.path.join(results, "special_places_plan.csv")
    if not os.path.exists(table_path):
        sys.exit(f"{table_path} not found: the scenario has no provision register, so there is no Special Places Plan table")
    table = pd.read_csv(table_path)
    out = os.path.join(results, "plots")
    os.makedirs(out, exist_ok=True)
    for group in table["Place group"].unique():
        fans(table, group, os.path.join(out, f"places_vs_demand_{group}.png"))
        heat_map(table, group, os.path.join(out, f"shortfall_probability_{group}.png"))
    print(f"sufficiency plots: {out}")
