"""Special Places Plan charts from a sendplan run with a provision register.

Usage: /usr/bin/python3 python-plots/plot_sufficiency.py RESULTS_DIR
Reads RESULTS_DIR/special_places_plan.csv (and the labels in RESULTS_DIR/results.h5) and writes to
RESULTS_DIR/plots/:
  places_vs_demand_<group>.png   places against the demand fan, per broad area of need and phase
  shortfall_probability_<group>.png   heat map of the probability of a shortfall, year x need group
"""
import os

import matplotlib.pyplot as plt
import numpy as np

from .fans import fan
from .inputs import NotInput, read_csv, usage
from .results import TOTAL, csv_quantiles, label, place_group_label, run_labels, taxonomy_order
from .style import BLUE, RED, year_axis


def need_label(names, kind, code):
    """A need group's label: a need's or a broad area's, as the table's "Need group kind" says."""
    return "All needs" if code == TOTAL else label(names.get(kind, {}), code)


def phase_label(names, code):
    return "All phases" if code == TOTAL else label(names.get("phase", {}), code)


def demand_fan(ax, rows):
    """Demand's fan and the places there are, for one need group and phase."""
    rows = rows.sort_values("Year")
    fan(ax, rows["Year"], csv_quantiles(rows, "Demand"), BLUE, label="demand, median", band_label="demand, {:.0%} interval", linewidth=1.6)
    ax.step(rows["Year"], rows["Places"], where="mid", color=RED, linewidth=1.8, label="places in the borough")
    year_axis(ax, nbins=4)
    ax.tick_params(labelsize=7)


def fans(table, group, path, names):
    rows = table[(table["Place group"] == group) & (table["Need group kind"].isin(["broad_area", TOTAL]))]
    needs = taxonomy_order(names, "broad_area", rows["Need group"])
    phases = taxonomy_order(names, "phase", rows["Phase"])
    fig, axes = plt.subplots(len(needs), len(phases), figsize=(3.0 * len(phases), 2.3 * len(needs)), squeeze=False, sharex=True)
    for i, need in enumerate(needs):
        for j, phase in enumerate(phases):
            ax = axes[i][j]
            cell = rows[(rows["Need group"] == need) & (rows["Phase"] == phase)]
            if cell.empty:
                ax.axis("off")
                continue
            demand_fan(ax, cell)
            if i == 0:
                ax.set_title(phase_label(names, phase), fontsize=9)
            if j == 0:
                ax.set_ylabel(f"{need_label(names, 'broad_area', need)}\nchildren", fontsize=8)
    axes[0][0].legend(fontsize=6, loc="upper left")
    fig.suptitle(f"{place_group_label(names, group)} places: places against demand, by broad area of need and phase", fontsize=11)
    fig.text(0.5, 0.005, "Demand: children whose setting needs a place of this kind (January census). Places: the register's, "
             "shared over the ages and needs each provision takes.", ha="center", fontsize=7)
    fig.tight_layout(rect=(0, 0.02, 1, 0.97))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def heat_map(table, group, path, names):
    fig = heat_map_figure(table, group, f"{place_group_label(names, group)} places: probability of a shortfall (all phases)", names)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def heat_map_rows(rows, names):
    """(kind, code) of each need group: needs, then broad areas, each in the taxonomy's order, then
    all needs. Broad areas of one need are left out: their row would repeat the need's."""
    areas = list(names.get("need_broad_area", {}).values())
    single = {area for area in areas if areas.count(area) == 1}

    def of_kind(kind):
        codes = taxonomy_order(names, kind, rows.loc[rows["Need group kind"] == kind, "Need group"])
        return [(kind, code) for code in codes if not (kind == "broad_area" and code in single)]

    return of_kind("need") + of_kind("broad_area") + of_kind(TOTAL)


def heat_map_figure(table, group, title, names):
    """The probability of a shortfall by need group (rows) and year (columns), as a figure."""
    rows = table[(table["Place group"] == group) & (table["Phase"] == TOTAL) & (table["Need group kind"].isin(["need", "broad_area", TOTAL]))]
    needs = heat_map_rows(rows, names)
    years = sorted(rows["Year"].unique())
    grid = np.full((len(needs), len(years)), np.nan)
    for i, (kind, need) in enumerate(needs):
        for _, r in rows[(rows["Need group kind"] == kind) & (rows["Need group"] == need)].iterrows():
            grid[i, years.index(r["Year"])] = r["Probability of a shortfall"]
    fig, ax = plt.subplots(figsize=(0.55 * len(years) + 4.5, 0.35 * len(needs) + 1.8))
    im = ax.imshow(grid, aspect="auto", cmap="Reds", vmin=0, vmax=1)
    ax.set_xticks(range(len(years)))
    ax.set_xticklabels(years, rotation=90, fontsize=8)
    ax.set_yticks(range(len(needs)))
    ax.set_yticklabels([need_label(names, kind, need) for kind, need in needs], fontsize=8)
    for i in range(len(needs)):
        for j in range(len(years)):
            if not np.isnan(grid[i, j]):
                ax.text(j, i, f"{100 * grid[i, j]:.0f}", ha="center", va="center", fontsize=5,
                        color="white" if grid[i, j] > 0.6 else "black")
    fig.colorbar(im, ax=ax, label="probability demand exceeds places (cells: per cent)")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


# The columns of special_places_plan.csv the charts read (with the Demand percentiles).
PLAN_COLUMNS = ["Year", "Place group", "Phase", "Need group", "Need group kind", "Places", "Probability of a shortfall"]


def read_plan(results):
    """A run's special_places_plan.csv; NotInput where `results` is not a run's folder, or its
    scenario has no provision register."""
    names = run_labels(results)
    table_path = os.path.join(results, "special_places_plan.csv")
    if not os.path.exists(table_path):
        raise NotInput(f"{table_path} not found: the scenario has no provision register, so there is no Special Places Plan table")
    return read_csv(table_path, PLAN_COLUMNS, "a folder a `sendplan run` with a provision register wrote"), names


def main(args):
    if len(args) != 1:
        usage(__doc__)
    results = args[0]
    table, names = read_plan(results)
    out = os.path.join(results, "plots")
    os.makedirs(out, exist_ok=True)
    for group in table["Place group"].unique():
        fans(table, group, os.path.join(out, f"places_vs_demand_{group}.png"), names)
        heat_map(table, group, os.path.join(out, f"shortfall_probability_{group}.png"), names)
    print(f"sufficiency plots: {out}")
