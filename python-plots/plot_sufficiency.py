#!/usr/bin/python3
"""Special Places Plan charts from a sendplan run with a provision register.

Usage: /usr/bin/python3 python-plots/plot_sufficiency.py RESULTS_DIR
What it reads and writes: python-plots/sendplan_plots/sufficiency.py.
"""
import os
import sys

# The package sits beside this script, whichever folder the script is run from.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sendplan_plots import sufficiency  # noqa: E402
from sendplan_plots.inputs import script  # noqa: E402

if __name__ == "__main__":
    script(sufficiency.main)
