"""Accuracy of the backtest across every local authority in England: the engine's errors by horizon
against three naive forecasts, how often its intervals held the actual, and which areas it missed most.

Usage: /usr/bin/python3 python-plots/plot_backtest_accuracy.py FORECASTS.csv [OUT_DIR]
Reads the forecasts CSV that `sendplan backtest` writes (one row per area, origin and forecast year)
and writes to OUT_DIR (default: the CSV's folder):
  backtest_accuracy.png         mean absolute percentage error by horizon, engine against the last
                                value, the LA's own 3-year growth and England's 3-year growth, for
                                in-sample origins (up to 2019) and held-out origins (2020 on)
  backtest_calibration.png      share of actuals inside the 80%, 90% and 95% intervals, by horizon
                                and by origin
  backtest_errors_by_area.png   spread of the engine's signed percentage error by horizon, and the
                                ten areas it missed most at horizon 3

Only local authorities are scored (codes E06, E07, E08, E09, E10); England and regions are left out.
Rows without an actual are not scored, and each naive forecast only where its 3-year history exists.
growth_3y and england_growth_3y are read as forecasts of total plans (last value x annual growth to
the power of the horizon); if a file holds annual growth factors (about 1.07) or rates (about 0.07)
instead, they are applied to last_value that way.
Exits with status 2 and a one-line message if the file is missing, empty or lacks a needed column.
"""
import os

import matplotlib.pyplot as plt
from matplotlib.table import Table
from matplotlib.ticker import MaxNLocator, PercentFormatter
import numpy as np
import pandas as pd

from .fans import interval
from .inputs import NotInput, read_csv, usage
from .results import csv_quantiles

# Origins up to 2019 chose the method's settings, so only later origins test it fairly.
HELD_OUT_FROM = 2020
LA_PREFIXES = ("E06", "E07", "E08", "E09", "E10")
NUMERIC = ["origin", "year", "horizon", "actual", "mean", "p025", "p05", "p10", "p90", "p95", "p975",
           "last_value", "growth_3y", "england_growth_3y"]
NEEDED = ["area_code", "area_name"] + NUMERIC
INTERVALS = [0.80, 0.90, 0.95]
INTERVAL_COLOURS = ["#9ecae1", "#4292c6", "#08519c"]
ENGINE = "#c0392b"
# (column of the forecast, legend label, colour, marker)
FORECASTS = [
    ("mean", "engine", ENGINE, "o"),
    ("naive_last", "last value", "#7f7f7f", "s"),
    ("naive_own", "LA's own 3-year growth", "#1f77b4", "^"),
    ("naive_england", "England's 3-year growth", "#2ca02c", "D"),
]
TITLE = "Backtest of total EHC plans, every local authority in England"

plt.rcParams.update({"font.size": 10, "axes.titlesize": 11, "axes.labelsize": 10, "xtick.labelsize": 9,
                     "ytick.labelsize": 9, "legend.fontsize": 9})


WHAT = "the forecasts CSV `sendplan backtest` writes"


def fail(message):
    raise NotInput(f"{message}: give {WHAT}")


def read_forecasts(csv):
    rows = read_csv(csv, NEEDED, WHAT, dtype={"area_code": str, "area_name": str, "region": str})
    if rows.empty:
        fail(f"{csv}: the file has a header but no rows")
    for c in NUMERIC:
        try:
            rows[c] = pd.to_numeric(rows[c])
        except (ValueError, TypeError):
            fail(f"{csv}: column {c} holds a value that is not a number")
    if rows[["origin", "year", "horizon", "mean"]].isna().any().any():
        fail(f"{csv}: origin, year, horizon or mean is blank in some row")
    rows["origin"] = rows["origin"].astype(int)
    rows["horizon"] = rows["horizon"].astype(int)
    rows["area_code"] = rows["area_code"].fillna("").str.strip()
    rows["area_name"] = rows["area_name"].fillna("").str.strip()
    rows.loc[rows["area_name"] == "", "area_name"] = rows["area_code"]
    return rows


