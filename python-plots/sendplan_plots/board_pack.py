"""A board pack from a `sendplan compare` run: one PDF, and each of its pages as a PNG.

Usage: /usr/bin/python3 python-plots/board_pack.py COMPARE_DIR [--out DIR]
Reads COMPARE_DIR/appraisal.csv (its rows by their measure code), appraisal_by_year.csv,
comparison.csv and each scenario's folder (place groups' labels from its results.h5); writes to
COMPARE_DIR/board_pack/ (or DIR):
  board_pack.pdf            every page below, in order
  0_key_messages.png        key messages written from the numbers: each option by name, with its
                            description, what it buys, what it costs and how sure we are; the
                            caveat long-horizon figures need
  1_options.png             the option table: places added, capital, net present value, placements avoided
  1_option_chart.png        the options side by side: net present value with its interval, places added
  2_places_<group>.png      places against demand, each scenario (sufficiency fans)
  3_shortfall_<base>.png    the base's probability of a shortfall by need and year (needs, then
                            broad areas of need), for the place group with the most places
  3_difference_<option>_<group>.png   option minus base: children without a local place, by need
                            and year, for every place group the option changes
  4_spend.png               high-needs spend by scenario (spend fan)
  5_dsg_balance.png         the cumulative DSG balance by scenario, where income is given
Every page names its sources and the census its data run to, and is numbered "Page N of M".
"""
from collections import namedtuple
import os
import textwrap

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.ticker import FuncFormatter

from .fans import fan
from .heat_maps import UNMET, difference_maps, shortfall_maps
from .inputs import NotInput, read_csv, usage
from .key_messages import chance_cell, growth_caveat, measure, option_messages, places_added
from .results import (MEDIAN, TOTAL, attribute, csv_quantiles, in_sentence, level_in, main_place_group, open_results, percentile_levels,
                      place_group_label, quantiles_of, run_labels, scenario_description, scenario_title)
from .sources import data_date, sources_line
from .style import COLOURS, MILLIONS, READABLE, year_axis
from .sufficiency import PLAN_COLUMNS


PlaceGroup = namedtuple("PlaceGroup", "code label")
# What the key messages are written from: the compare folder's tables, each scenario's Special
# Places Plan, the base's name, and the years they speak of.
Context = namedtuple("Context", "appraisal by_year plans base check_year last_year")

WHAT = "the folder a `sendplan compare` wrote"
# The columns read of each table (percentiles are found by their names' levels).
APPRAISAL_COLUMNS = ["option", "measure_code", "place_group", "mean"]
BY_YEAR_COLUMNS = ["option", "year", "place_group", "chance_places_suffice_base", "chance_places_suffice_option"]
SPEND_COLUMNS = ["year", "series"]
DIFFERENCE_COLUMNS = ["option", "measure", "year"]
PACK_PLAN_COLUMNS = PLAN_COLUMNS + ["places_needed_80", UNMET]
A4 = (11.7, 8.3)
# Keys messages are about the year this many years after the base: near enough for the backtest's
# record to speak for it.
CHECK_YEARS_AHEAD = 5


def scenario_order(compare_dir, appraisal):
    options = list(dict.fromkeys(appraisal["option"]))
    names = [d for d in sorted(os.listdir(compare_dir)) if os.path.isfile(os.path.join(compare_dir, d, "results.h5"))]
    base = [n for n in names if n not in options]
    missing = [o for o in options if o not in names]
    if not base or missing:
        raise NotInput(f"{compare_dir} has no results folder for {'the base' if not base else missing[0]}: give {WHAT}")
    return base + options


def scenario_table(compare_dir, name, file, columns):
    """One scenario's table, `file` in its folder."""
    return read_csv(os.path.join(compare_dir, name, file), columns, WHAT)


def plans_growth(f):
    """The base's median plans in its last year over those in its first."""
    median = quantiles_of(percentile_levels(f), f["summary/total/percentiles"][:, 0, :])[MEDIAN]
    return float(median[-1] / median[0]) if median[0] > 0 else float("nan")


