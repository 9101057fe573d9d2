"""A board pack from a `sendplan compare` run: one PDF, and each of its pages as a PNG.

Usage: /usr/bin/python3 python-plots/board_pack.py COMPARE_DIR [--out DIR]
Reads COMPARE_DIR/appraisal.csv (its rows by their measure code), appraisal_by_year.csv,
comparison.csv and each scenario's folder (place groups' labels from its results.h5); writes to
COMPARE_DIR/board_pack/ (or DIR):
  board_pack.pdf            every page below, in order
  1_options.png             the option table: places added, capital, net present value, placements avoided
  1_option_chart.png        the options side by side: net present value with its interval, places added
  2_places_<group>.png      places against demand, each scenario (sufficiency fans)
  3_shortfall_<scenario>.png   probability of a shortfall by need and year, for the place group
                            with the most places
  4_spend.png               high-needs spend by scenario (spend fan)
  5_dsg_balance.png         the cumulative DSG balance by scenario, where income is given
"""
from collections import namedtuple
import os
import textwrap

import matplotlib.pyplot as plt
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.ticker import FuncFormatter

from .fans import fan
from .inputs import NotInput, read_csv, usage
from .results import (TOTAL, attribute, csv_quantiles, in_sentence, level_in, main_place_group, open_results, place_group_label,
                      run_labels)
from .style import COLOURS, MILLIONS, year_axis
from .sufficiency import PLAN_COLUMNS, heat_map_figure


PlaceGroup = namedtuple("PlaceGroup", "code label")

WHAT = "the folder a `sendplan compare` wrote"
# The columns read of each table (percentiles are found by their names' levels).
APPRAISAL_COLUMNS = ["Option", "Measure code", "Place group", "Mean"]
BY_YEAR_COLUMNS = ["Option", "Year", "Place group", "Chance places suffice (base)", "Chance places suffice (option)"]
SPEND_COLUMNS = ["Year", "Series"]
DIFFERENCE_COLUMNS = ["Option", "Measure", "Year"]


def spoken(name):
    """A scenario's name (its file's) as words."""
    return name.replace("_", " ")


def scenario_order(compare_dir, appraisal):
    options = list(dict.fromkeys(appraisal["Option"]))
    names = [d for d in sorted(os.listdir(compare_dir)) if os.path.isfile(os.path.join(compare_dir, d, "results.h5"))]
    base = [n for n in names if n not in options]
    missing = [o for o in options if o not in names]
    if not base or missing:
        raise NotInput(f"{compare_dir} has no results folder for {'the base' if not base else missing[0]}: give {WHAT}")
    return base + options


def scenario_table(compare_dir, name, file, columns):
    """One scenario's table, `file` in its folder."""
    return read_csv(os.path.join(compare_dir, name, file), columns, WHAT)


def about(compare_dir, name):
    with open_results(os.path.join(compare_dir, name)) as f:
        info = {k: attribute(f, k) for k in ("area_name", "base_year", "draws", "seed", "description", "engine_version")}
        # The record of forecasts made this way (the all-authority backtest), where the run carries it.
        info["record"] = attribute(f["accuracy"], "sentence") if "accuracy" in f else ""
        return info


def footnote(fig, info):
    fig.text(0.01, 0.005, f"sendplan {info['engine_version']}: {info['draws']} Monte Carlo draws on common random numbers (seed {info['seed']}). "
             "Intervals are percentiles of the draws and include uncertainty in the model's parameters and in costs.", fontsize=6, color="#555")


def measure(appraisal, option, code, level=None):
    """An option's appraisal measure by its code (appraisal.csv's "Measure code"), summed over the
    rows it has (places_added comes by place group): the mean, or the percentile `level` (0.05 for
    the 5th); not a number where it has none."""
    rows = appraisal[(appraisal["Option"] == option) & (appraisal["Measure code"] == code)]
    if rows.empty:
        return float("nan")
    return (rows["Mean"] if level is None else level_in(csv_quantiles(rows), level)).sum()


