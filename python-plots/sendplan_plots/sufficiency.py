"""Special Places Plan charts from a sendplan run with a provision register.

Usage: /usr/bin/python3 python-plots/plot_sufficiency.py RESULTS_DIR
Reads RESULTS_DIR/special_places_plan.csv (and the labels in RESULTS_DIR/results.h5) and writes to
RESULTS_DIR/plots/:
  places_vs_demand_<group>.png   places against the demand fan, per broad area of need and phase
  shortfall_probability_<group>.png   heat map of the probability of a shortfall, year x need group
"""
import os
import textwrap

import matplotlib.pyplot as plt

from .fans import fan
from .inputs import NotInput, read_csv, usage
from .heat_maps import need_group_label, shortfall_maps
from .results import NOT_RECORDED_NOTE, TOTAL, csv_quantiles, in_sentence, label, open_results, place_group_label, run_labels, scenario_title, taxonomy_order
from .style import BLUE, READABLE, RED, year_axis


def phase_label(names, code):
    return "All phases" if code == TOTAL else label(names.get("phase", {}), code)


def demand_fan(ax, rows):
    """Demand's fan and the places there are, for one need group and phase."""
    rows = rows.sort_values("year")
    fan(ax, rows["year"], csv_quantiles(rows, "demand_"), BLUE, label="demand, median", band_label="demand, {:.0%} interval", linewidth=1.6)
    ax.step(rows["year"], rows["places"], where="mid", color=RED, linewidth=1.8, label="places in the borough")
    year_axis(ax, nbins=4)
    ax.tick_params(labelsize=READABLE - 1)


def fans(table, group, path, names, title):
    """Small multiples: a row per broad area of need (and all needs), a column per phase (and all
    phases), each labelled in words."""
    rows = table[(table["place_group"] == group) & (table["need_group_kind"].isin(["broad_area", TOTAL]))]
    needs = taxonomy_order(names, "broad_area", rows["need_group"])
    phases = taxonomy_order(names, "phase", rows["phase"])
    fig, axes = plt.subplots(len(needs), len(phases), figsize=(3.0 * len(phases), 2.3 * len(needs)), squeeze=False, sharex=True)
    for i, need in enumerate(needs):
        for j, phase in enumerate(phases):
            ax = axes[i][j]
            cell = rows[(rows["need_group"] == need) & (rows["phase"] == phase)]
            if cell.empty:
                ax.axis("off")
                continue
            demand_fan(ax, cell)
            if i == 0:
                ax.set_title(phase_label(names, phase), fontsize=READABLE + 3, weight="bold")
            if j == 0:
                ax.set_ylabel(textwrap.fill(need_group_label(names, "broad_area", need), 22) + "\n(children)", fontsize=READABLE + 1)
    handles, words = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, words, loc="upper right", ncol=3, fontsize=READABLE + 1, frameon=False)
    fig.suptitle(f"{title}: {in_sentence(place_group_label(names, group))} places against demand, by broad area of need (rows) and phase (columns)",
                 fontsize=READABLE + 6, x=0.01, ha="left")
    notes = ["Demand: children whose setting needs a place of this kind (January census). Places: the register's, "
             "shared over the ages and needs each provision takes."]
    if any(need_group_label(names, "broad_area", n).lower().startswith("need not recorded") for n in needs):
        notes.append(NOT_RECORDED_NOTE)
    fig.text(0.5, 0.005, "\n".join(notes), ha="center", fontsize=READABLE + 1)
    fig.tight_layout(rect=(0, 0.03, 1, 0.95))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def heat_map(table, group, path, names, title):
    fig = shortfall_maps(table, group, f"{title}: chance that demand for {in_sentence(place_group_label(names, group))} places exceeds places, "
                         "all phases", names)
    fig.savefig(path, dpi=110)
    plt.close(fig)


# The columns of special_places_plan.csv the charts read (with the Demand percentiles).
PLAN_COLUMNS = ["year", "place_group", "phase", "need_group", "need_group_kind", "places", "probability_shortfall"]


def read_plan(results):
    """A run's special_places_plan.csv; NotInput where `results` is not a run's folder, or its
    scenario has no provision register."""
    names = run_labels(results)
    with open_results(results) as f:
        names["scenario_title"] = scenario_title(f)
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
    for group in table["place_group"].unique():
        fans(table, group, os.path.join(out, f"places_vs_demand_{group}.png"), names, names["scenario_title"])
        heat_map(table, group, os.path.join(out, f"shortfall_probability_{group}.png"), names, names["scenario_title"])
    print(f"sufficiency plots: {out}")