def about(compare_dir, names):
    """What the pack says of the run: the base's area, years, draws, sources and record, and each
    scenario's title and description."""
    with open_results(os.path.join(compare_dir, names[0])) as f:
        info = {k: attribute(f, k) for k in ("area_name", "draws", "seed", "engine_version")}
        info["base_year"] = int(f.attrs["base_year"])
        # The record of forecasts made this way (the all-authority backtest), where the run carries it.
        info["record"] = attribute(f["accuracy"], "sentence") if "accuracy" in f else ""
        info["checked_years"] = int(np.max(f["accuracy/horizon"][:])) if "accuracy/horizon" in f else 0
        info["sources"], info["date"], info["growth"] = sources_line(f), data_date(f), plans_growth(f)
    info["title"], info["description"] = {}, {}
    for name in names:
        with open_results(os.path.join(compare_dir, name)) as f:
            info["title"][name], info["description"][name] = scenario_title(f), scenario_description(f)
    return info


def footer(fig, info, page, pages):
    """Sources, the date of the data, the method and the page number, at the foot of every page."""
    fig.text(0.01, 0.032, textwrap.fill(info["sources"], 180), fontsize=8, color="#444", va="bottom")
    fig.text(0.01, 0.008, f"{info['date']}. sendplan {info['engine_version']}: {int(info['draws']):,} Monte Carlo draws on common random numbers "
             f"(seed {info['seed']}); intervals are percentiles of the draws.", fontsize=8, color="#444")
    fig.text(0.99, 0.008, f"Page {page} of {pages}", fontsize=9, ha="right", weight="bold")


def page_title(fig, title, subtitle=""):
    fig.text(0.5, 0.95, title, ha="center", fontsize=15, weight="bold")
    if subtitle:
        fig.text(0.5, 0.915, subtitle, ha="center", fontsize=10)


def boxed(fig, y, words, width=140, colour="#f4f6f9", edge="#c8d0dc"):
    """A paragraph in a box, its top at `y`; returns where the next may start."""
    wrapped = textwrap.fill(words, width)
    fig.text(0.05, y, wrapped, fontsize=10, va="top", bbox=dict(facecolor=colour, edgecolor=edge, boxstyle="round,pad=0.5"))
    return y - 0.025 * (wrapped.count("\n") + 1) - 0.035


def option_block(fig, y, context, option, info, labels, main_group):
    """One option's key messages, its title and description first; returns where the next may start."""
    colour = COLOURS[list(context.plans).index(option) % len(COLOURS)]
    fig.text(0.05, y, info["title"][option], fontsize=12, weight="bold", va="top", color=colour)
    y -= 0.03
    if info["description"][option]:
        described = textwrap.fill(info["description"][option], 140)
        fig.text(0.05, y, described, fontsize=10, style="italic", va="top")
        y -= 0.022 * (described.count("\n") + 1) + 0.008
    for line in option_messages(context, option, labels, main_group):
        wrapped = textwrap.fill(line, 150, initial_indent="• ", subsequent_indent="   ")
        fig.text(0.06, y, wrapped, fontsize=10, va="top")
        y -= 0.022 * (wrapped.count("\n") + 1) + 0.004
    return y - 0.015


# Where a page of key messages starts below its title, and how much room an option's block and the
# closing boxes need before the footer: what does not fit goes on to the next page.
MESSAGES_TOP, OPTION_ROOM, BOXES_ROOM = 0.87, 0.3, 0.3


def key_messages_sheet(info, context, continued=False):
    """A page for key messages, with its title."""
    fig = plt.figure(figsize=A4)
    page_title(fig, f"Special school places in {info['area_name']}: key messages{' (continued)' if continued else ''}",
               f"Each option against '{info['title'][context.base]}', projected from the January {info['base_year']} census to "
               f"{context.last_year}; places are judged in {context.check_year}, {CHECK_YEARS_AHEAD} years ahead.")
    return fig


