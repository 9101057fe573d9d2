"""Fan charts of a sendplan projection: total plans, plans by broad area of need, plans by setting.

Usage: /usr/bin/python3 python-plots/plot_projection.py RESULTS_DIR
Reads RESULTS_DIR/results.h5 and writes PNGs to RESULTS_DIR/plots/.
"""
import os
import textwrap

import matplotlib.pyplot as plt
import numpy as np

from .fans import fan
from .inputs import usage
from .results import NOT_RECORDED_NOTE, all_labels, attribute, label, labels, open_results, percentile_levels, quantiles_of, scenario_title, taxonomy_order, text
from .style import BLUE, READABLE, RED, year_axis



def projection_fan(ax, years, mean, quantiles):
    """The fan of one series, with its mean dashed over it."""
    fan(ax, years, quantiles, BLUE)
    ax.plot(years, mean, color="black", linewidth=1, linestyle="--", label="mean")
    year_axis(ax)


def published(f, breakdown, category):
    """(years, plans) published for one category of a breakdown up to the base year, where the
    results hold them (history/<breakdown>); None otherwise."""
    if "history" not in f or breakdown not in f["history"]:
        return None
    group = f["history"][breakdown]
    cats = text(group["category"][:])
    return (group["year"][:], group["plans"][:, cats.index(category)]) if category in cats else None


def panel(ax, f, breakdown, cat, i, names):
    """One category's fan, with its published history where there is one."""
    group = f["summary"][breakdown]
    projection_fan(ax, f["labels/year"][:], group["mean"][:, i], quantiles_of(percentile_levels(f), group["percentiles"][:, i, :]))
    history = published(f, breakdown, cat)
    if history is not None:
        ax.plot(*history, color=RED, marker="o", markersize=2.5, linewidth=1.2, label="published (DfE)")
    ax.set_title(label(names, cat), fontsize=READABLE + 2)
    ax.set_ylabel("EHC plans", fontsize=READABLE)
    ax.tick_params(labelsize=READABLE)
    if label(names, cat).lower().startswith("need not recorded"):
        ax.text(0.02, 0.98, textwrap.fill(NOT_RECORDED_NOTE, 48), transform=ax.transAxes, fontsize=READABLE - 1, va="top",
                bbox=dict(facecolor="white", edgecolor="#bbb", alpha=0.9))


def grid_of_fans(f, breakdown, title, path):
    """One fan per category of a breakdown (broad_area, setting), titled with the planner's labels,
    in the taxonomy's order."""
    cats = text(f["summary"][breakdown]["category"][:])
    names = labels(f, breakdown)
    order = taxonomy_order(all_labels(f), breakdown, cats)
    n = len(order)
    cols = 3 if n <= 6 else 4
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(4.6 * cols, 3.6 * rows), squeeze=False)
    for k, cat in enumerate(order):
        panel(axes[k // cols][k % cols], f, breakdown, cat, cats.index(cat), names)
    for j in range(n, rows * cols):
        axes[j // cols][j % cols].axis("off")
    axes[0][0].legend(fontsize=READABLE, loc="upper left")
    fig.suptitle(f"{scenario_title(f)}: {title}, {attribute(f, 'area_name')}, January census, projected from {int(f.attrs['base_year'])}",
                 fontsize=READABLE + 5)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def total_plans(f, path):
    """Total plans: the fan, with the published censuses before it."""
    years = f["labels/year"][:]
    total = f["summary/total"]
    fig, ax = plt.subplots(figsize=(8, 5))
    projection_fan(ax, years, total["mean"][:, 0], quantiles_of(percentile_levels(f), total["percentiles"][:, 0, :]))
    if "history" in f and len(f["history/year"]) > 0:
        ax.plot(f["history/year"][:], f["history/total"][:], color=RED, marker="o", markersize=3, linewidth=1.5, label="published (DfE)")
    ax.set_title(f"{scenario_title(f)}: EHC plans in {attribute(f, 'area_name')}, January census ({int(f.attrs['draws']):,} draws)",
                 fontsize=READABLE + 3)
    ax.set_xlabel("January census")
    ax.set_ylabel("EHC plans")
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(args):
    if len(args) != 1:
        usage(__doc__)
    out = os.path.join(args[0], "plots")
    charts = [("total_plans.png", total_plans),
              ("plans_by_broad_area.png", lambda f, path: grid_of_fans(f, "broad_area", "EHC plans by broad area of need", path)),
              ("plans_by_setting.png", lambda f, path: grid_of_fans(f, "setting", "EHC plans by setting", path))]
    with open_results(args[0]) as f:
        os.makedirs(out, exist_ok=True)
        for name, draw in charts:
            draw(f, os.path.join(out, name))
            print(os.path.join(out, name))