def options_page(appraisal, by_year, base, group, info):
    """The option table; `group` is the place group whose chance of sufficing it shows."""
    def value(option, code, level=None):
        return measure(appraisal, option, code, level)

    last = by_year["Year"].max()
    check_year = min(by_year["Year"].min() + 5, last)
    header = ["Option", f"Local places added\nby {last}", "Capital\n(cash)", "Net present value against the base\n(mean, 90% interval)",
              "Placements out of borough\nor independent avoided\n(pupil-years)", f"Chance {in_sentence(group.label)}\nplaces suffice in {check_year}\n(base → option)"]
    rows = []
    for option in dict.fromkeys(appraisal["Option"]):
        added = value(option, "places_added")
        npv = (value(option, "npv_gbp"), value(option, "npv_gbp", 0.05), value(option, "npv_gbp", 0.95))
        chance = by_year[(by_year["Option"] == option) & (by_year["Year"] == check_year) & (by_year["Place group"] == group.code)]
        chance_text = (f"{100 * chance.iloc[0]['Chance places suffice (base)']:.0f}% → {100 * chance.iloc[0]['Chance places suffice (option)']:.0f}%"
                       if not chance.empty else "")
        rows.append([spoken(option), f"{added:,.0f}", f"£{value(option, 'capital_cost_cash_gbp') / 1e6:,.1f}m",
                     f"£{npv[0] / 1e6:,.1f}m  (£{npv[1] / 1e6:,.1f}m to £{npv[2] / 1e6:,.1f}m)",
                     f"{value(option, 'out_of_borough_placements_avoided'):,.0f}", chance_text])
    fig = plt.figure(figsize=(11.7, 8.3))
    fig.text(0.5, 0.93, f"Special school places in {info['area_name']}: the options against '{spoken(base)}'", ha="center", fontsize=16,
             weight="bold")
    rate = value(next(iter(dict.fromkeys(appraisal["Option"]))), "discount_rate_percent")
    fig.text(0.5, 0.885, f"Projected from the January {info['base_year']} census to {last}. Costs are present values at {info['base_year']} prices, "
             f"discounted at {rate:g}% a year (HM Treasury Green Book).", ha="center", fontsize=9)
    ax = fig.add_axes([0.03, 0.35, 0.94, 0.48])
    ax.axis("off")
    table = ax.table(cellText=rows, colLabels=header, loc="upper center", cellLoc="center", colWidths=[0.2, 0.11, 0.1, 0.25, 0.16, 0.16])
    table.auto_set_font_size(False)
    table.set_fontsize(9)
    table.scale(1, 2.6)
    for (r, _), cell in table.get_celld().items():
        if r == 0:
            cell.set_facecolor("#dfe8f5")
            cell.set_height(cell.get_height() * 1.6)
    fig.text(0.05, 0.62 - 0.045 * len(rows), "How to read this table\n"
             "• Net present value: what the option saves against the base over the projection, in today's money. Positive: the option costs less "
             "overall,\n   capital included; the interval shows the range in 90 of 100 simulated futures.\n"
             "• Placements avoided: children who would otherwise be placed out of the borough or in an independent school because local places were full,\n"
             "   added up over the years (one child for one year is one pupil-year).\n"
             f"• Chance places suffice: the share of simulated futures in which demand for {in_sentence(group.label)} places is within the borough's places.",
             fontsize=9, va="top")
    if info.get("record"):
        fig.text(0.05, 0.075, textwrap.fill("How far to trust the forecast of plans: " + info["record"], 150), fontsize=9, va="bottom",
                 bbox=dict(facecolor="#f4f6f9", edgecolor="#c8d0dc"))
    footnote(fig, info)
    return fig


