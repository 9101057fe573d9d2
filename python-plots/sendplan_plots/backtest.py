"""Backtest charts: for each area, what the engine forecast from each origin (median, 80% and 90%
intervals) against the plans the censuses then found.

Usage: /usr/bin/python3 python-plots/plot_backtest.py BACKTEST.csv [OUT_DIR]
Reads the CSV that `sendplan backtest` writes and writes one PNG per area to OUT_DIR (default: the
CSV's folder), named backtest_<area code>.png.
"""
import os

import matplotlib.pyplot as plt

from .fans import fan
from .inputs import NotInput, read_csv, usage
from .results import csv_quantiles
from .style import year_axis


def plot_area(rows, area, path):
    """One area's forecasts from each origin against the published plans; `area` names it in the title."""
    fig, ax = plt.subplots(figsize=(9, 5.5))
    origins = sorted(rows["origin"].unique())
    colours = plt.cm.viridis([i / max(len(origins) - 1, 1) for i in range(len(origins))])
    for origin, colour in zip(origins, colours):
        r = rows[rows["origin"] == origin].sort_values("year")
        # Pale bands: the origins' fans overlap.
        fan(ax, r["year"], csv_quantiles(r), colour, shades=(0.12, 0.25), label=f"forecast from January {origin}", band_label=None, linewidth=1.5)
    known = rows.dropna(subset=["actual"]).drop_duplicates("year").sort_values("year")
    ax.plot(known["year"], known["actual"], color="black", marker="o", linewidth=2, label="published plans")
    ax.set_title(f"Backtest, {area}: total EHC plans forecast from past censuses\n"
                 "median with 80% and 90% intervals, against the plans published later", fontsize=11)
    ax.set_xlabel("January census")
    ax.set_ylabel("EHC plans")
    year_axis(ax)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def area_title(rows, code):
    """The area's name with its code, where the file names it."""
    names = rows["area_name"].dropna() if "area_name" in rows else []
    return f"{names.iloc[0]} ({code})" if len(names) else code


def main(args):
    if len(args) not in (1, 2):
        usage(__doc__)
    csv = args[0]
    out = args[1] if len(args) > 1 else os.path.dirname(os.path.abspath(csv))
    rows = read_csv(csv, ["area_code", "origin", "year", "actual"], "the CSV `sendplan backtest` writes")
    if not csv_quantiles(rows):
        raise NotInput(f"{csv} has no percentile columns (p05, p50, ...): give the CSV `sendplan backtest` writes")
    os.makedirs(out, exist_ok=True)
    for area, group in rows.groupby("area_code"):
        path = os.path.join(out, f"backtest_{area}.png")
        plot_area(group, area_title(group, area), path)
        print(path)