def key_messages_pages(context, info, labels, main_group, deficit):
    """The key messages: each option's block, then how sure we are and the caveat on figures far
    ahead, on as many pages as they take (one for a few options)."""
    figs = [key_messages_sheet(info, context)]
    y = MESSAGES_TOP
    for option in list(context.plans)[1:]:
        if y < OPTION_ROOM:
            figs.append(key_messages_sheet(info, context, continued=True))
            y = MESSAGES_TOP
        y = option_block(figs[-1], y, context, option, info, labels, main_group)
    if y < BOXES_ROOM:
        figs.append(key_messages_sheet(info, context, continued=True))
        y = MESSAGES_TOP
    if info["record"]:
        y = boxed(figs[-1], y, "How sure we are: " + info["record"])
    boxed(figs[-1], y, growth_caveat(info["base_year"], context.last_year, info["growth"], deficit, info["checked_years"] or 4),
          colour="#fdf2e9", edge="#e0a96d")
    return [(f"0_key_messages{'' if i == 0 else f'_{i + 1}'}.png", fig) for i, fig in enumerate(figs)]


def option_row(context, option, group, info):
    """One option's row of the option table."""
    def value(code, level=None):
        return measure(context.appraisal, option, code, level)

    by_year = context.by_year
    chance = by_year[(by_year["option"] == option) & (by_year["year"] == context.check_year) & (by_year["place_group"] == group.code)]
    chance_text = chance_cell(chance.iloc[0]["chance_places_suffice_base"], chance.iloc[0]["chance_places_suffice_option"]) if not chance.empty else ""
    return [textwrap.fill(info["title"][option], 24), f"{value('places_added'):,.0f}", f"£{value('capital_cost_cash_gbp') / 1e6:,.1f}m",
            f"£{value('npv_gbp') / 1e6:,.1f}m  (£{value('npv_gbp', 0.05) / 1e6:,.1f}m to £{value('npv_gbp', 0.95) / 1e6:,.1f}m)",
            f"{value('out_of_borough_placements_avoided'):,.0f}", chance_text]


def option_table(fig, header, rows):
    ax = fig.add_axes([0.03, 0.35, 0.94, 0.5])
    ax.axis("off")
    table = ax.table(cellText=rows, colLabels=header, loc="upper center", cellLoc="center", colWidths=[0.2, 0.11, 0.1, 0.25, 0.16, 0.16])
    table.auto_set_font_size(False)
    table.set_fontsize(10)
    table.scale(1, 3.0)
    for (r, _), cell in table.get_celld().items():
        if r == 0:
            cell.set_facecolor("#dfe8f5")
            cell.set_height(cell.get_height() * 1.4)


def options_page(context, group, info):
    """The option table; `group` is the place group whose chance of sufficing it shows."""
    options = list(dict.fromkeys(context.appraisal["option"]))
    header = ["Option", f"Local places\nadded by {context.last_year}", "Capital\n(cash)", "Net present value against the base\n(mean, 90% interval)",
              "Placements out of\nborough or independent\navoided (pupil-years)",
              f"Chance {in_sentence(group.label)}\nplaces suffice in {context.check_year}\n(base, then option)"]
    rows = [option_row(context, option, group, info) for option in options]
    fig = plt.figure(figsize=A4)
    rate = measure(context.appraisal, options[0], "discount_rate_percent")
    page_title(fig, f"The options against '{info['title'][context.base]}'",
               f"Projected from the January {info['base_year']} census to {context.last_year}. Costs are present values at {info['base_year']} prices, "
               f"discounted at {rate:g}% a year (HM Treasury Green Book).")
    option_table(fig, header, rows)
    fig.text(0.05, 0.7 - 0.06 * len(rows), "How to read this table\n"
             "• Net present value: what the option saves against the base over the projection, in today's money. Positive: the option costs less "
             "overall,\n   capital included; the interval shows the range in 90 of 100 simulated futures.\n"
             "• Placements avoided: children who would otherwise be placed out of the borough or in an independent school because local places were full,\n"
             "   added up over the years (one child for one year is one pupil-year).\n"
             f"• Chance places suffice: the share of simulated futures in which demand for {in_sentence(group.label)} places is within the borough's places.\n"
             "   0% with or without: places fall short in every simulated future, with the option or without it.",
             fontsize=10, va="top")
    return fig


