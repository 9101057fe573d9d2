"""Heat maps of a Special Places Plan table by need and year: needs in one map, broad areas of need
in their own beneath it (a broad area's row sums needs above it, so the two are never mixed), the
rows in the taxonomy's order in every map.
"""
import textwrap

import matplotlib.pyplot as plt
import numpy as np

from .results import TOTAL, label, taxonomy_order
from .style import READABLE

# Room for the title above, the long need names to the left and the footer below.
PAGE_MARGINS = {"top": 0.87, "bottom": 0.1, "left": 0.27, "right": 0.97, "hspace": 0.3}
# The maps of one page: the kind of need group in the table's need_group_kind, and its heading.
MAP_KINDS = (("need", "By primary need"), ("broad_area", "By broad area of need (sums of the needs above), and all needs"))


def need_group_label(names, kind, code):
    """A need group's label: a need's or a broad area's, as the table's need_group_kind says."""
    return "All needs" if code == TOTAL else label(names.get(kind, {}), code)


def all_phases(table, group):
    """The rows of one place group summed over phases."""
    return table[(table["place_group"] == group) & (table["phase"] == TOTAL)]


def need_groups(rows, names, kind):
    """The codes of one kind of need group in `rows`, in the taxonomy's order; the broad areas' map
    ends with all needs."""
    codes = taxonomy_order(names, kind, rows.loc[rows["need_group_kind"] == kind, "need_group"])
    return [(kind, c) for c in codes] + ([(TOTAL, TOTAL)] if kind == "broad_area" and (rows["need_group_kind"] == TOTAL).any() else [])


def grid_of(rows, groups, years, column):
    """`column` of `rows` as a grid: a row per (kind, code) in `groups`, a column per year."""
    grid = np.full((len(groups), len(years)), np.nan)
    for i, (kind, code) in enumerate(groups):
        cells = rows[(rows["need_group_kind"] == kind) & (rows["need_group"] == code)]
        for year, value in zip(cells["year"], cells[column]):
            if year in years:
                grid[i, years.index(year)] = value
    return grid


def draw_map(ax, grid, row_labels, years, scale, cell_text):
    """One heat map with its value written in every cell; scale: (colour map, low, high)."""
    cmap, low, high = scale
    image = ax.imshow(grid, aspect="auto", cmap=cmap, vmin=low, vmax=high)
    ax.set_xticks(range(len(years)), [str(y) for y in years], fontsize=READABLE)
    ax.set_yticks(range(len(row_labels)), row_labels, fontsize=READABLE)
    for (i, j), value in np.ndenumerate(grid):
        if not np.isnan(value):
            red, green, blue, _ = image.cmap(image.norm(value))
            dark = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5
            ax.text(j, i, cell_text(value), ha="center", va="center", fontsize=READABLE, color="white" if dark else "black")
    return image


def need_maps(table, group, column, names, scale, cell_text):
    """A page of two maps of `column` for one place group, all phases: needs, then broad areas.
    Returns the figure and its image (for a colour bar)."""
    rows = all_phases(table, group)
    # Years with no value at all (no chance of a shortfall in the observed base year) are left out.
    years = sorted(rows.loc[rows[column].notna(), "year"].unique())
    kinds = [(kind, heading, need_groups(rows, names, kind)) for kind, heading in MAP_KINDS]
    kinds = [k for k in kinds if k[2]]
    fig, axes = plt.subplots(len(kinds), 1, figsize=(11.7, 8.3), squeeze=False,
                             gridspec_kw={"height_ratios": [len(k[2]) for k in kinds], **PAGE_MARGINS})
    image = None
    for ax, (kind, heading, groups) in zip(axes[:, 0], kinds):
        labels = [need_group_label(names, k, c) for k, c in groups]
        image = draw_map(ax, grid_of(rows, groups, years, column), labels, years, scale, cell_text)
        ax.set_title(heading, fontsize=READABLE + 1, loc="left")
    return fig, axes[:, 0], image


def page_title(title):
    """A title wrapped to the page's width, so that a long option's name is never cut off."""
    return textwrap.fill(" ".join(title.split()), 120)


def shortfall_maps(table, group, title, names):
    """The probability that demand exceeds places, by need and year (per cent of simulated futures)."""
    fig, axes, image = need_maps(table, group, "probability_shortfall", names, ("Reds", 0, 1), lambda v: f"{100 * v:.0f}")
    fig.colorbar(image, ax=list(axes), label="probability demand exceeds places (cells: per cent)", shrink=0.8)
    fig.suptitle(page_title(title), fontsize=12, weight="bold")
    return fig


# What the difference maps compare, option minus base: children whose need for a place of the group
# the borough's places do not meet.
UNMET = "unmet_local_demand_mean"


def difference_table(base, option):
    """option minus base of the unmet demand, row by row (year, place group, phase, need group)."""
    keys = ["year", "place_group", "phase", "need_group", "need_group_kind"]
    both = base[keys + [UNMET]].merge(option[keys + [UNMET]], on=keys, suffixes=(" base", " option"))
    both[UNMET] = both[UNMET + " option"] - both[UNMET + " base"]
    return both


def difference_maps(base, option, group, title, names):
    """The option's difference from the base in children without a local place, by need and year:
    blue where fewer children go without one."""
    difference = difference_table(base, option)
    rows = all_phases(difference, group)
    widest = max(1.0, float(np.nanmax(np.abs(rows[UNMET].to_numpy()))) if not rows.empty else 1.0)
    fig, axes, image = need_maps(difference, group, UNMET, names, ("RdBu_r", -widest, widest), lambda v: f"{v:+.0f}" if round(v) else "0")
    fig.colorbar(image, ax=list(axes), label="children without a local place: option minus base (mean)", shrink=0.8)
    fig.suptitle(page_title(title), fontsize=12, weight="bold")
    return fig