def naive_from_growth(rows, column):
    """The naive forecast of total plans that `column` describes."""
    values = rows[column]
    known = values.dropna()
    if known.empty:
        return values
    # sendplan writes the forecast itself, which for an LA is in the hundreds or more. A file holding
    # the annual growth instead (a factor near 1, or a rate near 0) would otherwise be scored as a
    # forecast of about one plan, so the median's size says which of the three it holds.
    typical = known.abs().median()
    if typical >= 5:
        return values
    factor = values if typical >= 0.5 else 1 + values
    return rows["last_value"] * factor ** rows["horizon"]


def scored_rows(rows):
    """Local authorities' rows with a known actual, with each forecast's percentage error."""
    la = rows[rows["area_code"].str.startswith(LA_PREFIXES)].copy()
    if la.empty:
        fail("no local authority rows (codes E06, E07, E08, E09, E10) in the file")
    la["naive_last"] = la["last_value"]
    la["naive_own"] = naive_from_growth(la, "growth_3y")
    la["naive_england"] = naive_from_growth(la, "england_growth_3y")
    la = la[la["actual"] > 0].copy()
    if la.empty:
        fail("no local authority row has a known actual to score against")
    for column, _, _, _ in FORECASTS:
        la[f"ape_{column}"] = 100 * (la[column] - la["actual"]).abs() / la["actual"]
    la["signed_pct"] = 100 * (la["mean"] - la["actual"]) / la["actual"]
    la["held_out"] = la["origin"] >= HELD_OUT_FROM
    return la


def span(origins):
    lo, hi = min(origins), max(origins)
    return str(lo) if lo == hi else f"{lo}\u2013{hi}"


def horizon_labels(rows, horizons):
    counts = rows.groupby("horizon").size()
    return [f"{h}\nn = {counts.get(h, 0)}" for h in horizons]


def accuracy(rows, path):
    horizons = sorted(rows["horizon"].unique())
    groups = [("In-sample origins", rows[~rows["held_out"]], "settings were chosen on these"),
              ("Held-out origins", rows[rows["held_out"]], "not used to choose settings")]
    fig, axes = plt.subplots(1, 2, figsize=(12, 5.8), sharey=True)
    top = 0
    for ax, (name, group, note) in zip(axes, groups):
        if group.empty:
            ax.set_title(f"{name}\nnone with a known outcome")
            ax.text(0.5, 0.5, "no forecasts with a known outcome", transform=ax.transAxes, ha="center", va="center")
            ax.set_xticks(horizons)
            ax.set_xlim(horizons[0] - 0.3, horizons[-1] + 0.3)
            ax.set_xlabel("years ahead of the origin census")
            continue
        for column, label, colour, marker in FORECASTS:
            known = group.dropna(subset=[f"ape_{column}"])
            if known.empty:
                continue
            mape = known.groupby("horizon")[f"ape_{column}"].mean()
            top = max(top, mape.max())
            width = 2.4 if column == "mean" else 1.6
            ax.plot(mape.index, mape.values, color=colour, marker=marker, linewidth=width, label=f"{label} (n = {len(known)})")
        median = group.groupby("horizon")["ape_mean"].median()
        ax.plot(median.index, median.values, color=ENGINE, linestyle="--", linewidth=1.6,
                label=f"engine, median instead of mean (n = {len(group)})")
        top = max(top, median.max())
        ax.set_title(f"{name}, {span(group['origin'])} ({note})\n"
                     f"{len(group)} forecasts of {group['area_code'].nunique()} local authorities")
        ax.set_xticks(horizons)
        ax.set_xticklabels(horizon_labels(group, horizons))
        ax.set_xlabel("years ahead of the origin census (n: forecasts with a known outcome)")
        ax.grid(alpha=0.3)
        ax.set_xlim(horizons[0] - 0.3, horizons[-1] + 0.3)
        ax.legend(loc="upper left", title="mean absolute percentage error")
    axes[0].set_ylabel("absolute percentage error of the forecast")
    # Room above the lines for the legend, which sits top left where errors are smallest.
    axes[0].set_ylim(0, max(top, 1) * 1.6)
    axes[0].yaxis.set_major_locator(MaxNLocator(nbins=8, steps=[1, 2, 5, 10]))
    axes[0].yaxis.set_major_formatter(PercentFormatter(decimals=0))
    fig.suptitle(f"{TITLE}\nerror of the forecast total against the published total, by years ahead", fontsize=12)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def coverage(group):
    """Share of actuals inside each interval, and how many rows had that interval."""
    shares, counts = [], []
    quantiles = csv_quantiles(group)
    actual = group["actual"].to_numpy()
    for width in INTERVALS:
        low, high = interval(quantiles, width)
        known = ~(np.isnan(low) | np.isnan(high))
        inside = (actual[known] >= low[known]) & (actual[known] <= high[known])
        shares.append(inside.mean() if known.any() else np.nan)
        counts.append(int(known.sum()))
    return shares, counts


