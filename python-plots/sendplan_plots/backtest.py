"""Backtest charts: for each area, what the engine forecast from each origin (median, 80% and 90%
intervals) against the plans the censuses then found.

Usage: /usr/bin/python3 python-plots/plot_backtest.py BACKTEST.csv [OUT_DIR]
Reads the CSV that `sendplan backtest` writes and writes one PNG per area to OUT_DIR (default: the
CSV's folder), named backtest_<area code>.png.
"""
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402
import pandas as pd  # noqa: E402


def plot_area(rows, area, path):
    fig, ax = plt.subplots(figsize=(9, 5.5))
    origins = sorted(rows["origin"].unique())
    colours = plt.cm.viridis([i / max(len(origins) - 1, 1) for i in range(len(origins))])
    for origin, colour in zip(origins, colours):
        r = rows[rows["origin"] == origin].sort_values("year")
        ax.fill_between(r["year"], r["p05"], r["p95"], color=colour, alpha=0.12, linewidth=0)
        ax.fill_between(r["year"], r["p10"], r["p90"], color=colour, alpha=0.25, linewidth=0)
        ax.plot(r["year"], r["p50"], color=colour, linewidth=1.5, label=f"forecast from January {origin}")
    known = rows.dropna(subset=["actual"]).drop_duplicates("year").sort_values("year")
    ax.plot(known["year"], known["actual"], color="black", marker="o", linewidth=2, label="published plans")
    ax.set_title(f"Backtest, {area}: total EHC plans forecast from past censuses\n"
                 "median with 80% and 90% intervals, against the plans published later", fontsize=11)
    ax.set_xlabel("January census")
    ax.set_ylabel("EHC plans")
    ax.set_ylim(bottom=0)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(args):
    if len(args) < 1:
        sys.exit(__doc__)
    csv = args[0]
    out = args[1] if len(args) > 1 else os.path.dirname(os.path.abspath(csv))
    os.makedirs(out, exist_ok=True)
    rows = pd.read_csv(csv)
    for area, group in rows.groupby("area_code"):
        path = os.path.join(out, f"backtest_{area}.png")
        plot_area(group, area, path)
        print(path)
