"""Where a run's numbers come from, in words for a page's footer: the published data and local
inputs its results.h5 records (inputs/path, scenario_text), and the date of the data, which is the
January census the projection starts from, so that the same run always prints the same words.
"""
import os
import re

import pandas as pd
import yaml

from .results import EXTENDED_TEXT, attribute, text

DFE = re.compile(r"(?:education-health-and-care-plans|dfe-ehcp)[_-](\d{4})", re.IGNORECASE)
ONS = re.compile(r"snpp[_-]?(\d{4})", re.IGNORECASE)


def input_paths(f):
    return text(f["inputs/path"][:]) if "inputs/path" in f else []


def listed(items):
    """"a", "a and b", "a, b and c"."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def dfe_releases(paths):
    years = sorted({m.group(1) for p in paths for m in [DFE.search(p)] if m})
    return f"DfE, Education, health and care plans (SEN2 returns), {'releases' if len(years) > 1 else 'release'} {listed(years)}" if years else ""


def ons_population(paths):
    years = sorted({m.group(1) for p in paths for m in [ONS.search(p)] if m})
    return f"ONS {years[-1]}-based subnational population projections" if years else ""


def scenario_files(f):
    """(file, its keys) of the scenario and each it extends, the scenario's own first."""
    parts = attribute(f, "scenario_text").split(EXTENDED_TEXT)
    files = [attribute(f, "scenario_file")] + [p.split(":\n", 1)[0] for p in parts[1:]]
    texts = [parts[0]] + [p.split(":\n", 1)[-1] for p in parts[1:]]
    found = []
    for file, body in zip(files, texts):
        try:
            keys = yaml.safe_load(body)
        except yaml.YAMLError:
            keys = None
        found.append((file, keys if isinstance(keys, dict) else {}))
    return found


def data_file(f, key):
    """The path of the scenario's data file `key` (costs, provisions), as the nearest file of the
    scenario's chain names it, relative to that file; "" where none names it."""
    for file, keys in scenario_files(f):
        data = keys.get("data") or {}
        if isinstance(data, dict) and data.get(key):
            return os.path.join(os.path.dirname(file), str(data[key]))
    return ""


def cost_table_words(f):
    """The cost table, and how many of its figures it marks as assumed (its `source` column)."""
    path = data_file(f, "costs")
    if not path:
        return ""
    try:
        sources = pd.read_csv(path)["source"].astype(str)
    except (OSError, KeyError, ValueError, pd.errors.ParserError):
        return "the authority's cost table"
    assumed = int(sources.str.lower().str.startswith("assumed").sum())
    return f"the authority's cost table ({assumed} of {len(sources)} figures assumed, the rest published rates)" if assumed else "the authority's cost table"


def sources_line(f):
    """One line naming every source the run used."""
    paths = input_paths(f)
    local = ["the authority's provision register"] if data_file(f, "provisions") else []
    parts = [dfe_releases(paths), ons_population(paths)] + local + [cost_table_words(f)]
    return "Sources: " + "; ".join(p for p in parts if p) + "."


def data_date(f):
    """The date the numbers stand at: the January census the projection starts from."""
    return f"Data to the January {int(f.attrs['base_year'])} census"