def option_chart_page(appraisal, base, groups, last, info):
    """The options side by side: what each saves (net present value, with its 90% interval) and
    what it buys (local places added by `last` over the place `groups`, and placements away from
    the borough avoided)."""
    options = list(dict.fromkeys(appraisal["Option"]))
    labels = [spoken(o) for o in options]
    npv = [measure(appraisal, o, "npv_gbp") for o in options]
    low = [measure(appraisal, o, "npv_gbp", 0.05) for o in options]
    high = [measure(appraisal, o, "npv_gbp", 0.95) for o in options]
    places = [measure(appraisal, o, "places_added") for o in options]
    avoided = [measure(appraisal, o, "out_of_borough_placements_avoided") for o in options]
    fig, (ax_npv, ax_places, ax_avoided) = plt.subplots(1, 3, figsize=(11.7, 8.3), sharey=True,
                                                        gridspec_kw={"width_ratios": [2, 1, 1]})
    rows = range(len(options))
    colours = [COLOURS[(i + 1) % len(COLOURS)] for i in rows]
    ax_npv.barh(rows, npv, color=colours, alpha=0.8)
    ax_npv.errorbar(npv, rows, xerr=[[n - lo for n, lo in zip(npv, low)], [hi - n for n, hi in zip(npv, high)]], fmt="none",
                    ecolor="black", capsize=6, label="90% interval")
    ax_npv.axvline(0, color="black", linewidth=0.8)
    ax_npv.xaxis.set_major_formatter(MILLIONS)
    ax_npv.set_yticks(list(rows), labels)
    ax_npv.invert_yaxis()
    ax_npv.set_xlabel("net present value against the base\n(right of zero: the option costs less overall)")
    ax_npv.legend(loc="lower right", fontsize=8)
    ax_places.barh(rows, places, color=colours, alpha=0.8)
    kinds = ", ".join(in_sentence(g.label) for g in groups)
    ax_places.set_xlabel(textwrap.fill(f"local places added by {last}: {kinds}", 34))
    ax_avoided.barh(rows, avoided, color=colours, alpha=0.8)
    ax_avoided.set_xlabel("pupil-years out of the borough or\nindependent because full, avoided")
    for ax in (ax_npv, ax_places, ax_avoided):
        ax.grid(axis="x", alpha=0.3)
    for ax, values, fmt in ((ax_places, places, "{:,.0f}"), (ax_avoided, avoided, "{:,.0f}")):
        for r, v in zip(rows, values):
            ax.text(v, r, " " + fmt.format(v), va="center", fontsize=9)
        if max(values, default=0) > 0:
            ax.set_xlim(0, 1.25 * max(values))  # room for the labels
    fig.suptitle(f"The options against '{spoken(base)}': what each saves and what it buys", fontsize=15, weight="bold")
    fig.text(0.5, 0.91, "Bars are means over the simulated futures; the black line spans 90 of 100 of them. "
             f"Present values at {info['base_year']} prices.", ha="center", fontsize=9)
    fig.subplots_adjust(left=0.2, right=0.97, top=0.86, bottom=0.14, wspace=0.12)
    footnote(fig, info)
    return fig


def places_page(compare_dir, names, group, info):
    """Places of one place group against demand, each scenario's over the others."""
    fig, ax = plt.subplots(figsize=(11.7, 8.3))
    for i, name in enumerate(names):
        t = scenario_table(compare_dir, name, "special_places_plan.csv", PLAN_COLUMNS)
        r = t[(t["Place group"] == group.code) & (t["Phase"] == TOTAL) & (t["Need group"] == TOTAL)].sort_values("Year")
        c = COLOURS[i % len(COLOURS)]
        # One pale band each: the scenarios' demand fans lie over one another.
        fan(ax, r["Year"], csv_quantiles(r, "Demand"), c, intervals=(0.80,), shades=(0.12,), label=f"{spoken(name)}: demand (median; band 80%)",
            band_label=None, linewidth=1.4, linestyle="--")
        ax.step(r["Year"], r["Places"], where="mid", color=c, linewidth=2.2, label=f"{spoken(name)}: places in the borough")
    year_axis(ax)
    ax.set_xlabel("January census")
    ax.set_ylabel("children")
    ax.legend(fontsize=8, loc="upper left")
    ax.set_title(f"{group.label} places: places against demand, by scenario\n"
                 "Where the dashed line (demand) rises above the solid line (places), children are placed out of the borough or wait", fontsize=12)
    footnote(fig, info)
    return fig


def spend_page(compare_dir, names, info, series, title, ylabel, differences=None):
    if differences is None:
        fig, ax = plt.subplots(figsize=(11.7, 8.3))
    else:
        fig, (ax, below) = plt.subplots(2, 1, figsize=(11.7, 8.3), sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    for i, name in enumerate(names):
        t = scenario_table(compare_dir, name, "high_needs_spend.csv", SPEND_COLUMNS)
        r = t[t["Series"] == series].sort_values("Year")
        c = COLOURS[i % len(COLOURS)]
        fan(ax, r["Year"], csv_quantiles(r), c, intervals=(0.90,), shades=(0.12,), label=f"{spoken(name)} (median; band 90%)", band_label=None)
    ax.yaxis.set_major_formatter(MILLIONS)
    year_axis(ax, from_zero=False)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xlabel("year (January census; costs in cash, with inflation)")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=9, loc="upper left")
    ax.set_title(title, fontsize=12)
    if differences is not None:
        # Draw by draw on common random numbers, the options' differences are far narrower than the
        # spread of spend itself.
        for i, name in enumerate(names[1:], start=1):
            r = differences[(differences["Option"] == name) & (differences["Measure"] == "high_needs_spend_gbp")].sort_values("Year")
            c = COLOURS[i % len(COLOURS)]
            fan(below, r["Year"], csv_quantiles(r, "Difference"), c, intervals=(0.90,), shades=(0.15,), label=f"{spoken(name)} minus {spoken(names[0])}",
                band_label=None)
        below.axhline(0, color="black", linewidth=0.8)
        below.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"£{v / 1e6:,.1f}m"))
        below.grid(alpha=0.3)
        below.set_ylabel("difference a year\n(below zero: a saving)")
        below.legend(fontsize=8, loc="lower left")
        below.set_xlabel(ax.get_xlabel())
        ax.set_xlabel("")
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    footnote(fig, info)
    return fig