def option_chart_page(appraisal, base, groups, last, info):
    """The options side by side: what each saves (net present value, with its 90% interval) and
    what it buys (local places added by `last` over the place `groups`, and placements away from
    the borough avoided)."""
    options = list(dict.fromkeys(appraisal["option"]))
    labels = [textwrap.fill(info["title"][o], 22) for o in options]
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
    fig.suptitle(f"The options against '{info['title'][base]}': what each saves and what it buys", fontsize=15, weight="bold")
    fig.text(0.5, 0.91, "Bars are means over the simulated futures; the black line spans 90 of 100 of them. "
             f"Present values at {info['base_year']} prices.", ha="center", fontsize=9)
    fig.subplots_adjust(left=0.2, right=0.97, top=0.86, bottom=0.16, wspace=0.12)
    return fig


def places_lines(ax, compare_dir, names, group, info):
    """Each scenario's places of `group`, the base's drawn last, narrow and dark over the options'
    wide pale ones, so that it shows where an option's places are the base's."""
    for i, name in reversed(list(enumerate(names))):
        r = scenario_table(compare_dir, name, "special_places_plan.csv", PLAN_COLUMNS)
        r = r[(r["place_group"] == group.code) & (r["phase"] == TOTAL) & (r["need_group"] == TOTAL)].sort_values("year")
        style = dict(color="black", linewidth=2.2, zorder=5) if i == 0 else dict(color=COLOURS[i % len(COLOURS)], linewidth=6, alpha=0.55, zorder=3)
        ax.step(r["year"], r["places"], where="mid", label=f"{info['title'][name]}: places in the borough", **style)


def demand_fans(ax, compare_dir, names, group, info):
    """Demand: the base's fan, and an option's median only where the option changes demand."""
    base = None
    for i, name in enumerate(names):
        r = scenario_table(compare_dir, name, "special_places_plan.csv", PLAN_COLUMNS)
        r = r[(r["place_group"] == group.code) & (r["phase"] == TOTAL) & (r["need_group"] == TOTAL)].sort_values("year")
        demand = csv_quantiles(r, "demand_")
        if base is None:
            base = demand
            fan(ax, r["year"], demand, "#555", intervals=(0.80,), shades=(0.15,), label="demand (median; band: 80% of futures)",
                band_label=None, linewidth=1.6, linestyle="--")
        elif not np.allclose(level_in(demand, MEDIAN), level_in(base, MEDIAN)):
            ax.plot(r["year"], level_in(demand, MEDIAN), color=COLOURS[i % len(COLOURS)], linestyle="--", linewidth=1.6,
                    label=f"{info['title'][name]}: demand (median)")


def places_page(compare_dir, names, group, info):
    """Places of one place group against demand, each scenario's."""
    fig, ax = plt.subplots(figsize=A4)
    demand_fans(ax, compare_dir, names, group, info)
    places_lines(ax, compare_dir, names, group, info)
    year_axis(ax)
    ax.set_xlabel("January census", fontsize=READABLE + 1)
    ax.set_ylabel("children", fontsize=READABLE + 1)
    # The places lines were drawn the base last (on top); the legend lists the base first.
    handles, words = ax.get_legend_handles_labels()
    demand = len(handles) - len(names)
    ax.legend(handles[:demand] + handles[demand:][::-1], words[:demand] + words[demand:][::-1], fontsize=READABLE + 1, loc="upper left")
    page_title(fig, f"{group.label} places against demand, by scenario",
               "Where the dashed line (demand) rises above a solid line (places), children are placed out of the borough or wait. "
               "Black: the base's places.")
    fig.subplots_adjust(bottom=0.15, top=0.88)
    return fig


