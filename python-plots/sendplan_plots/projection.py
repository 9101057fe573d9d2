"""Fan charts of a sendplan projection: total plans, plans by broad area of need, plans by setting.

Usage: /usr/bin/python3 python-plots/plot_projection.py RESULTS_DIR
Reads RESULTS_DIR/results.h5 and writes PNGs to RESULTS_DIR/plots/.
"""
import os

import matplotlib.pyplot as plt
import numpy as np

from .fans import fan
from .inputs import usage
from .results import attribute, label, labels, open_results, percentile_levels, quantiles_of, text
from .style import BLUE, RED, year_axis


def projection_fan(ax, years, mean, quantiles):
    """The fan of one series, with its mean dashed over it."""
    fan(ax, years, quantiles, BLUE)
    ax.plot(years, mean, color="black", linewidth=1, linestyle="--", label="mean")
    year_axis(ax)


def grid_of_fans(f, breakdown, title, path):
    """One fan per category of a breakdown (broad_area, setting), titled with the planner's labels."""
    years = f["labels/year"][:]
    group = f["summary"][breakdown]
    cats = text(group["category"][:])
    names = labels(f, breakdown)
    mean, pct = group["mean"][:], group["percentiles"][:]
    levels = percentile_levels(f)
    n = len(cats)
    cols = 3 if n <= 6 else 4
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.2 * rows), squeeze=False)
    for i, cat in enumerate(cats):
        ax = axes[i // cols][i % cols]
        projection_fan(ax, years, mean[:, i], quantiles_of(levels, pct[:, i, :]))
        ax.set_title(label(names, cat), fontsize=10)
        ax.set_ylabel("EHC plans")
    for j in range(n, rows * cols):
        axes[j // cols][j % cols].axis("off")
    axes[0][0].legend(fontsize=7, loc="upper left")
    fig.suptitle(f"{title}, {attribute(f, 'area_name')}: January census, projected from {int(f.attrs['base_year'])}", fontsize=12)
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
    ax.set_title(f"EHC plans in {attribute(f, 'area_name')}, January census ({int(f.attrs['draws']):,} draws)")
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
