#!/usr/bin/python3
"""A board pack from a `sendplan compare` run: one PDF, and each of its pages as a PNG.

Usage: /usr/bin/python3 python-plots/board_pack.py COMPARE_DIR [--out DIR]
What it reads and writes: python-plots/sendplan_plots/board_pack.py.
"""
import os
import sys

# The package sits beside this script, whichever folder the script is run from.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sendplan_plots import board_pack  # noqa: E402
from sendplan_plots.inputs import script  # noqa: E402

if __name__ == "__main__":
    script(board_pack.main)