def place_groups(compare_dir, base, by_year, taxonomy):
    """The place groups the appraisal covers, labelled, the one with the most places first: the
    pack's one-group summaries (the option table, the heat maps) are about it."""
    plan = scenario_table(compare_dir, base, "special_places_plan.csv", PLAN_COLUMNS)
    first = main_place_group(plan)
    codes = [first] + [c for c in dict.fromkeys(by_year["Place group"]) if c not in (TOTAL, first)]
    return [PlaceGroup(c, place_group_label(taxonomy, c)) for c in codes]


def shortfall_page(compare_dir, name, group, taxonomy):
    table = scenario_table(compare_dir, name, "special_places_plan.csv", PLAN_COLUMNS)
    return heat_map_figure(table, group.code, f"{spoken(name)}: probability that demand for {in_sentence(group.label)} places exceeds "
                           "places,\nby need and year (per cent of simulated futures)", taxonomy)


def main(args):
    if not args or args[0].startswith("-") or (len(args) not in (1, 3)) or (len(args) == 3 and args[1] != "--out"):
        usage(__doc__)
    compare_dir = args[0]
    out = args[2] if len(args) == 3 else os.path.join(compare_dir, "board_pack")
    if not os.path.isdir(compare_dir):
        raise NotInput(f"{compare_dir} is not a folder: give {WHAT}")
    appraisal = read_csv(os.path.join(compare_dir, "appraisal.csv"), APPRAISAL_COLUMNS, WHAT)
    by_year = read_csv(os.path.join(compare_dir, "appraisal_by_year.csv"), BY_YEAR_COLUMNS, WHAT)
    names = scenario_order(compare_dir, appraisal)
    info = about(compare_dir, names[0])
    taxonomy = run_labels(os.path.join(compare_dir, names[0]))
    groups = place_groups(compare_dir, names[0], by_year, taxonomy)
    os.makedirs(out, exist_ok=True)
    pages = [("1_options.png", options_page(appraisal, by_year, names[0], groups[0], info)),
             ("1_option_chart.png", option_chart_page(appraisal, names[0], groups, by_year["Year"].max(), info))]
    for group in groups:
        pages.append((f"2_places_{group.code}.png", places_page(compare_dir, names, group, info)))
    for name in names:
        pages.append((f"3_shortfall_{name}.png", shortfall_page(compare_dir, name, groups[0], taxonomy)))
    has_spend = all(os.path.exists(os.path.join(compare_dir, n, "high_needs_spend.csv")) for n in names)
    if has_spend:
        differences = read_csv(os.path.join(compare_dir, "comparison.csv"), DIFFERENCE_COLUMNS, WHAT)
        pages.append(("4_spend.png", spend_page(compare_dir, names, info, "high_needs_spend",
                                                "High-needs spend a year, by scenario: place funding, top-ups and fees", "spend a year", differences)))
        if all((scenario_table(compare_dir, n, "high_needs_spend.csv", SPEND_COLUMNS)["Series"] == "cumulative_balance").any() for n in names):
            pages.append(("5_dsg_balance.png", spend_page(compare_dir, names, info, "cumulative_balance",
                                                          "Cumulative DSG balance at each year's end, by scenario (below zero: a deficit)",
                                                          "balance")))
    pdf_path = os.path.join(out, "board_pack.pdf")
    tmp = pdf_path + ".incomplete"
    with PdfPages(tmp) as pdf:
        for file, fig in pages:
            fig.savefig(os.path.join(out, file), dpi=110)
            pdf.savefig(fig)
            plt.close(fig)
    os.replace(tmp, pdf_path)
    print(f"board pack: {pdf_path} ({len(pages)} pages; PNGs beside it)")
