"""Reading sendplan's results by name: results.h5's labels and percentiles, and the CSVs' columns.

The engine's taxonomy (model/*.yaml) can change; nothing here knows its codes. Labels come from what
the results carry, and a code without one is shown made readable.
"""
import os
import re

import h5py
import numpy as np

MEDIAN = 0.5
KINDS = ("need", "broad_area", "setting", "phase")
TOTAL = "all"  # the code of the total row in the CSVs' phase, need group and place group columns


def text(values):
    """HDF5 strings as Python strings, whichever way h5py hands them back."""
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]


def attribute(node, name, default=""):
    """An HDF5 attribute as a string."""
    value = node.attrs.get(name, default)
    return value.decode() if isinstance(value, bytes) else str(value)


def open_results(folder):
    """The results.h5 a run wrote to `folder`, open for reading."""
    path = os.path.join(folder, "results.h5")
    if not os.path.isfile(path):
        raise SystemExit(f"{path} not found: give the folder a `sendplan run` wrote")
    return h5py.File(path, "r")


def readable(code):
    """A code as a reader would write it: "state_special" -> "State special"."""
    words = str(code).replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def labels(f, kind):
    """Code -> the planner's label for one kind of the taxonomy stored with the results (need,
    broad_area, setting, phase); empty where the results carry none."""
    group = f.get("labels")
    if group is None or kind not in group or f"{kind}_label" not in group:
        return {}
    return dict(zip(text(group[kind][:]), text(group[f"{kind}_label"][:])))


def label(names, code):
    """The label of `code` in `names` (from labels()), or the code made readable."""
    return names.get(code) or readable(code)


def percentile_levels(f):
    """The percentiles results.h5's summaries hold, in their order (0.05 for the 5th)."""
    if "labels/percentile" not in f:
        raise SystemExit(f"{f.filename} has no labels/percentile: written by an engine older than these plots")
    return [float(v) for v in f["labels/percentile"][:]]


def quantiles_of(levels, values):
    """{level: values[..., i]} for percentiles stored along the last axis, `levels` naming them."""
    return {level: values[..., i] for i, level in enumerate(levels)}


# Percentile columns are named "Demand (5th percentile)", "Median (GBP)", "Difference (median)" in
# the CSVs written for people, and p05, p50, p975 in the backtest's.
ORDINAL = re.compile(r"\b(\d+(?:\.\d+)?)(?:st|nd|rd|th) percentile\b", re.IGNORECASE)
MEDIAN_WORD = re.compile(r"\bmedian\b", re.IGNORECASE)
SHORT = re.compile(r"p(\d+)")


def column_level(name):
    """The percentile a column's name says it holds, or None."""
    short = SHORT.fullmatch(name)
    if short:
        digits = short.group(1)
        return int(digits) / 10 ** len(digits)  # p05 -> 0.05, p025 -> 0.025, p975 -> 0.975
    ordinal = ORDINAL.search(name)
    if ordinal:
        return float(ordinal.group(1)) / 100
    return MEDIAN if MEDIAN_WORD.search(name) else None


def csv_quantiles(rows, stem=""):
    """{level: column} of a table's percentile columns whose names start with `stem`."""
    found = {}
    for name in rows.columns:
        level = column_level(name) if name.startswith(stem) else None
        if level is not None:
            found[level] = rows[name].to_numpy()
    return found


def level_in(quantiles, level):
    """The values for percentile `level`, found by value."""
    for have, values in quantiles.items():
        if np.isclose(have, level):
            return values
    raise SystemExit(f"the results hold no {100 * level:g}th percentile (they hold {sorted(100 * q for q in quantiles)})")


def main_place_group(plan):
    """The place group with the most places over the projection, in a special_places_plan.csv: the
    one a summary about "special school places" is about."""
    totals = plan[(plan["Phase"] == TOTAL) & (plan["Need group"] == TOTAL) & (plan["Place group"] != TOTAL)]
    return totals.groupby("Place group", sort=False)["Places"].sum().idxmax()


def run_labels(folder):
    """{kind: {code: label}} for the taxonomy the run in `folder` used, from its results.h5, and
    need_broad_area: {need: its broad area}; empty where there is none, so that codes are shown made
    readable."""
    if not os.path.isfile(os.path.join(folder, "results.h5")):
        return {}
    with open_results(folder) as f:
        names = {kind: labels(f, kind) for kind in KINDS}
        if "labels/need_broad_area" in f:
            names["need_broad_area"] = dict(zip(text(f["labels/need"][:]), text(f["labels/need_broad_area"][:])))
        return names


def place_group_label(names, group):
    """Place groups carry no label of their own; one named after a setting takes the setting's."""
    return label(names.get("setting", {}), group)


def taxonomy_order(names, kind, codes):
    """`codes` in the taxonomy's order for `kind`, any it does not know after them, the total last."""
    known = list(names.get(kind, {}))
    rank = {code: i for i, code in enumerate(known)}
    present = list(dict.fromkeys(codes))
    ordered = sorted((c for c in present if c != TOTAL), key=lambda c: rank.get(c, len(known)))
    return ordered + [TOTAL] * (TOTAL in present)


def in_sentence(text):
    """A label as it reads inside a sentence: "State special" -> "state special", "SEN unit" kept."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]