def spend_page(compare_dir, names, info, series, title, ylabel, differences=None):
    if differences is None:
        fig, ax = plt.subplots(figsize=A4)
    else:
        fig, (ax, below) = plt.subplots(2, 1, figsize=A4, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    # The base drawn last, black, over the options' lines, which lie close to it.
    for i, name in reversed(list(enumerate(names))):
        t = scenario_table(compare_dir, name, "high_needs_spend.csv", SPEND_COLUMNS)
        r = t[t["series"] == series].sort_values("year")
        c = COLOURS[i % len(COLOURS)] if i else "black"
        fan(ax, r["year"], csv_quantiles(r), c, intervals=(0.90,), shades=(0.08,), label=f"{info['title'][name]} (median; band: 90% of futures)",
            band_label=None, linewidth=1.6 if i == 0 else 3.5, zorder=5 if i == 0 else 3)
    ax.yaxis.set_major_formatter(MILLIONS)
    year_axis(ax, from_zero=False)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xlabel("year (January census; costs in cash, with inflation)")
    ax.set_ylabel(ylabel)
    handles, words = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], words[::-1], fontsize=READABLE, loc="upper left")
    ax.set_title(title, fontsize=12)
    if differences is not None:
        # Draw by draw on common random numbers, the options' differences are far narrower than the
        # spread of spend itself.
        for i, name in enumerate(names[1:], start=1):
            r = differences[(differences["option"] == name) & (differences["measure"] == "high_needs_spend_gbp")].sort_values("year")
            c = COLOURS[i % len(COLOURS)]
            fan(below, r["year"], csv_quantiles(r, "difference_"), c, intervals=(0.90,), shades=(0.15,), label=f"{info['title'][name]} minus {info['title'][names[0]]}",
                band_label=None)
        below.axhline(0, color="black", linewidth=0.8)
        below.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"£{v / 1e6:,.1f}m"))
        below.grid(alpha=0.3)
        below.set_ylabel("difference a year\n(below zero: a saving)")
        below.legend(fontsize=8, loc="lower left")
        below.set_xlabel(ax.get_xlabel())
        ax.set_xlabel("")
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return fig


def place_groups(plan, by_year, taxonomy):
    """The place groups the appraisal covers, labelled, the one with the most places first: the
    pack's one-group summaries (the option table, the base's heat map) are about it."""
    first = main_place_group(plan)
    codes = [first] + [c for c in dict.fromkeys(by_year["place_group"]) if c not in (TOTAL, first)]
    return [PlaceGroup(c, place_group_label(taxonomy, c)) for c in codes]


def shortfall_page(plans, base, group, taxonomy, info):
    return shortfall_maps(plans[base], group.code, f"{info['title'][base]}: chance that demand for {in_sentence(group.label)} places exceeds "
                          "places, by need and year (per cent of simulated futures)", taxonomy)


def difference_page(plans, base, option, group, taxonomy, info):
    return difference_maps(plans[base], plans[option], group.code, f"{info['title'][option]} minus {info['title'][base]}: children without a "
                           f"local {in_sentence(group.label)} place,\nby need and year (mean over the simulated futures; blue: fewer)", taxonomy)


def heat_map_pages(context, groups, taxonomy, info):
    """The base's chance of a shortfall in its main place group, then each option's difference
    from the base in every place group it changes."""
    pages = [(f"3_shortfall_{context.base}.png", shortfall_page(context.plans, context.base, groups[0], taxonomy, info))]
    for option in list(context.plans)[1:]:
        # An option that changes no places (one that changes demand) shows the main place group.
        changed = [g for g in groups if g.code in places_added(context.appraisal, option)] or groups[:1]
        for group in changed:
            pages.append((f"3_difference_{option}_{group.code}.png", difference_page(context.plans, context.base, option, group, taxonomy, info)))
    return pages


def final_balance(compare_dir, base):
    """The base's median cumulative DSG balance in its last year; None where it has none."""
    path = os.path.join(compare_dir, base, "high_needs_spend.csv")
    if not os.path.exists(path):
        return None
    t = read_csv(path, SPEND_COLUMNS, WHAT)
    rows = t[t["series"] == "cumulative_balance"].sort_values("year")
    return float(level_in(csv_quantiles(rows), MEDIAN)[-1]) if not rows.empty else None


