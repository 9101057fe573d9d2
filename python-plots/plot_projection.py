#!/usr/bin/python3
"""Fan charts of a sendplan projection.

Usage: /usr/bin/python3 python-plots/plot_projection.py RESULTS_DIR
What it reads and writes: python-plots/sendplan_plots/projection.py.
"""
import os
import sys

# The package sits beside this script, whichever folder the script is run from.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sendplan_plots import projection  # noqa: E402
from sendplan_plots.inputs import script  # noqa: E402

if __name__ == "__main__":
    script(projection.main)
