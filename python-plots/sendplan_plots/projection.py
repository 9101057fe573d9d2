"""Fan charts of a sendplan projection: total plans, plans by broad area of need, plans by setting.

Usage: /usr/bin/python3 python-plots/plot_projection.py RESULTS_DIR
Reads RESULTS_DIR/results.h5 and writes PNGs to RESULTS_DIR/plots/.
"""
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402
import numpy as np  # noqa: E402



def label_map(f, kind):
    """Code -> planner's label, from the taxonomy stored with the results."""
    return dict(zip(text(f["labels"][kind][:]), text(f["labels"][kind + "_label"][:])))


def text(values):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]


def percentile_column(levels, level):
    """The column of `pct` holding percentile `level` (0.05 for the 5th), found by value in the
    labels stored with the results, not by position."""
    hits = np.flatnonzero(np.isclose(np.asarray(levels, dtype=float), level))
    if len(hits) != 1:
        raise SystemExit(f"results.h5 has no {level:g} percentile in labels/percentile ({list(levels)})")
    return int(hits[0])


def fan(ax, years, mean, pct, levels, colour="#1f5aa6"):
    """A fan of the 90% and 80% intervals and the median; `levels` are labels/percentile."""
    col = {q: percentile_column(levels, q) for q in (0.05, 0.10, 0.50, 0.90, 0.95)}
    ax.fill_between(years, pct[:, col[0.05]], pct[:, col[0.95]], color=colour, alpha=0.18, linewidth=0, label="90% interval")
    ax.fill_between(years, pct[:, col[0.10]], pct[:, col[0.90]], color=colour, alpha=0.35, linewidth=0, label="80% interval")
    ax.plot(years, pct[:, col[0.50]], color=colour, linewidth=2, label="median")
    ax.plot(years, mean, color="black", linewidth=1, linestyle="--", label="mean")
    ax.set_ylim(bottom=0)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3)


def grid_of_fans(f, breakdown, names, title, path, area, base_year):
    years = f["labels/year"][:]
    group = f["summary"][breakdown]
    cats = text(group["category"][:])
    mean, pct = group["mean"][:], group["percentiles"][:]
    n = len(cats)
    cols = 3 if n <= 6 else 4
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.2 * rows), squeeze=False)
    for i, cat in enumerate(cats):
        ax = axes[i // cols][i % cols]
        fan(ax, years, mean[:, i], pct[:, i, :], f["labels/percentile"][:])
        ax.set_title(names.get(cat, cat), fontsize=10)
        ax.set_ylabel("EHC plans")
    for j in range(n, rows * cols):
        axes[j // cols][j % cols].axis("off")
    axes[0][0].legend(fontsize=7, loc="upper left")
    fig.suptitle(f"{title}, {area}: January census, projected from {base_year}", fontsize=12)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(args):
    if len(args) != 1:
        sys.exit(__doc__)
    results_dir = args[0]
    path = os.path.join(results_dir, "results.h5")
    out = os.path.join(results_dir, "plots")
    os.makedirs(out, exist_ok=True)
    with h5py.File(path, "r") as f:
        area = f.attrs["area_name"]
        base_year = int(f.attrs["base_year"])
        draws = int(f.attrs["draws"])
        years = f["labels/year"][:]
        total = f["summary/total"]
        fig, ax = plt.subplots(figsize=(8, 5))
        fan(ax, years, total["mean"][:, 0], total["percentiles"][:, 0, :], f["labels/percentile"][:])
        if "history" in f and len(f["history/year"]) > 0:
            ax.plot(f["history/year"][:], f["history/total"][:], color="#c0392b", marker="o", markersize=3,
                    linewidth=1.5, label="published (DfE)")
        ax.set_title(f"EHC plans in {area}, January census ({draws:,} draws)")
        ax.set_xlabel("January census")
        ax.set_ylabel("EHC plans")
        ax.legend(loc="upper left")
        fig.tight_layout()
        fig.savefig(os.path.join(out, "total_plans.png"), dpi=110)
        plt.close(fig)

        grid_of_fans(f, "broad_area", label_map(f, "broad_area"), "EHC plans by broad area of need",
                     os.path.join(out, "plans_by_broad_area.png"), area, base_year)
        grid_of_fans(f, "setting", label_map(f, "setting"), "EHC plans by setting",
                     os.path.join(out, "plans_by_setting.png"), area, base_year)
    for name in ("total_plans.png", "plans_by_broad_area.png", "plans_by_setting.png"):
        print(os.path.join(out, name))
