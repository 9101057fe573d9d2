"""Reading sendplan's results by name: results.h5's labels and percentiles, and the CSVs' columns.

The engine's taxonomy (model/*.yaml) can change; nothing here knows its codes. Labels come from what
the results carry (results.h5's labels/), and a code without one is shown made readable.
"""
import re

import h5py
import numpy as np
import yaml

from .inputs import NotInput, first_line, folder_with

MEDIAN = 0.5
KINDS = ("need", "broad_area", "setting", "phase", "place_group")
# Why plans whose need is not recorded grow: new plans take needs in the mix published for new plans,
# in which some have no primary need recorded yet (model/METHOD.md, section 3).
NOT_RECORDED_NOTE = ("Need not recorded: plans whose primary need the published data do not record yet. New plans take needs in "
                     "the mix published for new plans, some of which have none recorded, so these grow with all plans; they are not a new need.")

TOTAL = "all"  # the code of the total row in the CSVs' phase, need group and place group columns


def text(values):
    """HDF5 strings as Python strings, whichever way h5py hands them back."""
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]


def attribute(node, name, default=""):
    """An HDF5 attribute as a string."""
    value = node.attrs.get(name, default)
    return value.decode() if isinstance(value, bytes) else str(value)


def open_results(folder, what="a folder a `sendplan run` wrote"):
    """The results.h5 a run wrote to `folder`, open for reading; NotInput where `folder` holds none."""
    path = folder_with(folder, "results.h5", what)
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise NotInput(f"{path} is not an HDF5 file ({first_line(e)}): give {what}") from None
    if "labels" not in f or "summary" not in f:
        f.close()
        raise NotInput(f"{path} is not a sendplan results file (it has no labels/ and summary/): give {what}")
    return f


def readable(code):
    """A code as a reader would write it: "some_code" -> "Some code"."""
    words = str(code).replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def labels(f, kind):
    """Code -> the planner's label for one kind of the taxonomy stored with the results (need,
    broad_area, setting, phase, place_group); empty where the results carry none."""
    group = f.get("labels")
    if group is None or kind not in group or f"{kind}_label" not in group:
        return {}
    return dict(zip(text(group[kind][:]), text(group[f"{kind}_label"][:])))


def label(names, code):
    """The label of `code` in `names` (from labels()), or the code made readable where it has none
    or its label is only its name as given."""
    given = names.get(code)
    return given if given and given != code else readable(code)


def percentile_levels(f):
    """The percentiles results.h5's summaries hold, in their order (0.05 for the 5th)."""
    if "labels/percentile" not in f:
        raise NotInput(f"{f.filename} has no labels/percentile: written by an engine older than these plots")
    return [float(v) for v in f["labels/percentile"][:]]


def quantiles_of(levels, values):
    """{level: values[..., i]} for percentiles stored along the last axis, `levels` naming them."""
    return {level: values[..., i] for i, level in enumerate(levels)}


# Percentile columns are named p05, p50, p975 alone or within a machine name (demand_p05, p05_gbp,
# difference_p95); titles such as "Demand (5th percentile)" are read too, for tables made by hand.
ORDINAL = re.compile(r"\b(\d+(?:\.\d+)?)(?:st|nd|rd|th) percentile\b", re.IGNORECASE)
MEDIAN_WORD = re.compile(r"\bmedian\b", re.IGNORECASE)
SHORT = re.compile(r"(?:^|_)p(\d+)(?:_|$)")


def column_level(name):
    """The percentile a column's name says it holds, or None."""
    short = SHORT.search(name)
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
    raise NotInput(f"the results hold no {100 * level:g}th percentile (they hold {sorted(100 * q for q in quantiles)})")


def main_place_group(plan):
    """The place group with the most places over the projection, in a special_places_plan.csv: the
    one a summary about "special school places" is about."""
    totals = plan[(plan["phase"] == TOTAL) & (plan["need_group"] == TOTAL) & (plan["place_group"] != TOTAL)]
    return totals.groupby("place_group", sort=False)["places"].sum().idxmax()


def run_labels(folder):
    """{kind: {code: label}} for the taxonomy the run in `folder` used, from its results.h5, and
    need_broad_area: {need: its broad area}; a kind the results label not is empty, so that its codes
    are shown made readable."""
    with open_results(folder) as f:
        return all_labels(f)


def all_labels(f):
    """run_labels() of an open results.h5."""
    names = {kind: labels(f, kind) for kind in KINDS}
    if "labels/need_broad_area" in f:
        names["need_broad_area"] = dict(zip(text(f["labels/need"][:]), text(f["labels/need_broad_area"][:])))
    return names


def place_group_label(names, group):
    """A place group's label, as results.h5 gives it (labels/place_group_label)."""
    return label(names.get("place_group", {}), group)


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


# A scenario's own text ends where the text of the scenario it extends begins (results.h5's
# scenario_text holds both, the scenario's own first).
EXTENDED_TEXT = "\n# ---- it extends "


def own_scenario(f):
    """The keys of the scenario a run is of, as its own file gives them (not those it extends):
    {} where the results hold no readable scenario text."""
    own = attribute(f, "scenario_text").split(EXTENDED_TEXT, 1)[0]
    try:
        keys = yaml.safe_load(own)
    except yaml.YAMLError:
        return {}
    return keys if isinstance(keys, dict) else {}


def scenario_title(f):
    """What a reader calls the scenario: its file's `title`, or its name made readable."""
    title = own_scenario(f).get("title")
    return " ".join(str(title).split()) if title else readable(attribute(f, "scenario_name"))


def scenario_description(f):
    """The scenario's description in its own file, on one line; "" where it has none."""
    return " ".join(str(own_scenario(f).get("description") or "").split())