def coverage_bars(ax, keys, groups):
    width = 0.8 / len(INTERVALS)
    x = np.arange(len(keys))
    table = [coverage(g) for g in groups]
    for i, (nominal, colour) in enumerate(zip(INTERVALS, INTERVAL_COLOURS)):
        shares = [t[0][i] for t in table]
        ax.bar(x + (i - 1) * width, shares, width, color=colour, label=f"{nominal:.0%} interval")
        ax.axhline(nominal, color=colour, linestyle="--", linewidth=1.3)
    ax.set_xticks(x)
    ax.set_ylim(0, 1.0)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1, decimals=0))
    ax.set_ylabel("share of actuals inside the interval")
    ax.grid(axis="y", alpha=0.3)
    return x


def calibration(rows, path):
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5.8), sharey=True, gridspec_kw={"width_ratios": [1, 1.3]})
    horizons = sorted(rows["horizon"].unique())
    coverage_bars(left, horizons, [rows[rows["horizon"] == h] for h in horizons])
    left.set_xticklabels(horizon_labels(rows, horizons))
    left.set_xlabel("years ahead of the origin census")
    left.set_title(f"By years ahead, all origins ({span(rows['origin'])})")

    origins = sorted(rows["origin"].unique())
    x = coverage_bars(right, origins, [rows[rows["origin"] == o] for o in origins])
    counts = rows.groupby("origin").size()
    right.set_xticklabels([f"{o}\nn = {counts[o]}" for o in origins])
    right.set_xlabel("origin: the January census the forecast starts from (all years ahead together)")
    held = [i for i, o in enumerate(origins) if o >= HELD_OUT_FROM]
    if held:
        right.axvspan(x[held[0]] - 0.5, x[-1] + 0.5, color="#f2e6c9", alpha=0.6, zorder=0)
        right.set_title("By origin (shaded: held-out origins, not used to choose settings)")
    else:
        right.set_title("By origin (all in-sample: settings were chosen on these)")
    right.set_xlim(x[0] - 0.5, x[-1] + 0.5)

    handles, labels = left.get_legend_handles_labels()
    handles.append(plt.Line2D([], [], color="black", linestyle="--", linewidth=1.3))
    labels.append("nominal level (dashed, in the interval's colour)")
    fig.legend(handles, labels, loc="lower center", ncol=4, frameon=False)
    n_las = rows["area_code"].nunique()
    fig.suptitle(f"{TITLE}\nhow often the 80%, 90% and 95% intervals held the published total "
                 f"({len(rows)} forecasts of {n_las} local authorities)", fontsize=12)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.savefig(path, dpi=120)
    plt.close(fig)


def worst_areas(rows, horizon, count=10):
    at = rows[rows["horizon"] == horizon].copy()
    at["abs_pct"] = at["signed_pct"].abs()
    # One line per area, its worst forecast, so that one area's several origins don't fill the list.
    worst = at.sort_values("abs_pct", ascending=False).drop_duplicates("area_code")
    return worst.head(count)


def short(name, limit=36):
    return name if len(name) <= limit else name[:limit - 1] + "\u2026"