def spend_pages(compare_dir, names, info):
    """Spend, and the DSG balance where every scenario has one."""
    if not all(os.path.exists(os.path.join(compare_dir, n, "high_needs_spend.csv")) for n in names):
        return []
    differences = read_csv(os.path.join(compare_dir, "comparison.csv"), DIFFERENCE_COLUMNS, WHAT)
    pages = [("4_spend.png", spend_page(compare_dir, names, info, "high_needs_spend",
                                        "High-needs spend a year, by scenario: place funding, top-ups and fees", "spend a year", differences))]
    if all((scenario_table(compare_dir, n, "high_needs_spend.csv", SPEND_COLUMNS)["series"] == "cumulative_balance").any() for n in names):
        pages.append(("5_dsg_balance.png", spend_page(compare_dir, names, info, "cumulative_balance",
                                                      "Cumulative DSG balance at each year's end, by scenario (below zero: a deficit)", "balance")))
    return pages


def read_compare(compare_dir):
    """The compare folder's tables and each scenario's plan, as the key messages read them."""
    if not os.path.isdir(compare_dir):
        raise NotInput(f"{compare_dir} is not a folder: give {WHAT}")
    appraisal = read_csv(os.path.join(compare_dir, "appraisal.csv"), APPRAISAL_COLUMNS, WHAT)
    by_year = read_csv(os.path.join(compare_dir, "appraisal_by_year.csv"), BY_YEAR_COLUMNS, WHAT)
    names = scenario_order(compare_dir, appraisal)
    plans = {n: scenario_table(compare_dir, n, "special_places_plan.csv", PACK_PLAN_COLUMNS) for n in names}
    last = int(by_year["year"].max())
    # The plan's first year is the base year, the census the projection starts from.
    check_year = min(int(plans[names[0]]["year"].min()) + CHECK_YEARS_AHEAD, last)
    return Context(appraisal, by_year, plans, names[0], check_year, last)


def write_pack(out, pages, info):
    """Every page with its footer, as a PNG each and one PDF, written under a temporary name and
    renamed into place."""
    os.makedirs(out, exist_ok=True)
    pdf_path = os.path.join(out, "board_pack.pdf")
    tmp = pdf_path + ".incomplete"
    # No creation date in the file: the same results make the same pack.
    with PdfPages(tmp, metadata={"CreationDate": None}) as pdf:
        for number, (file, fig) in enumerate(pages, start=1):
            footer(fig, info, number, len(pages))
            fig.savefig(os.path.join(out, file), dpi=110)
            pdf.savefig(fig)
            plt.close(fig)
    os.replace(tmp, pdf_path)
    return pdf_path


def main(args):
    if not args or args[0].startswith("-") or (len(args) not in (1, 3)) or (len(args) == 3 and args[1] != "--out"):
        usage(__doc__)
    compare_dir = args[0]
    out = args[2] if len(args) == 3 else os.path.join(compare_dir, "board_pack")
    context = read_compare(compare_dir)
    names = list(context.plans)
    info = about(compare_dir, names)
    taxonomy = run_labels(os.path.join(compare_dir, context.base))
    groups = place_groups(context.plans[context.base], context.by_year, taxonomy)

    def labels(code):
        return place_group_label(taxonomy, code)

    pages = key_messages_pages(context, info, labels, groups[0].code, final_balance(compare_dir, context.base))
    pages += [("1_options.png", options_page(context, groups[0], info)),
              ("1_option_chart.png", option_chart_page(context.appraisal, context.base, groups, context.last_year, info))]
    pages += [(f"2_places_{group.code}.png", places_page(compare_dir, names, group, info)) for group in groups]
    pages += heat_map_pages(context, groups, taxonomy, info) + spend_pages(compare_dir, names, info)
    pdf_path = write_pack(out, pages, info)
    print(f"board pack: {pdf_path} ({len(pages)} pages; PNGs beside it)")
