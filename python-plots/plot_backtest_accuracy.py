#!/usr/bin/python3
"""Accuracy of the backtest across every local authority in England.

Usage: /usr/bin/python3 python-plots/plot_backtest_accuracy.py FORECASTS.csv [OUT_DIR]
What it reads and writes: python-plots/sendplan_plots/backtest_accuracy.py.
"""
import os
import sys

# The package sits beside this script, whichever folder the script is run from.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sendplan_plots import backtest_accuracy  # noqa: E402
from sendplan_plots.inputs import script  # noqa: E402

if __name__ == "__main__":
    script(backtest_accuracy.main)