def errors_by_area(rows, path):
    horizons = sorted(rows["horizon"].unique())
    fig, (ax, side) = plt.subplots(1, 2, figsize=(14, 6.2), gridspec_kw={"width_ratios": [1.2, 1]})
    groups = [("in-sample origins", rows[~rows["held_out"]], "#9ecae1"),
              ("held-out origins", rows[rows["held_out"]], "#fdae6b")]
    groups = [g for g in groups if not g[1].empty]
    width = 0.7 / len(groups)
    for i, (name, group, colour) in enumerate(groups):
        at = [h for h in horizons if (group["horizon"] == h).any()]
        data = [group.loc[group["horizon"] == h, "signed_pct"].values for h in at]
        positions = [h + (i - (len(groups) - 1) / 2) * width for h in at]
        box = ax.boxplot(data, positions=positions, widths=width * 0.85, whis=(5, 95), patch_artist=True, manage_ticks=False,
                         flierprops=dict(marker=".", markersize=3, markerfacecolor="#555555", markeredgecolor="none", alpha=0.6),
                         medianprops=dict(color="black", linewidth=1.5))
        for patch in box["boxes"]:
            patch.set_facecolor(colour)
        ax.plot([], [], color=colour, linewidth=8, label=f"{name}, {span(group['origin'])} (n = {len(group)})")
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(horizons)
    ax.set_xticklabels(horizon_labels(rows, horizons))
    ax.set_xlim(horizons[0] - 0.6, horizons[-1] + 0.6)
    ax.set_xlabel("years ahead of the origin census")
    ax.set_ylabel("error of the forecast: (mean \u2212 actual) / actual")
    ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=10, steps=[1, 2, 5, 10]))
    ax.grid(axis="y", alpha=0.3)
    ax.legend(loc="upper left")
    ax.set_title("Spread of the engine's error: box 25\u201375%, whiskers 5\u201395%,\n"
                 "dots beyond; above zero the engine forecast too many plans")

    horizon = 3 if 3 in horizons else horizons[-1]
    worst = worst_areas(rows, horizon)
    side.axis("off")
    header = ["local authority", "origin", "forecast", "actual", "error"]
    cells = [[short(r.area_name), str(r.origin), f"{r.mean:,.0f}", f"{r.actual:,.0f}", f"{r.signed_pct:+.1f}%"]
             for r in worst.itertuples()]
    widths = [0.5, 0.11, 0.14, 0.12, 0.13]
    align = ["left", "center", "right", "right", "right"]
    # A fixed height per row keeps the note below clear of the table however many rows there are.
    row_height = 0.062
    height = row_height * (len(cells) + 1)
    table = Table(side, bbox=(0, 1 - height, 1, height))
    table.auto_set_font_size(False)
    table.set_fontsize(9)
    for r, line in enumerate([header] + cells):
        for c, text in enumerate(line):
            cell = table.add_cell(r, c, widths[c], row_height, text=text, loc=align[c],
                                  edgecolor="#cccccc", facecolor="#eeeeee" if r == 0 else "white")
            # The default padding is a share of the cell's width, too much in the wide name column.
            cell.PAD = 0.03 if c == 0 else 0.08
            if r == 0:
                cell.set_text_props(fontweight="bold")
    side.add_table(table)
    side.text(0, 1 - height - 0.04, "forecast: the engine's mean; error: (forecast \u2212 actual) / actual.\n"
              f"Local authorities scored: {rows['area_code'].nunique()}; England and regions are left out.",
              va="top", ha="left", fontsize=9, transform=side.transAxes)
    side.set_title(f"The ten local authorities missed most {horizon} year{'s' if horizon > 1 else ''} ahead\n"
                   "(each area's largest absolute percentage error over its origins)")
    fig.suptitle(f"{TITLE}\nthe engine's percentage error by years ahead, and where it was largest", fontsize=12)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(args):
    if len(args) < 1:
        usage(__doc__)
    csv = args[0]
    out = args[1] if len(args) > 1 else os.path.dirname(os.path.abspath(csv))
    rows = scored_rows(read_forecasts(csv))
    os.makedirs(out, exist_ok=True)
    for name, draw in [("backtest_accuracy.png", accuracy), ("backtest_calibration.png", calibration),
                       ("backtest_errors_by_area.png", errors_by_area)]:
        path = os.path.join(out, name)
        draw(rows, path)
        print(path)
